/*
 * store_qrcode: storage of scene QR codes, short keys, legacy short URLs and JS-SDK tickets
 * (spec/accounts.md §5-§7). The SQL is in store_qrcode.c. Same conventions as store.h:
 * 0, ERR_NOT_FOUND, ERR_CONFLICT (unique key taken) or ERR_SYSTEM.
 */
#ifndef LJ_STORE_QRCODE_H
#define LJ_STORE_QRCODE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* a scene QR code (or any code shown by /cgi-bin/showqrcode) */
struct qrcode {
    char appid[19];
    char action[24];    /* QR_SCENE, QR_STR_SCENE, QR_LIMIT_SCENE, QR_LIMIT_STR_SCENE, ... */
    int64_t scene_id;   /* 0 for string scenes */
    char scene_str[65]; /* "" for integer scenes */
    char ticket[64];    /* what showqrcode takes */
    char code[24];      /* the 22-character id in the url */
    char url[320];      /* the QR content: http://HOST/q/CODE */
    int64_t created_at;
    int64_t expires_at; /* 0 = permanent */
};

struct short_key {
    char key[16];
    char appid[19];
    char long_data[4097]; /* at most 4 KB */
    int64_t created_at;
    int64_t expires_at;
};

struct js_ticket {
    char appid[19];
    char type[16]; /* "jsapi" | "wx_card" */
    char ticket[128];
    int64_t issued_at;
    int64_t expires_at;
};

int store_qrcode_insert(struct store *s, const struct qrcode *q);
int store_qrcode_by_ticket(struct store *s, const char *ticket, struct qrcode *out);
int store_qrcode_by_code(struct store *s, const char *code, struct qrcode *out);
/* the permanent code of (appid, action, scene_id, scene_str) */
int store_qrcode_permanent(struct store *s, const char *appid, const char *action, int64_t scene_id,
                           const char *scene_str, struct qrcode *out);
/* the number of permanent codes of appid (0 when none) */
int store_qrcode_permanent_count(struct store *s, const char *appid, int64_t *out);
int store_qrcode_permanent_count_add(struct store *s, const char *appid, int64_t delta);
/* deletes temporary codes that expired before `before` */
int store_qrcode_purge(struct store *s, int64_t before);

int store_short_key_insert(struct store *s, const struct short_key *k);
/* the key of appid */
int store_short_key_get(struct store *s, const char *appid, const char *key, struct short_key *out);
int store_short_key_purge(struct store *s, int64_t before);

int store_short_url_insert(struct store *s, const char *key, const char *appid,
                           const char *long_url, int64_t now);
/* the key already given to (appid, long_url) */
int store_short_url_find(struct store *s, const char *appid, const char *long_url, char *key,
                         size_t cap);

int store_js_ticket_get(struct store *s, const char *appid, const char *type,
                        struct js_ticket *out);
/* inserts or replaces the ticket of (appid, type) */
int store_js_ticket_put(struct store *s, const struct js_ticket *t);

#endif
