/*
 * store_templates: storage of template messages (spec/messaging.md §8): an account's two
 * industries, its private templates and the client_msg_id of recent sends. The SQL is in
 * store_templates.c. Same conventions as store.h: 0, ERR_NOT_FOUND, ERR_CONFLICT or
 * ERR_SYSTEM.
 */
#ifndef LJ_STORE_TEMPLATES_H
#define LJ_STORE_TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* the industries an account chose (ids 1-41) and when it last changed them */
struct industry_row {
    char appid[19];
    int64_t id1, id2;
    int64_t set_at;
};

/* a private template. In a callback the strings are valid during the call only */
struct template_row {
    char template_id[48];
    char appid[19];
    char short_id[24];    /* what api_add_template took */
    const char *keywords; /* the keyword_name_list as a JSON array, "" without one */
    int64_t industry_id;  /* the library industry; 0 = none */
    char title[96];
    const char *content; /* with {{key.DATA}} placeholders */
    const char *example;
    int64_t created_at;
};

typedef void (*store_template_cb)(void *arg, const struct template_row *t);

int store_industry_get(struct store *s, const char *appid, struct industry_row *out);
/* inserts or replaces */
int store_industry_put(struct store *s, const struct industry_row *r);

int store_template_insert(struct store *s, const struct template_row *t);
/* the template to cb; ERR_NOT_FOUND when the account has no such template */
int store_template_get(struct store *s, const char *appid, const char *template_id,
                       store_template_cb cb, void *arg);
/* the account's template added from (short_id, keywords); ERR_NOT_FOUND if none */
int store_template_find(struct store *s, const char *appid, const char *short_id,
                        const char *keywords, store_template_cb cb, void *arg);
/* every template of the account, oldest first */
int store_template_list(struct store *s, const char *appid, store_template_cb cb, void *arg);
int store_template_count(struct store *s, const char *appid, int64_t *out);
/* ERR_NOT_FOUND when the account has no such template */
int store_template_delete(struct store *s, const char *appid, const char *template_id);
/* deletes the library templates whose industry is neither keep1 nor keep2 */
int store_template_delete_other_industries(struct store *s, const char *appid, int64_t keep1,
                                           int64_t keep2);

/* the msgid of a send with client_msg_id to openid at or after `since`; ERR_NOT_FOUND if none */
int store_template_sent(struct store *s, const char *appid, const char *openid,
                        const char *client_msg_id, int64_t since, int64_t *msgid);
/* records a send with client_msg_id (replacing an older one) and forgets the account's sends
 * from before `forget_before` */
int store_template_sent_put(struct store *s, const char *appid, const char *openid,
                            const char *client_msg_id, int64_t msgid, int64_t now,
                            int64_t forget_before);

#endif
