/*
 * deliver: one push as an HTTP request (spec/messaging.md §2): the query string with its
 * signatures and the body in the account's mode (plaintext, compatible, safe).
 */
#ifndef LJ_DELIVER_H
#define LJ_DELIVER_H

#include <stdint.h>

#include "../util/buf.h"

struct account;
struct component;

struct push_request {
    struct buf url;
    struct buf body;
    int mode; /* MODE_* of reply.h */
    char timestamp[24];
    char nonce[16];
};

/* builds the request; -1 when the account's AES key is unusable */
int deliver_build(const struct account *a, const char *receive_id, const char *openid,
                  const char *xml, int64_t now, struct push_request *out);
/* the request of a push to a component's authorization-event URL: always encrypted with the
 * component's key, receive id the component appid, outer element AppId; -1 on a bad key */
int deliver_build_component(const struct component *c, const char *xml, int64_t now,
                            struct push_request *out);
void deliver_release(struct push_request *r);

#endif
