/* render: JSON objects for entities, shared by the operator API and the CLI (no HTTP here). */
#ifndef LJ_RENDER_H
#define LJ_RENDER_H

#include "../store/store.h"
#include "../util/buf.h"

void render_open_account(struct buf *b, const struct open_account *o);
/* with_secret: the operator sees it; nobody else does */
void render_account(struct buf *b, const struct account *a, int with_secret);
void render_user(struct buf *b, const struct user *u);
struct component;
/* a third-party platform as the operator sees it (secret included) */
void render_component(struct buf *b, const struct component *c);

#endif
