/*
 * msgcrypt: the message crypto of pushes and replies (spec/messaging.md §1, §3): the URL and
 * message signatures (sha1 over the lexicographically sorted parts) and AES-256-CBC with the
 * key from an EncodingAESKey, PKCS#7 padding to 32 bytes, random(16) || len || msg || appid.
 */
#ifndef LJ_MSGCRYPT_H
#define LJ_MSGCRYPT_H

#include <stddef.h>

#include "../util/buf.h"

/* 1 if s is a well-formed EncodingAESKey (43 chars of [A-Za-z0-9]) */
int msgcrypt_valid_key(const char *s);
/* the 32-byte AES key of a valid EncodingAESKey; -1 if malformed */
int msgcrypt_key(const char *encoding_aes_key, unsigned char key[32]);
/* hex sha1 of the n parts sorted lexicographically and concatenated */
void msgcrypt_signature(const char *const *parts, size_t n, char out[41]);
/* appends base64(AES(random16 || len || msg || appid)); random16 NULL = fresh random bytes */
int msgcrypt_encrypt(const unsigned char key[32], const char *appid, const char *msg, size_t len,
                     const unsigned char *random16, struct buf *out);
/*
 * decrypts base64 text into the message it carries (appended to out) and checks the trailing
 * appid; -1 bad base64/length, -2 bad padding, -3 bad length field, -4 appid mismatch
 */
int msgcrypt_decrypt(const unsigned char key[32], const char *b64, size_t len, const char *appid,
                     struct buf *out);

#endif
