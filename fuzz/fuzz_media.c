/*
 * fuzz_media: what an uploaded file is and whether a type of media takes it (media_sniff,
 * media_check, media_voice_ms), plus the Content-Type and text checks around uploads. A
 * file a type accepts is at least as long as its format's header, no longer than the
 * type's limit, of a format the type takes; a voice is at most 60 s long.
 */
#include "fuzz.h"

#include "core/media_check.h"
#include "util/err.h"

#include <strings.h>

FUZZ_QUIET_LOGS()

/* the fewest bytes media_sniff needs to tell each format */
static size_t header_len(int fmt)
{
    switch (fmt) {
    case FMT_JPEG:
    case FMT_MP3: /* a frame header; "ID3" needs its 10-byte header */
        return 4;
    case FMT_PNG:
        return 8;
    case FMT_GIF:
    case FMT_AMR:
        return 6;
    case FMT_BMP:
        return 26;
    case FMT_WMA:
        return 16;
    case FMT_WAV:
    case FMT_MP4:
        return 12;
    default:
        return SIZE_MAX;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *p = fuzz_dup(data, size);
    int fmt = media_sniff(p, size);
    FUZZ_CHECK(fmt >= FMT_NONE && fmt < FMT_COUNT);
    FUZZ_CHECK(fmt == FMT_NONE || size >= header_len(fmt));
    if (fmt == FMT_MP3 && size >= 3 && memcmp(p, "ID3", 3) == 0)
        FUZZ_CHECK(size >= 10);
    FUZZ_CHECK(media_fmt_ext(fmt) && media_fmt_ctype(fmt));
    if (fmt != FMT_NONE)
        FUZZ_CHECK(media_fmt_by_ctype(media_fmt_ctype(fmt)) == fmt);

    for (int f = FMT_NONE; f < FMT_COUNT; f++) {
        int64_t ms = media_voice_ms(p, size, f);
        FUZZ_CHECK(ms >= 0 && (ms == 0 || f == FMT_AMR || f == FMT_MP3));
    }

    static const char *const types[] = {"image", "voice", "video", "thumb", "img", "file", ""};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        for (int permanent = 0; permanent <= 1; permanent++) {
            int got = -1;
            int rc = media_check(types[t], permanent, p, size, &got);
            size_t max = media_max_size(types[t]);
            if (max == 0) {
                FUZZ_CHECK(rc == ERR_INVALID_MEDIA_TYPE && !media_type_known(types[t]));
                continue;
            }
            FUZZ_CHECK(rc == 0 || rc == ERR_EMPTY_MEDIA || rc == ERR_INVALID_FILE_TYPE ||
                       rc == ERR_INVALID_MEDIA_SIZE || rc == ERR_VOICE_PLAYTIME);
            FUZZ_CHECK((rc == ERR_EMPTY_MEDIA) == (size == 0));
            if (rc == 0) {
                FUZZ_CHECK(got == fmt && fmt != FMT_NONE);
                FUZZ_CHECK(size >= header_len(got) && size <= max);
                if (strcmp(types[t], "voice") == 0)
                    FUZZ_CHECK(media_voice_ms(p, size, got) <= MEDIA_VOICE_MAX_MS);
                if (strcmp(types[t], "thumb") == 0)
                    FUZZ_CHECK(got == FMT_JPEG);
                if (strcmp(types[t], "video") == 0)
                    FUZZ_CHECK(got == FMT_MP4);
            }
            if (rc == ERR_INVALID_MEDIA_SIZE)
                FUZZ_CHECK(size > max);
        }
    }

    /* the input as a Content-Type and as a video's title and description */
    if (size <= 4096) {
        char *s = fuzz_cstr(data, size);
        int f = media_fmt_by_ctype(s);
        FUZZ_CHECK(f >= FMT_NONE && f < FMT_COUNT);
        if (f != FMT_NONE) /* the type, then nothing or parameters */
            FUZZ_CHECK(strncasecmp(s, media_fmt_ctype(f), strlen(media_fmt_ctype(f))) == 0);
        size_t chars = media_utf8_chars(s);
        FUZZ_CHECK(chars <= strlen(s));
        int rc = media_video_text_check(s, NULL);
        FUZZ_CHECK(rc == 0 ? chars <= 64 : rc == ERR_TITLE_SIZE_LIMIT && chars > 64);
        rc = media_video_text_check(NULL, s);
        FUZZ_CHECK(rc == 0 ? chars <= 120 : rc == ERR_DESCRIPTION_SIZE_LIMIT && chars > 120);
        FUZZ_CHECK(media_video_text_check(NULL, NULL) == 0);
        free(s);
    }
    free(p);
    return 0;
}
