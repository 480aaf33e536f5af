/*
 * media: temporary media and permanent material (spec/accounts.md §8): the rules, and the
 * files, which live on disk as DATA/media/<appid>/<media_id> (the row in the store only
 * names them). A file is written before its row and removed after its row is gone, so a
 * row never names a missing file unless something outside lianjie removed it.
 *
 * Temporary media live MEDIA_TTL seconds on the one clock (core/clock.h); then they answer
 * 40007 and the purge removes row and file. Permanent material counts against per-account
 * limits: images (and thumbs) and news MEDIA_MAX_IMAGES each, voice and video
 * MEDIA_MAX_OTHERS each (45034 past them). Images and videos get a public URL path
 * (MEDIA_IMG_PATH / MEDIA_VIDEO_PATH + an unguessable id of 192 bits) served without a token.
 *
 * Functions that write run on the writer thread (store/writer.h); the others read.
 */
#ifndef LJ_MEDIA_H
#define LJ_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_media.h"

#define MEDIA_TTL        (3 * 86400)
#define MEDIA_MAX_IMAGES 100000
#define MEDIA_MAX_OTHERS 1000
#define MEDIA_IMG_PATH   "/mmbiz/img?id="
#define MEDIA_VIDEO_PATH "/mmbiz/video?id="

struct store;

/* the data directory (set once at start, before any thread uses media) */
void media_set_dir(const char *data_dir);
/* DATA/media/<appid>/<media_id> into out */
void media_file_path(const char *appid, const char *media_id, char *out, size_t cap);
/* removes the file of a media (after its row is gone); a missing file is fine */
void media_unlink(const char *appid, const char *media_id);

/* one new media or material */
struct media_new {
    const char *appid;
    const char *type; /* image voice video thumb img (files); news mpvideo (no file) */
    int permanent;
    const char *filename; /* as the client named it; NULL or "" for none */
    const void *data;     /* the file (types with a file) */
    size_t len;
    const char *title;       /* video material, mpvideo; NULL for "" */
    const char *description; /* video material, mpvideo; NULL for "" */
    const char *ref_id;      /* mpvideo: the video media it comes from */
    const char *content;     /* news: the articles as a JSON array */
    int64_t now;
};

/*
 * Writer: checks the file (media_check), the account's count limit, writes the file and
 * then the row; out gets the row. 0, or ERR_INVALID_MEDIA_TYPE, ERR_EMPTY_MEDIA,
 * ERR_INVALID_FILE_TYPE, ERR_INVALID_MEDIA_SIZE, ERR_VOICE_PLAYTIME, ERR_MEDIA_COUNT_LIMIT,
 * ERR_SYSTEM.
 */
int media_create(struct store *s, const struct media_new *in, struct media_rec *out);

/*
 * Writer: saves a file as media of appid (type image voice video thumb) and puts its
 * media_id in media_id (cap >= 72). ctype is the client's word for the file's type; the
 * stored type is told from the content. Errors as media_create.
 */
int media_save(struct store *s, const char *appid, const char *type, int permanent,
               const char *filename, const char *ctype, const void *data, size_t len, int64_t now,
               char *media_id, size_t cap);

/*
 * Whether media_id is a media of appid that is permanent or still live at now: 0 with its
 * type (image voice video thumb news mpvideo) in type, ERR_INVALID_MEDIA_ID, ERR_SYSTEM.
 */
int media_exists(struct store *s, const char *appid, const char *media_id, int64_t now, char *type,
                 size_t cap);
/* as media_exists, with the whole row */
int media_get_live(struct store *s, const char *appid, const char *media_id, int64_t now,
                   struct media_rec *out);
/*
 * The public URL path ("/mmbiz/img?id=…", no host) of a live image or thumb media of appid:
 * 0, ERR_INVALID_MEDIA_ID, ERR_SYSTEM. Prefix it with the scheme and host of the answer.
 */
int media_image_path(struct store *s, const char *appid, const char *media_id, int64_t now,
                     char *out, size_t cap);
/* the public URL path of a media row with a public id; "" when it has none */
void media_pub_path(const struct media_rec *m, char *out, size_t cap);

/* writer: deletes a permanent material of appid (then media_unlink once committed):
 * 0, ERR_INVALID_MEDIA_ID, ERR_MATERIAL_IN_USE (a menu names it: 48005), ERR_SYSTEM */
int media_delete(struct store *s, const char *appid, const char *media_id);
/*
 * Writer: replaces article `index` of a permanent news material with the JSON object
 * `article`: 0, ERR_INVALID_MEDIA_ID (no such news), ERR_INVALID_ARGS (index out of range),
 * ERR_SYSTEM.
 */
int media_news_update(struct store *s, const char *appid, const char *media_id, int64_t index,
                      const char *article, int64_t now);
/* writer job (arg unused): removes up to 256 expired temporary media, rows and files */
int media_purge_run(struct store *s, void *unused);

#endif
