/*
 * store_base: meta, accounts, users, tokens, counters, sessions, OAuth and QR logins
 * (store.h), on either engine through the driver interface of db.h.
 */
#include "store.h"
#include "db.h"
#include "migrations.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/xalloc.h"
#include "../core/clock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ meta */

static void fill_meta(struct dbst *st, void *out)
{
    struct {
        char *p;
        size_t cap;
    } *o = out;
    db_col_text(st, 0, o->p, o->cap);
}

int store_meta_get(struct store *s, const char *key, char *out, size_t cap)
{
    struct {
        char *p;
        size_t cap;
    } o = {out, cap};
    return db_one_row(s, db_query(s, "SELECT value FROM meta WHERE key = $1", "t", key), fill_meta,
                      &o);
}

int store_meta_put(struct store *s, const char *key, const char *value)
{
    return EXEC(s,
                "INSERT INTO meta(key, value) VALUES($1, $2)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                "tt", key, value);
}

/* ------------------------------------------------------------------ open-platform accounts */

static void fill_open(struct dbst *st, void *out)
{
    struct open_account *o = out;
    db_col_text(st, 0, o->appid, sizeof(o->appid));
    db_col_text(st, 1, o->name, sizeof(o->name));
    o->created_at = db_int64(st, 2);
}

int store_open_account_insert(struct store *s, const struct open_account *o)
{
    return EXEC(s, "INSERT INTO open_accounts(appid, name, created_at) VALUES($1, $2, $3)", "tti",
                o->appid, o->name, o->created_at);
}

int store_open_account_get(struct store *s, const char *appid, struct open_account *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT appid, name, created_at FROM open_accounts WHERE appid = $1",
                               "t", appid),
                      fill_open, out);
}

int store_open_account_list(struct store *s, store_open_account_cb cb, void *arg)
{
    return DB_ROWS(
        s,
        db_query(s, "SELECT appid, name, created_at FROM open_accounts ORDER BY created_at, appid",
                 ""),
        struct open_account, fill_open, cb, arg);
}

/* ------------------------------------------------------------------ official accounts */

#define ACCOUNT_COLS                                                                    \
    "appid, secret, original_id, name, type, verified, avatar, open_appid, server_url," \
    " server_token, aes_key, msg_mode, ip_whitelist, created_at, oauth_domain, location_report"

static void fill_account(struct dbst *st, void *out)
{
    struct account *a = out;
    db_col_text(st, 0, a->appid, sizeof(a->appid));
    db_col_text(st, 1, a->secret, sizeof(a->secret));
    db_col_text(st, 2, a->original_id, sizeof(a->original_id));
    db_col_text(st, 3, a->name, sizeof(a->name));
    db_col_text(st, 4, a->type, sizeof(a->type));
    a->verified = db_int(st, 5);
    db_col_text(st, 6, a->avatar, sizeof(a->avatar));
    db_col_text(st, 7, a->open_appid, sizeof(a->open_appid));
    db_col_text(st, 8, a->server_url, sizeof(a->server_url));
    db_col_text(st, 9, a->server_token, sizeof(a->server_token));
    db_col_text(st, 10, a->aes_key, sizeof(a->aes_key));
    db_col_text(st, 11, a->msg_mode, sizeof(a->msg_mode));
    db_col_text(st, 12, a->ip_whitelist, sizeof(a->ip_whitelist));
    a->created_at = db_int64(st, 13);
    db_col_text(st, 14, a->oauth_domain, sizeof(a->oauth_domain));
    a->location_report = db_int(st, 15);
}

int store_account_insert(struct store *s, const struct account *a)
{
    return EXEC(s,
                "INSERT INTO accounts(" ACCOUNT_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8,"
                " $9, $10, $11, $12, $13, $14, $15, $16)",
                "tttttitttttttiti", a->appid, a->secret, a->original_id, a->name, a->type,
                (int64_t)a->verified, a->avatar, a->open_appid, a->server_url, a->server_token,
                a->aes_key, a->msg_mode, a->ip_whitelist, a->created_at, a->oauth_domain,
                (int64_t)a->location_report);
}

int store_account_get(struct store *s, const char *appid, struct account *out)
{
    return db_one_row(
        s, db_query(s, "SELECT " ACCOUNT_COLS " FROM accounts WHERE appid = $1", "t", appid),
        fill_account, out);
}

int store_account_list(struct store *s, store_account_cb cb, void *arg)
{
    return DB_ROWS(
        s, db_query(s, "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY created_at, appid", ""),
        struct account, fill_account, cb, arg);
}

int store_account_update(struct store *s, const struct account *a)
{
    int rc = EXEC(s,
                  "UPDATE accounts SET secret = $2, name = $3, type = $4, verified = $5,"
                  " avatar = $6, open_appid = $7, server_url = $8, server_token = $9,"
                  " aes_key = $10, msg_mode = $11, ip_whitelist = $12, oauth_domain = $13,"
                  " location_report = $14 WHERE appid = $1",
                  "ttttitttttttti", a->appid, a->secret, a->name, a->type, (int64_t)a->verified,
                  a->avatar, a->open_appid, a->server_url, a->server_token, a->aes_key, a->msg_mode,
                  a->ip_whitelist, a->oauth_domain, (int64_t)a->location_report);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

/* ------------------------------------------------------------------ users */

#define USER_COLS                                                                            \
    "id, username, password_hash, nickname, avatar, sex, language, country, province, city," \
    " created_at"

static void fill_user(struct dbst *st, void *out)
{
    struct user *u = out;
    u->id = db_int64(st, 0);
    db_col_text(st, 1, u->username, sizeof(u->username));
    db_col_text(st, 2, u->password_hash, sizeof(u->password_hash));
    db_col_text(st, 3, u->nickname, sizeof(u->nickname));
    db_col_text(st, 4, u->avatar, sizeof(u->avatar));
    u->sex = db_int(st, 5);
    db_col_text(st, 6, u->language, sizeof(u->language));
    db_col_text(st, 7, u->country, sizeof(u->country));
    db_col_text(st, 8, u->province, sizeof(u->province));
    db_col_text(st, 9, u->city, sizeof(u->city));
    u->created_at = db_int64(st, 10);
}

static void fill_id(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_user_insert(struct store *s, struct user *u)
{
    return db_insert_id(s,
                        db_query(s,
                                 "INSERT INTO users(username, password_hash, nickname, avatar, sex,"
                                 " language, country, province, city, created_at)"
                                 " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                 "ttttitttti", u->username, u->password_hash, u->nickname,
                                 u->avatar, (int64_t)u->sex, u->language, u->country, u->province,
                                 u->city, u->created_at),
                        &u->id);
}

int store_user_get(struct store *s, int64_t id, struct user *out)
{
    return db_one_row(s, db_query(s, "SELECT " USER_COLS " FROM users WHERE id = $1", "i", id),
                      fill_user, out);
}

int store_user_get_by_name(struct store *s, const char *username, struct user *out)
{
    return db_one_row(
        s, db_query(s, "SELECT " USER_COLS " FROM users WHERE username = $1", "t", username),
        fill_user, out);
}

int store_user_list(struct store *s, store_user_cb cb, void *arg)
{
    return DB_ROWS(s, db_query(s, "SELECT " USER_COLS " FROM users ORDER BY id", ""), struct user,
                   fill_user, cb, arg);
}

int store_user_set_password(struct store *s, int64_t id, const char *password_hash)
{
    int rc = EXEC(s, "UPDATE users SET password_hash = $2 WHERE id = $1", "it", id, password_hash);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

int store_user_count(struct store *s, int64_t *out)
{
    return db_one_row(s, db_query(s, "SELECT COUNT(*) FROM users", ""), fill_id, out);
}

/* ------------------------------------------------------------------ access tokens */

#define TOKEN_COLS "token, appid, kind, superseded, issued_at, expires_at"

static void fill_token(struct dbst *st, void *out)
{
    struct token_rec *t = out;
    db_col_text(st, 0, t->token, sizeof(t->token));
    db_col_text(st, 1, t->appid, sizeof(t->appid));
    t->kind = db_int(st, 2);
    t->superseded = db_int(st, 3);
    t->issued_at = db_int64(st, 4);
    t->expires_at = db_int64(st, 5);
}

int store_token_insert(struct store *s, const struct token_rec *t)
{
    return EXEC(s, "INSERT INTO access_tokens(" TOKEN_COLS ") VALUES($1, $2, $3, $4, $5, $6)",
                "ttiiii", t->token, t->appid, (int64_t)t->kind, (int64_t)t->superseded,
                t->issued_at, t->expires_at);
}

int store_token_get(struct store *s, const char *token, struct token_rec *out)
{
    return db_one_row(
        s, db_query(s, "SELECT " TOKEN_COLS " FROM access_tokens WHERE token = $1", "t", token),
        fill_token, out);
}

int store_token_latest(struct store *s, const char *appid, int kind, struct token_rec *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT " TOKEN_COLS
                               " FROM access_tokens WHERE appid = $1 AND kind = $2"
                               " ORDER BY expires_at DESC LIMIT 1",
                               "ti", appid, (int64_t)kind),
                      fill_token, out);
}

int store_token_supersede(struct store *s, const char *appid, int kind, int64_t until)
{
    return EXEC(s,
                "UPDATE access_tokens SET superseded = 1, expires_at = $3"
                " WHERE appid = $1 AND kind = $2 AND expires_at > $3",
                "tii", appid, (int64_t)kind, until);
}

int store_token_list_live(struct store *s, const char *appid, int kind, int64_t after,
                          store_token_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s,
                            "SELECT " TOKEN_COLS " FROM access_tokens"
                            " WHERE appid = $1 AND kind = $2 AND expires_at > $3",
                            "tii", appid, (int64_t)kind, after),
                   struct token_rec, fill_token, cb, arg);
}

int store_token_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM access_tokens WHERE expires_at < $1", "i", before);
}

/* ------------------------------------------------------------------ counters */

static void fill_counter(struct dbst *st, void *out)
{
    int64_t *o = out;
    o[0] = db_int64(st, 0);
    o[1] = db_int64(st, 1);
}

int store_counter_get(struct store *s, const char *appid, const char *name, int64_t period,
                      int64_t *value, int64_t *updated_at)
{
    int64_t o[2] = {0, 0};
    int rc = db_one_row(s,
                        db_query(s,
                                 "SELECT value, updated_at FROM counters"
                                 " WHERE appid = $1 AND name = $2 AND period = $3",
                                 "tti", appid, name, period),
                        fill_counter, o);
    *value = o[0];
    if (updated_at)
        *updated_at = o[1];
    return rc;
}

int store_counter_set(struct store *s, const char *appid, const char *name, int64_t period,
                      int64_t value, int64_t now)
{
    return EXEC(s,
                "INSERT INTO counters(appid, name, period, value, updated_at)"
                " VALUES($1, $2, $3, $4, $5) ON CONFLICT(appid, name, period)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                "ttiii", appid, name, period, value, now);
}

int store_counter_take(struct store *s, const char *appid, const char *name, int64_t period,
                       int64_t limit, int64_t n, int64_t now, int *taken, int64_t *value)
{
    int64_t o[2] = {0, 0};
    *taken = 0;
    if (n > limit)
        return 0;
    int rc = db_one_row(s,
                        db_query(s,
                                 "INSERT INTO counters(appid, name, period, value, updated_at)"
                                 " VALUES($1, $2, $3, $6, $5) ON CONFLICT(appid, name, period)"
                                 " DO UPDATE SET value = counters.value + $6, updated_at = $5"
                                 " WHERE counters.value + $6 <= $4 RETURNING value, updated_at",
                                 "ttiiii", appid, name, period, limit, now, n),
                        fill_counter, o);
    if (rc == ERR_NOT_FOUND)
        return 0;
    *taken = rc == 0;
    if (value)
        *value = o[0];
    return rc;
}

int store_counter_bump(struct store *s, const char *appid, const char *name, int64_t period,
                       int64_t floor, int64_t step, int64_t now, int64_t *value)
{
    int64_t o[2] = {0, 0};
    int rc = db_one_row(s,
                        db_query(s,
                                 "INSERT INTO counters(appid, name, period, value, updated_at)"
                                 " VALUES($1, $2, $3, $7, $6) ON CONFLICT(appid, name, period)"
                                 " DO UPDATE SET value = CASE WHEN counters.value > $4"
                                 " THEN counters.value ELSE $4 END + $5, updated_at = $6"
                                 " RETURNING value, updated_at",
                                 "ttiiiii", appid, name, period, floor, step, now, floor + step),
                        fill_counter, o);
    *value = o[0];
    return rc == ERR_NOT_FOUND ? ERR_SYSTEM : rc;
}

int store_counter_clear(struct store *s, const char *appid, const char *prefix, int64_t period)
{
    return EXEC(s,
                "DELETE FROM counters WHERE appid = $1 AND period = $3"
                " AND substr(name, 1, length($2)) = $2",
                "tti", appid, prefix, period);
}

/* ------------------------------------------------------------------ sessions */

static void fill_session(struct dbst *st, void *out)
{
    struct session_rec *r = out;
    db_col_text(st, 0, r->token, sizeof(r->token));
    r->user_id = db_int64(st, 1);
    r->expires_at = db_int64(st, 2);
}

int store_session_insert(struct store *s, const struct session_rec *r)
{
    return EXEC(s, "INSERT INTO sessions(token, user_id, expires_at) VALUES($1, $2, $3)", "tii",
                r->token, r->user_id, r->expires_at);
}

int store_session_get(struct store *s, const char *token, struct session_rec *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT token, user_id, expires_at FROM sessions WHERE token = $1", "t", token),
        fill_session, out);
}

int store_session_delete(struct store *s, const char *token)
{
    return EXEC(s, "DELETE FROM sessions WHERE token = $1", "t", token);
}

int store_session_delete_user(struct store *s, int64_t user_id)
{
    return EXEC(s, "DELETE FROM sessions WHERE user_id = $1", "i", user_id);
}

/* ------------------------------------------------------------------ OAuth */

static void fill_code(struct dbst *st, void *out)
{
    struct oauth_code *c = out;
    db_col_text(st, 0, c->code_hash, sizeof(c->code_hash));
    db_col_text(st, 1, c->appid, sizeof(c->appid));
    c->user_id = db_int64(st, 2);
    db_col_text(st, 3, c->scope, sizeof(c->scope));
    c->expires_at = db_int64(st, 4);
    c->used = db_int(st, 5);
}

int store_oauth_code_insert(struct store *s, const struct oauth_code *c)
{
    return EXEC(s,
                "INSERT INTO oauth_codes(code_hash, appid, user_id, scope, expires_at, used)"
                " VALUES($1, $2, $3, $4, $5, 0)",
                "ttiti", c->code_hash, c->appid, c->user_id, c->scope, c->expires_at);
}

int store_oauth_code_take(struct store *s, const char *code_hash, struct oauth_code *out)
{
    int rc = db_one_row(s,
                        db_query(s,
                                 "SELECT code_hash, appid, user_id, scope, expires_at, used"
                                 " FROM oauth_codes WHERE code_hash = $1",
                                 "t", code_hash),
                        fill_code, out);
    if (rc == 0 && !out->used)
        rc = EXEC(s, "UPDATE oauth_codes SET used = 1 WHERE code_hash = $1", "t", code_hash);
    return rc;
}

#define OAUTH_TOKEN_COLS \
    "token, refresh_token, appid, user_id, scope, expires_at, refresh_expires_at"

static void fill_oauth_token(struct dbst *st, void *out)
{
    struct oauth_token *t = out;
    db_col_text(st, 0, t->token, sizeof(t->token));
    db_col_text(st, 1, t->refresh_token, sizeof(t->refresh_token));
    db_col_text(st, 2, t->appid, sizeof(t->appid));
    t->user_id = db_int64(st, 3);
    db_col_text(st, 4, t->scope, sizeof(t->scope));
    t->expires_at = db_int64(st, 5);
    t->refresh_expires_at = db_int64(st, 6);
}

int store_oauth_token_insert(struct store *s, const struct oauth_token *t)
{
    return EXEC(s,
                "INSERT INTO oauth_tokens(" OAUTH_TOKEN_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7)",
                "tttitii", t->token, t->refresh_token, t->appid, t->user_id, t->scope,
                t->expires_at, t->refresh_expires_at);
}

int store_oauth_token_get(struct store *s, const char *token, struct oauth_token *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " OAUTH_TOKEN_COLS " FROM oauth_tokens WHERE token = $1", "t", token),
        fill_oauth_token, out);
}

int store_oauth_token_by_refresh(struct store *s, const char *refresh, struct oauth_token *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " OAUTH_TOKEN_COLS " FROM oauth_tokens WHERE refresh_token = $1", "t",
                 refresh),
        fill_oauth_token, out);
}

int store_oauth_token_renew(struct store *s, const char *refresh, const char *token,
                            int64_t expires_at)
{
    return EXEC(s, "UPDATE oauth_tokens SET token = $2, expires_at = $3 WHERE refresh_token = $1",
                "tti", refresh, token, expires_at);
}

static void fill_scope(struct dbst *st, void *out)
{
    struct {
        char *p;
        size_t cap;
    } *o = out;
    db_col_text(st, 0, o->p, o->cap);
}

int store_oauth_grant_get(struct store *s, const char *appid, int64_t user_id, char *scope,
                          size_t cap)
{
    struct {
        char *p;
        size_t cap;
    } o = {scope, cap};
    return db_one_row(s,
                      db_query(s,
                               "SELECT scope FROM oauth_grants WHERE appid = $1 AND user_id = $2",
                               "ti", appid, user_id),
                      fill_scope, &o);
}

int store_oauth_grant_put(struct store *s, const char *appid, int64_t user_id, const char *scope,
                          int64_t now)
{
    return EXEC(s,
                "INSERT INTO oauth_grants(appid, user_id, scope, granted_at) VALUES($1, $2, $3, $4)"
                " ON CONFLICT(appid, user_id) DO UPDATE SET scope = excluded.scope,"
                " granted_at = excluded.granted_at",
                "titi", appid, user_id, scope, now);
}

static void fill_grant(struct dbst *st, struct oauth_grant *g)
{
    db_col_text(st, 0, g->appid, sizeof(g->appid));
    db_col_text(st, 1, g->scope, sizeof(g->scope));
    g->granted_at = db_int64(st, 2);
}

int store_oauth_grant_list(struct store *s, int64_t user_id, store_grant_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s,
                            "SELECT appid, scope, granted_at FROM oauth_grants WHERE user_id = $1"
                            " ORDER BY granted_at DESC, appid",
                            "i", user_id),
                   struct oauth_grant, fill_grant, cb, arg);
}

int store_oauth_revoke(struct store *s, const char *appid, int64_t user_id)
{
    int rc =
        EXEC(s, "DELETE FROM oauth_grants WHERE appid = $1 AND user_id = $2", "ti", appid, user_id);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    if (rc == 0)
        rc = EXEC(s, "DELETE FROM oauth_tokens WHERE user_id = $2 AND appid = $1", "ti", appid,
                  user_id);
    return rc;
}

int store_user_set_nickname(struct store *s, int64_t id, const char *nickname)
{
    int rc = EXEC(s, "UPDATE users SET nickname = $2 WHERE id = $1", "it", id, nickname);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

#define QR_COLS "uuid, appid, redirect_uri, state, user_id, status, code, expires_at"

static void fill_qr(struct dbst *st, void *out)
{
    struct qr_login *q = out;
    db_col_text(st, 0, q->uuid, sizeof(q->uuid));
    db_col_text(st, 1, q->appid, sizeof(q->appid));
    db_col_text(st, 2, q->redirect_uri, sizeof(q->redirect_uri));
    db_col_text(st, 3, q->state, sizeof(q->state));
    q->user_id = db_int64(st, 4);
    q->status = db_int(st, 5);
    db_col_text(st, 6, q->code, sizeof(q->code));
    q->expires_at = db_int64(st, 7);
}

int store_qr_login_insert(struct store *s, const struct qr_login *q)
{
    return EXEC(s, "INSERT INTO qr_logins(" QR_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
                "ttttiiti", q->uuid, q->appid, q->redirect_uri, q->state, q->user_id,
                (int64_t)q->status, q->code, q->expires_at);
}

int store_qr_login_get(struct store *s, const char *uuid, struct qr_login *out)
{
    return db_one_row(s,
                      db_query(s, "SELECT " QR_COLS " FROM qr_logins WHERE uuid = $1", "t", uuid),
                      fill_qr, out);
}

int store_qr_login_update(struct store *s, const struct qr_login *q)
{
    return EXEC(s, "UPDATE qr_logins SET user_id = $2, status = $3, code = $4 WHERE uuid = $1",
                "tiit", q->uuid, q->user_id, (int64_t)q->status, q->code);
}
