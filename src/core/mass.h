/*
 * mass: mass sends (spec/messaging.md §9). A send to everyone or to a tag is one chat row
 * whose audience is resolved when a follower reads the chat, so the call costs the same for
 * ten followers or a million. A send to an openid list (at most 10 000) records its
 * recipients. The MASSSENDJOBFINISH push is queued with the job. The caps (4 sends a month
 * per follower of a service account, 1 send a day for a subscription account) are described
 * above caps() in mass.c.
 */
#ifndef LJ_MASS_H
#define LJ_MASS_H

#include "chat.h"
#include "../store/store_mass.h"

#define MASS_LIST_MAX 10000

struct mass_op {
    char appid[19];
    char kind[8]; /* all, tag, list, preview */
    int64_t tag_id;
    char msgtype[24];
    char body[CHAT_BODY_MAX];
    char clientmsgid[72];
    /* results */
    struct mass_job job;
    int duplicate;         /* clientmsgid used within 24 h: job is the earlier one */
    int64_t month_jobs;    /* capped sends of the account earlier in job.month */
    int64_t month_not_all; /* those of them not to everyone */
    /* list: n openids; preview: one */
    int n;
    char openids[][29];
};

int mass_send_run(struct store *s, void *arg);
void mass_send_after(void *arg);

#endif
