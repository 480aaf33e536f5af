/*
 * test_store: the storage contract (src/store/store.h), run against both engines: each
 * STORE_TEST runs in suite `store` on SQLite ":memory:" and in suite `store_pg` on a fresh
 * PostgreSQL database of the server LIANJIE_PG names (skipped without it; `make unit` runs
 * them with a throwaway cluster: tools/with-pg.sh).
 */
#include "helpers.h"
#include "store/store.h"
#include "store/migrations.h"
#include "store/store_menus.h"
#include "store/store_chat.h"
#include "store/db.h"
#include "util/err.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct store *s;
static int on_pg; /* this test runs on PostgreSQL */

/* a new database on LIANJIE_PG; its URL into url */
static void new_pg_database(char *url, size_t cap)
{
    const char *base = getenv("LIANJIE_PG");
    char admin[512], name[64];
    snprintf(name, sizeof(name), "unit_%d_%u", (int)getpid(), (unsigned)rand());
    snprintf(admin, sizeof(admin), "%s/postgres", base);
    PGconn *c = PQconnectdb(admin);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    char q[128];
    snprintf(q, sizeof(q), "CREATE DATABASE %s", name);
    PGresult *r = PQexec(c, q);
    cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    snprintf(url, cap, "%s/%s", base, name);
}

static void open_store(void)
{
    char url[600];
    if (on_pg)
        new_pg_database(url, sizeof(url));
    cr_assert_eq(store_open(on_pg ? url : ":memory:", &s), 0);
    cr_assert_not_null(s);
}

/* a test of the contract, once on each engine */
#define STORE_TEST(name)                        \
    static void name##_body(void);              \
    Test(store, name)                           \
    {                                           \
        name##_body();                          \
    }                                           \
    Test(store_pg, name)                        \
    {                                           \
        if (!getenv("LIANJIE_PG"))              \
            cr_skip_test("LIANJIE_PG not set"); \
        srand((unsigned)getpid());              \
        on_pg = 1;                              \
        name##_body();                          \
    }                                           \
    static void name##_body(void)

/* closes the store, then checks for leaks */
static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

static struct account make_account(const char *appid, const char *original_id)
{
    struct account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.appid, sizeof(a.appid), "%s", appid);
    snprintf(a.secret, sizeof(a.secret), "%s", "0123456789abcdef0123456789abcdef");
    snprintf(a.original_id, sizeof(a.original_id), "%s", original_id);
    snprintf(a.name, sizeof(a.name), "name of %s", appid);
    snprintf(a.type, sizeof(a.type), "service");
    a.verified = 1;
    snprintf(a.msg_mode, sizeof(a.msg_mode), "plaintext");
    a.created_at = 1000;
    return a;
}

static struct user make_user(const char *username)
{
    struct user u;
    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "%s", username);
    snprintf(u.nickname, sizeof(u.nickname), "Nick %s", username);
    snprintf(u.language, sizeof(u.language), "zh_CN");
    snprintf(u.city, sizeof(u.city), "Shenzhen");
    u.sex = 2;
    u.created_at = 500;
    return u;
}

static struct token_rec make_token(const char *tok, const char *appid, int kind, int64_t issued,
                                   int64_t expires)
{
    struct token_rec t;
    memset(&t, 0, sizeof(t));
    snprintf(t.token, sizeof(t.token), "%s", tok);
    snprintf(t.appid, sizeof(t.appid), "%s", appid);
    t.kind = kind;
    t.issued_at = issued;
    t.expires_at = expires;
    return t;
}

STORE_TEST(migrations_are_applied)
{
    open_store();
    cr_assert_geq(store_schema_version(s), 1);
    cr_assert_eq(store_schema_version(s), store_migration_count);
    finish();
}

/* removes a data directory a test made */
static void remove_data_dir(const char *dir)
{
    const char *files[] = {"lianjie.db", "lianjie.db-wal", "lianjie.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

Test(store, reopening_a_directory_keeps_data_and_version)
{
    char dir[] = "/tmp/lianjie-unit-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(store_open(dir, &s), 0);
    cr_assert_eq(store_meta_put(s, "k", "v"), 0);
    store_close(s);
    cr_assert_eq(store_open(dir, &s), 0, "migrations must not run twice");
    cr_assert_eq(store_schema_version(s), store_migration_count);
    char out[8];
    cr_assert_eq(store_meta_get(s, "k", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "v");
    store_close(s);
    s = NULL;
    remove_data_dir(dir);
    ASSERT_NO_LEAKS();
}

static int64_t sqlite_synchronous(struct store *st)
{
    struct dbst *q = db_query(st, "PRAGMA synchronous", "");
    cr_assert_eq(db_step(st, q), 1);
    int64_t v = db_int64(q, 0);
    db_done(q);
    return v;
}

/* a commit is synced to disk before it is acknowledged, unless a test asks for less */
Test(store, sqlite_syncs_every_commit_unless_told_otherwise)
{
    char dir[] = "/tmp/lianjie-unit-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(store_open(dir, &s), 0);
    cr_assert_eq(sqlite_synchronous(s), 2, "synchronous=FULL by default");
    store_close(s);
    store_set_sync_full(0);
    cr_assert_eq(store_open(dir, &s), 0);
    cr_assert_eq(sqlite_synchronous(s), 1, "synchronous=NORMAL when asked");
    store_set_sync_full(1);
    store_close(s);
    s = NULL;
    remove_data_dir(dir);
    ASSERT_NO_LEAKS();
}

/* a database as a server before migration 13 left it: a default and a conditional menu */
static void make_version_12(const char *dir)
{
    char path[128], *err = NULL;
    snprintf(path, sizeof(path), "%s/lianjie.db", dir);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE schema_version(version INTEGER NOT NULL);"
                              "INSERT INTO schema_version VALUES(12);",
                              NULL, NULL, &err),
                 SQLITE_OK);
    for (int v = 0; v < 12; v++)
        cr_assert_eq(sqlite3_exec(db, store_migrations[v], NULL, NULL, &err), SQLITE_OK,
                     "migration %d: %s", v + 1, err ? err : "");
    cr_assert_eq(sqlite3_exec(db,
                              "INSERT INTO menus VALUES(200000100, 'wxa', 0, -1, 0,"
                              " '[{\"name\":\"d\"}]', 'a.example', 5);"
                              "INSERT INTO menus VALUES(200000200, 'wxa', 1, 7, 0,"
                              " '[{\"name\":\"c\"}]', '', 6);",
                              NULL, NULL, &err),
                 SQLITE_OK, "%s", err ? err : "");
    sqlite3_close(db);
}

static void keep_menu(void *arg, const struct menu_row *m)
{
    struct menu_row *out = arg;
    *out = *m;
    out->buttons = out->domains = NULL; /* valid during the call only */
    if (m->conditional == 0 && strcmp(m->buttons, "[{\"name\":\"d\"}]") == 0 &&
        strcmp(m->domains, "a.example") == 0)
        out->buttons = "moved";
}

Test(store, upgrading_moves_default_menus_and_keeps_their_ids)
{
    char dir[] = "/tmp/lianjie-unit-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    make_version_12(dir);
    cr_assert_eq(store_open(dir, &s), 0);
    cr_assert_eq(store_schema_version(s), store_migration_count);
    struct menu_row m = {0};
    cr_assert_eq(store_menu_default(s, "wxa", keep_menu, &m), 0);
    cr_assert_eq(m.menuid, 200000100);
    cr_assert_str_eq(m.buttons ? m.buttons : "", "moved", "buttons and domains kept");
    cr_assert_eq(m.tag_id, -1);
    cr_assert_eq(m.created_at, 5);
    memset(&m, 0, sizeof(m));
    cr_assert_eq(store_menu_conditionals(s, "wxa", keep_menu, &m), 0);
    cr_assert_eq(m.menuid, 200000200, "the conditional menu stays");
    cr_assert_eq(m.conditional, 1);
    int64_t max = 0;
    cr_assert_eq(store_menu_max_id(s, &max), 0);
    cr_assert_eq(max, 200000200);
    cr_assert_eq(store_menu_delete_all(s, "wxa"), 0);
    cr_assert_eq(store_menu_default(s, "wxa", NULL, NULL), ERR_NOT_FOUND);
    store_close(s);
    s = NULL;
    remove_data_dir(dir);
    ASSERT_NO_LEAKS();
}

STORE_TEST(meta_put_get_overwrite_and_truncate)
{
    open_store();
    char out[16] = "junk";
    cr_assert_eq(store_meta_get(s, "missing", out, sizeof(out)), ERR_NOT_FOUND);
    cr_assert_eq(store_meta_put(s, "k", "one"), 0);
    cr_assert_eq(store_meta_put(s, "k", "two"), 0);
    cr_assert_eq(store_meta_get(s, "k", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "two");
    cr_assert_eq(store_meta_put(s, "long", "0123456789"), 0);
    char small[5];
    cr_assert_eq(store_meta_get(s, "long", small, sizeof(small)), 0);
    cr_assert_str_eq(small, "0123", "truncated to fit, NUL-terminated");
    finish();
}

static void count_open(void *arg, const struct open_account *o)
{
    (void)o;
    (*(int *)arg)++;
}

STORE_TEST(open_accounts)
{
    open_store();
    struct open_account o = {.appid = "wx00000000000000a1", .name = "Open", .created_at = 5};
    cr_assert_eq(store_open_account_insert(s, &o), 0);
    cr_assert_eq(store_open_account_insert(s, &o), ERR_CONFLICT);
    struct open_account got;
    cr_assert_eq(store_open_account_get(s, o.appid, &got), 0);
    cr_assert_str_eq(got.name, "Open");
    cr_assert_eq(got.created_at, 5);
    cr_assert_eq(store_open_account_get(s, "wx00000000000000a2", &got), ERR_NOT_FOUND);
    int n = 0;
    cr_assert_eq(store_open_account_list(s, count_open, &n), 0);
    cr_assert_eq(n, 1);
    finish();
}

STORE_TEST(account_insert_get_roundtrip)
{
    open_store();
    struct account a = make_account("wx0000000000000001", "gh_000000000001");
    snprintf(a.ip_whitelist, sizeof(a.ip_whitelist), "1.2.3.4,5.6.7.8");
    snprintf(a.server_url, sizeof(a.server_url), "http://example.test/wx");
    cr_assert_eq(store_account_insert(s, &a), 0);
    struct account got;
    memset(&got, 0x55, sizeof(got));
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.appid, a.appid);
    cr_assert_str_eq(got.secret, a.secret);
    cr_assert_str_eq(got.original_id, a.original_id);
    cr_assert_str_eq(got.name, a.name);
    cr_assert_str_eq(got.type, "service");
    cr_assert_eq(got.verified, 1);
    cr_assert_str_eq(got.avatar, "");
    cr_assert_str_eq(got.open_appid, "");
    cr_assert_str_eq(got.server_url, "http://example.test/wx");
    cr_assert_str_eq(got.msg_mode, "plaintext");
    cr_assert_str_eq(got.ip_whitelist, "1.2.3.4,5.6.7.8");
    cr_assert_eq(got.created_at, 1000);
    cr_assert_eq(store_account_get(s, "wx0000000000000009", &got), ERR_NOT_FOUND);
    finish();
}

STORE_TEST(account_duplicates_conflict)
{
    open_store();
    struct account a = make_account("wx0000000000000001", "gh_000000000001");
    cr_assert_eq(store_account_insert(s, &a), 0);
    struct account same_appid = make_account("wx0000000000000001", "gh_000000000002");
    cr_assert_eq(store_account_insert(s, &same_appid), ERR_CONFLICT);
    struct account same_orig = make_account("wx0000000000000002", "gh_000000000001");
    cr_assert_eq(store_account_insert(s, &same_orig), ERR_CONFLICT);
    finish();
}

struct collect {
    int n;
    char ids[8][19];
};

static void collect_account(void *arg, const struct account *a)
{
    struct collect *c = arg;
    if (c->n < 8)
        memcpy(c->ids[c->n], a->appid, 19);
    c->n++;
}

STORE_TEST(account_list_in_creation_order)
{
    open_store();
    struct account a = make_account("wx00000000000000b0", "gh_000000000001");
    struct account b = make_account("wx00000000000000a0", "gh_000000000002");
    struct account c = make_account("wx00000000000000c0", "gh_000000000003");
    a.created_at = 10;
    b.created_at = 20;
    c.created_at = 20;
    cr_assert_eq(store_account_insert(s, &c), 0);
    cr_assert_eq(store_account_insert(s, &a), 0);
    cr_assert_eq(store_account_insert(s, &b), 0);
    struct collect got = {0};
    cr_assert_eq(store_account_list(s, collect_account, &got), 0);
    cr_assert_eq(got.n, 3);
    cr_assert_str_eq(got.ids[0], a.appid);
    cr_assert_str_eq(got.ids[1], b.appid, "ties broken by appid");
    cr_assert_str_eq(got.ids[2], c.appid);
    finish();
}

STORE_TEST(account_update_writes_mutable_fields)
{
    open_store();
    struct account a = make_account("wx0000000000000001", "gh_000000000001");
    cr_assert_eq(store_account_insert(s, &a), 0);
    snprintf(a.secret, sizeof(a.secret), "ffffffffffffffffffffffffffffffff");
    snprintf(a.name, sizeof(a.name), "Renamed");
    snprintf(a.type, sizeof(a.type), "subscription");
    a.verified = 0;
    snprintf(a.open_appid, sizeof(a.open_appid), "wx00000000000000a1");
    snprintf(a.ip_whitelist, sizeof(a.ip_whitelist), "9.9.9.9");
    snprintf(a.msg_mode, sizeof(a.msg_mode), "safe");
    cr_assert_eq(store_account_update(s, &a), 0);
    struct account got;
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.secret, a.secret);
    cr_assert_str_eq(got.name, "Renamed");
    cr_assert_str_eq(got.type, "subscription");
    cr_assert_eq(got.verified, 0);
    cr_assert_str_eq(got.open_appid, "wx00000000000000a1");
    cr_assert_str_eq(got.ip_whitelist, "9.9.9.9");
    cr_assert_str_eq(got.msg_mode, "safe");
    cr_assert_str_eq(got.original_id, "gh_000000000001");
    struct account ghost = make_account("wx0000000000000009", "gh_000000000009");
    cr_assert_eq(store_account_update(s, &ghost), ERR_NOT_FOUND);
    finish();
}

static void collect_user(void *arg, const struct user *u)
{
    int64_t *ids = arg;
    ids[++ids[0]] = u->id;
}

STORE_TEST(users_get_ids_and_roundtrip)
{
    open_store();
    struct user a = make_user("alice"), b = make_user("bob");
    cr_assert_eq(store_user_insert(s, &a), 0);
    cr_assert_eq(store_user_insert(s, &b), 0);
    cr_assert_gt(a.id, 0);
    cr_assert_gt(b.id, a.id);
    struct user got;
    cr_assert_eq(store_user_get(s, b.id, &got), 0);
    cr_assert_eq(got.id, b.id);
    cr_assert_str_eq(got.username, "bob");
    cr_assert_str_eq(got.nickname, "Nick bob");
    cr_assert_str_eq(got.city, "Shenzhen");
    cr_assert_eq(got.sex, 2);
    cr_assert_eq(got.created_at, 500);
    cr_assert_eq(store_user_get_by_name(s, "alice", &got), 0);
    cr_assert_eq(got.id, a.id);
    cr_assert_eq(store_user_get(s, b.id + 100, &got), ERR_NOT_FOUND);
    cr_assert_eq(store_user_get_by_name(s, "carol", &got), ERR_NOT_FOUND);
    int64_t n = 0;
    cr_assert_eq(store_user_count(s, &n), 0);
    cr_assert_eq(n, 2);
    int64_t ids[8] = {0};
    cr_assert_eq(store_user_list(s, collect_user, ids), 0);
    cr_assert_eq(ids[0], 2);
    cr_assert_eq(ids[1], a.id);
    cr_assert_eq(ids[2], b.id);
    finish();
}

STORE_TEST(duplicate_username_conflicts)
{
    open_store();
    struct user a = make_user("alice"), again = make_user("alice");
    cr_assert_eq(store_user_insert(s, &a), 0);
    cr_assert_eq(store_user_insert(s, &again), ERR_CONFLICT);
    int64_t n = 0;
    cr_assert_eq(store_user_count(s, &n), 0);
    cr_assert_eq(n, 1);
    /* the connection is still usable after the failed insert */
    struct user b = make_user("bob");
    cr_assert_eq(store_user_insert(s, &b), 0);
    finish();
}

STORE_TEST(user_set_password)
{
    open_store();
    struct user a = make_user("alice");
    cr_assert_eq(store_user_insert(s, &a), 0);
    cr_assert_eq(store_user_set_password(s, a.id, "pbkdf2-sha256$1$x$y"), 0);
    struct user got;
    cr_assert_eq(store_user_get(s, a.id, &got), 0);
    cr_assert_str_eq(got.password_hash, "pbkdf2-sha256$1$x$y");
    cr_assert_eq(store_user_set_password(s, a.id + 1, "h"), ERR_NOT_FOUND);
    finish();
}

STORE_TEST(token_insert_get)
{
    open_store();
    struct token_rec t = make_token("AT_one", "wx0000000000000001", TOKEN_KIND_PLAIN, 100, 7300);
    cr_assert_eq(store_token_insert(s, &t), 0);
    cr_assert_eq(store_token_insert(s, &t), ERR_CONFLICT);
    struct token_rec got;
    cr_assert_eq(store_token_get(s, "AT_one", &got), 0);
    cr_assert_str_eq(got.appid, "wx0000000000000001");
    cr_assert_eq(got.kind, TOKEN_KIND_PLAIN);
    cr_assert_eq(got.superseded, 0);
    cr_assert_eq(got.issued_at, 100);
    cr_assert_eq(got.expires_at, 7300);
    cr_assert_eq(store_token_get(s, "AT_two", &got), ERR_NOT_FOUND);
    finish();
}

STORE_TEST(token_latest_is_per_appid_and_kind)
{
    open_store();
    const char *app = "wx0000000000000001";
    struct token_rec t1 = make_token("AT_1", app, TOKEN_KIND_PLAIN, 100, 7300);
    struct token_rec t2 = make_token("AT_2", app, TOKEN_KIND_PLAIN, 200, 7400);
    struct token_rec st = make_token("ST_1", app, TOKEN_KIND_STABLE, 300, 7500);
    struct token_rec other = make_token("AT_x", "wx0000000000000002", TOKEN_KIND_PLAIN, 900, 9000);
    cr_assert_eq(store_token_insert(s, &t2), 0);
    cr_assert_eq(store_token_insert(s, &t1), 0);
    cr_assert_eq(store_token_insert(s, &st), 0);
    cr_assert_eq(store_token_insert(s, &other), 0);
    struct token_rec got;
    cr_assert_eq(store_token_latest(s, app, TOKEN_KIND_PLAIN, &got), 0);
    cr_assert_str_eq(got.token, "AT_2");
    cr_assert_eq(store_token_latest(s, app, TOKEN_KIND_STABLE, &got), 0);
    cr_assert_str_eq(got.token, "ST_1");
    cr_assert_eq(store_token_latest(s, "wx0000000000000003", TOKEN_KIND_PLAIN, &got),
                 ERR_NOT_FOUND);
    finish();
}

STORE_TEST(token_supersede_caps_only_later_tokens_of_the_kind)
{
    open_store();
    const char *app = "wx0000000000000001";
    struct token_rec old = make_token("AT_old", app, TOKEN_KIND_PLAIN, 0, 1200);
    struct token_rec cur = make_token("AT_cur", app, TOKEN_KIND_PLAIN, 1000, 8200);
    struct token_rec st = make_token("ST_cur", app, TOKEN_KIND_STABLE, 1000, 8200);
    struct token_rec other =
        make_token("AT_oth", "wx0000000000000002", TOKEN_KIND_PLAIN, 1000, 8200);
    cr_assert_eq(store_token_insert(s, &old), 0);
    cr_assert_eq(store_token_insert(s, &cur), 0);
    cr_assert_eq(store_token_insert(s, &st), 0);
    cr_assert_eq(store_token_insert(s, &other), 0);
    cr_assert_eq(store_token_supersede(s, app, TOKEN_KIND_PLAIN, 1300), 0);
    struct token_rec got;
    cr_assert_eq(store_token_get(s, "AT_cur", &got), 0);
    cr_assert_eq(got.superseded, 1);
    cr_assert_eq(got.expires_at, 1300);
    cr_assert_eq(store_token_get(s, "AT_old", &got), 0);
    cr_assert_eq(got.superseded, 0, "already ends before `until`: untouched");
    cr_assert_eq(got.expires_at, 1200);
    cr_assert_eq(store_token_get(s, "ST_cur", &got), 0);
    cr_assert_eq(got.superseded, 0, "other kind untouched");
    cr_assert_eq(got.expires_at, 8200);
    cr_assert_eq(store_token_get(s, "AT_oth", &got), 0);
    cr_assert_eq(got.superseded, 0, "other appid untouched");
    finish();
}

STORE_TEST(token_purge_drops_expired)
{
    open_store();
    const char *app = "wx0000000000000001";
    struct token_rec a = make_token("AT_a", app, TOKEN_KIND_PLAIN, 0, 99);
    struct token_rec b = make_token("AT_b", app, TOKEN_KIND_PLAIN, 0, 100);
    struct token_rec c = make_token("AT_c", app, TOKEN_KIND_PLAIN, 0, 101);
    cr_assert_eq(store_token_insert(s, &a), 0);
    cr_assert_eq(store_token_insert(s, &b), 0);
    cr_assert_eq(store_token_insert(s, &c), 0);
    cr_assert_eq(store_token_purge(s, 100), 0);
    struct token_rec got;
    cr_assert_eq(store_token_get(s, "AT_a", &got), ERR_NOT_FOUND);
    cr_assert_eq(store_token_get(s, "AT_b", &got), 0);
    cr_assert_eq(store_token_get(s, "AT_c", &got), 0);
    finish();
}

STORE_TEST(counters_set_get_upsert)
{
    open_store();
    const char *app = "wx0000000000000001";
    int64_t v = -1, at = -1;
    cr_assert_eq(store_counter_get(s, app, "q:/x", 7, &v, &at), ERR_NOT_FOUND);
    cr_assert_eq(v, 0, "missing counter reads as 0");
    cr_assert_eq(store_counter_set(s, app, "q:/x", 7, 3, 111), 0);
    cr_assert_eq(store_counter_set(s, app, "q:/x", 7, 5, 222), 0);
    cr_assert_eq(store_counter_get(s, app, "q:/x", 7, &v, &at), 0);
    cr_assert_eq(v, 5);
    cr_assert_eq(at, 222);
    cr_assert_eq(store_counter_get(s, app, "q:/x", 7, &v, NULL), 0, "updated_at is optional");
    cr_assert_eq(store_counter_get(s, app, "q:/x", 8, &v, NULL), ERR_NOT_FOUND, "per period");
    cr_assert_eq(store_counter_get(s, "wx0000000000000002", "q:/x", 7, &v, NULL), ERR_NOT_FOUND,
                 "per appid");
    finish();
}

STORE_TEST(counters_clear_by_prefix_appid_and_period)
{
    open_store();
    const char *app = "wx0000000000000001", *other = "wx0000000000000002";
    cr_assert_eq(store_counter_set(s, app, "q:/a", 7, 1, 0), 0);
    cr_assert_eq(store_counter_set(s, app, "q:/b", 7, 2, 0), 0);
    cr_assert_eq(store_counter_set(s, app, "qx", 7, 3, 0), 0);
    cr_assert_eq(store_counter_set(s, app, "clear_quota", 7, 4, 0), 0);
    cr_assert_eq(store_counter_set(s, app, "q:/a", 6, 5, 0), 0);
    cr_assert_eq(store_counter_set(s, other, "q:/a", 7, 6, 0), 0);
    cr_assert_eq(store_counter_set(s, app, "q%/a", 7, 7, 0), 0);
    cr_assert_eq(store_counter_clear(s, app, "q:", 7), 0);
    int64_t v;
    cr_assert_eq(store_counter_get(s, app, "q:/a", 7, &v, NULL), ERR_NOT_FOUND);
    cr_assert_eq(store_counter_get(s, app, "q:/b", 7, &v, NULL), ERR_NOT_FOUND);
    cr_assert_eq(store_counter_get(s, app, "qx", 7, &v, NULL), 0);
    cr_assert_eq(store_counter_get(s, app, "clear_quota", 7, &v, NULL), 0);
    cr_assert_eq(store_counter_get(s, app, "q:/a", 6, &v, NULL), 0, "other period kept");
    cr_assert_eq(v, 5);
    cr_assert_eq(store_counter_get(s, other, "q:/a", 7, &v, NULL), 0, "other appid kept");
    cr_assert_eq(store_counter_get(s, app, "q%/a", 7, &v, NULL), 0, "prefix is literal");
    /* a prefix that looks like a LIKE pattern matches only itself */
    cr_assert_eq(store_counter_clear(s, app, "q%", 7), 0);
    cr_assert_eq(store_counter_get(s, app, "q%/a", 7, &v, NULL), ERR_NOT_FOUND);
    cr_assert_eq(store_counter_get(s, app, "qx", 7, &v, NULL), 0);
    finish();
}

STORE_TEST(sessions)
{
    open_store();
    struct session_rec r = {.token = "sess-1", .user_id = 7, .expires_at = 1234};
    cr_assert_eq(store_session_insert(s, &r), 0);
    cr_assert_eq(store_session_insert(s, &r), ERR_CONFLICT);
    struct session_rec got;
    cr_assert_eq(store_session_get(s, "sess-1", &got), 0);
    cr_assert_str_eq(got.token, "sess-1");
    cr_assert_eq(got.user_id, 7);
    cr_assert_eq(got.expires_at, 1234);
    cr_assert_eq(store_session_get(s, "sess-2", &got), ERR_NOT_FOUND);
    cr_assert_eq(store_session_delete(s, "sess-1"), 0);
    cr_assert_eq(store_session_get(s, "sess-1", &got), ERR_NOT_FOUND);
    cr_assert_eq(store_session_delete(s, "sess-1"), 0, "deleting twice is fine");
    finish();
}

STORE_TEST(transaction_commit_and_rollback)
{
    open_store();
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_meta_put(s, "a", "1"), 0);
    cr_assert_eq(store_commit(s), 0);
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_meta_put(s, "b", "2"), 0);
    cr_assert_eq(store_rollback(s), 0);
    char out[8];
    cr_assert_eq(store_meta_get(s, "a", out, sizeof(out)), 0);
    cr_assert_eq(store_meta_get(s, "b", out, sizeof(out)), ERR_NOT_FOUND);
    finish();
}

STORE_TEST(savepoint_rollback_undoes_only_the_inner_work)
{
    open_store();
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_meta_put(s, "outer", "1"), 0);

    cr_assert_eq(store_savepoint(s), 0);
    cr_assert_eq(store_meta_put(s, "job1", "1"), 0);
    cr_assert_eq(store_savepoint_release(s), 0);

    cr_assert_eq(store_savepoint(s), 0);
    cr_assert_eq(store_meta_put(s, "job2", "1"), 0);
    cr_assert_eq(store_meta_put(s, "outer", "changed"), 0);
    cr_assert_eq(store_savepoint_rollback(s), 0);
    cr_assert_eq(store_savepoint_release(s), 0);

    cr_assert_eq(store_savepoint(s), 0);
    cr_assert_eq(store_meta_put(s, "job3", "1"), 0);
    cr_assert_eq(store_savepoint_release(s), 0);
    cr_assert_eq(store_commit(s), 0);

    char out[16];
    cr_assert_eq(store_meta_get(s, "outer", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "1");
    cr_assert_eq(store_meta_get(s, "job1", out, sizeof(out)), 0);
    cr_assert_eq(store_meta_get(s, "job2", out, sizeof(out)), ERR_NOT_FOUND);
    cr_assert_eq(store_meta_get(s, "job3", out, sizeof(out)), 0);
    finish();
}

STORE_TEST(failed_insert_inside_a_savepoint_leaves_the_transaction_usable)
{
    open_store();
    struct user a = make_user("alice"), dup = make_user("alice"), b = make_user("bob");
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_user_insert(s, &a), 0);
    cr_assert_eq(store_savepoint(s), 0);
    cr_assert_eq(store_user_insert(s, &dup), ERR_CONFLICT);
    cr_assert_eq(store_savepoint_rollback(s), 0);
    cr_assert_eq(store_savepoint_release(s), 0);
    cr_assert_eq(store_user_insert(s, &b), 0);
    cr_assert_eq(store_commit(s), 0);
    int64_t n = 0;
    cr_assert_eq(store_user_count(s, &n), 0);
    cr_assert_eq(n, 2);
    finish();
}

STORE_TEST(busy_time_is_counted)
{
    open_store();
    cr_assert_eq(store_meta_put(s, "k", "v"), 0);
    cr_assert_gt(store_busy_ns(s), 0);
    finish();
}

/* ------------------------------------------------------------------ the driver */

static const char meta_upsert[] = "INSERT INTO meta(key, value) VALUES($1, $2)"
                                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value";

STORE_TEST(deferred_writes_commit_with_their_transaction)
{
    open_store();
    cr_assert_eq(store_begin(s), 0);
    for (int i = 0; i < 300; i++) { /* more than one pipeline's worth on PostgreSQL */
        char k[16], v[16];
        snprintf(k, sizeof(k), "k%d", i);
        snprintf(v, sizeof(v), "v%d", i);
        cr_assert_eq(db_exec_deferred(s, db_query(s, meta_upsert, "tt", k, v)), 0);
    }
    char out[16];
    cr_assert_eq(store_meta_get(s, "k299", out, sizeof(out)), 0,
                 "read back inside the transaction");
    cr_assert_str_eq(out, "v299");
    cr_assert_eq(store_commit(s), 0);
    for (int i = 0; i < 300; i += 37) {
        char k[16], v[16];
        snprintf(k, sizeof(k), "k%d", i);
        snprintf(v, sizeof(v), "v%d", i);
        cr_assert_eq(store_meta_get(s, k, out, sizeof(out)), 0);
        cr_assert_str_eq(out, v);
    }
    finish();
}

STORE_TEST(a_failed_deferred_write_is_never_committed)
{
    open_store();
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_meta_put(s, "before", "1"), 0);
    /* value NOT NULL: the statement fails, at once (SQLite) or when its result is read */
    int now = db_exec_deferred(s, db_query(s, meta_upsert, "tt", "bad", (const char *)NULL));
    int commit = store_commit(s);
    if (commit != 0)
        cr_assert_eq(store_rollback(s), 0);
    cr_assert(now != 0 || commit != 0, "the failure is told");
    char out[8];
    cr_assert_eq(store_meta_get(s, "bad", out, sizeof(out)), ERR_NOT_FOUND);
    if (now == 0) /* deferred: the transaction is lost with it */
        cr_assert_eq(store_meta_get(s, "before", out, sizeof(out)), ERR_NOT_FOUND);
    cr_assert_eq(store_meta_put(s, "after", "1"), 0, "the connection goes on");
    finish();
}

STORE_TEST(a_taken_key_is_a_conflict_and_the_transaction_goes_on)
{
    open_store();
    struct user a = make_user("alice"), dup = make_user("alice"), b = make_user("bob");
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_user_insert(s, &a), 0);
    cr_assert_eq(store_user_insert(s, &dup), ERR_CONFLICT, "no savepoint around it");
    cr_assert_eq(store_user_insert(s, &b), 0);
    cr_assert_eq(store_commit(s), 0);
    int64_t n = 0;
    cr_assert_eq(store_user_count(s, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_neq(a.id, b.id);
    finish();
}

STORE_TEST(text_sorts_and_compares_bytewise)
{
    open_store();
    /* "B" (0x42) before "a" (0x61), as SQLite's BINARY sorts, whatever the server's locale */
    struct account x = make_account("wx000000000000000a", "gh_00000000000a");
    struct account y = make_account("wx000000000000000B", "gh_00000000000b");
    cr_assert_eq(store_account_insert(s, &x), 0);
    cr_assert_eq(store_account_insert(s, &y), 0);
    struct collect got = {0};
    cr_assert_eq(store_account_list(s, collect_account, &got), 0);
    cr_assert_eq(got.n, 2);
    cr_assert_str_eq(got.ids[0], y.appid);
    cr_assert_str_eq(got.ids[1], x.appid);
    char out[8];
    cr_assert_eq(store_meta_put(s, "B", "1"), 0);
    cr_assert_eq(store_meta_get(s, "b", out, sizeof(out)), ERR_NOT_FOUND, "case matters");
    finish();
}

Test(store_pg, text_that_is_not_utf8_finds_nothing_and_is_stored_mended)
{
    if (!getenv("LIANJIE_PG"))
        cr_skip_test("LIANJIE_PG not set");
    on_pg = 1;
    open_store();
    char out[16];
    cr_assert_eq(store_meta_put(s, "k\xff", "v\xfe"), 0);
    cr_assert_eq(store_meta_get(s, "k\xff", out, sizeof(out)), ERR_NOT_FOUND);
    cr_assert_eq(store_meta_get(s, "k\xef\xbf\xbd", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "v\xef\xbf\xbd");
    cr_assert(store_is_shared(s));
    finish();
}

static void keep_last(void *arg, const struct chat_msg *m)
{
    *(int64_t *)arg = m->id;
}

static int64_t chat_msg(int64_t user_id, int dir, int64_t at)
{
    struct chat_msg m;
    memset(&m, 0, sizeof(m));
    snprintf(m.appid, sizeof(m.appid), "wxchat");
    m.user_id = user_id;
    m.dir = dir;
    snprintf(m.source, sizeof(m.source), dir ? "custom" : "user");
    snprintf(m.msgtype, sizeof(m.msgtype), "text");
    static char body[] = "{\"content\":\"hi\"}";
    m.body = body;
    m.created_at = at;
    cr_assert_eq(store_chat_insert(s, &m), 0);
    return m.id;
}

/* the chats list: a chat's newest message, and how many from the account came after the
 * user's read mark, which only moves forward */
STORE_TEST(chat_last_message_unread_counts_and_read_marks)
{
    open_store();
    cr_assert_eq(store_begin(s), 0);
    int64_t a = chat_msg(7, 0, 100), b = chat_msg(7, 1, 101), c = chat_msg(7, 1, 102);
    chat_msg(8, 1, 103); /* another user's chat */
    int64_t last = 0, unread = -1, mark = -1;
    cr_assert_eq(store_chat_last(s, "wxchat", 7, "o7", 0, keep_last, &last), 0);
    cr_assert_eq(last, c);
    cr_assert_eq(store_chat_read_get(s, 7, "wxchat", &mark), 0);
    cr_assert_eq(mark, 0);
    cr_assert_eq(store_chat_unread(s, "wxchat", 7, "o7", 0, mark, &unread), 0);
    cr_assert_eq(unread, 2, "the account's two messages; the user's own is not unread");
    cr_assert_eq(store_chat_read_put(s, 7, "wxchat", b), 0);
    cr_assert_eq(store_chat_read_put(s, 7, "wxchat", a), 0, "an older mark is no move back");
    cr_assert_eq(store_chat_read_get(s, 7, "wxchat", &mark), 0);
    cr_assert_eq(mark, b);
    cr_assert_eq(store_chat_unread(s, "wxchat", 7, "o7", 0, mark, &unread), 0);
    cr_assert_eq(unread, 1);
    cr_assert_eq(store_commit(s), 0);
    finish();
}
