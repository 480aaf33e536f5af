/*
 * reply: see reply.h.
 */
#include "reply.h"
#include "xml.h"
#include "../crypto/crypto.h"
#include "../crypto/msgcrypt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_ARTICLES 8

int reply_mode(const char *name)
{
    if (strcmp(name, "plaintext") == 0)
        return MODE_PLAINTEXT;
    if (strcmp(name, "compatible") == 0)
        return MODE_COMPATIBLE;
    if (strcmp(name, "safe") == 0)
        return MODE_SAFE;
    return -1;
}

static void refuse(struct reply *r, const char *why)
{
    r->kind = REPLY_BAD;
    snprintf(r->detail, sizeof(r->detail), "%s", why);
}

static int blank_or_success(const char *p, size_t n)
{
    while (n > 0 && isspace((unsigned char)*p))
        p++, n--;
    while (n > 0 && isspace((unsigned char)p[n - 1]))
        n--;
    return n == 0 || (n == 7 && memcmp(p, "success", 7) == 0);
}

static void json_field(struct buf *b, const char *key, const char *v, int *first)
{
    if (!v)
        return;
    buf_printf(b, "%s\"%s\":", *first ? "" : ",", key);
    buf_json_cstr(b, v);
    *first = 0;
}

/* copies the named children of n into a JSON object under the given keys */
static int media_body(struct reply *r, const struct xnode *n, const char *const *names,
                      const char *const *keys, size_t count, int need_first)
{
    if (!n)
        return -1;
    if (need_first && !(xml_text(n, names[0]) && *xml_text(n, names[0])))
        return -1;
    int first = 1;
    buf_putc(&r->body, '{');
    for (size_t i = 0; i < count; i++)
        json_field(&r->body, keys[i], xml_text(n, names[i]), &first);
    buf_putc(&r->body, '}');
    return 0;
}

static int news_body(struct reply *r, const struct xnode *x, int max)
{
    const struct xnode *arts = xml_child(x, "Articles");
    int count = 0;
    buf_puts(&r->body, "{\"articles\":[");
    for (const struct xnode *it = arts ? arts->child : NULL; it; it = it->next) {
        if (strcmp(it->name, "item") != 0)
            continue;
        if (++count > max)
            return -3;
        static const char *const n[] = {"Title", "Description", "PicUrl", "Url"};
        static const char *const k[] = {"title", "description", "picurl", "url"};
        if (count > 1)
            buf_putc(&r->body, ',');
        media_body(r, it, n, k, 4, 0);
    }
    buf_puts(&r->body, "]}");
    return count > 0 ? 0 : -1;
}

static int message_body(struct reply *r, const struct xnode *x, const char *type, int max)
{
    static const char *const media[] = {"MediaId"};
    static const char *const media_k[] = {"media_id"};
    static const char *const video[] = {"MediaId", "Title", "Description"};
    static const char *const video_k[] = {"media_id", "title", "description"};
    static const char *const music[] = {"ThumbMediaId", "Title", "Description", "MusicUrl",
                                        "HQMusicUrl"};
    static const char *const music_k[] = {"thumb_media_id", "title", "description", "musicurl",
                                          "hqmusicurl"};
    if (strcmp(type, "text") == 0) {
        static const char *const t[] = {"Content"}, *const tk[] = {"content"};
        return media_body(r, x, t, tk, 1, 1);
    }
    if (strcmp(type, "image") == 0)
        return media_body(r, xml_child(x, "Image"), media, media_k, 1, 1);
    if (strcmp(type, "voice") == 0)
        return media_body(r, xml_child(x, "Voice"), media, media_k, 1, 1);
    if (strcmp(type, "video") == 0)
        return media_body(r, xml_child(x, "Video"), video, video_k, 3, 1);
    if (strcmp(type, "music") == 0)
        return media_body(r, xml_child(x, "Music"), music, music_k, 5, 0);
    if (strcmp(type, "news") == 0)
        return news_body(r, x, max);
    return -2;
}

static void interpret(const struct reply_ctx *c, const struct xnode *x, struct reply *r)
{
    const char *to = xml_text(x, "ToUserName");
    const char *type = xml_text(x, "MsgType");
    if (!type || !*type) {
        refuse(r, "reply has no MsgType");
        return;
    }
    if (!to || strcmp(to, c->openid) != 0) {
        refuse(r, "reply ToUserName is not the user's openid");
        return;
    }
    if (strcmp(type, "transfer_customer_service") == 0) {
        r->kind = REPLY_TRANSFER;
        snprintf(r->msgtype, sizeof(r->msgtype), "%s", type);
        return;
    }
    int rc = message_body(r, x, type, c->max_articles > 0 ? c->max_articles : MAX_ARTICLES);
    if (rc == -2) {
        refuse(r, "reply MsgType is not one of text, image, voice, video, music, news");
        return;
    }
    if (rc == -3) {
        snprintf(r->detail, sizeof(r->detail),
                 "news reply has more articles than allowed here (%d)", c->max_articles);
        r->kind = REPLY_BAD;
        return;
    }
    if (rc != 0) {
        snprintf(r->detail, sizeof(r->detail), "reply of type %s lacks required elements", type);
        r->kind = REPLY_BAD;
        return;
    }
    r->kind = REPLY_MESSAGE;
    snprintf(r->msgtype, sizeof(r->msgtype), "%s", type);
}

/* opens the encrypted envelope of x into a parsed inner document; NULL with r refused */
static struct xnode *open_envelope(const struct reply_ctx *c, const struct xnode *x,
                                   struct reply *r)
{
    const char *enc = xml_text(x, "Encrypt");
    const char *sig = xml_text(x, "MsgSignature");
    const char *ts = xml_text(x, "TimeStamp");
    const char *nonce = xml_text(x, "Nonce");
    if (!enc || !sig || !ts || !nonce) {
        refuse(r, "encrypted reply lacks Encrypt, MsgSignature, TimeStamp or Nonce");
        return NULL;
    }
    const char *parts[] = {c->token, ts, nonce, enc};
    char want[41];
    msgcrypt_signature(parts, 4, want);
    if (!crypto_eq(want, 40, sig, strlen(sig))) {
        refuse(r, "encrypted reply has a wrong MsgSignature");
        return NULL;
    }
    struct buf plain = BUF_INIT;
    int rc = msgcrypt_decrypt(c->key, enc, strlen(enc), c->receive_id, &plain);
    struct xnode *inner = rc == 0 ? xml_parse(plain.ptr, plain.len) : NULL;
    buf_release(&plain);
    if (rc == -4)
        refuse(r, "encrypted reply names another appid");
    else if (rc != 0)
        refuse(r, "encrypted reply does not decrypt with the account's EncodingAESKey");
    else if (!inner)
        refuse(r, "decrypted reply is not well-formed XML");
    return inner;
}

void reply_parse(const struct reply_ctx *c, const char *body, size_t len, struct reply *out)
{
    memset(out, 0, sizeof(*out));
    buf_init(&out->body, 0);
    if (blank_or_success(body, len)) {
        out->kind = REPLY_NONE;
        return;
    }
    struct xnode *x = xml_parse(body, len);
    if (!x || strcmp(x->name, "xml") != 0) {
        xml_free(x);
        refuse(out, "reply is neither \"success\", empty, nor reply XML");
        return;
    }
    if (c->mode != MODE_PLAINTEXT && xml_child(x, "Encrypt")) {
        struct xnode *inner = open_envelope(c, x, out);
        if (inner)
            interpret(c, inner, out);
        xml_free(inner);
    } else if (c->mode == MODE_SAFE) {
        refuse(out, "safe mode: the reply must be encrypted");
    } else {
        interpret(c, x, out);
    }
    xml_free(x);
}

void reply_release(struct reply *r)
{
    buf_release(&r->body);
}
