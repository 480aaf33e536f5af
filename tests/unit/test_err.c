/* test_err: src/util/err.c: the errmsg of each wire code */
#include "helpers.h"
#include "util/err.h"

Test(err, known_codes_have_their_wire_message)
{
    cr_assert_str_eq(err_msg(ERR_OK), "ok");
    cr_assert_str_eq(err_msg(ERR_SYSTEM), "system error");
    cr_assert_eq(ERR_INVALID_CREDENTIAL, 40001);
    cr_assert_str_eq(err_msg(40001), "invalid credential, access_token is invalid or not latest");
    cr_assert_eq(ERR_ACCESS_TOKEN_EXPIRED, 42001);
    cr_assert_str_eq(err_msg(42001), "access_token expired");
    cr_assert_eq(ERR_DAILY_QUOTA, 45009);
    cr_assert_eq(ERR_CLEAR_QUOTA_LIMIT, 48006);
    cr_assert_eq(ERR_EMPTY_POST_DATA, 44002);
    cr_assert_eq(ERR_DATA_FORMAT, 47001);
    cr_assert_eq(ERR_IP_NOT_WHITELISTED, 40164);
    ASSERT_NO_LEAKS();
}

Test(err, unknown_code)
{
    cr_assert_str_eq(err_msg(12345), "unknown error");
    ASSERT_NO_LEAKS();
}
