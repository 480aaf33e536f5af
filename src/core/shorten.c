/* shorten: see shorten.h */
#include "shorten.h"
#include "clock.h"
#include "qrcodes.h"
#include "../crypto/crypto.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

#define KEY_TRIES 8

int shorten_check(size_t data_len, int64_t *expire_seconds)
{
    if (data_len == 0)
        return ERR_ARGUMENT_INVALID;
    if (data_len > SHORTEN_MAX_DATA)
        return ERR_SHORTEN_TOO_LONG;
    if (*expire_seconds == 0)
        *expire_seconds = SHORTEN_MAX_TTL;
    if (*expire_seconds < 0 || *expire_seconds > SHORTEN_MAX_TTL)
        return ERR_SHORTEN_BAD_EXPIRE;
    return 0;
}

int shorten_gen_run(struct store *s, void *arg)
{
    struct shorten_gen *g = arg;
    struct short_key k = {.created_at = clock_now()};
    k.expires_at = k.created_at + g->expire_seconds;
    snprintf(k.appid, sizeof(k.appid), "%s", g->appid);
    snprintf(k.long_data, sizeof(k.long_data), "%s", g->long_data);
    for (int i = 0; i < KEY_TRIES; i++) {
        crypto_random_base62(k.key, SHORTEN_KEY_LEN);
        int rc = store_short_key_insert(s, &k);
        if (rc == 0)
            memcpy(g->key, k.key, sizeof(g->key));
        if (rc != ERR_CONFLICT)
            return rc == 0 ? 0 : ERR_SYSTEM;
    }
    return ERR_SYSTEM;
}

int shorten_fetch(struct store *rd, const char *appid, const char *key, int64_t now,
                  struct short_key *out)
{
    if (strlen(key) != SHORTEN_KEY_LEN)
        return ERR_SHORTEN_NOT_FOUND;
    int rc = store_short_key_get(rd, appid, key, out);
    if (rc == 0 && out->expires_at <= now)
        return ERR_SHORTEN_NOT_FOUND;
    return rc == ERR_NOT_FOUND ? ERR_SHORTEN_NOT_FOUND : rc;
}

int shorturl_valid(const char *url)
{
    size_t n = strlen(url), skip;
    if (strncmp(url, "http://", 7) == 0)
        skip = 7;
    else if (strncmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncmp(url, "weixin://wxpay/", 15) == 0)
        skip = 15;
    else
        return 0;
    if (n <= skip || n > SHORTURL_MAX_LEN)
        return 0;
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

int shorturl_run(struct store *s, void *arg)
{
    struct shorturl_new *u = arg;
    char key[SHORTURL_KEY_LEN + 1];
    int rc = store_short_url_find(s, u->appid, u->long_url, key, sizeof(key));
    for (int i = 0; rc == ERR_NOT_FOUND && i < KEY_TRIES; i++) {
        crypto_random_base62(key, SHORTURL_KEY_LEN);
        rc = store_short_url_insert(s, key, u->appid, u->long_url, clock_now());
        if (rc == ERR_CONFLICT)
            rc = ERR_NOT_FOUND;
    }
    if (rc != 0)
        return ERR_SYSTEM;
    char host[256];
    qrcodes_safe_host(u->host, host, sizeof(host));
    snprintf(u->short_url, sizeof(u->short_url), "http://%s/s/%s", host, key);
    return 0;
}
