/*
 * store_media: rows of temporary media and permanent material (spec/accounts.md §8).
 * The files themselves live on disk (core/media.c); a row only names them.
 * Functions return 0, ERR_NOT_FOUND, ERR_CONFLICT or ERR_SYSTEM (store.h).
 */
#ifndef LJ_STORE_MEDIA_H
#define LJ_STORE_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

struct store;

struct media_rec {
    int64_t id;
    char media_id[72];
    char appid[19];
    char type[12]; /* image voice video thumb news mpvideo img */
    char grp[8];   /* what it counts and lists as: image (image, thumb) voice video news; "" */
    int permanent;
    char filename[256];
    char ctype[64];
    int64_t size;
    char pub_id[48]; /* the id of its public URL; "" for none */
    char title[256];
    char description[1024];
    char ref_id[72]; /* mpvideo: the video media it was made from */
    int64_t created_at;
    int64_t update_time;
    int64_t expires_at; /* 0 = never */
};

/* content: the articles of news (a JSON array), "" for the rest */
int store_media_insert(struct store *s, const struct media_rec *m, const char *content);
int store_media_get(struct store *s, const char *appid, const char *media_id,
                    struct media_rec *out);
int store_media_get_pub(struct store *s, const char *pub_id, struct media_rec *out);
/* the content column into out (reset first) */
int store_media_content(struct store *s, const char *appid, const char *media_id, struct buf *out);
int store_media_set_content(struct store *s, const char *appid, const char *media_id,
                            const char *content, int64_t now);
int store_media_delete(struct store *s, const char *appid, const char *media_id);
/* permanent rows of appid in group grp */
int store_media_count(struct store *s, const char *appid, const char *grp, int64_t *out);

/* content is NULL unless the list asked for it */
typedef void (*store_media_cb)(void *arg, const struct media_rec *m, const char *content);
/* permanent rows of appid in group grp, newest first, from offset; with content if asked */
int store_media_list(struct store *s, const char *appid, const char *grp, int64_t offset,
                     int64_t count, int with_content, store_media_cb cb, void *arg);
/* deletes up to limit temporary rows expired at now; cb gets each (appid, media_id only) */
int store_media_purge(struct store *s, int64_t now, int64_t limit, store_media_cb cb, void *arg);

#endif
