/*
 * templates: template messages (spec/messaging.md §8). An account (a verified service account;
 * others get 48001) picks two of WeChat's 41 industries, at most one change a calendar month
 * (43100); a change drops its templates from other industries. It adds up to 25 private
 * templates (45026) from lianjie's template library by short id: a known TM/OPENTM id gives
 * that template (45027 when the account chose industries and the template is from neither),
 * any other TM/OPENTM id a generic one, and a category id (digits) with a keyword_name_list one
 * line per keyword. A send puts the filled-in template into the user's chat and queues the
 * TEMPLATESENDJOBFINISH push in the same writer job. No SQL here.
 */
#ifndef LJ_TEMPLATES_H
#define LJ_TEMPLATES_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "chat.h"
#include "../util/buf.h"

struct store;
struct account;

#define TEMPLATES_MAX          25
#define TEMPLATE_INDUSTRY_MAX  41
#define TEMPLATE_KEYWORDS_MAX  10
#define TEMPLATE_DEDUPE_TTL    600 /* a client_msg_id holds for 10 minutes */
#define TEMPLATE_CLIENT_ID_MAX 64

/* ------------------------------------------------------------------ templates_lib.c */

/* the first and second class of industry id (1-41); NULL for any other id */
const char *templates_industry_first(int64_t id);
const char *templates_industry_second(int64_t id);

/* a template as the library defines it */
struct template_def {
    int64_t industry_id; /* 0: belongs to no industry */
    int from_library;    /* a known short id: the keyword names play no part */
    char title[96];
    struct buf content;
    const char *example;
};

/*
 * The library's template for a short id and keyword names (n may be 0): 0 and *def (release
 * def->content), 40037 for an id the library cannot give, 40246 for a category id without
 * keyword names. Names are checked by the caller.
 */
int templates_lib_lookup(const char *short_id, const char *const *names, size_t n,
                         struct template_def *def);

/*
 * Fills the placeholders {{key.DATA}} of content with data.key.value (data: an object of
 * {"value","color"?} objects) into out. A placeholder without a value becomes empty, and a
 * line holding only such placeholders is left out. Other {{...}} text is kept as is.
 */
void templates_render(const char *content, const cJSON *data, struct buf *out);

/* ------------------------------------------------------------------ templates.c */

/* 0 when appid may use template messages (and the account into out unless NULL), 48001 when
 * it is not a verified service account */
int templates_account_ok(struct store *s, const char *appid, struct account *out);

/* writer job: api_set_industry. id2 0 keeps the current secondary industry */
struct industry_set {
    char appid[19];
    int64_t id1, id2;
};
/* 40103 without a secondary industry, 43100 a second change in a month */
int templates_set_industry_run(struct store *s, void *arg);
/* appends the get_industry answer (empty names when none was chosen) */
int templates_get_industry(struct store *s, const char *appid, struct buf *out);

/* writer job: api_add_template, built by templates_add_prepare; one allocation */
struct template_add {
    char appid[19];
    char short_id[24];
    char template_id[48]; /* out */
    int64_t industry_id;
    char title[96];
    const char *keywords; /* JSON array of the names, "" without */
    const char *content;
    const char *example;
    char data[];
};
/* reads an api_add_template body: 0 and *out (free() it), 40037 (no or bad short id) or
 * 40246 (bad keyword list) */
int templates_add_prepare(const cJSON *body, struct template_add **out);
/* 45026 over 25 templates, 45027 industry conflict; the same short id and keywords again
 * answer the template added before */
int templates_add_run(struct store *s, void *arg);

/* appends the get_all_private_template answer */
int templates_list(struct store *s, const char *appid, struct buf *out);

/* writer job: del_private_template; 40037 when the account has no such template */
struct template_del {
    char appid[19];
    char template_id[48];
};
int templates_del_run(struct store *s, void *arg);

/* ------------------------------------------------------------------ templates_send.c */

/* writer job: message/template/send, built by templates_send_prepare; one allocation */
struct template_send {
    char appid[19];
    char openid[29];
    char template_id[48];
    char client_msg_id[TEMPLATE_CLIENT_ID_MAX + 1];
    const char *data; /* the normalised data object */
    const char *link; /* `"url":...,"miniprogram":...` members of the chat body */
    /* out */
    int64_t msgid;
    int repeated; /* the client_msg_id was used in the last 10 minutes: nothing sent */
    struct account_msg msg;
    char text[];
};

/*
 * Reads a message/template/send body: 0 and *out (free() it), or 40003 (touser), 40037
 * (template_id), 47003 (data, url, miniprogram, client_msg_id) with a sentence naming the
 * field in why.
 */
int templates_send_prepare(const cJSON *body, struct template_send **out, char *why, size_t cap);
/* 40037 unknown template, 40003 not the account's openid, 43004 not following, 43019
 * blacklisted, 45014 too large */
int templates_send_run(struct store *s, void *arg);
/* after commit: wakes the user's chat and the push worker */
void templates_send_after(void *arg);

#endif
