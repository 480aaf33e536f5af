/* demo: the demo world `lianjie serve --demo` starts with (created once, in an empty store). */
#ifndef LJ_DEMO_H
#define LJ_DEMO_H

struct store;

#define DEMO_PASSWORD "lianjie-demo"

/* creates the demo world unless the store already has users; runs in the caller's transaction */
int demo_seed(struct store *s);

#endif
