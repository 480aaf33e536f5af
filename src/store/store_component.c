/*
 * store_component: the SQL of store_component.h.
 */
#include "store_component.h"
#include "db.h"
#include "../util/err.h"

#define COMPONENT_COLS                                                            \
    "appid, secret, name, token, aes_key, auth_url, msg_url, func_sets, domains," \
    " next_ticket_at, created_at"

static void fill_component(struct dbst *st, void *out)
{
    struct component *c = out;
    db_col_text(st, 0, c->appid, sizeof(c->appid));
    db_col_text(st, 1, c->secret, sizeof(c->secret));
    db_col_text(st, 2, c->name, sizeof(c->name));
    db_col_text(st, 3, c->token, sizeof(c->token));
    db_col_text(st, 4, c->aes_key, sizeof(c->aes_key));
    db_col_text(st, 5, c->auth_url, sizeof(c->auth_url));
    db_col_text(st, 6, c->msg_url, sizeof(c->msg_url));
    db_col_text(st, 7, c->func_sets, sizeof(c->func_sets));
    db_col_text(st, 8, c->domains, sizeof(c->domains));
    c->next_ticket_at = db_int64(st, 9);
    c->created_at = db_int64(st, 10);
}

int store_component_insert(struct store *s, const struct component *c)
{
    return EXEC(s,
                "INSERT INTO components(" COMPONENT_COLS ")"
                " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                "tttttttttii", c->appid, c->secret, c->name, c->token, c->aes_key, c->auth_url,
                c->msg_url, c->func_sets, c->domains, c->next_ticket_at, c->created_at);
}

int store_component_get(struct store *s, const char *appid, struct component *out)
{
    return db_one_row(
        s, db_query(s, "SELECT " COMPONENT_COLS " FROM components WHERE appid = $1", "t", appid),
        fill_component, out);
}

struct component_rows {
    store_component_cb cb;
    void *arg;
};

static void component_row(struct dbst *st, void *ctx)
{
    struct component_rows *c = ctx;
    struct component row;
    fill_component(st, &row);
    c->cb(c->arg, &row);
}

static int each(struct store *s, struct dbst *st, store_component_cb cb, void *arg)
{
    struct component_rows c = {cb, arg};
    return db_each(s, st, 0, component_row, &c);
}

int store_component_list(struct store *s, store_component_cb cb, void *arg)
{
    return each(s, db_query(s, "SELECT " COMPONENT_COLS " FROM components ORDER BY created_at", ""),
                cb, arg);
}

int store_component_due(struct store *s, int64_t now, int limit, store_component_cb cb, void *arg)
{
    return each(s,
                db_query(s,
                         "SELECT " COMPONENT_COLS " FROM components WHERE next_ticket_at <= $1"
                         " ORDER BY next_ticket_at LIMIT $2",
                         "ii", now, (int64_t)limit),
                cb, arg);
}

int store_component_set_next_ticket(struct store *s, const char *appid, int64_t at)
{
    return EXEC(s, "UPDATE components SET next_ticket_at = $2 WHERE appid = $1", "ti", appid, at);
}

int store_component_ticket_insert(struct store *s, const char *appid, const char *ticket,
                                  int64_t issued_at, int64_t expires_at)
{
    return EXEC(s,
                "INSERT INTO component_tickets(ticket, appid, issued_at, expires_at)"
                " VALUES($1, $2, $3, $4)",
                "ttii", ticket, appid, issued_at, expires_at);
}

static void fill_i64(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_component_ticket_get(struct store *s, const char *appid, const char *ticket,
                               int64_t *expires_at)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT expires_at FROM component_tickets"
                               " WHERE ticket = $1 AND appid = $2",
                               "tt", ticket, appid),
                      fill_i64, expires_at);
}

int store_component_ticket_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM component_tickets WHERE expires_at < $1", "i", before);
}

int store_component_codes_purge(struct store *s, int64_t before)
{
    int rc = EXEC(s, "DELETE FROM component_preauth WHERE expires_at < $1", "i", before);
    if (rc == 0)
        rc = EXEC(s, "DELETE FROM component_auth_codes WHERE expires_at < $1", "i", before);
    if (rc == 0)
        rc = EXEC(s, "DELETE FROM authorizer_tokens WHERE expires_at < $1", "i", before);
    return rc;
}

int store_component_token_insert(struct store *s, const char *appid, const char *token,
                                 int64_t issued_at, int64_t expires_at)
{
    return EXEC(s,
                "INSERT INTO component_tokens(token, appid, issued_at, expires_at)"
                " VALUES($1, $2, $3, $4)",
                "ttii", token, appid, issued_at, expires_at);
}

int store_component_token_supersede(struct store *s, const char *appid, int64_t now, int64_t until)
{
    return EXEC(s,
                "UPDATE component_tokens SET expires_at = $3"
                " WHERE appid = $1 AND expires_at > $3 AND expires_at > $2",
                "tii", appid, now, until);
}

struct token_row {
    char *appid;
    int64_t *expires_at;
};

static void fill_token(struct dbst *st, void *out)
{
    struct token_row *t = out;
    db_col_text(st, 0, t->appid, 19);
    *t->expires_at = db_int64(st, 1);
}

int store_component_token_get(struct store *s, const char *token, char appid[19],
                              int64_t *expires_at)
{
    struct token_row t = {appid, expires_at};
    return db_one_row(
        s,
        db_query(s, "SELECT appid, expires_at FROM component_tokens WHERE token = $1", "t", token),
        fill_token, &t);
}

int store_component_token_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM component_tokens WHERE expires_at < $1", "i", before);
}

int store_preauth_insert(struct store *s, const char *appid, const char *code, int64_t expires_at)
{
    return EXEC(s,
                "INSERT INTO component_preauth(code, appid, expires_at, used)"
                " VALUES($1, $2, $3, 0)",
                "tti", code, appid, expires_at);
}

int store_preauth_get(struct store *s, const char *appid, const char *code, int64_t *expires_at)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT expires_at FROM component_preauth"
                               " WHERE code = $1 AND appid = $2 AND used = 0",
                               "tt", code, appid),
                      fill_i64, expires_at);
}

int store_preauth_use(struct store *s, const char *appid, const char *code)
{
    int rc = EXEC(s,
                  "UPDATE component_preauth SET used = 1"
                  " WHERE code = $1 AND appid = $2 AND used = 0",
                  "tt", code, appid);
    if (rc == 0 && db_changes(s) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

/* ------------------------------------------------------------------ administrators */

int store_account_admin_get(struct store *s, const char *appid, int64_t *user_id)
{
    return db_one_row(
        s, db_query(s, "SELECT admin_user_id FROM accounts WHERE appid = $1", "t", appid), fill_i64,
        user_id);
}

int store_account_admin_set(struct store *s, const char *appid, int64_t user_id)
{
    int rc =
        EXEC(s, "UPDATE accounts SET admin_user_id = $2 WHERE appid = $1", "ti", appid, user_id);
    if (rc == 0 && db_changes(s) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

struct admin_rows {
    store_admin_account_cb cb;
    void *arg;
};

static void admin_row(struct dbst *st, void *ctx)
{
    struct admin_rows *a = ctx;
    char appid[19], name[128];
    db_col_text(st, 0, appid, sizeof(appid));
    db_col_text(st, 1, name, sizeof(name));
    a->cb(a->arg, appid, name);
}

int store_admin_accounts(struct store *s, int64_t user_id, store_admin_account_cb cb, void *arg)
{
    struct admin_rows a = {cb, arg};
    return db_each(s,
                   db_query(s,
                            "SELECT appid, name FROM accounts WHERE admin_user_id = $1"
                            " ORDER BY created_at, appid",
                            "i", user_id),
                   0, admin_row, &a);
}

/* ------------------------------------------------------------------ authorizations */

#define AUTH_COLS "component_appid, authorizer_appid, func_sets, refresh_token, auth_time"

static void fill_auth(struct dbst *st, void *out)
{
    struct component_auth *a = out;
    db_col_text(st, 0, a->component_appid, sizeof(a->component_appid));
    db_col_text(st, 1, a->authorizer_appid, sizeof(a->authorizer_appid));
    db_col_text(st, 2, a->func_sets, sizeof(a->func_sets));
    db_col_text(st, 3, a->refresh_token, sizeof(a->refresh_token));
    a->auth_time = db_int64(st, 4);
}

struct auth_rows {
    store_component_auth_cb cb;
    void *arg;
};

static void auth_row(struct dbst *st, void *ctx)
{
    struct auth_rows *rows = ctx;
    struct component_auth a;
    fill_auth(st, &a);
    rows->cb(rows->arg, &a);
}

int store_auth_get(struct store *s, const char *component_appid, const char *authorizer_appid,
                   struct component_auth *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT " AUTH_COLS " FROM component_auths"
                               " WHERE component_appid = $1 AND authorizer_appid = $2",
                               "tt", component_appid, authorizer_appid),
                      fill_auth, out);
}

int store_auth_put(struct store *s, const struct component_auth *a)
{
    return EXEC(s,
                "INSERT INTO component_auths(" AUTH_COLS ") VALUES($1, $2, $3, $4, $5)"
                " ON CONFLICT(component_appid, authorizer_appid) DO UPDATE SET"
                " func_sets = excluded.func_sets, refresh_token = excluded.refresh_token,"
                " auth_time = excluded.auth_time",
                "tttti", a->component_appid, a->authorizer_appid, a->func_sets, a->refresh_token,
                a->auth_time);
}

int store_auth_delete(struct store *s, const char *component_appid, const char *authorizer_appid)
{
    int rc = EXEC(s,
                  "DELETE FROM component_auths WHERE component_appid = $1"
                  " AND authorizer_appid = $2",
                  "tt", component_appid, authorizer_appid);
    if (rc == 0 && db_changes(s) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int store_auth_list(struct store *s, const char *component_appid, int64_t offset, int64_t limit,
                    int64_t *total, store_component_auth_cb cb, void *arg)
{
    int rc =
        db_one_row(s,
                   db_query(s, "SELECT COUNT(*) FROM component_auths WHERE component_appid = $1",
                            "t", component_appid),
                   fill_i64, total);
    if (rc != 0)
        return rc;
    struct dbst *st = db_query(s,
                               "SELECT " AUTH_COLS " FROM component_auths"
                               " WHERE component_appid = $1 ORDER BY auth_time, authorizer_appid"
                               " LIMIT $2 OFFSET $3",
                               "tii", component_appid, limit, offset);
    struct auth_rows rows = {cb, arg};
    return db_each(s, st, 0, auth_row, &rows);
}

int store_auth_code_insert(struct store *s, const char *code, const char *component_appid,
                           const char *authorizer_appid, int64_t expires_at)
{
    return EXEC(s,
                "INSERT INTO component_auth_codes(code, component_appid, authorizer_appid,"
                " expires_at, used) VALUES($1, $2, $3, $4, 0)",
                "ttti", code, component_appid, authorizer_appid, expires_at);
}

int store_auth_codes_end(struct store *s, const char *component_appid, const char *authorizer_appid)
{
    return EXEC(s,
                "UPDATE component_auth_codes SET used = 1 WHERE component_appid = $1"
                " AND authorizer_appid = $2 AND used = 0",
                "tt", component_appid, authorizer_appid);
}

struct code_row {
    char *authorizer_appid;
    int64_t *expires_at;
};

static void fill_code(struct dbst *st, void *out)
{
    struct code_row *c = out;
    db_col_text(st, 0, c->authorizer_appid, 19);
    *c->expires_at = db_int64(st, 1);
}

int store_auth_code_take(struct store *s, const char *code, const char *component_appid,
                         char authorizer_appid[19], int64_t *expires_at)
{
    struct code_row c = {authorizer_appid, expires_at};
    return db_one_row(s,
                      db_query(s,
                               "UPDATE component_auth_codes SET used = 1 WHERE code = $1"
                               " AND component_appid = $2 AND used = 0"
                               " RETURNING authorizer_appid, expires_at",
                               "tt", code, component_appid),
                      fill_code, &c);
}

int store_authorizer_token_insert(struct store *s, const char *token, const char *component_appid,
                                  const char *authorizer_appid, int64_t issued_at,
                                  int64_t expires_at)
{
    return EXEC(s,
                "INSERT INTO authorizer_tokens(token, component_appid, authorizer_appid,"
                " issued_at, expires_at) VALUES($1, $2, $3, $4, $5)",
                "tttii", token, component_appid, authorizer_appid, issued_at, expires_at);
}

int store_authorizer_token_supersede(struct store *s, const char *component_appid,
                                     const char *authorizer_appid, int64_t now, int64_t until)
{
    return EXEC(s,
                "UPDATE authorizer_tokens SET expires_at = $4 WHERE component_appid = $1"
                " AND authorizer_appid = $2 AND expires_at > $4 AND expires_at > $3",
                "ttii", component_appid, authorizer_appid, now, until);
}

struct token_owner {
    char *component, *authorizer;
    int64_t *expires_at;
};

static void fill_token_owner(struct dbst *st, void *out)
{
    struct token_owner *o = out;
    db_col_text(st, 0, o->component, 19);
    db_col_text(st, 1, o->authorizer, 19);
    *o->expires_at = db_int64(st, 2);
}

int store_authorizer_token_get(struct store *s, const char *token, char component_appid[19],
                               char authorizer_appid[19], int64_t *expires_at)
{
    struct token_owner o = {component_appid, authorizer_appid, expires_at};
    return db_one_row(s,
                      db_query(s,
                               "SELECT component_appid, authorizer_appid, expires_at"
                               " FROM authorizer_tokens WHERE token = $1",
                               "t", token),
                      fill_token_owner, &o);
}

int store_authorizer_token_revoke(struct store *s, const char *component_appid,
                                  const char *authorizer_appid)
{
    return EXEC(s,
                "DELETE FROM authorizer_tokens WHERE component_appid = $1"
                " AND authorizer_appid = $2",
                "tt", component_appid, authorizer_appid);
}

struct opt_row {
    char *out;
    size_t cap;
};

static void fill_opt(struct dbst *st, void *out)
{
    struct opt_row *o = out;
    db_col_text(st, 0, o->out, o->cap);
}

int store_authorizer_option_get(struct store *s, const char *appid, const char *name, char *out,
                                size_t cap)
{
    struct opt_row o = {out, cap};
    return db_one_row(s,
                      db_query(s,
                               "SELECT value FROM authorizer_options"
                               " WHERE appid = $1 AND name = $2",
                               "tt", appid, name),
                      fill_opt, &o);
}

int store_authorizer_option_put(struct store *s, const char *appid, const char *name,
                                const char *value)
{
    return EXEC(s,
                "INSERT INTO authorizer_options(appid, name, value) VALUES($1, $2, $3)"
                " ON CONFLICT(appid, name) DO UPDATE SET value = excluded.value",
                "ttt", appid, name, value);
}

int store_auth_list_authorizer(struct store *s, const char *authorizer_appid,
                               store_component_auth_cb cb, void *arg)
{
    struct dbst *st = db_query(s,
                               "SELECT " AUTH_COLS " FROM component_auths"
                               " WHERE authorizer_appid = $1 ORDER BY auth_time, component_appid",
                               "t", authorizer_appid);
    struct auth_rows rows = {cb, arg};
    return db_each(s, st, 0, auth_row, &rows);
}
