/*
 * serverconf: see serverconf.h.
 */
#include "serverconf.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../crypto/msgcrypt.h"
#include "../push/reply.h"
#include "../store/store.h"
#include "../util/buf.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int is_alnum(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

const char *serverconf_check(const struct server_conf *c)
{
    if (c->url[0]) {
        if (strncmp(c->url, "http://", 7) != 0 && strncmp(c->url, "https://", 8) != 0)
            return "url must start with http:// or https://";
        for (const char *p = c->url; *p; p++)
            if ((unsigned char)*p <= ' ' || *p == 0x7f)
                return "url must not contain spaces or control characters";
        if (strlen(c->token) < 3 || strlen(c->token) > 32 || !is_alnum(c->token))
            return "token must be 3 to 32 letters or digits";
    }
    if (reply_mode(c->mode) < 0)
        return "mode must be plaintext, compatible or safe";
    if ((c->aes_key[0] || strcmp(c->mode, "plaintext") != 0) && !msgcrypt_valid_key(c->aes_key))
        return "encoding_aes_key must be 43 letters or digits";
    if (c->location_report < 0 || c->location_report > 2)
        return "location_report must be 0, 1 or 2";
    return NULL;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;
    if (b->len + n > 4096)
        return 0;
    buf_append(b, p, n);
    return n;
}

int serverconf_verify(const struct server_conf *c, char *reason, size_t cap)
{
    char ts[24], nonce[16], echostr[24], sig[41];
    uint32_t r1, r2;
    crypto_random_u32(&r1);
    crypto_random_u32(&r2);
    snprintf(ts, sizeof(ts), "%" PRId64, clock_now());
    snprintf(nonce, sizeof(nonce), "%u", r1 % 2000000000u);
    snprintf(echostr, sizeof(echostr), "%u%09u", r2 % 1000000000u + 1000000000u, r1 % 1000000000u);
    const char *parts[] = {c->token, ts, nonce};
    msgcrypt_signature(parts, 3, sig);
    struct buf url = BUF_INIT, body = BUF_INIT;
    buf_printf(&url, "%s%csignature=%s&timestamp=%s&nonce=%s&echostr=%s", c->url,
               strchr(c->url, '?') ? '&' : '?', sig, ts, nonce, echostr);
    CURL *e = curl_easy_init();
    CURLcode cc = CURLE_FAILED_INIT;
    long status = 0;
    if (e) {
        curl_easy_setopt(e, CURLOPT_URL, url.ptr);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
        cc = curl_easy_perform(e);
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(e);
    }
    int rc = -1;
    if (cc == CURLE_OPERATION_TIMEDOUT)
        snprintf(reason, cap, "the URL did not answer within 5 seconds");
    else if (cc != CURLE_OK)
        snprintf(reason, cap, "cannot reach the URL: %s", curl_easy_strerror(cc));
    else if (status != 200)
        snprintf(reason, cap, "the URL answered HTTP %ld", status);
    else if (body.len != strlen(echostr) || memcmp(body.ptr, echostr, body.len) != 0)
        snprintf(reason, cap, "the URL did not answer the echostr (token mismatch?)");
    else
        rc = 0;
    if (rc == 0)
        reason[0] = 0;
    buf_release(&url);
    buf_release(&body);
    return rc;
}

int serverconf_save_run(struct store *s, void *arg)
{
    const struct server_conf *c = arg;
    struct account a;
    int rc = store_account_get(s, c->appid, &a);
    if (rc != 0)
        return rc;
    snprintf(a.server_url, sizeof(a.server_url), "%s", c->url);
    snprintf(a.server_token, sizeof(a.server_token), "%s", c->token);
    snprintf(a.aes_key, sizeof(a.aes_key), "%s", c->aes_key);
    snprintf(a.msg_mode, sizeof(a.msg_mode), "%s", c->mode);
    a.location_report = c->location_report;
    return store_account_update(s, &a);
}
