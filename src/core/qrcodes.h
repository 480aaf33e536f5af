/*
 * qrcodes: scene QR codes (spec/accounts.md §5). An account asks for a code carrying a scene
 * (an integer or a string); it gets an opaque ticket, which /cgi-bin/showqrcode turns into
 * the image, and the url the image encodes, http://HOST/q/CODE. Temporary codes
 * (QR_SCENE, QR_STR_SCENE) live expire_seconds (60 when absent, at most 30 days: longer asks
 * are cut to 30 days); permanent codes (QR_LIMIT_SCENE, QR_LIMIT_STR_SCENE) never expire, are
 * at most 100 000 per account (45029), and asking again for a scene that already has one
 * answers that same code. Tickets carry 188 random bits; codes 128. No SQL here.
 */
#ifndef LJ_QRCODES_H
#define LJ_QRCODES_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_qrcode.h"

#define QR_TEMP_DEFAULT_TTL 60
#define QR_TEMP_MAX_TTL     2592000
#define QR_PERMANENT_MAX    100000
#define QR_LIMIT_SCENE_MAX  100000
#define QR_SCENE_STR_MAX    64
#define QR_PURGE_AFTER      (7 * 86400) /* expired codes still resolve (as expired) this long */

/* 1 for a temporary action, 0 for a permanent one, -1 for an unknown one */
int qrcodes_action_kind(const char *action);

struct qrcode_new {
    /* in */
    char appid[19];
    char host[256];
    char action[24];
    int has_scene_id; /* scene_id was given as an integer (or numeric string) */
    int64_t scene_id;
    int has_scene_str; /* scene_str was given as a string (of any length: see scene_str_len) */
    char scene_str[65];
    size_t scene_str_len;
    int64_t expire_seconds; /* as asked; 0 = absent */
    /* out */
    struct qrcode out;
};

/* checks the action and its scene, and settles the lifetime (temporary codes):
 * 0, ERR_INVALID_ACTION_NAME or ERR_INVALID_ACTION_INFO */
int qrcodes_check(struct qrcode_new *q);
/* writer job (arg: struct qrcode_new, checked): issues the code, or finds the permanent one */
int qrcodes_create_run(struct store *s, void *arg);

/*
 * Stores a new code of any kind for other families (card QR codes): fills q->ticket, q->code,
 * q->url (on host) and q->created_at; q->appid, action, scene and expires_at are the
 * caller's. Runs on the writer thread. 0 or ERR_SYSTEM.
 */
int qrcodes_issue(struct store *s, const char *host, struct qrcode *q);

/* the host part of a Host header fit for a url (up to the first other character) */
void qrcodes_safe_host(const char *host, char *out, size_t cap);

/*
 * The code behind a ticket, a url "http(s)://anyhost/q/CODE" or a bare CODE: 0, ERR_EXPIRED
 * (out is still filled: the code existed and is past expires_at), or ERR_NOT_FOUND.
 */
int qrcodes_resolve(struct store *s, const char *ticket_or_url, int64_t now, struct qrcode *out);
/* the same for a ticket only (showqrcode); spaces read as '+' (a ticket sent unencoded) */
int qrcodes_by_ticket(struct store *s, const char *ticket, int64_t now, struct qrcode *out);

/* writer job: drops temporary codes expired QR_PURGE_AFTER ago and expired short keys */
int qrcodes_purge_run(struct store *s, void *unused);

#endif
