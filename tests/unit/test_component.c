/* test_component: src/core/component*.c: the pure rules of third-party platforms */
#include "helpers.h"
#include "core/component.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

static struct component with_domains(const char *domains)
{
    struct component c;
    memset(&c, 0, sizeof(c));
    snprintf(c.domains, sizeof(c.domains), "%s", domains);
    return c;
}

Test(component, redirect_domains)
{
    struct component c = with_domains("tp.example.com,127.0.0.1");
    cr_assert(component_redirect_allowed(&c, "https://tp.example.com/cb?x=1"));
    cr_assert(component_redirect_allowed(&c, "http://a.tp.example.com:8080/cb"));
    cr_assert(component_redirect_allowed(&c, "http://127.0.0.1:9/back"));
    cr_assert(component_redirect_allowed(&c, "http://TP.example.com"));
    cr_assert_not(component_redirect_allowed(&c, "http://eviltp.example.com/"));
    cr_assert_not(component_redirect_allowed(&c, "http://tp.example.com.evil.org/"));
    cr_assert_not(component_redirect_allowed(&c, "http://user@evil.org@tp.example.com/"));
    cr_assert_not(component_redirect_allowed(&c, "javascript:alert(1)"));
    cr_assert_not(component_redirect_allowed(&c, "//tp.example.com/"));
    cr_assert_not(component_redirect_allowed(&c, "http:///x"));
    /* a backslash ends the host, as browsers read it: this one is evil.example */
    cr_assert_not(component_redirect_allowed(&c, "http://evil.example\\.tp.example.com/back"));
    cr_assert_not(component_redirect_allowed(&c, "http://tp.example.com/a b"));
    struct component none = with_domains("");
    cr_assert_not(component_redirect_allowed(&none, "https://anything.example/"),
                  "no web domains: no redirect is allowed");
    ASSERT_NO_LEAKS();
}

Test(component, sets_has)
{
    cr_assert(component_sets_has("1,2,15", 15));
    cr_assert(component_sets_has("1,2,15", 1));
    cr_assert_not(component_sets_has("1,2,15", 5));
    cr_assert_not(component_sets_has("", 1));
    cr_assert_not(component_sets_has("11", 1));
    ASSERT_NO_LEAKS();
}

Test(component, options)
{
    cr_assert_eq(component_option_check("location_report", "2"), 0);
    cr_assert_eq(component_option_check("location_report", "3"), ERR_INVALID_OPTION_VALUE);
    cr_assert_eq(component_option_check("voice_recognize", "1"), 0);
    cr_assert_eq(component_option_check("voice_recognize", "2"), ERR_INVALID_OPTION_VALUE);
    cr_assert_eq(component_option_check("customer_service", ""), ERR_INVALID_OPTION_VALUE);
    cr_assert_eq(component_option_check("customer_service", "01"), ERR_INVALID_OPTION_VALUE);
    cr_assert_eq(component_option_check("nope", "1"), ERR_INVALID_OPTION_NAME);
    cr_assert_eq(component_option_check("voice_recognize", NULL), 0);
    ASSERT_NO_LEAKS();
}

Test(component, validate)
{
    struct component c;
    memset(&c, 0, sizeof(c));
    snprintf(c.name, sizeof(c.name), "TP");
    snprintf(c.token, sizeof(c.token), "tok123");
    snprintf(c.aes_key, sizeof(c.aes_key), "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    snprintf(c.auth_url, sizeof(c.auth_url), "https://tp.example.com/event");
    snprintf(c.func_sets, sizeof(c.func_sets), "1,2,15");
    cr_assert_eq(component_validate(&c), 0);
    struct component bad = c;
    snprintf(bad.func_sets, sizeof(bad.func_sets), "1,,2");
    cr_assert_eq(component_validate(&bad), ERR_ARGUMENT_INVALID);
    snprintf(bad.func_sets, sizeof(bad.func_sets), "1,");
    cr_assert_eq(component_validate(&bad), ERR_ARGUMENT_INVALID);
    bad = c;
    snprintf(bad.token, sizeof(bad.token), "a b");
    cr_assert_eq(component_validate(&bad), ERR_ARGUMENT_INVALID);
    bad = c;
    snprintf(bad.appid, sizeof(bad.appid), "wx12");
    cr_assert_eq(component_validate(&bad), ERR_ARGUMENT_INVALID);
    bad = c;
    bad.auth_url[0] = 0;
    cr_assert_eq(component_validate(&bad), ERR_ARGUMENT_INVALID);
    ASSERT_NO_LEAKS();
}

Test(component, purge_drops_expired_only)
{
    struct store *s;
    cr_assert_eq(store_open(":memory:", &s), 0);
    struct component c;
    memset(&c, 0, sizeof(c));
    snprintf(c.name, sizeof(c.name), "TP");
    cr_assert_eq(component_create(s, &c), 0);
    int64_t exp;
    cr_assert_eq(store_component_ticket_insert(s, c.appid, "ticket@@@old", 1, 2), 0);
    cr_assert_eq(store_component_ticket_insert(s, c.appid, "ticket@@@new", 1, INT64_MAX), 0);
    cr_assert_eq(store_preauth_insert(s, c.appid, "preauthcode@@@old", 2), 0);
    cr_assert_eq(component_purge_run(s, NULL), 0);
    cr_assert_eq(store_component_ticket_get(s, c.appid, "ticket@@@old", &exp), ERR_NOT_FOUND);
    cr_assert_eq(store_component_ticket_get(s, c.appid, "ticket@@@new", &exp), 0);
    cr_assert_eq(store_preauth_get(s, c.appid, "preauthcode@@@old", &exp), ERR_NOT_FOUND);
    store_close(s);
    ASSERT_NO_LEAKS();
}
