/*
 * receiver: who a push goes to, read from the database and kept for as long as nothing was
 * committed since (the writer's commit count), and at most a second (an operator command in
 * another process commits without that count). Mode, key and URL changes therefore reach
 * the very next attempt. Used by the push worker's thread only.
 */
#ifndef LJ_PUSH_RECEIVER_H
#define LJ_PUSH_RECEIVER_H

#include "../store/store.h"
#include "../store/store_component.h"

struct receiver {
    /* the account's server; for a component, its URL, Token and key in the same fields */
    struct account acct;
    struct component comp;
    int is_component; /* target is a component: a push to its authorization-event URL */
};

/* the receiver of a push to target (an account, or a component), through the component via
 * ("" = directly); -1 when it has no URL (any more) */
int receiver_load(struct store *rd, const char *target, const char *via, struct receiver *out);

#endif
