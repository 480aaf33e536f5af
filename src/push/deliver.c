/*
 * deliver: see deliver.h.
 */
#include "deliver.h"
#include "reply.h"
#include "xml.h"
#include "../crypto/crypto.h"
#include "../crypto/msgcrypt.h"
#include "../store/store.h"
#include "../store/store_component.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void query_to(struct push_request *r, const char *url, const char *token, const char *openid,
                     const char *encrypt)
{
    const char *parts[] = {token, r->timestamp, r->nonce, encrypt};
    char sig[41], msig[41];
    msgcrypt_signature(parts, 3, sig);
    buf_puts(&r->url, url);
    buf_putc(&r->url, strchr(url, '?') ? '&' : '?');
    buf_printf(&r->url, "signature=%s&timestamp=%s&nonce=%s", sig, r->timestamp, r->nonce);
    if (openid && *openid)
        buf_printf(&r->url, "&openid=%s", openid);
    if (encrypt) {
        msgcrypt_signature(parts, 4, msig);
        buf_printf(&r->url, "&encrypt_type=aes&msg_signature=%s", msig);
    }
}

static void query(struct push_request *r, const struct account *a, const char *openid,
                  const char *encrypt)
{
    query_to(r, a->server_url, a->server_token, openid, encrypt);
}

static void stamp(struct push_request *out, int64_t now)
{
    memset(out, 0, sizeof(*out));
    buf_init(&out->url, 0);
    buf_init(&out->body, 0);
    uint32_t n;
    crypto_random_u32(&n);
    snprintf(out->timestamp, sizeof(out->timestamp), "%" PRId64, now);
    snprintf(out->nonce, sizeof(out->nonce), "%u", n % 2000000000u);
}

int deliver_build(const struct account *a, const char *receive_id, const char *openid,
                  const char *xml, int64_t now, struct push_request *out)
{
    stamp(out, now);
    out->mode = reply_mode(a->msg_mode);
    if (out->mode <= MODE_PLAINTEXT) {
        out->mode = MODE_PLAINTEXT;
        query(out, a, openid, NULL);
        buf_puts(&out->body, xml);
        return 0;
    }
    unsigned char key[32];
    struct buf enc = BUF_INIT;
    if (msgcrypt_key(a->aes_key, key) != 0 ||
        msgcrypt_encrypt(key, receive_id, xml, strlen(xml), NULL, &enc) != 0) {
        buf_release(&enc);
        return -1;
    }
    query(out, a, openid, enc.ptr);
    size_t n_xml = strlen(xml);
    if (out->mode == MODE_COMPATIBLE && n_xml >= 6) {
        buf_append(&out->body, xml, n_xml - 6); /* up to "</xml>" */
        xml_cdata(&out->body, "Encrypt", enc.ptr);
        xml_end(&out->body);
    } else {
        xml_begin(&out->body);
        xml_cdata(&out->body, "ToUserName", a->original_id);
        xml_cdata(&out->body, "Encrypt", enc.ptr);
        xml_end(&out->body);
    }
    buf_release(&enc);
    return 0;
}

int deliver_build_component(const struct component *c, const char *xml, int64_t now,
                            struct push_request *out)
{
    stamp(out, now);
    out->mode = MODE_SAFE;
    unsigned char key[32];
    struct buf enc = BUF_INIT;
    if (msgcrypt_key(c->aes_key, key) != 0 ||
        msgcrypt_encrypt(key, c->appid, xml, strlen(xml), NULL, &enc) != 0) {
        buf_release(&enc);
        return -1;
    }
    query_to(out, c->auth_url, c->token, NULL, enc.ptr);
    xml_begin(&out->body);
    xml_cdata(&out->body, "AppId", c->appid);
    xml_cdata(&out->body, "Encrypt", enc.ptr);
    xml_end(&out->body);
    buf_release(&enc);
    return 0;
}

void deliver_release(struct push_request *r)
{
    buf_release(&r->url);
    buf_release(&r->body);
}
