/*
 * msgcheck: the message objects an account sends (spec/messaging.md §7, §9): checks one
 * {"msgtype":T, T:{...}} request and gives the chat message body it becomes.
 */
#ifndef LJ_MSGCHECK_H
#define LJ_MSGCHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum msg_family { MSG_CUSTOM, MSG_MASS };

/* 0 with msgtype and body (JSON) filled, or the wire errcode */
int msgcheck(const cJSON *req, enum msg_family fam, char *msgtype, size_t tcap, char *body,
             size_t bcap);

struct store;
/* for mpnews: replaces body with {"media_id","articles":[{title,author,digest,
 * thumb_media_id,content_source_url}]} from the news material, so a reader can show it */
int msgcheck_news_summary(struct store *rd, const char *appid, char *body, size_t cap);
#endif
