/* test_msgcrypt: src/crypto/msgcrypt.c against the vectors of spec/messaging.md §1 and §3.6 */
#include "helpers.h"
#include "crypto/msgcrypt.h"

#include <string.h>

#define KEY43 "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
#define APPID "wxb11529c136998cb6"
#define MSG                                                                             \
    "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA["  \
    "oAbCdEfGhIjKlMnOpQrStUvWxYz0]]></FromUserName><CreateTime>1409304348</CreateTime>" \
    "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>"    \
    "1234567890123456</MsgId></xml>"
#define ENCRYPT                                                                                \
    "Q3stYC6hdFzMh9T8HCvyDAXcxAOUFrs+mllGSI76/U9fGOqPT6quOspX7j90vXgeEWL7sxFsQxgZ9gCa6lz/QGwd" \
    "sVD8qPLglfJE+cfZ5rhIEwfPpakJQ1EkEt42FagShgyWjHUyf2uyJak+UAu1a/G+FDf0/fFBDXzQayfzVsXIIjih" \
    "KguBxBkjUNSB5vsct8r1GGuVEp+BDiR/ppwULssWBgTTWMI4crA/U4oLupIEYgz156lLMKi/pKgfZJ+TNF4f3EPQ" \
    "VxUeRkVdmovQpzMWqKXLror7wlFM+RovXyqD9YaSnDQZzssR90ufosJpSSC0kCBTw/3MB40S/Y3oSfDl4JmLX0lZ" \
    "3EknEKwRZjPQe+2aHV48XaPE7oM81L4ttKASuvne8MvnvQNlS7PdodEhwSkjJo8Zcl2vhbAVazI="

Test(msgcrypt, url_signature_vector)
{
    const char *parts[] = {"AAAAA", "1714036504", "1514711492"};
    char sig[41];
    msgcrypt_signature(parts, 3, sig);
    cr_assert_str_eq(sig, "f464b24fc39322e44b38aa78f5edd27bd1441696");
    ASSERT_NO_LEAKS();
}

Test(msgcrypt, key_from_encoding_aes_key)
{
    unsigned char key[32];
    cr_assert_eq(msgcrypt_key(KEY43, key), 0);
    static const unsigned char want[32] = {0x69, 0xb7, 0x1d, 0x79, 0xf8, 0x21, 0x8a, 0x39,
                                           0x25, 0x9a, 0x7a, 0x29, 0xaa, 0xbb, 0x2d, 0xba,
                                           0xfc, 0x31, 0xcb, 0x3d, 0x35, 0xdb, 0x7e, 0x39,
                                           0xeb, 0xbf, 0x3d, 0x00, 0x10, 0x83, 0x10, 0x51};
    cr_assert_eq(memcmp(key, want, 32), 0);
    cr_assert_eq(msgcrypt_key("short", key), -1);
    cr_assert_eq(msgcrypt_key(KEY43 "x", key), -1);
    cr_assert_eq(msgcrypt_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+", key), -1);
    ASSERT_NO_LEAKS();
}

Test(msgcrypt, encrypt_vector_and_signatures)
{
    unsigned char key[32];
    msgcrypt_key(KEY43, key);
    struct buf b = BUF_INIT;
    cr_assert_eq(msgcrypt_encrypt(key, APPID, MSG, strlen(MSG),
                                  (const unsigned char *)"0123456789abcdef", &b),
                 0);
    cr_assert_str_eq(b.ptr, ENCRYPT);
    const char *parts[] = {"pamtest", "1409304348", "xxxxxx", b.ptr};
    char sig[41];
    msgcrypt_signature(parts, 4, sig);
    cr_assert_str_eq(sig, "60d8201bc76607a1a45c15dbe7b20262add81713");
    msgcrypt_signature(parts, 3, sig);
    cr_assert_str_eq(sig, "76480565cbe296026c53aaacd1ad523a1ddba24f");
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(msgcrypt, decrypt_round_trip_and_rejections)
{
    unsigned char key[32];
    msgcrypt_key(KEY43, key);
    struct buf b = BUF_INIT;
    cr_assert_eq(msgcrypt_decrypt(key, ENCRYPT, strlen(ENCRYPT), APPID, &b), 0);
    cr_assert_str_eq(b.ptr, MSG);
    buf_reset(&b);
    cr_assert_eq(msgcrypt_decrypt(key, ENCRYPT, strlen(ENCRYPT), "wx0000000000000000", &b), -4);
    cr_assert_eq(msgcrypt_decrypt(key, "not base64!", 11, APPID, &b), -1);
    cr_assert_eq(msgcrypt_decrypt(key, "", 0, APPID, &b), -1);
    cr_assert_eq(msgcrypt_decrypt(key, "QUJD", 4, APPID, &b), -1); /* 3 bytes: not a block */
    unsigned char other[32];
    msgcrypt_key("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq", other);
    int rc = msgcrypt_decrypt(other, ENCRYPT, strlen(ENCRYPT), APPID, &b);
    cr_assert(rc < 0, "a wrong key must not decrypt (rc %d)", rc);
    /* fresh random prefix: two encryptions differ, both decrypt */
    struct buf e1 = BUF_INIT, e2 = BUF_INIT;
    msgcrypt_encrypt(key, APPID, "hi", 2, NULL, &e1);
    msgcrypt_encrypt(key, APPID, "hi", 2, NULL, &e2);
    cr_assert_str_neq(e1.ptr, e2.ptr);
    buf_reset(&b);
    cr_assert_eq(msgcrypt_decrypt(key, e2.ptr, e2.len, APPID, &b), 0);
    cr_assert_str_eq(b.ptr, "hi");
    buf_release(&e1);
    buf_release(&e2);
    buf_release(&b);
    ASSERT_NO_LEAKS();
}
