/*
 * store_media: the SQL of store_media.h. Nothing here touches files.
 */
#include "store_media.h"
#include "db.h"
#include "../util/err.h"

#include <string.h>

#define MEDIA_COLS                                                                     \
    "id, media_id, appid, type, grp, permanent, filename, ctype, size, pub_id, title," \
    " description, ref_id, created_at, update_time, expires_at"

static void fill_media(struct dbst *st, void *out)
{
    struct media_rec *m = out;
    m->id = db_int64(st, 0);
    db_col_text(st, 1, m->media_id, sizeof(m->media_id));
    db_col_text(st, 2, m->appid, sizeof(m->appid));
    db_col_text(st, 3, m->type, sizeof(m->type));
    db_col_text(st, 4, m->grp, sizeof(m->grp));
    m->permanent = db_int(st, 5);
    db_col_text(st, 6, m->filename, sizeof(m->filename));
    db_col_text(st, 7, m->ctype, sizeof(m->ctype));
    m->size = db_int64(st, 8);
    db_col_text(st, 9, m->pub_id, sizeof(m->pub_id));
    db_col_text(st, 10, m->title, sizeof(m->title));
    db_col_text(st, 11, m->description, sizeof(m->description));
    db_col_text(st, 12, m->ref_id, sizeof(m->ref_id));
    m->created_at = db_int64(st, 13);
    m->update_time = db_int64(st, 14);
    m->expires_at = db_int64(st, 15);
}

int store_media_insert(struct store *s, const struct media_rec *m, const char *content)
{
    return EXEC(s,
                "INSERT INTO media(media_id, appid, type, grp, permanent, filename, ctype, size,"
                " pub_id, title, description, ref_id, content, created_at, update_time,"
                " expires_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                " $14, $15, $16)",
                "ttttittitttttiii", m->media_id, m->appid, m->type, m->grp, (int64_t)m->permanent,
                m->filename, m->ctype, m->size, m->pub_id, m->title, m->description, m->ref_id,
                content ? content : "", m->created_at, m->update_time, m->expires_at);
}

int store_media_get(struct store *s, const char *appid, const char *media_id, struct media_rec *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " MEDIA_COLS " FROM media WHERE media_id = $1 AND appid = $2", "tt",
                 media_id, appid),
        fill_media, out);
}

int store_media_get_pub(struct store *s, const char *pub_id, struct media_rec *out)
{
    if (!pub_id[0])
        return ERR_NOT_FOUND;
    return db_one_row(
        s, db_query(s, "SELECT " MEDIA_COLS " FROM media WHERE pub_id = $1", "t", pub_id),
        fill_media, out);
}

static void fill_content(struct dbst *st, void *out)
{
    struct buf *b = out;
    const void *p = db_text(st, 0);
    buf_append(b, p ? p : "", (size_t)db_bytes(st, 0));
}

int store_media_content(struct store *s, const char *appid, const char *media_id, struct buf *out)
{
    buf_reset(out);
    return db_one_row(s,
                      db_query(s, "SELECT content FROM media WHERE media_id = $1 AND appid = $2",
                               "tt", media_id, appid),
                      fill_content, out);
}

int store_media_set_content(struct store *s, const char *appid, const char *media_id,
                            const char *content, int64_t now)
{
    int rc = EXEC(s,
                  "UPDATE media SET content = $3, update_time = $4"
                  " WHERE media_id = $1 AND appid = $2",
                  "ttti", media_id, appid, content, now);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

int store_media_delete(struct store *s, const char *appid, const char *media_id)
{
    int rc = EXEC(s, "DELETE FROM media WHERE media_id = $1 AND appid = $2", "tt", media_id, appid);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

static void fill_count(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_media_count(struct store *s, const char *appid, const char *grp, int64_t *out)
{
    *out = 0;
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*) FROM media"
                               " WHERE appid = $1 AND permanent = 1 AND grp = $2",
                               "tt", appid, grp),
                      fill_count, out);
}

struct media_rows {
    int content_col; /* 0: none */
    store_media_cb cb;
    void *arg;
    void (*fill)(struct dbst *st, void *m);
};

static void media_row(struct dbst *st, void *ctx)
{
    struct media_rows *rows = ctx;
    struct media_rec m;
    rows->fill(st, &m);
    rows->cb(rows->arg, &m, rows->content_col ? db_text(st, rows->content_col) : NULL);
}

static int each_row(struct store *s, struct dbst *st, int content_col, store_media_cb cb, void *arg)
{
    struct media_rows rows = {content_col, cb, arg, fill_media};
    return db_each(s, st, 0, media_row, &rows);
}

int store_media_list(struct store *s, const char *appid, const char *grp, int64_t offset,
                     int64_t count, int with_content, store_media_cb cb, void *arg)
{
    if (with_content)
        return each_row(s,
                        db_query(s,
                                 "SELECT " MEDIA_COLS ", content FROM media"
                                 " WHERE appid = $1 AND permanent = 1 AND grp = $2"
                                 " ORDER BY update_time DESC, id DESC LIMIT $3 OFFSET $4",
                                 "ttii", appid, grp, count, offset),
                        16, cb, arg);
    return each_row(s,
                    db_query(s,
                             "SELECT " MEDIA_COLS " FROM media"
                             " WHERE appid = $1 AND permanent = 1 AND grp = $2"
                             " ORDER BY update_time DESC, id DESC LIMIT $3 OFFSET $4",
                             "ttii", appid, grp, count, offset),
                    0, cb, arg);
}

static void fill_purged(struct dbst *st, void *out)
{
    struct media_rec *m = out;
    memset(m, 0, sizeof(*m));
    db_col_text(st, 0, m->appid, sizeof(m->appid));
    db_col_text(st, 1, m->media_id, sizeof(m->media_id));
}

int store_media_purge(struct store *s, int64_t now, int64_t limit, store_media_cb cb, void *arg)
{
    struct dbst *st = db_query(s,
                               "DELETE FROM media WHERE id IN (SELECT id FROM media"
                               " WHERE permanent = 0 AND expires_at <= $1 LIMIT $2)"
                               " RETURNING appid, media_id",
                               "ii", now, limit);
    struct media_rows rows = {0, cb, arg, fill_purged};
    return db_each(s, st, 0, media_row, &rows);
}
