/* test_sessions: src/core/sessions.c: sign-in by password or demo pick, expiry, sign-out */
#include "helpers.h"
#include "core/accounts.h"
#include "core/clock.h"
#include "core/sessions.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static struct store *s;
static struct user alice;

/* one user with a password: one PBKDF2 hash (~10 ms) per test */
static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
    cr_assert_eq(accounts_init(s), 0);
    memset(&alice, 0, sizeof(alice));
    snprintf(alice.username, sizeof(alice.username), "alice");
    cr_assert_eq(accounts_user_create(s, &alice, "s3cret"), 0);
}

static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

static struct session_new by_password(const char *user, const char *password)
{
    struct session_new n;
    memset(&n, 0, sizeof(n));
    snprintf(n.username, sizeof(n.username), "%s", user);
    snprintf(n.password, sizeof(n.password), "%s", password);
    return n;
}

/* a sign-in as the server makes it: read, password check (a worker's), then the writer job */
static int sign_in(struct session_new *n)
{
    cr_assert_eq(sessions_signin_load(s, n), 0);
    int rc = sessions_password_run(n);
    cr_assert_str_eq(n->password, "", "the password is wiped after the check");
    return rc != 0 ? rc : sessions_create_run(s, n);
}

Test(sessions, password_sign_in_and_check, .init = setup)
{
    struct session_new n = by_password("alice", "s3cret");
    cr_assert_eq(sign_in(&n), 0);
    cr_assert_eq(n.user_id, alice.id);
    cr_assert_geq(strlen(n.token), 43);
    cr_assert_eq(n.expires_at - clock_now(), SESSION_TTL, "30 days");
    int64_t uid = 0;
    cr_assert_eq(sessions_check(s, n.token, &uid), 0);
    cr_assert_eq(uid, alice.id);
    finish();
}

Test(sessions, wrong_password_or_user_is_401, .init = setup)
{
    struct session_new n = by_password("alice", "wrong");
    cr_assert_eq(sign_in(&n), ERR_UNAUTHENTICATED);
    cr_assert_str_eq(n.token, "");
    n = by_password("bob", "s3cret");
    cr_assert_eq(sign_in(&n), ERR_UNAUTHENTICATED);
    cr_assert_eq(n.user_id, 0);
    finish();
}

Test(sessions, user_without_password_cannot_sign_in_by_password, .init = setup)
{
    struct user bob;
    memset(&bob, 0, sizeof(bob));
    snprintf(bob.username, sizeof(bob.username), "bob");
    cr_assert_eq(accounts_user_create(s, &bob, ""), 0);
    struct session_new n = by_password("bob", "");
    cr_assert_eq(sign_in(&n), ERR_UNAUTHENTICATED);
    finish();
}

Test(sessions, demo_pick_by_user_id, .init = setup)
{
    struct session_new n;
    memset(&n, 0, sizeof(n));
    n.user_id = alice.id;
    cr_assert_eq(sessions_create_run(s, &n), 0);
    int64_t uid = 0;
    cr_assert_eq(sessions_check(s, n.token, &uid), 0);
    cr_assert_eq(uid, alice.id);
    memset(&n, 0, sizeof(n));
    n.user_id = alice.id + 100;
    cr_assert_eq(sessions_create_run(s, &n), ERR_UNAUTHENTICATED);
    finish();
}

Test(sessions, expire_after_30_days, .init = setup)
{
    struct session_new n;
    memset(&n, 0, sizeof(n));
    n.user_id = alice.id;
    cr_assert_eq(sessions_create_run(s, &n), 0);
    int64_t uid = 0;
    clock_advance(SESSION_TTL - 60);
    cr_assert_eq(sessions_check(s, n.token, &uid), 0);
    clock_advance(61);
    cr_assert_eq(sessions_check(s, n.token, &uid), ERR_UNAUTHENTICATED);
    finish();
}

Test(sessions, sign_out_and_unknown_tokens, .init = setup)
{
    struct session_new n;
    memset(&n, 0, sizeof(n));
    n.user_id = alice.id;
    cr_assert_eq(sessions_create_run(s, &n), 0);
    cr_assert_eq(sessions_delete_run(s, n.token), 0);
    int64_t uid = 0;
    cr_assert_eq(sessions_check(s, n.token, &uid), ERR_UNAUTHENTICATED);
    cr_assert_eq(sessions_check(s, "nope", &uid), ERR_UNAUTHENTICATED);
    cr_assert_eq(sessions_check(s, "", &uid), ERR_UNAUTHENTICATED);
    char big[100];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    cr_assert_eq(sessions_check(s, big, &uid), ERR_UNAUTHENTICATED);
    finish();
}

/* an unknown username costs the same PBKDF2 as a known one: the time tells nothing */
Test(sessions, unknown_user_gets_a_stand_in_hash_of_the_same_cost, .init = setup)
{
    struct session_new a = by_password("alice", "wrong"), b = by_password("nobody", "wrong");
    cr_assert_eq(sessions_signin_load(s, &a), 0);
    cr_assert_eq(sessions_signin_load(s, &b), 0);
    cr_assert_eq(b.user_id, 0);
    cr_assert_str_eq(a.hash, alice.password_hash);
    int ia = 0, ib = 0;
    cr_assert_eq(sscanf(a.hash, "pbkdf2-sha256$%d$", &ia), 1);
    cr_assert_eq(sscanf(b.hash, "pbkdf2-sha256$%d$", &ib), 1);
    cr_assert_eq(ia, ib, "the same iteration count");
    cr_assert_eq(strlen(a.hash), strlen(b.hash));
    finish();
}

Test(sessions, a_password_changed_after_the_check_ends_the_sign_in, .init = setup)
{
    struct session_new n = by_password("alice", "s3cret");
    cr_assert_eq(sessions_signin_load(s, &n), 0);
    cr_assert_eq(sessions_password_run(&n), 0);
    cr_assert_eq(accounts_user_set_password(s, alice.id, "other"), 0);
    cr_assert_eq(sessions_create_run(s, &n), ERR_UNAUTHENTICATED);
    finish();
}

Test(sessions, failures_are_limited_per_username_and_per_address)
{
    clock_advance(60 - clock_now() % 60); /* the start of a minute: the limits count per minute */
    for (int i = 0; i < SIGNIN_FAILS_PER_USER; i++) {
        cr_assert_eq(sessions_signin_allowed("carol", "10.0.0.1"), 0);
        sessions_signin_failed("carol", "10.0.0.1");
    }
    cr_assert_eq(sessions_signin_allowed("carol", "10.0.0.2"), ERR_TOO_MANY_ATTEMPTS);
    cr_assert_eq(sessions_signin_allowed("dave", "10.0.0.2"), 0, "another user, another address");
    for (int i = SIGNIN_FAILS_PER_USER; i < SIGNIN_FAILS_PER_IP; i++)
        sessions_signin_failed("user"
                               "x",
                               "10.0.0.1");
    cr_assert_eq(sessions_signin_allowed("erin", "10.0.0.1"), ERR_TOO_MANY_ATTEMPTS,
                 "the address failed %d times", SIGNIN_FAILS_PER_IP);
    clock_advance(61);
    cr_assert_eq(sessions_signin_allowed("carol", "10.0.0.1"), 0, "the next minute");
    ASSERT_NO_LEAKS();
}
