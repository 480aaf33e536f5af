/*
 * test_tokens: src/core/tokens.c and the quota rules it applies (src/core/quota.c).
 * Each issue runs as the writer runs a job: its own transaction, a SAVEPOINT rolled back on
 * failure, and the after_commit hook (tokens_issue_publish) only when it succeeded.
 * The clock is process-global and only moves forward; Criterion gives each test a process.
 */
#include "helpers.h"
#include "core/accounts.h"
#include "core/clock.h"
#include "core/quota.h"
#include "core/tokens.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *s;
static struct account acct;

static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_init(s), 0);
    memset(&acct, 0, sizeof(acct));
    snprintf(acct.name, sizeof(acct.name), "Test account");
    snprintf(acct.type, sizeof(acct.type), "service");
    cr_assert_eq(accounts_create(s, &acct), 0);
    cr_assert_eq(store_commit(s), 0);
}

static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

/* runs one writer job the way writer.c does; after_commit only on success */
static int run_job(int (*run)(struct store *, void *), void (*after_commit)(void *), void *arg)
{
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_savepoint(s), 0);
    int rc = run(s, arg);
    if (rc != 0)
        cr_assert_eq(store_savepoint_rollback(s), 0);
    cr_assert_eq(store_savepoint_release(s), 0);
    cr_assert_eq(store_commit(s), 0);
    if (rc == 0 && after_commit)
        after_commit(arg);
    return rc;
}

static int issue_as(const char *appid, const char *secret, const char *ip, int kind, int force,
                    struct token_issue *t)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->appid, sizeof(t->appid), "%s", appid);
    snprintf(t->secret, sizeof(t->secret), "%s", secret);
    snprintf(t->ip, sizeof(t->ip), "%s", ip);
    t->kind = kind;
    t->force_refresh = force;
    return run_job(tokens_issue_run, tokens_issue_publish, t);
}

static int issue(int kind, int force, struct token_issue *t)
{
    return issue_as(acct.appid, acct.secret, "127.0.0.1", kind, force, t);
}

static int check(const char *token)
{
    char appid[19] = "";
    int rc = tokens_check(s, token, strlen(token), appid);
    if (rc == 0)
        cr_assert_str_eq(appid, acct.appid);
    return rc;
}

static int clear_quota(void)
{
    return run_job(quota_clear_run, quota_clear_publish, acct.appid);
}

/* keeps the next `secs` seconds inside one quota day (UTC+8) */
static void ensure_day_room(int64_t secs)
{
    int64_t left = 86400 - (clock_now() + 8 * 3600) % 86400;
    if (left < secs + 60)
        clock_advance(left + 1);
}

/* keeps the next hour inside one quota month (UTC+8) */
static void ensure_month_room(void)
{
    int64_t now = clock_now();
    if (clock_month(now + 3600) != clock_month(now))
        clock_advance(2 * 3600);
}

Test(tokens, plain_issue_gives_a_fresh_token, .init = setup)
{
    struct token_issue t;
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    cr_assert_eq(t.is_new, 1);
    cr_assert_eq(strncmp(t.issued.token, "AT_", 3), 0);
    cr_assert_gt(strlen(t.issued.token), 32);
    cr_assert_str_eq(t.issued.appid, acct.appid);
    cr_assert_eq(t.issued.expires_at - t.issued.issued_at, TOKEN_TTL);
    cr_assert_eq(t.issued.superseded, 0);
    cr_assert_eq(t.n_superseded, 0, "nothing to supersede");
    cr_assert_eq(check(t.issued.token), 0);
    finish();
}

Test(tokens, plain_reissue_caps_the_previous_token, .init = setup)
{
    struct token_issue t1, t2;
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t1), 0);
    cr_assert_eq(check(t1.issued.token), 0); /* now in the cache, as after a real call */
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t2), 0);
    cr_assert_str_neq(t1.issued.token, t2.issued.token);
    int64_t now = t2.issued.issued_at;

    cr_assert_eq(t2.n_superseded, 1);
    cr_assert_str_eq(t2.superseded[0].token, t1.issued.token);
    cr_assert_eq(t2.superseded[0].superseded, 1);
    cr_assert_eq(t2.superseded[0].expires_at, now + TOKEN_OVERLAP);
    struct token_rec stored;
    cr_assert_eq(store_token_get(s, t1.issued.token, &stored), 0);
    cr_assert_eq(stored.superseded, 1);
    cr_assert_eq(stored.expires_at, now + 300);

    /* both work during the overlap */
    cr_assert_eq(check(t1.issued.token), 0);
    cr_assert_eq(check(t2.issued.token), 0);

    clock_advance(301);
    cr_assert_eq(check(t1.issued.token), ERR_INVALID_CREDENTIAL);
    cr_assert_eq(check(t2.issued.token), 0);
    finish();
}

Test(tokens, superseded_token_read_from_the_store_answers_40001, .init = setup)
{
    /* another node (or a restart) issued these: nothing is in this process's cache */
    struct token_issue t1, t2;
    memset(&t1, 0, sizeof(t1));
    snprintf(t1.appid, sizeof(t1.appid), "%s", acct.appid);
    snprintf(t1.secret, sizeof(t1.secret), "%s", acct.secret);
    t2 = t1;
    cr_assert_eq(run_job(tokens_issue_run, NULL, &t1), 0);
    cr_assert_eq(run_job(tokens_issue_run, NULL, &t2), 0);
    cr_assert_eq(check(t1.issued.token), 0);
    clock_advance(301);
    cr_assert_eq(check(t1.issued.token), ERR_INVALID_CREDENTIAL);
    cr_assert_eq(check(t2.issued.token), 0);
    finish();
}

Test(tokens, naturally_expired_token_answers_42001, .init = setup)
{
    struct token_issue t;
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    cr_assert_eq(check(t.issued.token), 0);
    clock_advance(7201);
    cr_assert_eq(check(t.issued.token), ERR_ACCESS_TOKEN_EXPIRED);
    finish();
}

Test(tokens, unknown_empty_and_oversized_tokens_answer_40001, .init = setup)
{
    char appid[19];
    char big[200];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    cr_assert_eq(check("AT_nope"), ERR_INVALID_CREDENTIAL);
    cr_assert_eq(tokens_check(s, "", 0, appid), ERR_INVALID_CREDENTIAL);
    cr_assert_eq(check(big), ERR_INVALID_CREDENTIAL);
    finish();
}

Test(tokens, check_compares_the_whole_token, .init = setup)
{
    struct token_issue t;
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    char appid[19];
    size_t n = strlen(t.issued.token);
    cr_assert_eq(tokens_check(s, t.issued.token, n - 1, appid), ERR_INVALID_CREDENTIAL,
                 "a prefix of a valid token is not valid");
    char longer[140];
    snprintf(longer, sizeof(longer), "%sX", t.issued.token);
    cr_assert_eq(check(longer), ERR_INVALID_CREDENTIAL);
    finish();
}

Test(tokens, wrong_secret_and_unknown_appid, .init = setup)
{
    struct token_issue t;
    const char *bad = "00000000000000000000000000000000";
    cr_assert_eq(issue_as(acct.appid, bad, "127.0.0.1", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_INVALID_CREDENTIAL);
    cr_assert_eq(issue_as(acct.appid, bad, "127.0.0.1", TOKEN_KIND_STABLE, 0, &t),
                 ERR_INVALID_APPSECRET);
    cr_assert_eq(issue_as(acct.appid, "", "127.0.0.1", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_INVALID_CREDENTIAL);
    char prefix[33];
    snprintf(prefix, sizeof(prefix), "%.31s", acct.secret);
    cr_assert_eq(issue_as(acct.appid, prefix, "127.0.0.1", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_INVALID_CREDENTIAL, "a prefix of the secret is not the secret");
    cr_assert_eq(issue_as("wx0000000000000000", acct.secret, "127.0.0.1", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_INVALID_APPID);
    cr_assert_eq(issue_as("wx0000000000000000", acct.secret, "127.0.0.1", TOKEN_KIND_STABLE, 0, &t),
                 ERR_INVALID_APPID);
    struct token_rec none;
    cr_assert_eq(store_token_latest(s, acct.appid, TOKEN_KIND_PLAIN, &none), ERR_NOT_FOUND);
    finish();
}

Test(tokens, ip_allow_list, .init = setup)
{
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_set_whitelist(s, acct.appid, "10.0.0.1, 10.0.0.2"), 0);
    cr_assert_eq(store_commit(s), 0);
    struct token_issue t;
    cr_assert_eq(issue_as(acct.appid, acct.secret, "10.0.0.3", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_IP_NOT_WHITELISTED);
    cr_assert_eq(issue_as(acct.appid, acct.secret, "10.0.0.3", TOKEN_KIND_STABLE, 0, &t),
                 ERR_IP_NOT_WHITELISTED);
    cr_assert_eq(issue_as(acct.appid, acct.secret, "10.0.0.2", TOKEN_KIND_PLAIN, 0, &t), 0);
    cr_assert_eq(issue_as(acct.appid, acct.secret, "10.0.0.1", TOKEN_KIND_STABLE, 0, &t), 0);

    /* "" allows every address again */
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_set_whitelist(s, acct.appid, ""), 0);
    cr_assert_eq(store_commit(s), 0);
    cr_assert_eq(issue_as(acct.appid, acct.secret, "10.0.0.3", TOKEN_KIND_PLAIN, 0, &t), 0);
    finish();
}

Test(tokens, ip_allowed_matches_whole_entries)
{
    cr_assert(tokens_ip_allowed("", "1.2.3.4"));
    cr_assert(tokens_ip_allowed("1.2.3.4", "1.2.3.4"));
    cr_assert(tokens_ip_allowed("5.6.7.8,1.2.3.4", "1.2.3.4"));
    cr_assert(tokens_ip_allowed(" 5.6.7.8 , 1.2.3.4 ", "1.2.3.4"));
    cr_assert(tokens_ip_allowed("::1,1.2.3.4", "::1"));
    cr_assert_not(tokens_ip_allowed("1.2.3.4", "1.2.3.40"));
    cr_assert_not(tokens_ip_allowed("1.2.3.40", "1.2.3.4"));
    cr_assert_not(tokens_ip_allowed("1.2.3.4", "1.2.3."));
    cr_assert_not(tokens_ip_allowed("11.2.3.4", "1.2.3.4"));
    cr_assert_not(tokens_ip_allowed("5.6.7.8", "unknown"));
    ASSERT_NO_LEAKS();
}

Test(tokens, ip_allowed_never_matches_an_empty_address)
{
    /* an empty entry (trailing or doubled comma) must not allow an empty address */
    cr_assert_not(tokens_ip_allowed("1.2.3.4", ""));
    cr_assert_not(tokens_ip_allowed("1.2.3.4,", ""));
    cr_assert_not(tokens_ip_allowed("1.2.3.4, ", ""));
    cr_assert_not(tokens_ip_allowed(",", ""));
    ASSERT_NO_LEAKS();
}

Test(tokens, whitelist_too_long_is_refused, .init = setup)
{
    char list[1100];
    memset(list, '1', sizeof(list) - 1);
    list[sizeof(list) - 1] = 0;
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_set_whitelist(s, acct.appid, list), ERR_ARGUMENT_INVALID);
    cr_assert_eq(accounts_set_whitelist(s, "wx0000000000000000", "1.2.3.4"), ERR_NOT_FOUND);
    cr_assert_eq(store_commit(s), 0);
    finish();
}

Test(tokens, stable_normal_mode_returns_the_same_token, .init = setup)
{
    struct token_issue a, b;
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &a), 0);
    cr_assert_eq(a.is_new, 1);
    cr_assert_eq(strncmp(a.issued.token, "ST_", 3), 0);
    clock_advance(60);
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &b), 0);
    cr_assert_eq(b.is_new, 0);
    cr_assert_str_eq(b.issued.token, a.issued.token);
    cr_assert_eq(b.issued.expires_at, a.issued.expires_at, "same token, same expiry");
    cr_assert_eq(check(a.issued.token), 0);
    finish();
}

Test(tokens, stable_and_plain_tokens_are_independent, .init = setup)
{
    struct token_issue st, p1, p2, st2;
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &st), 0);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &p1), 0);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &p2), 0);
    cr_assert_eq(p2.n_superseded, 1);
    cr_assert_str_eq(p2.superseded[0].token, p1.issued.token,
                     "plain never supersedes a stable token");
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &st2), 0);
    cr_assert_str_eq(st2.issued.token, st.issued.token, "plain issues leave stable alone");
    clock_advance(301);
    cr_assert_eq(check(st.issued.token), 0);
    cr_assert_eq(check(p1.issued.token), ERR_INVALID_CREDENTIAL);
    finish();
}

Test(tokens, stable_renews_in_its_last_5_minutes_and_the_old_lives_on, .init = setup)
{
    struct token_issue a, b;
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &a), 0);
    clock_advance(TOKEN_TTL - TOKEN_OVERLAP + 1);
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &b), 0);
    cr_assert_eq(b.is_new, 1);
    cr_assert_str_neq(b.issued.token, a.issued.token);
    cr_assert_eq(b.n_superseded, 0, "nothing superseded");
    cr_assert_eq(check(a.issued.token), 0);
    clock_advance(TOKEN_OVERLAP);
    cr_assert_eq(check(a.issued.token), ERR_ACCESS_TOKEN_EXPIRED, "old one ran to its end");
    cr_assert_eq(check(b.issued.token), 0);
    finish();
}

Test(tokens, stable_force_refresh_replaces_at_once, .init = setup)
{
    ensure_day_room(600);
    struct token_issue a, b, c, d;
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &a), 0);
    cr_assert_eq(check(a.issued.token), 0);
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &b), 0);
    cr_assert_eq(b.is_new, 1);
    cr_assert_str_neq(b.issued.token, a.issued.token);
    cr_assert_eq(b.n_superseded, 1);
    cr_assert_str_eq(b.superseded[0].token, a.issued.token);
    cr_assert_eq(check(a.issued.token), ERR_INVALID_CREDENTIAL, "replaced at once");
    cr_assert_eq(check(b.issued.token), 0);

    /* a second force within 30 s returns the current token */
    clock_advance(10);
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &c), 0);
    cr_assert_eq(c.is_new, 0);
    cr_assert_str_eq(c.issued.token, b.issued.token);
    cr_assert_eq(check(b.issued.token), 0);

    /* normal mode returns the forced one */
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &d), 0);
    cr_assert_str_eq(d.issued.token, b.issued.token);

    /* past the gap a force replaces again */
    clock_advance(STABLE_FORCE_GAP);
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &d), 0);
    cr_assert_eq(d.is_new, 1);
    cr_assert_str_neq(d.issued.token, b.issued.token);
    cr_assert_eq(check(b.issued.token), ERR_INVALID_CREDENTIAL);
    finish();
}

Test(tokens, stable_force_without_a_current_token_issues_one, .init = setup)
{
    struct token_issue a;
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &a), 0);
    cr_assert_eq(a.is_new, 1);
    cr_assert_eq(a.n_superseded, 0);
    cr_assert_eq(check(a.issued.token), 0);
    finish();
}

Test(tokens, stable_21st_force_in_a_day_is_45009, .init = setup)
{
    ensure_day_room((STABLE_FORCE_PER_DAY + 2) * (STABLE_FORCE_GAP + 1));
    struct token_issue t;
    char last[128] = "";
    for (int i = 0; i < STABLE_FORCE_PER_DAY; i++) {
        cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &t), 0, "force %d", i + 1);
        cr_assert_eq(t.is_new, 1, "force %d", i + 1);
        snprintf(last, sizeof(last), "%s", t.issued.token);
        clock_advance(STABLE_FORCE_GAP + 1);
    }
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 1, &t), ERR_DAILY_QUOTA);
    cr_assert_eq(check(last), 0, "the refused force leaves the current token alone");
    cr_assert_eq(issue(TOKEN_KIND_STABLE, 0, &t), 0, "normal mode still works");
    cr_assert_str_eq(t.issued.token, last);
    finish();
}

Test(tokens, plain_quota_2001st_issue_in_a_day_is_45009, .init = setup)
{
    ensure_day_room(600);
    ensure_month_room();
    int64_t limit = quota_limit("/cgi-bin/token");
    cr_assert_eq(limit, 2000);
    struct token_issue t;
    for (int64_t i = 0; i < limit; i++)
        cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0, "issue %lld", (long long)i + 1);
    int64_t used = 0;
    cr_assert_eq(quota_used(s, acct.appid, "/cgi-bin/token", &used), 0);
    cr_assert_eq(used, 2000);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), ERR_DAILY_QUOTA);

    /* clear_quota resets it */
    cr_assert_eq(clear_quota(), 0);
    cr_assert_eq(quota_used(s, acct.appid, "/cgi-bin/token", &used), 0);
    cr_assert_eq(used, 0);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    finish();
}

Test(tokens, quota_survives_in_the_store_and_clear_deletes_it, .init = setup)
{
    ensure_day_room(600);
    ensure_month_room();
    /* the day's count is in the store: what was counted there before a restart holds */
    int64_t day = clock_day(clock_now());
    cr_assert_eq(store_counter_set(s, acct.appid, "q:/cgi-bin/token", day, 1999, clock_now()), 0);
    struct token_issue t;
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), ERR_DAILY_QUOTA);
    int64_t v = 0;
    cr_assert_eq(store_counter_get(s, acct.appid, "q:/cgi-bin/token", day, &v, NULL), 0);
    cr_assert_eq(v, 2000);
    cr_assert_eq(clear_quota(), 0);
    cr_assert_eq(store_counter_get(s, acct.appid, "q:/cgi-bin/token", day, &v, NULL),
                 ERR_NOT_FOUND);
    cr_assert_eq(issue(TOKEN_KIND_PLAIN, 0, &t), 0);
    finish();
}

Test(tokens, eleventh_quota_clear_in_a_month_is_48006, .init = setup)
{
    ensure_month_room();
    for (int i = 0; i < CLEAR_QUOTA_PER_MONTH; i++)
        cr_assert_eq(clear_quota(), 0, "clear %d", i + 1);
    cr_assert_eq(clear_quota(), ERR_CLEAR_QUOTA_LIMIT);
    int64_t v = 0;
    cr_assert_eq(
        store_counter_get(s, acct.appid, "clear_quota", clock_month(clock_now()), &v, NULL), 0);
    cr_assert_eq(v, CLEAR_QUOTA_PER_MONTH, "the refused clear is not counted");
    finish();
}

Test(tokens, failed_issues_use_no_quota, .init = setup)
{
    ensure_day_room(600);
    struct token_issue t;
    const char *bad = "00000000000000000000000000000000";
    cr_assert_eq(issue_as(acct.appid, bad, "127.0.0.1", TOKEN_KIND_PLAIN, 0, &t),
                 ERR_INVALID_CREDENTIAL);
    int64_t used = -1;
    cr_assert_eq(quota_used(s, acct.appid, "/cgi-bin/token", &used), 0);
    cr_assert_eq(used, 0);
    finish();
}

/* a metered call from an event loop: its SQLite connection may not write, so the writer
 * counts a block, and the calls after it are made from memory until the block is used */
Test(tokens, event_loop_calls_are_counted_ahead_by_the_writer_in_blocks, .init = setup)
{
    ensure_day_room(600);
    const char *api = "/cgi-bin/menu/create";
    int64_t day = clock_day(clock_now()), v = 0, used = 0;
    cr_assert_eq(quota_take(s, acct.appid, api), QUOTA_WRITE);
    void *job = quota_job_new(acct.appid, api);
    cr_assert_eq(run_job(quota_job_run, quota_job_commit, job), 0);
    cr_assert(quota_job_taken(job));
    free(job);
    cr_assert_eq(store_counter_get(s, acct.appid, "q:/cgi-bin/menu/create", day, &v, NULL), 0);
    cr_assert_eq(v, 64, "a block of 64 is counted in the store before the first call is made");
    for (int i = 0; i < 63; i++)
        cr_assert_eq(quota_take(s, acct.appid, api), 0, "call %d comes from the block", i + 2);
    cr_assert_eq(quota_used(s, acct.appid, api, &used), 0);
    cr_assert_eq(used, 64);
    cr_assert_eq(quota_take(s, acct.appid, api), QUOTA_WRITE, "the block is used up");

    /* a clean stop gives back what was counted ahead and not made */
    job = quota_job_new(acct.appid, api);
    cr_assert_eq(run_job(quota_job_run, quota_job_commit, job), 0);
    free(job);
    cr_assert_eq(run_job(quota_release_run, NULL, NULL), 0);
    cr_assert_eq(store_counter_get(s, acct.appid, "q:/cgi-bin/menu/create", day, &v, NULL), 0);
    cr_assert_eq(v, 65);
    finish();
}

Test(tokens, a_block_is_not_counted_past_the_limit, .init = setup)
{
    ensure_day_room(600);
    const char *api = "/cgi-bin/menu/create";
    int64_t day = clock_day(clock_now()), v = 0;
    cr_assert_eq(store_counter_set(s, acct.appid, "q:/cgi-bin/menu/create", day, 999, 0), 0);
    void *job = quota_job_new(acct.appid, api);
    cr_assert_eq(run_job(quota_job_run, quota_job_commit, job), 0);
    cr_assert(quota_job_taken(job), "the last call of the day is counted alone");
    free(job);
    job = quota_job_new(acct.appid, api);
    cr_assert_eq(run_job(quota_job_run, quota_job_commit, job), 0);
    cr_assert(!quota_job_taken(job), "the 1001st is refused");
    free(job);
    cr_assert_eq(store_counter_get(s, acct.appid, "q:/cgi-bin/menu/create", day, &v, NULL), 0);
    cr_assert_eq(v, 1000);
    finish();
}
