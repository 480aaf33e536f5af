/*
 * reply: what a developer's server answered to a push (spec/messaging.md §2, §3.5, §6).
 * "success" or an empty body is no reply; otherwise a passive reply, plain or in the
 * encrypted envelope, becomes a chat message for the user. Anything else is refused with a
 * reason the developer can read in the push log.
 */
#ifndef LJ_REPLY_H
#define LJ_REPLY_H

#include <stddef.h>

#include "../util/buf.h"

enum { MODE_PLAINTEXT = 0, MODE_COMPATIBLE = 1, MODE_SAFE = 2 };

enum reply_kind { REPLY_NONE, REPLY_MESSAGE, REPLY_TRANSFER, REPLY_BAD };

struct reply_ctx {
    const char *receive_id; /* appid the envelope must name */
    const char *token;
    const unsigned char *key; /* AES key; NULL in plaintext mode */
    int mode;
    const char *openid;      /* the user the push was about */
    const char *original_id; /* the account's gh_ id */
    int max_articles;        /* news: 1 in reply to a message, 8 to an event */
};

struct reply {
    enum reply_kind kind;
    char msgtype[32];
    struct buf body; /* the chat message's JSON object */
    char detail[160];
};

/* mode name to MODE_*; -1 if unknown */
int reply_mode(const char *name);
/* fills out (call reply_release after); never fails: a bad answer is REPLY_BAD */
void reply_parse(const struct reply_ctx *c, const char *body, size_t len, struct reply *out);
void reply_release(struct reply *r);

#endif
