/*
 * store_mass: mass-send jobs (spec/messaging.md §9). The message itself is one chat row
 * addressed to an audience (every follower, a tag, an openid list), never a row per user.
 */
#ifndef LJ_STORE_MASS_H
#define LJ_STORE_MASS_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* mass messages a follower of a service account receives in a calendar month (UTC+8) */
#define MASS_MONTH_CAP     4
#define MASS_MONTH_CAP_SQL "4" /* the same, inside SQL text */

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
    int64_t month; /* clock_month() of a send capped per follower; 0 = not capped */
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
/*
 * Caps (core/mass.c). A capped job "reaches" a follower when it is a send to everyone, to a
 * tag the follower has, or to a list that recorded them, and its chat row is newer than the
 * follower's follow_mark.
 */
/* the capped jobs of appid in month, and how many of them are not sends to everyone */
int store_mass_month_jobs(struct store *s, const char *appid, int64_t month, int64_t *jobs,
                          int64_t *not_all);
/* the chat row of the capped job of month that has n newer ones (0: the newest) */
int store_mass_month_nth(struct store *s, const char *appid, int64_t month, int64_t n,
                         int64_t *message_id);
/* the subscribed followers of appid (tag_id < 0) or of one tag with follow_mark < mark */
int store_mass_followers_before(struct store *s, const char *appid, int64_t tag_id, int64_t mark,
                                int64_t *out);
/* the subscribed followers of appid (tag_id < 0) or of one tag that at least `cap` capped
 * jobs of month reach */
int store_mass_capped_followers(struct store *s, const char *appid, int64_t month, int64_t tag_id,
                                int64_t cap, int64_t *out);
/* the capped jobs of month that reach one follower */
int store_mass_reaching(struct store *s, const char *appid, int64_t month, const char *openid,
                        int64_t user_id, int64_t follow_mark, int64_t *out);
/* the sends (not previews) of appid created at or after since */
int store_mass_sends_since(struct store *s, const char *appid, int64_t since, int64_t *out);
int store_mass_speed_get(struct store *s, const char *appid, int64_t *speed);
int store_mass_speed_set(struct store *s, const char *appid, int64_t speed);

#endif
