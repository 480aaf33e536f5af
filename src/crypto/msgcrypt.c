/*
 * msgcrypt: see msgcrypt.h.
 */
#include "msgcrypt.h"
#include "crypto.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 32 /* the scheme pads to 32 bytes, not AES's 16 */

int msgcrypt_valid_key(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return n == 43;
}

int msgcrypt_key(const char *encoding_aes_key, unsigned char key[32])
{
    if (!msgcrypt_valid_key(encoding_aes_key))
        return -1;
    unsigned char in[45], out[36];
    memcpy(in, encoding_aes_key, 43);
    in[43] = '=';
    in[44] = 0;
    /* lenient: the last char's two spare bits may be set */
    if (EVP_DecodeBlock(out, in, 44) < 32)
        return -1;
    memcpy(key, out, 32);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void msgcrypt_signature(const char *const *parts, size_t n, char out[41])
{
    const char *sorted[8];
    struct buf b = BUF_INIT;
    if (n > 8)
        n = 8;
    memcpy(sorted, parts, n * sizeof(*parts));
    qsort(sorted, n, sizeof(*sorted), cmp_str);
    for (size_t i = 0; i < n; i++)
        buf_puts(&b, sorted[i]);
    crypto_sha1_hex(b.ptr ? b.ptr : "", b.len, out);
    buf_release(&b);
}

static int aes(int enc, const unsigned char key[32], const unsigned char *in, size_t n,
               unsigned char *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ok = c && EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, key, key, enc) == 1 &&
             EVP_CIPHER_CTX_set_padding(c, 0) == 1;
    int l1 = 0, l2 = 0;
    ok = ok && EVP_CipherUpdate(c, out, &l1, in, (int)n) == 1 &&
         EVP_CipherFinal_ex(c, out + l1, &l2) == 1 && (size_t)(l1 + l2) == n;
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

int msgcrypt_encrypt(const unsigned char key[32], const char *appid, const char *msg, size_t len,
                     const unsigned char *random16, struct buf *out)
{
    size_t alen = strlen(appid);
    size_t plain = 20 + len + alen;
    size_t pad = BLOCK - plain % BLOCK;
    size_t total = plain + pad;
    unsigned char *p = malloc(total), *c = malloc(total);
    if (!p || !c) {
        free(p);
        free(c);
        return -1;
    }
    if (random16)
        memcpy(p, random16, 16);
    else
        crypto_random(p, 16);
    p[16] = (unsigned char)(len >> 24);
    p[17] = (unsigned char)(len >> 16);
    p[18] = (unsigned char)(len >> 8);
    p[19] = (unsigned char)len;
    memcpy(p + 20, msg, len);
    memcpy(p + 20 + len, appid, alen);
    memset(p + plain, (int)pad, pad);
    int rc = aes(1, key, p, total, c);
    if (rc == 0) {
        char *b64 = malloc(4 * ((total + 2) / 3) + 1);
        int n = b64 ? EVP_EncodeBlock((unsigned char *)b64, c, (int)total) : -1;
        if (n >= 0)
            buf_append(out, b64, (size_t)n);
        rc = n >= 0 ? 0 : -1;
        free(b64);
    }
    free(p);
    free(c);
    return rc;
}

/* standard base64 with '=' padding, no whitespace: decoded length, or -1 */
static long b64_decode(const char *in, size_t n, unsigned char *out)
{
    if (n == 0 || n % 4 != 0)
        return -1;
    int d = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
    if (d < 0)
        return -1;
    size_t eq = (in[n - 1] == '=') + (in[n - 2] == '=');
    return d - (long)eq;
}

static int unwrap(const unsigned char *p, size_t n, const char *appid, struct buf *out)
{
    unsigned pad = p[n - 1];
    if (pad < 1 || pad > BLOCK || pad > n)
        return -2;
    n -= pad;
    if (n < 20)
        return -3;
    size_t len = (size_t)p[16] << 24 | (size_t)p[17] << 16 | (size_t)p[18] << 8 | p[19];
    if (len > n - 20)
        return -3;
    size_t rest = n - 20 - len;
    if (rest != strlen(appid) || memcmp(p + 20 + len, appid, rest) != 0)
        return -4;
    buf_append(out, (const char *)p + 20, len);
    return 0;
}

int msgcrypt_decrypt(const unsigned char key[32], const char *b64, size_t len, const char *appid,
                     struct buf *out)
{
    if (len == 0 || len > 16 * 1024 * 1024)
        return -1;
    unsigned char *c = malloc(len), *p = malloc(len);
    int rc = -1;
    long n = c && p ? b64_decode(b64, len, c) : -1;
    if (n > 0 && n % 16 == 0 && aes(0, key, c, (size_t)n, p) == 0)
        rc = unwrap(p, (size_t)n, appid, out);
    free(c);
    free(p);
    return rc;
}
