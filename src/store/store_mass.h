/*
 * store_mass: mass-send jobs (spec/messaging.md §9). The message itself is one chat row
 * addressed to an audience (every follower, a tag, an openid list), never a row per user.
 */
#ifndef LJ_STORE_MASS_H
#define LJ_STORE_MASS_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct mass_job {
    int64_t msg_id;
    char appid[19];
    int64_t msg_data_id; /* mpnews only; else 0 */
    char kind[8];        /* all, tag, list, preview */
    int64_t tag_id;
    char msgtype[24];
    char clientmsgid[72];
    char status[16]; /* SENDING, SEND_SUCCESS, SEND_FAIL, DELETE */
    int64_t total, sent, errors;
    int64_t message_id; /* the chat row */
    int64_t created_at;
};

/* sets j->msg_id */
int store_mass_insert(struct store *s, struct mass_job *j);
int store_mass_get(struct store *s, const char *appid, int64_t msg_id, struct mass_job *out);
/* the job with this clientmsgid created at or after since */
int store_mass_by_client(struct store *s, const char *appid, const char *clientmsgid, int64_t since,
                         struct mass_job *out);
int store_mass_set_status(struct store *s, int64_t msg_id, const char *status);
int store_chat_delete(struct store *s, int64_t message_id);
int store_follower_count(struct store *s, const char *appid, int64_t *out);
int store_tag_member_count(struct store *s, const char *appid, int64_t tag_id, int64_t *out);
int store_mass_speed_get(struct store *s, const char *appid, int64_t *speed);
int store_mass_speed_set(struct store *s, const char *appid, int64_t speed);

#endif
