/*
 * media_io: what the media and material handlers share: reading a multipart upload, the
 * writer job that stores the file, reading {"media_id"} bodies and answering with a file.
 * No SQL, no rules beyond reading: core/media.c decides what a file may be.
 */
#ifndef LJ_MEDIA_IO_H
#define LJ_MEDIA_IO_H

#include <stddef.h>

#include "../core/media.h"
#include "../http/http.h"
#include "../http/multipart.h"

/* an upload request, read; media points into the request body */
struct upload {
    struct mp_form form;
    const struct mp_part *media; /* the `media` part; NULL when the body has none */
    int read_rc;                 /* 0, ERR_MISSING_MEDIA (no readable multipart body) */
    char type[16];               /* ?type=, else a `type` form field; "" if neither */
};

/* reads the body and the type; never fails by itself (see read_rc) */
void mio_read(struct req *r, struct upload *u);
/* a form field (or, failing that, a query parameter) into out: its length, -1 absent,
 * -2 too long */
long mio_field(struct req *r, const struct upload *u, const char *name, char *out, size_t cap);

/* the writer job of one upload: the media to create and what it became */
struct upload_job {
    struct media_new in; /* points into this job */
    struct media_rec out;
    char appid[19];
    char type[16];
    char filename[256];
    char title[256];
    char description[1024];
    size_t len;
    char data[]; /* the file */
};

/* checks the file for type (0 or the errcode), then copies it into a new job (xmalloc) */
int mio_job_new(struct req *r, const struct upload *u, const char *type, int permanent,
                struct upload_job **out);
/* writer run function of an upload_job */
int mio_run(struct store *s, void *arg);
/* the writer job of a media without a file (news, mpvideo) */
struct media_job {
    struct media_new in; /* points into this job */
    struct media_rec out;
    char appid[19];
    char ref_id[72];
    char title[256];
    char description[1024];
    char content[];
};

/* a new job for r's account (xmalloc); content may be NULL */
struct media_job *mio_media_job_new(struct req *r, const char *type, int permanent,
                                    const struct buf *content);
/* writer run function of a media_job */
int mio_media_run(struct store *s, void *arg);
/* checks body.articles and writes a news media (temporary or permanent); done answers */
int mio_news_create(struct req *r, int permanent, req_done_fn done);

/* "http://HOST" + path into out */
void mio_url(struct req *r, const char *path, char *out, size_t cap);
/* the public URL of a media row ("" when it has none) */
void mio_pub_url(struct req *r, const struct media_rec *m, char *out, size_t cap);

/* {"media_id":"..."} from a JSON body into out: 0, ERR_EMPTY_POST_DATA, ERR_DATA_FORMAT,
 * ERR_MISSING_MEDIA_ID, ERR_INVALID_MEDIA_ID (too long) */
int mio_body_id(struct req *r, char *out, size_t cap);
/* answers with the file of m, as an attachment named <media_id>.<ext>; ERR_MEDIA_NOT_EXIST
 * when the file is gone */
int mio_send_file(struct req *r, const struct media_rec *m);
/* answers JSON with exactly "application/json", as the file routes must; releases b */
void mio_send_json(struct req *r, struct buf *b);

#endif
