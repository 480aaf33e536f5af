/*
 * crypto: random bytes, identifiers, hashes and constant-time comparison over OpenSSL libcrypto.
 * Every secret (token, code, session) comes from crypto_token(): >= 128 bits from the OS.
 */
#ifndef LJ_CRYPTO_H
#define LJ_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* fills p with n random bytes from the OS CSPRNG; aborts if it cannot */
void crypto_random(void *p, size_t n);
/* lowercase hex of n random bytes into out (2n+1 bytes) */
void crypto_random_hex(char *out, size_t nbytes);
void crypto_random_u32(uint32_t *out);
/* URL-safe token: prefix + base64url of nbytes random bytes; out needs strlen(prefix)+nbytes*4/3+4
 */
void crypto_token(char *out, size_t cap, const char *prefix, size_t nbytes);
void crypto_hex(const unsigned char *in, size_t n, char *out);
void crypto_sha1_hex(const void *p, size_t n, char out[41]);
/* lowercase hex MD5 (checksums only, never for secrets) */
void crypto_md5_hex(const void *p, size_t n, char out[33]);
void crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                        unsigned char out[32]);
/* zeroes n bytes of p in a way the compiler keeps (a secret no longer needed) */
void crypto_wipe(void *p, size_t n);
/* 1 if equal; time depends only on the lengths */
int crypto_eq(const char *a, size_t alen, const char *b, size_t blen);
void crypto_base64url(const unsigned char *in, size_t n, char *out);
/* standard base64 with '+', '/' and '=' padding; out needs 4 * ((n + 2) / 3) + 1 bytes */
void crypto_base64(const unsigned char *in, size_t n, char *out);
/* decodes standard base64 (padding optional, no whitespace) into out (needs n * 3 / 4 + 3
 * bytes): the decoded length, or -1 */
long crypto_base64_decode(const char *in, size_t n, unsigned char *out);
/* n random characters of [0-9a-zA-Z], uniformly; out needs n + 1 bytes */
void crypto_random_base62(char *out, size_t n);

/* password storage: "pbkdf2-sha256$iter$salthex$hashhex"; out needs 128 bytes */
void crypto_password_hash(const char *password, char *out, size_t cap);
int crypto_password_check(const char *password, const char *stored);

/* WeChat-shaped identifiers (spec/README.md §6) */
void crypto_new_appid(char out[19]);       /* wx + 16 hex */
void crypto_new_original_id(char out[16]); /* gh_ + 12 hex */
void crypto_new_secret(char out[33]);      /* 32 hex */
/* 'o' + 27 base64url chars, stable for (salt, ns, a, b): openid and unionid */
void crypto_derive_id(const char *salt, const char *ns, const char *a, int64_t b, char out[29]);

#endif
