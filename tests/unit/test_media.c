/*
 * test_media: src/core/media_check.c (formats by content, per-type rules, voice playing time)
 * and src/core/media.c over an in-memory store and a temporary directory (files first, rows
 * second; expiry; counts; tenancy; purge).
 */
#include "helpers.h"
#include "core/media.h"
#include "core/media_check.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
static const unsigned char mp4[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0};

/* an AMR-NB file of `frames` 12.2 kbit/s frames (32 bytes each, 20 ms each) */
static unsigned char *amr(size_t frames, size_t *len)
{
    *len = 6 + frames * 32;
    unsigned char *p = calloc(1, *len);
    memcpy(p, "#!AMR\n", 6);
    for (size_t i = 0; i < frames; i++)
        p[6 + i * 32] = 7 << 3 | 0x04;
    return p;
}

Test(media_check, sniffs_formats_by_content)
{
    static const unsigned char gif[] = "GIF89a....";
    static const unsigned char bmp[30] = {'B', 'M'};
    static const unsigned char mp3_id3[] = "ID3\x03\x00\x00\x00\x00\x00\x00";
    static const unsigned char mp3_frame[] = {0xff, 0xfb, 0x90, 0x64, 0, 0};
    static const unsigned char wav[] = "RIFF\x24\x00\x00\x00WAVEfmt ";
    static const unsigned char asf[] = {0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11,
                                        0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c};
    cr_assert_eq(media_sniff(jpeg, sizeof(jpeg)), FMT_JPEG);
    cr_assert_eq(media_sniff(png, sizeof(png)), FMT_PNG);
    cr_assert_eq(media_sniff(gif, sizeof(gif) - 1), FMT_GIF);
    cr_assert_eq(media_sniff(bmp, sizeof(bmp)), FMT_BMP);
    cr_assert_eq(media_sniff("#!AMR\n\x3c", 7), FMT_AMR);
    cr_assert_eq(media_sniff("#!AMR-WB\n", 9), FMT_AMR);
    cr_assert_eq(media_sniff(mp3_id3, sizeof(mp3_id3) - 1), FMT_MP3);
    cr_assert_eq(media_sniff(mp3_frame, sizeof(mp3_frame)), FMT_MP3);
    cr_assert_eq(media_sniff(wav, sizeof(wav) - 1), FMT_WAV);
    cr_assert_eq(media_sniff(asf, sizeof(asf)), FMT_WMA);
    cr_assert_eq(media_sniff(mp4, sizeof(mp4)), FMT_MP4);
    cr_assert_eq(media_sniff("", 0), FMT_NONE);
    cr_assert_eq(media_sniff("hello world, not a file", 23), FMT_NONE);
    cr_assert_eq(media_sniff("\xff\xd8", 2), FMT_NONE, "too short to be a JPEG");
    cr_assert_eq(media_sniff("\xff\xf1\x50\x80", 4), FMT_NONE, "AAC ADTS is not MP3");
    cr_assert_eq(media_sniff("BM", 2), FMT_NONE);
    cr_assert_str_eq(media_fmt_ctype(FMT_JPEG), "image/jpeg");
    cr_assert_str_eq(media_fmt_ext(FMT_MP4), "mp4");
    cr_assert_eq(media_fmt_by_ctype("audio/amr"), FMT_AMR);
    cr_assert_eq(media_fmt_by_ctype("IMAGE/PNG; x=y"), FMT_PNG);
    cr_assert_eq(media_fmt_by_ctype("text/plain"), FMT_NONE);
    ASSERT_NO_LEAKS();
}

Test(media_check, rules_per_type)
{
    int fmt = 0;
    size_t big_len = 64 * 1024 + 1;
    unsigned char *big = calloc(1, 10 * 1024 * 1024 + 1);
    memcpy(big, jpeg, sizeof(jpeg));
    cr_assert_eq(media_check("image", 0, jpeg, sizeof(jpeg), &fmt), 0);
    cr_assert_eq(fmt, FMT_JPEG);
    cr_assert_eq(media_check("image", 0, png, sizeof(png), &fmt), 0);
    cr_assert_eq(media_check("thumb", 0, png, sizeof(png), &fmt), ERR_INVALID_FILE_TYPE);
    cr_assert_eq(media_check("thumb", 0, big, 64 * 1024, &fmt), 0);
    cr_assert_eq(media_check("thumb", 0, big, big_len, &fmt), ERR_INVALID_MEDIA_SIZE);
    cr_assert_eq(media_check("image", 1, big, 10 * 1024 * 1024, &fmt), 0);
    cr_assert_eq(media_check("image", 1, big, 10 * 1024 * 1024 + 1, &fmt), ERR_INVALID_MEDIA_SIZE);
    cr_assert_eq(media_check("img", 1, big, 1024 * 1024 + 1, &fmt), ERR_INVALID_MEDIA_SIZE);
    cr_assert_eq(media_check("video", 0, jpeg, sizeof(jpeg), &fmt), ERR_INVALID_FILE_TYPE);
    cr_assert_eq(media_check("video", 0, mp4, sizeof(mp4), &fmt), 0);
    cr_assert_eq(media_check("file", 0, mp4, sizeof(mp4), &fmt), ERR_INVALID_MEDIA_TYPE);
    cr_assert_eq(media_check(NULL, 0, mp4, sizeof(mp4), &fmt), ERR_INVALID_MEDIA_TYPE);
    cr_assert_eq(media_check("image", 0, jpeg, 0, &fmt), ERR_EMPTY_MEDIA);
    static const unsigned char bmp[30] = {'B', 'M'};
    cr_assert_eq(media_check("image", 0, bmp, sizeof(bmp), &fmt), ERR_INVALID_FILE_TYPE,
                 "temporary images are JPEG, PNG or GIF");
    cr_assert_eq(media_check("image", 1, bmp, sizeof(bmp), &fmt), 0, "material may be BMP");
    cr_assert(media_type_known("voice"));
    cr_assert(!media_type_known("img"));
    cr_assert(!media_type_known("news"));
    free(big);
    ASSERT_NO_LEAKS();
}

Test(media_check, voice_playing_time)
{
    int fmt;
    size_t len;
    unsigned char *a = amr(3000, &len); /* 60 s */
    cr_assert_eq(media_voice_ms(a, len, FMT_AMR), 60000);
    cr_assert_eq(media_check("voice", 0, a, len, &fmt), 0);
    free(a);
    a = amr(3001, &len);
    cr_assert_eq(media_check("voice", 0, a, len, &fmt), ERR_VOICE_PLAYTIME);
    free(a);
    /* MP3, 128 kbit/s: 16000 bytes a second */
    size_t n = 16000 * 61;
    unsigned char *m = calloc(1, n);
    m[0] = 0xff, m[1] = 0xfb, m[2] = 0x90, m[3] = 0x64;
    cr_assert_eq(media_voice_ms(m, 16000 * 2, FMT_MP3), 2000);
    cr_assert_eq(media_check("voice", 0, m, n, &fmt), ERR_VOICE_PLAYTIME);
    cr_assert_eq(media_check("voice", 0, m, 16000 * 59, &fmt), 0);
    free(m);
    cr_assert_eq(media_voice_ms("ID3\x03\0\0\0\0\0\x7f", 10, FMT_MP3), 0, "a tag past the end");
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ media.c */

static struct store *s;
static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/lianjie-unit-media-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    media_set_dir(dir);
    cr_assert_eq(store_open(":memory:", &s), 0);
}

static void teardown(void)
{
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    ASSERT_NO_LEAKS();
}

static int file_exists(const char *appid, const char *media_id)
{
    char path[4300];
    struct stat st;
    media_file_path(appid, media_id, path, sizeof(path));
    return stat(path, &st) == 0;
}

#define APP_A "wx00000000000000aa"
#define APP_B "wx00000000000000bb"

Test(media, save_then_exists_until_expiry, .init = setup, .fini = teardown)
{
    char id[72], type[16];
    int64_t now = 1700000000;
    cr_assert_eq(media_save(s, APP_A, "image", 0, "a.jpg", "image/jpeg", jpeg, sizeof(jpeg), now,
                            id, sizeof(id)),
                 0);
    cr_assert_eq(strlen(id), 64);
    cr_assert(file_exists(APP_A, id));
    cr_assert_eq(media_exists(s, APP_A, id, now, type, sizeof(type)), 0);
    cr_assert_str_eq(type, "image");
    cr_assert_eq(media_exists(s, APP_A, id, now + MEDIA_TTL - 1, type, sizeof(type)), 0);
    cr_assert_eq(media_exists(s, APP_A, id, now + MEDIA_TTL, type, sizeof(type)),
                 ERR_INVALID_MEDIA_ID);
    cr_assert_eq(media_exists(s, APP_B, id, now, type, sizeof(type)), ERR_INVALID_MEDIA_ID,
                 "another account never sees it");
    cr_assert_eq(media_exists(s, APP_A, "nope", now, type, sizeof(type)), ERR_INVALID_MEDIA_ID);
    cr_assert_eq(media_exists(s, APP_A, "", now, type, sizeof(type)), ERR_INVALID_MEDIA_ID);
}

Test(media, save_checks_content_not_the_claimed_type, .init = setup, .fini = teardown)
{
    char id[72];
    cr_assert_eq(
        media_save(s, APP_A, "image", 0, "a.jpg", "image/jpeg", "text", 4, 1, id, sizeof(id)),
        ERR_INVALID_FILE_TYPE);
    cr_assert_eq(media_save(s, APP_A, "img", 1, "a.jpg", "image/jpeg", jpeg, sizeof(jpeg), 1, id,
                            sizeof(id)),
                 ERR_INVALID_MEDIA_TYPE);
    cr_assert_eq(media_save(s, APP_A, "news", 1, NULL, NULL, jpeg, sizeof(jpeg), 1, id, sizeof(id)),
                 ERR_INVALID_MEDIA_TYPE);
}

Test(media, permanent_material_and_image_path, .init = setup, .fini = teardown)
{
    char id[72], path[128], type[16];
    cr_assert_eq(
        media_save(s, APP_A, "thumb", 1, NULL, NULL, jpeg, sizeof(jpeg), 1, id, sizeof(id)), 0);
    cr_assert_eq(strlen(id), 43);
    cr_assert_eq(media_exists(s, APP_A, id, 1LL << 40, type, sizeof(type)), 0,
                 "material never expires");
    cr_assert_eq(media_image_path(s, APP_A, id, 1, path, sizeof(path)), 0);
    cr_assert_eq(strncmp(path, MEDIA_IMG_PATH, strlen(MEDIA_IMG_PATH)), 0);
    cr_assert_eq(strlen(path), strlen(MEDIA_IMG_PATH) + 32, "192-bit public id");
    struct media_rec m;
    cr_assert_eq(store_media_get_pub(s, path + strlen(MEDIA_IMG_PATH), &m), 0);
    cr_assert_str_eq(m.media_id, id);
    cr_assert_eq(media_get_live(s, APP_A, id, 1, &m), 0);
    cr_assert_eq(strncmp(m.filename, id, strlen(id)), 0);
    cr_assert_str_eq(m.filename + strlen(id), ".jpg");
    cr_assert_str_eq(m.ctype, "image/jpeg");
    cr_assert_eq(media_image_path(s, APP_B, id, 1, path, sizeof(path)), ERR_INVALID_MEDIA_ID);
}

Test(media, delete_then_unlink, .init = setup, .fini = teardown)
{
    char id[72], tmp[72];
    cr_assert_eq(
        media_save(s, APP_A, "image", 1, "x.png", NULL, png, sizeof(png), 1, id, sizeof(id)), 0);
    cr_assert_eq(
        media_save(s, APP_A, "image", 0, "x.png", NULL, png, sizeof(png), 1, tmp, sizeof(tmp)), 0);
    cr_assert_eq(media_delete(s, APP_B, id), ERR_INVALID_MEDIA_ID);
    cr_assert_eq(media_delete(s, APP_A, tmp), ERR_INVALID_MEDIA_ID, "only material is deleted");
    cr_assert_eq(media_delete(s, APP_A, id), 0);
    cr_assert(file_exists(APP_A, id), "the file goes after the commit");
    media_unlink(APP_A, id);
    cr_assert(!file_exists(APP_A, id));
    cr_assert_eq(media_delete(s, APP_A, id), ERR_INVALID_MEDIA_ID);
}

Test(media, purge_removes_expired_rows_and_files, .init = setup, .fini = teardown)
{
    char old[72], fresh[72], keep[72], type[16];
    cr_assert_eq(
        media_save(s, APP_A, "image", 0, NULL, NULL, jpeg, sizeof(jpeg), 100, old, sizeof(old)), 0);
    cr_assert_eq(
        media_save(s, APP_A, "image", 1, NULL, NULL, jpeg, sizeof(jpeg), 100, keep, sizeof(keep)),
        0);
    /* saving after the first one expired purges it on the way */
    cr_assert_eq(media_save(s, APP_B, "image", 0, NULL, NULL, jpeg, sizeof(jpeg), 100 + MEDIA_TTL,
                            fresh, sizeof(fresh)),
                 0);
    cr_assert(!file_exists(APP_A, old));
    cr_assert_eq(store_media_get(s, APP_A, old, &(struct media_rec){0}), ERR_NOT_FOUND);
    cr_assert(file_exists(APP_A, keep));
    cr_assert(file_exists(APP_B, fresh));
    cr_assert_eq(media_exists(s, APP_A, keep, 1LL << 40, type, sizeof(type)), 0);
}

Test(media, counts_material_per_group, .init = setup, .fini = teardown)
{
    char id[72];
    size_t len;
    unsigned char *a = amr(1, &len);
    for (int i = 0; i < MEDIA_MAX_OTHERS; i++)
        cr_assert_eq(media_save(s, APP_A, "voice", 1, NULL, NULL, a, len, 1, id, sizeof(id)), 0);
    cr_assert_eq(media_save(s, APP_A, "voice", 1, NULL, NULL, a, len, 1, id, sizeof(id)),
                 ERR_MEDIA_COUNT_LIMIT);
    cr_assert_eq(media_save(s, APP_A, "voice", 0, NULL, NULL, a, len, 1, id, sizeof(id)), 0,
                 "temporary media do not count");
    cr_assert_eq(media_save(s, APP_B, "voice", 1, NULL, NULL, a, len, 1, id, sizeof(id)), 0,
                 "each account counts its own");
    int64_t n = 0;
    cr_assert_eq(store_media_count(s, APP_A, "voice", &n), 0);
    cr_assert_eq(n, MEDIA_MAX_OTHERS);
    free(a);
}

Test(media, news_update_replaces_one_article, .init = setup, .fini = teardown)
{
    struct media_new in = {.appid = APP_A,
                           .type = "news",
                           .permanent = 1,
                           .content = "[{\"title\":\"a\"},{\"title\":\"b\"}]",
                           .now = 5};
    struct media_rec m;
    struct buf b = BUF_INIT;
    cr_assert_eq(media_create(s, &in, &m), 0);
    cr_assert_eq(media_news_update(s, APP_A, m.media_id, 1, "{\"title\":\"c\"}", 9), 0);
    cr_assert_eq(store_media_content(s, APP_A, m.media_id, &b), 0);
    cr_assert_str_eq(b.ptr, "[{\"title\":\"a\"},{\"title\":\"c\"}]");
    cr_assert_eq(media_news_update(s, APP_A, m.media_id, 2, "{}", 9), ERR_INVALID_ARGS);
    cr_assert_eq(media_news_update(s, APP_B, m.media_id, 0, "{}", 9), ERR_INVALID_MEDIA_ID);
    cr_assert_eq(store_media_get(s, APP_A, m.media_id, &m), 0);
    cr_assert_eq(m.update_time, 9);
    cr_assert_eq(m.created_at, 5);
    buf_release(&b);
}
