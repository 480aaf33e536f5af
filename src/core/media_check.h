/*
 * media_check: what a media file is, told by its content (magic bytes), and whether a
 * type of media (spec/accounts.md §8) accepts it. Pure functions: no I/O, no store.
 *
 * | type  | temporary                 | permanent                  |
 * |-------|---------------------------|----------------------------|
 * | image | 10 MiB: JPEG PNG GIF      | 10 MiB: JPEG PNG GIF BMP   |
 * | voice | 2 MiB, 60 s: AMR MP3      | 2 MiB, 60 s: AMR MP3 WMA WAV |
 * | video | 10 MiB: MP4               | 10 MiB: MP4                |
 * | thumb | 64 KiB: JPEG              | 64 KiB: JPEG               |
 * | img   | (media/uploadimg) 1 MiB: JPEG PNG                      |
 */
#ifndef LJ_MEDIA_CHECK_H
#define LJ_MEDIA_CHECK_H

#include <stddef.h>
#include <stdint.h>

enum media_fmt {
    FMT_NONE = 0,
    FMT_JPEG,
    FMT_PNG,
    FMT_GIF,
    FMT_BMP,
    FMT_AMR,
    FMT_MP3,
    FMT_WMA,
    FMT_WAV,
    FMT_MP4,
    FMT_COUNT
};

#define MEDIA_VOICE_MAX_MS 60000

/* the format of a file by its first bytes; FMT_NONE if unknown */
int media_sniff(const void *data, size_t len);
/* "jpg", "png", ...; "bin" for FMT_NONE */
const char *media_fmt_ext(int fmt);
/* "image/jpeg", ...; "application/octet-stream" for FMT_NONE */
const char *media_fmt_ctype(int fmt);
/* the format whose Content-Type is ctype (parameters ignored); FMT_NONE if none */
int media_fmt_by_ctype(const char *ctype);
/* playing time of an AMR or MP3 file in milliseconds (MP3: from the first frame's bit
 * rate); 0 when it cannot be told */
int64_t media_voice_ms(const void *data, size_t len, int fmt);

/* 1 if type names an upload type (image voice video thumb); img is internal */
int media_type_known(const char *type);
/*
 * Checks a file for a type of media: 0 with *fmt set, ERR_INVALID_MEDIA_TYPE (unknown type),
 * ERR_EMPTY_MEDIA (no bytes), ERR_INVALID_FILE_TYPE (content not a format the type takes),
 * ERR_INVALID_MEDIA_SIZE (over the type's size), ERR_VOICE_PLAYTIME (voice over 60 s).
 */
int media_check(const char *type, int permanent, const void *data, size_t len, int *fmt);
/* characters (code points) of a UTF-8 string */
size_t media_utf8_chars(const char *s);
/* a title (<= 64 characters) and a description (<= 120 characters) of a video, either may be
 * NULL: 0, ERR_TITLE_SIZE_LIMIT or ERR_DESCRIPTION_SIZE_LIMIT */
int media_video_text_check(const char *title, const char *description);
/* the most bytes a type takes; 0 for an unknown type */
size_t media_max_size(const char *type);

#endif
