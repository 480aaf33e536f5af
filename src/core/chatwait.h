/*
 * chatwait: long polls on a user's chats. A reader that found nothing new registers a
 * waiter; the commit of a message for that user (or of a broadcast) fires it, and so does
 * its deadline. Waiters are fired once, from the chatwait thread.
 */
#ifndef LJ_CHATWAIT_H
#define LJ_CHATWAIT_H

#include <stdint.h>

typedef void (*chatwait_fire_fn)(void *ctx);

void chatwait_start(void);
void chatwait_stop(void);
/* the change counter of a user's chats: read it before looking for messages */
uint64_t chatwait_seq(int64_t user_id);
/* a message for user_id committed; 0 = a broadcast that may reach anyone */
void chatwait_notify(int64_t user_id);
/* chatwait_notify() of this node only (another node committed the message) */
void chatwait_wake(int64_t user_id);
/* fn gets every chatwait_notify(), to tell the other nodes */
void chatwait_set_relay(void (*fn)(int64_t user_id));
/* fires ctx when user_id's counter moves past seq, or at deadline (monotonic ms) */
void chatwait_add(int64_t user_id, uint64_t seq, int64_t deadline_ms, chatwait_fire_fn fire,
                  void *ctx);

#endif
