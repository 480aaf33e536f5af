/*
 * fuzz_msgcrypt: the encrypted message envelope (spec/messaging.md §3) with one fixed
 * EncodingAESKey and appid. Three ways in, for every input:
 *  - the input as the base64 Encrypt text: msgcrypt_decrypt answers one of its codes;
 *  - the same text in a signed envelope, read as a developer's reply in safe mode
 *    (reply_parse: signature, decryption, the inner document);
 *  - the input as a message (its first 16 bytes the random prefix): msgcrypt_encrypt, then
 *    msgcrypt_decrypt gives it back, another appid is refused, and, sealed in an envelope,
 *    a reply reads exactly as the same document sent in plain text.
 */
#include "fuzz.h"

#include "crypto/msgcrypt.h"
#include "push/reply.h"
#include "push/xml.h"

FUZZ_QUIET_LOGS()

#define KEY43 "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
#define APPID "wxb11529c136998cb6"
#define TOKEN "pamtest"

static unsigned char key[32];

static const struct reply_ctx *ctx(int mode)
{
    static struct reply_ctx c;
    c = (struct reply_ctx){.receive_id = APPID,
                           .token = TOKEN,
                           .key = key,
                           .mode = mode,
                           .openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz0",
                           .original_id = "gh_0123456789ab",
                           .max_articles = 8};
    return &c;
}

/* <xml> with Encrypt enc and the MsgSignature that goes with it </xml> */
static void envelope(struct buf *b, const char *enc)
{
    const char *ts = "1409304348", *nonce = "xxxxxx";
    const char *parts[] = {TOKEN, ts, nonce, enc};
    char sig[41];
    msgcrypt_signature(parts, 4, sig);
    xml_begin(b);
    xml_cdata(b, "ToUserName", "gh_0123456789ab");
    xml_cdata(b, "Encrypt", enc);
    xml_cdata(b, "MsgSignature", sig);
    xml_cdata(b, "TimeStamp", ts);
    xml_cdata(b, "Nonce", nonce);
    xml_end(b);
}

static void check_kind(const struct reply *r)
{
    FUZZ_CHECK(r->kind == REPLY_NONE || r->kind == REPLY_MESSAGE || r->kind == REPLY_TRANSFER ||
               r->kind == REPLY_BAD);
    FUZZ_CHECK(memchr(r->detail, 0, sizeof(r->detail)) != NULL);
}

static void as_ciphertext(const char *b64, size_t n)
{
    struct buf out = BUF_INIT;
    int rc = msgcrypt_decrypt(key, b64, n, APPID, &out);
    FUZZ_CHECK(rc >= -4 && rc <= 0);
    FUZZ_CHECK(rc == 0 || out.len == 0);
    if (rc == 0)
        FUZZ_CHECK(out.len + 20 + strlen(APPID) <= n * 3 / 4);
    buf_release(&out);

    /* as the Encrypt of a signed reply (text that cannot sit in XML just fails to parse) */
    if (memchr(b64, 0, n) || memchr(b64, '\r', n))
        return;
    char *enc = fuzz_cstr(b64, n);
    struct buf env = BUF_INIT;
    envelope(&env, enc);
    struct reply r;
    reply_parse(ctx(MODE_SAFE), env.ptr, env.len, &r);
    check_kind(&r);
    FUZZ_CHECK(r.kind != REPLY_NONE);
    reply_release(&r);
    buf_release(&env);
    free(enc);
}

static void as_message(const uint8_t *data, size_t size)
{
    unsigned char random16[16] = {0};
    size_t skip = size < 16 ? size : 16;
    memcpy(random16, data, skip);
    const char *msg = (const char *)data + skip;
    size_t len = size - skip;

    struct buf enc = BUF_INIT, plain = BUF_INIT, other = BUF_INIT;
    FUZZ_CHECK(msgcrypt_encrypt(key, APPID, msg, len, random16, &enc) == 0);
    FUZZ_CHECK(enc.len % 4 == 0 && strlen(enc.ptr) == enc.len);
    FUZZ_CHECK(msgcrypt_decrypt(key, enc.ptr, enc.len, APPID, &plain) == 0);
    FUZZ_CHECK(plain.len == len && (len == 0 || memcmp(plain.ptr, msg, len) == 0));
    FUZZ_CHECK(msgcrypt_decrypt(key, enc.ptr, enc.len, "wx0000000000000000", &other) == -4);
    FUZZ_CHECK(other.len == 0);

    /* sealed, a reply reads as the same document in plain text (when that is reply XML) */
    struct xnode *x = xml_parse(msg, len);
    if (x && strcmp(x->name, "xml") == 0) {
        struct buf env = BUF_INIT;
        envelope(&env, enc.ptr);
        struct reply sealed, open;
        reply_parse(ctx(MODE_SAFE), env.ptr, env.len, &sealed);
        reply_parse(ctx(MODE_PLAINTEXT), msg, len, &open);
        check_kind(&sealed);
        if (sealed.kind != open.kind || strcmp(sealed.detail, open.detail) != 0)
            fprintf(stderr, "sealed: %d %s\nplain: %d %s\n", sealed.kind, sealed.detail, open.kind,
                    open.detail);
        FUZZ_CHECK(sealed.kind == open.kind && strcmp(sealed.detail, open.detail) == 0);
        FUZZ_CHECK(strcmp(sealed.msgtype, open.msgtype) == 0);
        FUZZ_CHECK(sealed.body.len == open.body.len &&
                   memcmp(sealed.body.ptr, open.body.ptr, open.body.len) == 0);
        reply_release(&sealed);
        reply_release(&open);
        buf_release(&env);
    }
    xml_free(x);
    buf_release(&other);
    buf_release(&plain);
    buf_release(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        FUZZ_CHECK(msgcrypt_key(KEY43, key) == 0);
        ready = 1;
    }
    char *b64 = fuzz_dup(data, size);
    as_ciphertext(b64, size);
    free(b64);
    as_message(data, size);
    return 0;
}
