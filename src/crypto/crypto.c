/* crypto: see crypto.h. OpenSSL libcrypto only; no hand-rolled primitives. */
#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void crypto_random(void *p, size_t n)
{
    if (RAND_bytes(p, (int)n) != 1) {
        fprintf(stderr, "{\"level\":\"fatal\",\"msg\":\"no randomness from the OS\"}\n");
        abort();
    }
}

void crypto_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = 0;
}

void crypto_random_hex(char *out, size_t nbytes)
{
    unsigned char b[64];
    if (nbytes > sizeof(b))
        nbytes = sizeof(b);
    crypto_random(b, nbytes);
    crypto_hex(b, nbytes, out);
}

void crypto_base64url(const unsigned char *in, size_t n, char *out)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = al[v >> 18 & 63];
        out[o++] = al[v >> 12 & 63];
        out[o++] = al[v >> 6 & 63];
        out[o++] = al[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = al[v >> 18 & 63];
        out[o++] = al[v >> 12 & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = al[v >> 18 & 63];
        out[o++] = al[v >> 12 & 63];
        out[o++] = al[v >> 6 & 63];
    }
    out[o] = 0;
}

void crypto_base64(const unsigned char *in, size_t n, char *out)
{
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

void crypto_random_base62(char *out, size_t n)
{
    static const char al[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    unsigned char b[64];
    size_t o = 0;
    while (o < n) {
        crypto_random(b, sizeof(b));
        for (size_t i = 0; i < sizeof(b) && o < n; i++)
            if (b[i] < 248) /* 248 = 4 * 62: no bias */
                out[o++] = al[b[i] % 62];
    }
    out[n] = 0;
}

void crypto_token(char *out, size_t cap, const char *prefix, size_t nbytes)
{
    unsigned char b[96];
    char enc[130];
    if (nbytes > sizeof(b))
        nbytes = sizeof(b);
    crypto_random(b, nbytes);
    crypto_base64url(b, nbytes, enc);
    snprintf(out, cap, "%s%s", prefix, enc);
}

void crypto_sha1_hex(const void *p, size_t n, char out[41])
{
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1(p, n, md);
    crypto_hex(md, sizeof(md), out);
}

void crypto_md5_hex(const void *p, size_t n, char out[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(p, n, md, &len, EVP_md5(), NULL);
    crypto_hex(md, len, out);
}

void crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                        unsigned char out[32])
{
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &len);
}

int crypto_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return 0;
    return CRYPTO_memcmp(a, b, alen) == 0;
}

#define PBKDF2_ITER 10000

static void pbkdf2(const char *pw, const unsigned char *salt, size_t slen, int iter,
                   unsigned char out[32])
{
    PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, (int)slen, iter, EVP_sha256(), 32, out);
}

void crypto_wipe(void *p, size_t n)
{
    OPENSSL_cleanse(p, n);
}

void crypto_password_hash(const char *password, char *out, size_t cap)
{
    unsigned char salt[16], dk[32];
    char salthex[33], dkhex[65];
    crypto_random(salt, sizeof(salt));
    pbkdf2(password, salt, sizeof(salt), PBKDF2_ITER, dk);
    crypto_hex(salt, sizeof(salt), salthex);
    crypto_hex(dk, sizeof(dk), dkhex);
    snprintf(out, cap, "pbkdf2-sha256$%d$%s$%s", PBKDF2_ITER, salthex, dkhex);
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned int v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

int crypto_password_check(const char *password, const char *stored)
{
    int iter = 0;
    char salthex[33], dkhex[65];
    if (!stored ||
        sscanf(stored, "pbkdf2-sha256$%d$%32[0-9a-f]$%64[0-9a-f]", &iter, salthex, dkhex) != 3 ||
        iter < 1 || iter > 1000000 || strlen(salthex) != 32 || strlen(dkhex) != 64)
        return 0;
    unsigned char salt[16], dk[32];
    char got[65];
    if (unhex(salthex, salt, sizeof(salt)) != 0)
        return 0;
    pbkdf2(password, salt, sizeof(salt), iter, dk);
    crypto_hex(dk, sizeof(dk), got);
    return crypto_eq(got, 64, dkhex, 64);
}

void crypto_new_appid(char out[19])
{
    out[0] = 'w';
    out[1] = 'x';
    crypto_random_hex(out + 2, 8);
}

void crypto_new_original_id(char out[16])
{
    memcpy(out, "gh_", 3);
    crypto_random_hex(out + 3, 6);
}

void crypto_new_secret(char out[33])
{
    crypto_random_hex(out, 16);
}

void crypto_derive_id(const char *salt, const char *ns, const char *a, int64_t b, char out[29])
{
    char num[24];
    int nn = snprintf(num, sizeof(num), "|%lld", (long long)b);
    size_t nl = strlen(ns), al = strlen(a);
    char *msg = malloc(nl + 1 + al + (size_t)nn + 1);
    if (!msg)
        abort();
    memcpy(msg, ns, nl);
    msg[nl] = '|';
    memcpy(msg + nl + 1, a, al);
    memcpy(msg + nl + 1 + al, num, (size_t)nn + 1);
    unsigned char mac[32];
    char enc[48];
    crypto_hmac_sha256(salt, strlen(salt), msg, nl + 1 + al + (size_t)nn, mac);
    free(msg);
    crypto_base64url(mac, 21, enc); /* 21 bytes -> 28 chars */
    out[0] = 'o';
    memcpy(out + 1, enc, 27);
    out[28] = 0;
}

void crypto_random_u32(uint32_t *out)
{
    crypto_random(out, sizeof(*out));
}

long crypto_base64_decode(const char *in, size_t n, unsigned char *out)
{
    char tail[4];
    size_t full = n / 4 * 4, rest = n - full;
    if (rest == 1 || n == 0)
        return -1;
    long len = 0;
    if (full > 0) {
        int d = EVP_DecodeBlock(out, (const unsigned char *)in, (int)full);
        if (d < 0)
            return -1;
        len = d - (in[full - 1] == '=') - (in[full - 2] == '=');
        if (len < d && rest)
            return -1; /* padding in the middle */
    }
    if (rest) {
        memcpy(tail, in + full, rest);
        memset(tail + rest, '=', 4 - rest);
        unsigned char three[3];
        if (EVP_DecodeBlock(three, (const unsigned char *)tail, 4) < 0)
            return -1;
        memcpy(out + len, three, rest - 1);
        len += (long)rest - 1;
    }
    return len;
}
