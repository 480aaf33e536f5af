/*
 * store_qrcode: the SQL of store_qrcode.h (scene QR codes, short keys, short URLs,
 * JS-SDK tickets).
 */
#include "store_qrcode.h"
#include "db.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ QR codes */

#define QR_COLS "ticket, code, appid, action, scene_id, scene_str, url, created_at, expires_at"

static void fill_qrcode(struct dbst *st, void *out)
{
    struct qrcode *q = out;
    db_col_text(st, 0, q->ticket, sizeof(q->ticket));
    db_col_text(st, 1, q->code, sizeof(q->code));
    db_col_text(st, 2, q->appid, sizeof(q->appid));
    db_col_text(st, 3, q->action, sizeof(q->action));
    q->scene_id = db_int64(st, 4);
    db_col_text(st, 5, q->scene_str, sizeof(q->scene_str));
    db_col_text(st, 6, q->url, sizeof(q->url));
    q->created_at = db_int64(st, 7);
    q->expires_at = db_int64(st, 8);
}

int store_qrcode_insert(struct store *s, const struct qrcode *q)
{
    return EXEC(s, "INSERT INTO qrcodes(" QR_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                "ttttittii", q->ticket, q->code, q->appid, q->action, q->scene_id, q->scene_str,
                q->url, q->created_at, q->expires_at);
}

int store_qrcode_by_ticket(struct store *s, const char *ticket, struct qrcode *out)
{
    return db_one_row(s,
                      db_query(s, "SELECT " QR_COLS " FROM qrcodes WHERE ticket = $1", "t", ticket),
                      fill_qrcode, out);
}

int store_qrcode_by_code(struct store *s, const char *code, struct qrcode *out)
{
    return db_one_row(s, db_query(s, "SELECT " QR_COLS " FROM qrcodes WHERE code = $1", "t", code),
                      fill_qrcode, out);
}

int store_qrcode_permanent(struct store *s, const char *appid, const char *action, int64_t scene_id,
                           const char *scene_str, struct qrcode *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT " QR_COLS " FROM qrcodes WHERE appid = $1 AND action = $2"
                               " AND scene_id = $3 AND scene_str = $4 AND expires_at = 0",
                               "ttit", appid, action, scene_id, scene_str),
                      fill_qrcode, out);
}

static void fill_i64(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_qrcode_permanent_count(struct store *s, const char *appid, int64_t *out)
{
    *out = 0;
    int rc = db_one_row(
        s, db_query(s, "SELECT permanent FROM qrcode_counts WHERE appid = $1", "t", appid),
        fill_i64, out);
    return rc == ERR_NOT_FOUND ? 0 : rc;
}

int store_qrcode_permanent_count_add(struct store *s, const char *appid, int64_t delta)
{
    return EXEC(s,
                "INSERT INTO qrcode_counts(appid, permanent) VALUES($1, $2)"
                " ON CONFLICT(appid) DO UPDATE SET permanent = qrcode_counts.permanent + $2",
                "ti", appid, delta);
}

int store_qrcode_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM qrcodes WHERE expires_at > 0 AND expires_at < $1", "i", before);
}

/* ------------------------------------------------------------------ short keys */

static void fill_short_key(struct dbst *st, void *out)
{
    struct short_key *k = out;
    db_col_text(st, 0, k->key, sizeof(k->key));
    db_col_text(st, 1, k->appid, sizeof(k->appid));
    db_col_text(st, 2, k->long_data, sizeof(k->long_data));
    k->created_at = db_int64(st, 3);
    k->expires_at = db_int64(st, 4);
}

int store_short_key_insert(struct store *s, const struct short_key *k)
{
    return EXEC(s,
                "INSERT INTO short_keys(short_key, appid, long_data, created_at, expires_at)"
                " VALUES($1, $2, $3, $4, $5)",
                "tttii", k->key, k->appid, k->long_data, k->created_at, k->expires_at);
}

int store_short_key_get(struct store *s, const char *appid, const char *key, struct short_key *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT short_key, appid, long_data, created_at, expires_at"
                               " FROM short_keys WHERE short_key = $1 AND appid = $2",
                               "tt", key, appid),
                      fill_short_key, out);
}

int store_short_key_purge(struct store *s, int64_t before)
{
    return EXEC(s, "DELETE FROM short_keys WHERE expires_at < $1", "i", before);
}

/* ------------------------------------------------------------------ short URLs */

int store_short_url_insert(struct store *s, const char *key, const char *appid,
                           const char *long_url, int64_t now)
{
    return EXEC(s,
                "INSERT INTO short_urls(short_key, appid, long_url, created_at)"
                " VALUES($1, $2, $3, $4)",
                "ttti", key, appid, long_url, now);
}

struct text_out {
    char *p;
    size_t cap;
};

static void fill_text(struct dbst *st, void *out)
{
    struct text_out *o = out;
    db_col_text(st, 0, o->p, o->cap);
}

int store_short_url_find(struct store *s, const char *appid, const char *long_url, char *key,
                         size_t cap)
{
    struct text_out o = {key, cap};
    return db_one_row(s,
                      db_query(s,
                               "SELECT short_key FROM short_urls"
                               " WHERE appid = $1 AND long_url = $2",
                               "tt", appid, long_url),
                      fill_text, &o);
}

/* ------------------------------------------------------------------ JS-SDK tickets */

static void fill_js_ticket(struct dbst *st, void *out)
{
    struct js_ticket *t = out;
    db_col_text(st, 0, t->appid, sizeof(t->appid));
    db_col_text(st, 1, t->type, sizeof(t->type));
    db_col_text(st, 2, t->ticket, sizeof(t->ticket));
    t->issued_at = db_int64(st, 3);
    t->expires_at = db_int64(st, 4);
}

int store_js_ticket_get(struct store *s, const char *appid, const char *type, struct js_ticket *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT appid, type, ticket, issued_at, expires_at FROM js_tickets"
                               " WHERE appid = $1 AND type = $2",
                               "tt", appid, type),
                      fill_js_ticket, out);
}

int store_js_ticket_put(struct store *s, const struct js_ticket *t)
{
    return EXEC(s,
                "INSERT INTO js_tickets(appid, type, ticket, issued_at, expires_at)"
                " VALUES($1, $2, $3, $4, $5) ON CONFLICT(appid, type) DO UPDATE SET"
                " ticket = excluded.ticket, issued_at = excluded.issued_at,"
                " expires_at = excluded.expires_at",
                "tttii", t->appid, t->type, t->ticket, t->issued_at, t->expires_at);
}
