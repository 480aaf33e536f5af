/*
 * sqlite_component: the SQL of store_component.h on the SQLite backend.
 */
#include "store_component.h"
#include "sqlite_int.h"
#include "../util/err.h"

#define COMPONENT_COLS                                                            \
    "appid, secret, name, token, aes_key, auth_url, msg_url, func_sets, domains," \
    " next_ticket_at, created_at"

static void fill_component(sqlite3_stmt *st, void *out)
{
    struct component *c = out;
    sq_col_text(st, 0, c->appid, sizeof(c->appid));
    sq_col_text(st, 1, c->secret, sizeof(c->secret));
    sq_col_text(st, 2, c->name, sizeof(c->name));
    sq_col_text(st, 3, c->token, sizeof(c->token));
    sq_col_text(st, 4, c->aes_key, sizeof(c->aes_key));
    sq_col_text(st, 5, c->auth_url, sizeof(c->auth_url));
    sq_col_text(st, 6, c->msg_url, sizeof(c->msg_url));
    sq_col_text(st, 7, c->func_sets, sizeof(c->func_sets));
    sq_col_text(st, 8, c->domains, sizeof(c->domains));
    c->next_ticket_at = sqlite3_column_int64(st, 9);
    c->created_at = sqlite3_column_int64(st, 10);
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
    return sq_one_row(
        s, sq_query(s, "SELECT " COMPONENT_COLS " FROM components WHERE appid = $1", "t", appid),
        fill_component, out);
}

static int each(struct store *s, sqlite3_stmt *st, store_component_cb cb, void *arg)
{
    if (!st)
        return ERR_SYSTEM;
    int r;
    while ((r = sq_step(s, st)) == 1) {
        struct component c;
        fill_component(st, &c);
        cb(arg, &c);
    }
    if (r == 0)
        sq_done(st);
    return r == 0 ? 0 : ERR_SYSTEM;
}

int store_component_list(struct store *s, store_component_cb cb, void *arg)
{
    return each(s, sq_query(s, "SELECT " COMPONENT_COLS " FROM components ORDER BY created_at", ""),
                cb, arg);
}

int store_component_due(struct store *s, int64_t now, int limit, store_component_cb cb, void *arg)
{
    return each(s,
                sq_query(s,
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

static void fill_i64(sqlite3_stmt *st, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(st, 0);
}

int store_component_ticket_get(struct store *s, const char *appid, const char *ticket,
                               int64_t *expires_at)
{
    return sq_one_row(s,
                      sq_query(s,
                               "SELECT expires_at FROM component_tickets"
                               " WHERE ticket = $1 AND appid = $2",
                               "tt", ticket, appid),
                      fill_i64, expires_at);
}

int store_component_ticket_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM component_tickets WHERE expires_at < $1", "i", before);
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

static void fill_token(sqlite3_stmt *st, void *out)
{
    struct token_row *t = out;
    sq_col_text(st, 0, t->appid, 19);
    *t->expires_at = sqlite3_column_int64(st, 1);
}

int store_component_token_get(struct store *s, const char *token, char appid[19],
                              int64_t *expires_at)
{
    struct token_row t = {appid, expires_at};
    return sq_one_row(
        s,
        sq_query(s, "SELECT appid, expires_at FROM component_tokens WHERE token = $1", "t", token),
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
