/*
 * store: the storage interface. All SQL of the project lives below this header.
 *
 * A `struct store` is one connection: not shared between threads. The server gives each
 * event-loop thread one for reads and the writer thread one for writes (writer.h); the CLI
 * opens its own. Every function runs on both engines, embedded SQLite and PostgreSQL: one
 * SQL text over the driver interface of db.h.
 *
 * Functions return 0, ERR_NOT_FOUND, ERR_CONFLICT (unique key taken) or ERR_SYSTEM.
 * Fixed-size char fields are NUL-terminated and truncated to fit.
 */
#ifndef LJ_STORE_H
#define LJ_STORE_H

#include <stdint.h>
#include <stddef.h>

struct store;

struct open_account {
    char appid[19];
    char name[128];
    int64_t created_at;
};

struct account {
    char appid[19];
    char secret[33];
    char original_id[16];
    char name[128];
    char type[16]; /* "service" | "subscription" */
    int verified;
    char avatar[256];
    char open_appid[19]; /* "" when not bound */
    char server_url[512];
    char server_token[64];
    char aes_key[48];
    char msg_mode[16];       /* "plaintext" | "compatible" | "safe" */
    char ip_whitelist[1024]; /* comma separated; "" = any */
    char oauth_domain[256];  /* web authorization domain: host or host:port; "" = none */
    int location_report;     /* LOCATION events: 0 off, 1 on entering a chat, 2 every 5 s */
    int64_t created_at;
};

struct user {
    int64_t id;
    char username[64];
    char password_hash[128];
    char nickname[128];
    char avatar[256];
    int sex; /* 0 unknown, 1 male, 2 female */
    char language[16];
    char country[64];
    char province[64];
    char city[64];
    int64_t created_at;
};

enum token_kind { TOKEN_KIND_PLAIN = 0, TOKEN_KIND_STABLE = 1 };

struct token_rec {
    char token[128];
    char appid[19];
    int kind;
    int superseded; /* replaced by a newer token: answers 40001 once past expires_at */
    int64_t issued_at;
    int64_t expires_at;
};

struct session_rec {
    char token[64];
    int64_t user_id;
    int64_t expires_at;
};

struct oauth_code {
    char code_hash[65]; /* sha256 hex of the code: codes are never stored in clear */
    char appid[19];
    int64_t user_id;
    char scope[64];
    int64_t expires_at;
    int used;
};

struct oauth_token {
    char token[128];
    char refresh_token[128];
    char appid[19];
    int64_t user_id;
    char scope[64];
    int64_t expires_at;
    int64_t refresh_expires_at;
};

/* a website QR login: status 0 waiting, 1 scanned, 2 confirmed, 3 refused */
struct qr_login {
    char uuid[40];
    char appid[19];
    char redirect_uri[1024];
    char state[160];
    int64_t user_id;
    int status;
    char code[64];
    int64_t expires_at;
};

typedef void (*store_open_account_cb)(void *arg, const struct open_account *o);
typedef void (*store_account_cb)(void *arg, const struct account *a);
typedef void (*store_user_cb)(void *arg, const struct user *u);

/*
 * opens a store and applies pending migrations (once, however many nodes start together);
 * refuses a schema newer than this build knows. `where` is a postgres:// URL, or a data
 * directory whose lianjie.db (SQLite) is created if needed.
 */
int store_open(const char *where, struct store **out);
/* `where` names a PostgreSQL database */
int store_is_url(const char *where);
/*
 * SQLite's durability for stores opened from now on: full (the default) syncs the log at every
 * commit, so a commit survives a power cut; 0 (synchronous=NORMAL) survives a killed process
 * only. PostgreSQL always commits durably.
 */
void store_set_sync_full(int full);
int store_sync_full(void);
void store_close(struct store *s);
int store_schema_version(struct store *s);

int store_begin(struct store *s);
/* transactions begun on this connection so far: what was reserved in another is gone */
uint64_t store_tx_seq(struct store *s);
/* between store_begin and store_commit or store_rollback */
int store_in_tx(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);
int store_savepoint(struct store *s);
int store_savepoint_release(struct store *s);
int store_savepoint_rollback(struct store *s);
/* a statement failed inside the open transaction and PostgreSQL refuses the rest of it */
int store_tx_failed(struct store *s);
/*
 * For the writer's connection: commits stop checkpointing the WAL themselves (SQLite would do
 * it inside COMMIT every 1000 pages); the owner calls store_checkpoint() when
 * store_wal_pages() (pages in the WAL after the last commit) has grown enough.
 */
void store_wal_manual(struct store *s);
int store_wal_pages(struct store *s);
/* rows changed by this connection's completed INSERT, UPDATE and DELETE statements so far */
int64_t store_total_changes(struct store *s);
/* copies committed WAL pages into the database (PASSIVE: never waits for readers) */
int store_checkpoint(struct store *s);
/* nanoseconds spent in the database by this connection since it opened */
int64_t store_busy_ns(struct store *s);

/*
 * Messages between the nodes of one platform (PostgreSQL: NOTIFY). store_notify() sends msg
 * (at most 7000 bytes) to every node's listener, this one's too, when the open transaction
 * commits, and not at all when it rolls back. A listener thread calls fn(msg) for each, in
 * order, and fn(NULL) when messages may have been missed (its connection was lost), so that
 * everything cached must be read again. On SQLite, one process owns the data: store_notify()
 * does nothing and no listener runs.
 */
int store_notify(struct store *s, const char *msg);
/* like store_notify, from any thread and outside any transaction: the listener sends msg
 * soon after (for wake-ups that may be lost with a dying node, such as a long poll's) */
void store_broadcast(const char *msg);
/* 1 when several nodes may share this store (PostgreSQL): counts must be kept in it */
int store_is_shared(struct store *s);
int store_listen_start(const char *where, void (*fn)(const char *msg));
void store_listen_stop(void);

int store_meta_get(struct store *s, const char *key, char *out, size_t cap);
int store_meta_put(struct store *s, const char *key, const char *value);

int store_open_account_insert(struct store *s, const struct open_account *o);
int store_open_account_get(struct store *s, const char *appid, struct open_account *out);
int store_open_account_list(struct store *s, store_open_account_cb cb, void *arg);

int store_account_insert(struct store *s, const struct account *a);
int store_account_get(struct store *s, const char *appid, struct account *out);
int store_account_list(struct store *s, store_account_cb cb, void *arg);
/* writes every mutable field of a (looked up by a->appid) */
int store_account_update(struct store *s, const struct account *a);

/* sets u->id */
int store_user_insert(struct store *s, struct user *u);
int store_user_get(struct store *s, int64_t id, struct user *out);
int store_user_get_by_name(struct store *s, const char *username, struct user *out);
int store_user_list(struct store *s, store_user_cb cb, void *arg);
int store_user_set_password(struct store *s, int64_t id, const char *password_hash);
int store_user_count(struct store *s, int64_t *out);

int store_token_insert(struct store *s, const struct token_rec *t);
int store_token_get(struct store *s, const char *token, struct token_rec *out);
/* the newest token of (appid, kind) */
int store_token_latest(struct store *s, const char *appid, int kind, struct token_rec *out);
/* marks every token of (appid, kind) valid past `until` as superseded, expiring at `until` */
int store_token_supersede(struct store *s, const char *appid, int kind, int64_t until);
/* calls cb for every token of (appid, kind) that is valid past `after` */
typedef void (*store_token_cb)(void *arg, const struct token_rec *t);
int store_token_list_live(struct store *s, const char *appid, int kind, int64_t after,
                          store_token_cb cb, void *arg);
/* drops tokens that expired before `before` */
int store_token_purge(struct store *s, int64_t before);

/* counters: (appid, name, period) -> value; period is a day or month number */
int store_counter_get(struct store *s, const char *appid, const char *name, int64_t period,
                      int64_t *value, int64_t *updated_at);
int store_counter_set(struct store *s, const char *appid, const char *name, int64_t period,
                      int64_t value, int64_t now);
/*
 * counts n more in (appid, name, period) unless that would pass `limit`, in one atomic
 * statement: *taken 1 (and *value the new count) or 0. On PostgreSQL, outside a transaction,
 * it commits without waiting for the disk (see db_pg.c).
 */
int store_counter_take(struct store *s, const char *appid, const char *name, int64_t period,
                       int64_t limit, int64_t n, int64_t now, int *taken, int64_t *value);
/* raises (appid, name, period) to at least `floor`, then adds `step`, in one atomic statement;
 * *value the new value */
int store_counter_bump(struct store *s, const char *appid, const char *name, int64_t period,
                       int64_t floor, int64_t step, int64_t now, int64_t *value);
/* deletes every counter of appid in `period` whose name starts with prefix */
int store_counter_clear(struct store *s, const char *appid, const char *prefix, int64_t period);

int store_session_insert(struct store *s, const struct session_rec *r);
int store_session_get(struct store *s, const char *token, struct session_rec *out);
int store_session_delete(struct store *s, const char *token);
/* ends every session of the user */
int store_session_delete_user(struct store *s, int64_t user_id);

int store_oauth_code_insert(struct store *s, const struct oauth_code *c);
/* reads the code and marks it used in one step; out->used tells whether it was used before */
int store_oauth_code_take(struct store *s, const char *code_hash, struct oauth_code *out);
int store_oauth_token_insert(struct store *s, const struct oauth_token *t);
int store_oauth_token_get(struct store *s, const char *token, struct oauth_token *out);
int store_oauth_token_by_refresh(struct store *s, const char *refresh, struct oauth_token *out);
/* replaces the access token (and its expiry) of a refresh token */
int store_oauth_token_renew(struct store *s, const char *refresh, const char *token,
                            int64_t expires_at);
int store_oauth_grant_get(struct store *s, const char *appid, int64_t user_id, char *scope,
                          size_t cap);
int store_oauth_grant_put(struct store *s, const char *appid, int64_t user_id, const char *scope,
                          int64_t now);
/* a website or account the user let see them through web authorization */
struct oauth_grant {
    char appid[19];
    char scope[64];
    int64_t granted_at;
};
typedef void (*store_grant_cb)(void *arg, const struct oauth_grant *g);
int store_oauth_grant_list(struct store *s, int64_t user_id, store_grant_cb cb, void *arg);
/* ends a grant and every web authorization token of it: 0 or ERR_NOT_FOUND */
int store_oauth_revoke(struct store *s, const char *appid, int64_t user_id);
int store_user_set_nickname(struct store *s, int64_t id, const char *nickname);
int store_qr_login_insert(struct store *s, const struct qr_login *q);
int store_qr_login_get(struct store *s, const char *uuid, struct qr_login *out);
int store_qr_login_update(struct store *s, const struct qr_login *q);

#endif
