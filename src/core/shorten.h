/*
 * shorten: short keys (spec/accounts.md §6). shorten/gen keeps up to 4 KB of an account's
 * data under a 15-character base62 key for expire_seconds (default and maximum 30 days);
 * shorten/fetch gives it back to that account only, with the seconds it has left. The legacy
 * shorturl (long2short) keeps an http(s):// or weixin://wxpay URL under a 7-character key
 * for good and answers http://HOST/s/KEY, the same key again for the same URL. No SQL here.
 */
#ifndef LJ_SHORTEN_H
#define LJ_SHORTEN_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_qrcode.h"

#define SHORTEN_MAX_DATA 4096
#define SHORTEN_MAX_TTL  2592000
#define SHORTEN_KEY_LEN  15
#define SHORTURL_KEY_LEN 7
#define SHORTURL_MAX_LEN 4096

/* checks a gen request: 0, ERR_ARGUMENT_INVALID (no data), ERR_SHORTEN_TOO_LONG or
 * ERR_SHORTEN_BAD_EXPIRE; expire_seconds 0 stands for absent and becomes the default */
int shorten_check(size_t data_len, int64_t *expire_seconds);

struct shorten_gen {
    char appid[19];
    char long_data[SHORTEN_MAX_DATA + 1];
    int64_t expire_seconds;
    char key[SHORTEN_KEY_LEN + 1]; /* out */
};
/* writer job (arg: struct shorten_gen, checked) */
int shorten_gen_run(struct store *s, void *arg);

/* the live key of appid: 0 or ERR_SHORTEN_NOT_FOUND */
int shorten_fetch(struct store *rd, const char *appid, const char *key, int64_t now,
                  struct short_key *out);

/* 1 if long2short takes this URL */
int shorturl_valid(const char *url);

struct shorturl_new {
    char appid[19];
    char host[256];
    char long_url[SHORTURL_MAX_LEN + 1];
    char short_url[320]; /* out */
};
/* writer job (arg: struct shorturl_new, url checked) */
int shorturl_run(struct store *s, void *arg);

#endif
