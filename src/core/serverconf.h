/*
 * serverconf: an account's message server (URL, Token, EncodingAESKey, mode). Saving a URL
 * first runs WeChat's handshake (spec/messaging.md §1): a signed GET with an echostr the
 * server must echo byte for byte. A URL that fails it is refused with the reason.
 */
#ifndef LJ_SERVERCONF_H
#define LJ_SERVERCONF_H

#include <stddef.h>

struct store;

struct server_conf {
    char appid[19];
    char url[512];
    char token[64];
    char aes_key[48];
    char mode[16];
    int location_report;
};

/* checks the fields' shapes; NULL if fine, else why not */
const char *serverconf_check(const struct server_conf *c);
/* the handshake (blocking, at most 5 s): 0 and reason "" on success */
int serverconf_verify(const struct server_conf *c, char *reason, size_t cap);
/* writer job: saves c into its account */
int serverconf_save_run(struct store *s, void *arg);

#endif
