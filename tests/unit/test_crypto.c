/* test_crypto: src/crypto/crypto.c: hashes, identifiers, tokens, passwords, comparison */
#include "helpers.h"
#include "crypto/crypto.h"
#include "core/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int all_in(const char *s, const char *set)
{
    return strspn(s, set) == strlen(s);
}

#define HEX_LOWER "0123456789abcdef"
#define B64URL    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

Test(crypto, sha1_abc)
{
    char out[41];
    crypto_sha1_hex("abc", 3, out);
    cr_assert_str_eq(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
    crypto_sha1_hex("", 0, out);
    cr_assert_str_eq(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    ASSERT_NO_LEAKS();
}

Test(crypto, md5_rfc1321)
{
    char out[33];
    crypto_md5_hex("abc", 3, out);
    cr_assert_str_eq(out, "900150983cd24fb0d6963f7d28e17f72");
    crypto_md5_hex("", 0, out);
    cr_assert_str_eq(out, "d41d8cd98f00b204e9800998ecf8427e");
    ASSERT_NO_LEAKS();
}

Test(crypto, sha1_wechat_jssdk_signature)
{
    const char *s = "jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-"
                    "HhTdfl2fzFy1AOcHKP7qg&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http:"
                    "//mp.weixin.qq.com?params=value";
    char out[41];
    crypto_sha1_hex(s, strlen(s), out);
    cr_assert_str_eq(out, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    ASSERT_NO_LEAKS();
}

Test(crypto, hmac_sha256_rfc4231_case2)
{
    unsigned char mac[32];
    char hex[65];
    const char *msg = "what do ya want for nothing?";
    crypto_hmac_sha256("Jefe", 4, msg, strlen(msg), mac);
    crypto_hex(mac, sizeof(mac), hex);
    cr_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    ASSERT_NO_LEAKS();
}

Test(crypto, hex_and_base64url)
{
    char out[16];
    const unsigned char in[] = {0x00, 0x0f, 0xab, 0xff};
    crypto_hex(in, 4, out);
    cr_assert_str_eq(out, "000fabff");
    crypto_hex(in, 0, out);
    cr_assert_str_eq(out, "");

    crypto_base64url((const unsigned char *)"", 0, out);
    cr_assert_str_eq(out, "");
    crypto_base64url((const unsigned char *)"f", 1, out);
    cr_assert_str_eq(out, "Zg");
    crypto_base64url((const unsigned char *)"fo", 2, out);
    cr_assert_str_eq(out, "Zm8");
    crypto_base64url((const unsigned char *)"foo", 3, out);
    cr_assert_str_eq(out, "Zm9v");
    crypto_base64url((const unsigned char *)"foob", 4, out);
    cr_assert_str_eq(out, "Zm9vYg");
    const unsigned char url[] = {0xfb, 0xff, 0xbf};
    crypto_base64url(url, 3, out);
    cr_assert_str_eq(out, "-_-_", "URL-safe alphabet, no padding");
    ASSERT_NO_LEAKS();
}

Test(crypto, random_hex_shape_and_variety)
{
    char a[33], b[33];
    crypto_random_hex(a, 16);
    crypto_random_hex(b, 16);
    cr_assert_eq(strlen(a), 32);
    cr_assert(all_in(a, HEX_LOWER));
    cr_assert_str_neq(a, b);
    ASSERT_NO_LEAKS();
}

Test(crypto, appid_is_wx_and_16_hex)
{
    char id[19], id2[19];
    crypto_new_appid(id);
    crypto_new_appid(id2);
    cr_assert_eq(strlen(id), 18);
    cr_assert_eq(strncmp(id, "wx", 2), 0);
    cr_assert(all_in(id + 2, HEX_LOWER), "%s", id);
    cr_assert(accounts_valid_appid(id));
    cr_assert_str_neq(id, id2);
    ASSERT_NO_LEAKS();
}

Test(crypto, valid_appid_rejects_near_misses)
{
    cr_assert_not(accounts_valid_appid(""));
    cr_assert_not(accounts_valid_appid("wx0123456789abcde"));   /* 15 hex */
    cr_assert_not(accounts_valid_appid("wx0123456789abcdef0")); /* 17 hex */
    cr_assert_not(accounts_valid_appid("wx0123456789ABCDEF"));  /* upper case */
    cr_assert_not(accounts_valid_appid("wy0123456789abcdef"));
    cr_assert_not(accounts_valid_appid("wx0123456789abcdeg"));
    cr_assert(accounts_valid_appid("wx0123456789abcdef"));
    ASSERT_NO_LEAKS();
}

Test(crypto, original_id_is_gh_and_12_hex)
{
    char id[16];
    crypto_new_original_id(id);
    cr_assert_eq(strlen(id), 15);
    cr_assert_eq(strncmp(id, "gh_", 3), 0);
    cr_assert(all_in(id + 3, HEX_LOWER), "%s", id);
    ASSERT_NO_LEAKS();
}

Test(crypto, secret_is_32_hex)
{
    char s[33];
    crypto_new_secret(s);
    cr_assert_eq(strlen(s), 32);
    cr_assert(all_in(s, HEX_LOWER));
    ASSERT_NO_LEAKS();
}

Test(crypto, derive_id_is_stable_and_shaped)
{
    char a[29], b[29];
    crypto_derive_id("salt", "openid", "wx0123456789abcdef", 42, a);
    crypto_derive_id("salt", "openid", "wx0123456789abcdef", 42, b);
    cr_assert_str_eq(a, b);
    cr_assert_eq(strlen(a), 28);
    cr_assert_eq(a[0], 'o');
    cr_assert(all_in(a, B64URL), "%s", a);
    ASSERT_NO_LEAKS();
}

Test(crypto, derive_id_depends_on_every_input)
{
    char base[29], x[29];
    crypto_derive_id("salt", "openid", "wx0123456789abcdef", 42, base);
    crypto_derive_id("salt2", "openid", "wx0123456789abcdef", 42, x);
    cr_assert_str_neq(base, x, "salt");
    crypto_derive_id("salt", "unionid", "wx0123456789abcdef", 42, x);
    cr_assert_str_neq(base, x, "namespace");
    crypto_derive_id("salt", "openid", "wx0123456789abcdee", 42, x);
    cr_assert_str_neq(base, x, "appid");
    crypto_derive_id("salt", "openid", "wx0123456789abcdef", 43, x);
    cr_assert_str_neq(base, x, "user id");
    crypto_derive_id("salt", "openid", "wx0123456789abcdef", -42, x);
    cr_assert_str_neq(base, x, "sign of the user id");
    ASSERT_NO_LEAKS();
}

Test(crypto, derive_id_with_long_input_stays_in_bounds)
{
    /* the message is formatted into a fixed buffer: a long input must neither read past it
     * nor collapse different inputs onto one id */
    char a[400], b[400], ida[29], idb[29];
    memset(a, 'a', sizeof(a) - 1);
    a[sizeof(a) - 1] = 0;
    memcpy(b, a, sizeof(b));
    b[sizeof(b) - 2] = 'b';
    crypto_derive_id("salt", "openid", a, 1, ida);
    crypto_derive_id("salt", "openid", b, 1, idb);
    cr_assert_eq(strlen(ida), 28);
    cr_assert_str_neq(ida, idb);
    ASSERT_NO_LEAKS();
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

Test(crypto, tokens_are_prefixed_url_safe_and_unique)
{
    enum { N = 2000 };
    static char toks[N][64];
    for (int i = 0; i < N; i++)
        crypto_token(toks[i], sizeof(toks[i]), "AT_", 32);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(strncmp(toks[i], "AT_", 3), 0);
        cr_assert_eq(strlen(toks[i]), 3 + 43, "32 bytes give 43 base64url chars");
        cr_assert(all_in(toks[i] + 3, B64URL), "%s", toks[i]);
    }
    qsort(toks, N, sizeof(toks[0]), cmp_str);
    for (int i = 1; i < N; i++)
        cr_assert_str_neq(toks[i - 1], toks[i]);
    ASSERT_NO_LEAKS();
}

Test(crypto, token_is_truncated_to_cap)
{
    char small[10];
    crypto_token(small, sizeof(small), "ST_", 72);
    cr_assert_eq(strlen(small), 9);
    cr_assert_eq(strncmp(small, "ST_", 3), 0);
    ASSERT_NO_LEAKS();
}

Test(crypto, eq)
{
    cr_assert(crypto_eq("abc", 3, "abc", 3));
    cr_assert(crypto_eq("", 0, "", 0));
    cr_assert_not(crypto_eq("abc", 3, "abd", 3));
    cr_assert_not(crypto_eq("abc", 3, "abcd", 4), "a prefix is not equal");
    cr_assert_not(crypto_eq("abcd", 4, "abc", 3));
    cr_assert_not(crypto_eq("", 0, "a", 1));
    cr_assert(crypto_eq("a\0b", 3, "a\0b", 3), "binary-safe");
    cr_assert_not(crypto_eq("a\0b", 3, "a\0c", 3));
    ASSERT_NO_LEAKS();
}

Test(crypto, password_hash_roundtrip)
{
    char stored[128];
    crypto_password_hash("correct horse", stored, sizeof(stored));
    cr_assert_eq(strncmp(stored, "pbkdf2-sha256$10000$", 20), 0, "%s", stored);
    cr_assert_eq(strlen(stored), 20 + 32 + 1 + 64);
    cr_assert_eq(stored[20 + 32], '$');
    cr_assert(crypto_password_check("correct horse", stored));
    cr_assert_not(crypto_password_check("correct horsf", stored));
    cr_assert_not(crypto_password_check("", stored));
    ASSERT_NO_LEAKS();
}

Test(crypto, password_check_known_vector)
{
    /* Python: hashlib.pbkdf2_hmac('sha256', b'hunter2', bytes(range(16)), 1) */
    const char *stored = "pbkdf2-sha256$1$000102030405060708090a0b0c0d0e0f$"
                         "6a0c3915dfbe8aaa9ae71e5dbc7d3689f9820ef8e7a1589b7d2948c4d211faf0";
    cr_assert(crypto_password_check("hunter2", stored));
    cr_assert_not(crypto_password_check("hunter3", stored));
    ASSERT_NO_LEAKS();
}

Test(crypto, password_check_malformed_stored_hash_is_0)
{
    const char *dk = "6a0c3915dfbe8aaa9ae71e5dbc7d3689f9820ef8e7a1589b7d2948c4d211faf0";
    const char *salt = "000102030405060708090a0b0c0d0e0f";
    char s[256];
    cr_assert_eq(crypto_password_check("hunter2", NULL), 0);
    cr_assert_eq(crypto_password_check("hunter2", ""), 0);
    cr_assert_eq(crypto_password_check("hunter2", "hunter2"), 0, "plain text is not a hash");
    cr_assert_eq(crypto_password_check("hunter2", "pbkdf2-sha256$1$"), 0);
    snprintf(s, sizeof(s), "md5$1$%s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "unknown scheme");
    snprintf(s, sizeof(s), "pbkdf2-sha256$0$%s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "zero iterations");
    snprintf(s, sizeof(s), "pbkdf2-sha256$-1$%s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "negative iterations");
    snprintf(s, sizeof(s), "pbkdf2-sha256$99999999$%s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "absurd iteration count");
    snprintf(s, sizeof(s), "pbkdf2-sha256$x$%s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "non-numeric iterations");
    snprintf(s, sizeof(s), "pbkdf2-sha256$1$%.30s$%s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "short salt");
    snprintf(s, sizeof(s), "pbkdf2-sha256$1$%s$%.62s", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "short digest");
    snprintf(s, sizeof(s), "pbkdf2-sha256$1$%s$%.63sX", salt, dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "non-hex digest");
    snprintf(s, sizeof(s), "pbkdf2-sha256$1$%s$%s", "000102030405060708090A0B0C0D0E0F", dk);
    cr_assert_eq(crypto_password_check("hunter2", s), 0, "upper-case hex is not our format");
    ASSERT_NO_LEAKS();
}
