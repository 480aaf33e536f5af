/*
 * media_check: formats by magic bytes and the per-type rules (see media_check.h).
 */
#include "media_check.h"
#include "../util/err.h"

#include <string.h>
#include <strings.h>

#define KiB 1024
#define MiB (1024 * 1024)

static const struct {
    const char *ext, *ctype;
} formats[FMT_COUNT] = {
    [FMT_NONE] = {"bin", "application/octet-stream"},
    [FMT_JPEG] = {"jpg", "image/jpeg"},
    [FMT_PNG] = {"png", "image/png"},
    [FMT_GIF] = {"gif", "image/gif"},
    [FMT_BMP] = {"bmp", "image/bmp"},
    [FMT_AMR] = {"amr", "audio/amr"},
    [FMT_MP3] = {"mp3", "audio/mpeg"},
    [FMT_WMA] = {"wma", "audio/x-ms-wma"},
    [FMT_WAV] = {"wav", "audio/wav"},
    [FMT_MP4] = {"mp4", "video/mp4"},
};

#define BIT(f) (1u << (f))

static const struct media_rule {
    const char *type;
    size_t max;
    unsigned temp_fmts, perm_fmts;
} rules[] = {
    {"image", 10 * MiB, BIT(FMT_JPEG) | BIT(FMT_PNG) | BIT(FMT_GIF),
     BIT(FMT_JPEG) | BIT(FMT_PNG) | BIT(FMT_GIF) | BIT(FMT_BMP)},
    {"voice", 2 * MiB, BIT(FMT_AMR) | BIT(FMT_MP3),
     BIT(FMT_AMR) | BIT(FMT_MP3) | BIT(FMT_WMA) | BIT(FMT_WAV)},
    {"video", 10 * MiB, BIT(FMT_MP4), BIT(FMT_MP4)},
    {"thumb", 64 * KiB, BIT(FMT_JPEG), BIT(FMT_JPEG)},
    {"img", 1 * MiB, BIT(FMT_JPEG) | BIT(FMT_PNG), BIT(FMT_JPEG) | BIT(FMT_PNG)},
};

static const struct media_rule *rule(const char *type)
{
    for (size_t i = 0; type && i < sizeof(rules) / sizeof(rules[0]); i++)
        if (strcmp(rules[i].type, type) == 0)
            return &rules[i];
    return NULL;
}

/* ------------------------------------------------------------------ formats */

static int starts(const unsigned char *p, size_t n, const void *magic, size_t mlen)
{
    return n >= mlen && memcmp(p, magic, mlen) == 0;
}

/* an MPEG audio layer III frame header at p (MPEG 1, 2 or 2.5) */
static int mp3_frame(const unsigned char *p, size_t n)
{
    if (n < 4 || p[0] != 0xff || (p[1] & 0xe0) != 0xe0)
        return 0;
    int version = (p[1] >> 3) & 3, layer = (p[1] >> 1) & 3;
    int bitrate = p[2] >> 4, rate = (p[2] >> 2) & 3;
    return version != 1 && layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3;
}

int media_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char asf[] = {0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11,
                                        0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c};
    if (len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return FMT_JPEG;
    if (starts(p, len, png, sizeof(png)))
        return FMT_PNG;
    if (starts(p, len, "GIF87a", 6) || starts(p, len, "GIF89a", 6))
        return FMT_GIF;
    if (len >= 26 && p[0] == 'B' && p[1] == 'M')
        return FMT_BMP;
    if (starts(p, len, "#!AMR\n", 6) || starts(p, len, "#!AMR-WB\n", 9))
        return FMT_AMR;
    if ((starts(p, len, "ID3", 3) && len >= 10) || mp3_frame(p, len))
        return FMT_MP3;
    if (starts(p, len, asf, sizeof(asf)))
        return FMT_WMA;
    if (len >= 12 && starts(p, len, "RIFF", 4) && memcmp(p + 8, "WAVE", 4) == 0)
        return FMT_WAV;
    if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
        return FMT_MP4;
    return FMT_NONE;
}

const char *media_fmt_ext(int fmt)
{
    return fmt > FMT_NONE && fmt < FMT_COUNT ? formats[fmt].ext : formats[FMT_NONE].ext;
}

const char *media_fmt_ctype(int fmt)
{
    return fmt > FMT_NONE && fmt < FMT_COUNT ? formats[fmt].ctype : formats[FMT_NONE].ctype;
}

int media_fmt_by_ctype(const char *ctype)
{
    size_t n = strcspn(ctype, "; \t");
    for (int f = FMT_NONE + 1; f < FMT_COUNT; f++)
        if (strlen(formats[f].ctype) == n && strncasecmp(formats[f].ctype, ctype, n) == 0)
            return f;
    return FMT_NONE;
}

/* ------------------------------------------------------------------ playing time */

static int64_t amr_ms(const unsigned char *p, size_t n)
{
    /* bytes after the one-byte frame header by frame type, -1 reserved (RFC 4867 §5.3);
     * every frame, NO_DATA included, stands for 20 ms */
    static const signed char nb[16] = {12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, -1, -1, -1, 0};
    static const signed char wb[16] = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, -1, -1, -1, -1, 0, 0};
    int is_wb = n >= 9 && memcmp(p, "#!AMR-WB\n", 9) == 0;
    const signed char *sizes = is_wb ? wb : nb;
    size_t i = is_wb ? 9 : 6;
    int64_t frames = 0;
    while (i < n && sizes[(p[i] >> 3) & 0x0f] >= 0) {
        i += 1 + (size_t)sizes[(p[i] >> 3) & 0x0f];
        frames++;
    }
    return frames * 20;
}

static int64_t mp3_ms(const unsigned char *p, size_t n)
{
    static const short kbps_v1[16] = {0,   32,  40,  48,  56,  64,  80,  96,
                                      112, 128, 160, 192, 224, 256, 320, 0};
    static const short kbps_v2[16] = {0,  8,  16, 24,  32,  40,  48,  56,
                                      64, 80, 96, 112, 128, 144, 160, 0};
    size_t i = 0;
    if (n >= 10 && memcmp(p, "ID3", 3) == 0) /* ID3v2: a syncsafe size after the header */
        i = 10 + (((size_t)p[6] & 0x7f) << 21 | ((size_t)p[7] & 0x7f) << 14 |
                  ((size_t)p[8] & 0x7f) << 7 | ((size_t)p[9] & 0x7f));
    size_t stop = i + 64 * 1024 < n ? i + 64 * 1024 : n;
    while (i + 4 <= stop && !mp3_frame(p + i, n - i))
        i++;
    if (i + 4 > stop)
        return 0;
    int v1 = ((p[i + 1] >> 3) & 3) == 3;
    int kbps = (v1 ? kbps_v1 : kbps_v2)[p[i + 2] >> 4];
    return kbps ? (int64_t)(n - i) * 8 / kbps : 0;
}

int64_t media_voice_ms(const void *data, size_t len, int fmt)
{
    if (fmt == FMT_AMR)
        return amr_ms(data, len);
    if (fmt == FMT_MP3)
        return mp3_ms(data, len);
    return 0;
}

/* ------------------------------------------------------------------ rules */

int media_type_known(const char *type)
{
    const struct media_rule *r = rule(type);
    return r && strcmp(r->type, "img") != 0;
}

size_t media_max_size(const char *type)
{
    const struct media_rule *r = rule(type);
    return r ? r->max : 0;
}

int media_check(const char *type, int permanent, const void *data, size_t len, int *fmt)
{
    const struct media_rule *r = rule(type);
    if (!r)
        return ERR_INVALID_MEDIA_TYPE;
    if (len == 0)
        return ERR_EMPTY_MEDIA;
    *fmt = media_sniff(data, len);
    if (!(BIT(*fmt) & (permanent ? r->perm_fmts : r->temp_fmts)))
        return ERR_INVALID_FILE_TYPE;
    if (len > r->max)
        return ERR_INVALID_MEDIA_SIZE;
    if (strcmp(r->type, "voice") == 0 && media_voice_ms(data, len, *fmt) > MEDIA_VOICE_MAX_MS)
        return ERR_VOICE_PLAYTIME;
    return 0;
}

size_t media_utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

int media_video_text_check(const char *title, const char *description)
{
    if (title && media_utf8_chars(title) > 64)
        return ERR_TITLE_SIZE_LIMIT;
    if (description && media_utf8_chars(description) > 120)
        return ERR_DESCRIPTION_SIZE_LIMIT;
    return 0;
}
