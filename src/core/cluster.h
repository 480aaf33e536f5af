/*
 * cluster: what the nodes of one platform tell each other (on PostgreSQL; on SQLite there is
 * one node and nothing is sent). A writer job that changes something other nodes keep in
 * memory calls cluster_*() inside its transaction; every node's listener applies the message
 * once it commits, within milliseconds:
 *   - superseded access tokens: each node forgets its cached copy and reads the new expiry;
 *   - a sign-out, a changed or cancelled third-party authorization: the session and
 *     authorizer-token caches start again;
 *   - the test clock's offset;
 *   - cleared daily quotas (calls a node had counted ahead are dropped);
 *   - a new message in a user's chats (a long poll on another node answers at once).
 * When the listener lost its connection it may have missed messages: every cache starts again.
 */
#ifndef LJ_CLUSTER_H
#define LJ_CLUSTER_H

#include <stdint.h>

struct store;
struct token_rec;

int cluster_tokens_changed(struct store *s, const struct token_rec *recs, int n);
int cluster_sessions_changed(struct store *s);
/* every token of an account ended (its secret was reset) */
int cluster_account_tokens_ended(struct store *s, const char *appid);
int cluster_authorizers_changed(struct store *s);
int cluster_clock_moved(struct store *s, int64_t offset);
/* an account's daily counts were cleared (api: one API's; NULL: all of them) */
int cluster_quota_cleared(struct store *s, const char *appid, const char *api);

/* the test clock: its offset lives in meta `clock_offset`, the same for every node */
struct clock_move {
    int64_t secs;   /* in: how far forward */
    int64_t offset; /* out: the new offset */
};
/* writer job (arg: struct clock_move) and its after_commit */
int cluster_clock_advance_run(struct store *s, void *arg);
void cluster_clock_advance_after(void *arg);
/* sets this node's clock from the stored offset (at start) */
int cluster_clock_load(struct store *s);

/* starts listening on `where` (a no-op unless it is a PostgreSQL URL) */
int cluster_start(const char *where);
void cluster_stop(void);

#endif
