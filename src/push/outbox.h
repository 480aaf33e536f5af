/*
 * outbox: pushes waiting for the delivery worker. push_enqueue runs inside the writer job of
 * the action that causes the push, so the push commits with it (or not at all).
 */
#ifndef LJ_OUTBOX_H
#define LJ_OUTBOX_H

#include <stdint.h>

#include "../util/buf.h"

struct store;
struct account;
struct component;

/* starts the XML of a push: <xml> and the four common elements */
void push_xml_head(struct buf *b, const struct account *a, const char *openid, int64_t now,
                   const char *msgtype);
/* queues a push of xml for a's server; does nothing when a has no server URL */
int push_enqueue(struct store *s, const struct account *a, int64_t user_id, const char *openid,
                 const char *kind, const char *xml, int reply_ok);
/* queues a push of xml for the authorization-event URL of component c (spec/component.md
 * §2: always encrypted, answered with "success"); does nothing when c has no such URL */
int push_enqueue_component(struct store *s, const struct component *c, const char *kind,
                           const char *xml);

/* days a push and its attempts stay in the push log once delivered, failed or dropped */
#define PUSH_LOG_DAYS    7
#define PUSH_PRUNE_BATCH 5000
/* writer job: removes up to PUSH_PRUNE_BATCH pushes past PUSH_LOG_DAYS (on the test clock);
 * arg is an int telling how many */
int push_prune_run(struct store *s, void *removed);

#endif
