/* test_permset: src/util/permset.h: route set masks and parsed authorization sets */
#include "helpers.h"
#include "util/permset.h"

static const struct permset custom_send = PERMSETS(1, 6, 19, 100, 101);
static const struct permset media_upload = PERMSETS(1, 3, 8, 9, 11, 19, 30, 31, 100);
static const struct permset none = PERMSETS_NONE;
static const struct permset any = PERMSETS_ANY;

Test(permset, route_masks)
{
    cr_assert(permset_has(&custom_send, 1));
    cr_assert(permset_has(&custom_send, 100));
    cr_assert(permset_has(&custom_send, 101));
    cr_assert_not(permset_has(&custom_send, 2));
    cr_assert_not(permset_has(&custom_send, 37)); /* 101 - 64: the high word stays high */
    cr_assert(permset_has(&media_upload, 31));
    cr_assert(permset_empty(&none));
    cr_assert_not(permset_has(&any, 0));
    cr_assert(permset_has(&any, 127));
    cr_assert_not(permset_has(&any, 128));
    ASSERT_NO_LEAKS();
}

Test(permset, parse_and_meet)
{
    struct permset users = permset_parse("2,15");
    struct permset alias = permset_parse("100");
    struct permset junk = permset_parse(",x,0,128,99999999999999999999,,");
    cr_assert(permset_has(&users, 2) && permset_has(&users, 15));
    cr_assert_not(permset_meets(&custom_send, &users));
    cr_assert(permset_meets(&custom_send, &alias));
    cr_assert(permset_empty(&junk));
    cr_assert(permset_empty(&(struct permset){{0, 0}}));
    cr_assert(permset_meets(&any, &users));
    cr_assert_not(permset_meets(&any, &junk));
    cr_assert_not(permset_meets(&none, &users));
    struct permset edge = permset_parse("63,64,127");
    cr_assert(permset_has(&edge, 63) && permset_has(&edge, 64) && permset_has(&edge, 127));
    ASSERT_NO_LEAKS();
}
