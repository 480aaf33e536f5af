/* cluster: see cluster.h. Messages are one word and its arguments: "tok H…" (hashes of
 * superseded tokens), "toka APPID" (all of an account's), "ses", "az", "clk OFFSET", "quota APPID
 * [API]", and "chat USER_ID" (a new message in a user's chats, for the long polls waiting on other
 * nodes; sent after the commit, so one a dying node never sent only makes a poll wait its full
 * time). No SQL here. */
#include "cluster.h"
#include "chatwait.h"
#include "clock.h"
#include "component.h"
#include "quota.h"
#include "sessions.h"
#include "tokens.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/hash.h"
#include "../util/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cluster_tokens_changed(struct store *s, const struct token_rec *recs, int n)
{
    if (n == 0)
        return 0;
    char msg[4 + TOKEN_SUPERSEDE_MAX * 11];
    size_t o = (size_t)snprintf(msg, sizeof(msg), "tok");
    for (int i = 0; i < n && o + 12 < sizeof(msg); i++)
        o += (size_t)snprintf(msg + o, sizeof(msg) - o, " %" PRIu32,
                              hash_fnv1a(recs[i].token, strlen(recs[i].token)));
    return store_notify(s, msg);
}

int cluster_account_tokens_ended(struct store *s, const char *appid)
{
    char msg[40];
    snprintf(msg, sizeof(msg), "toka %s", appid);
    return store_notify(s, msg);
}

int cluster_sessions_changed(struct store *s)
{
    return store_notify(s, "ses");
}

int cluster_authorizers_changed(struct store *s)
{
    return store_notify(s, "az");
}

int cluster_clock_moved(struct store *s, int64_t offset)
{
    char msg[32];
    snprintf(msg, sizeof(msg), "clk %lld", (long long)offset);
    return store_notify(s, msg);
}

int cluster_quota_cleared(struct store *s, const char *appid, const char *api)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "quota %s%s%s", appid, api ? " " : "", api ? api : "");
    return store_notify(s, msg);
}

static void quota_cleared(const char *p)
{
    char appid[19];
    size_t n = strcspn(p, " ");
    if (n == 0 || n >= sizeof(appid))
        return;
    memcpy(appid, p, n);
    appid[n] = 0;
    quota_reset_memory(appid, p[n] == ' ' ? p + n + 1 : NULL);
}

static int stored_offset(struct store *s, int64_t *out)
{
    char v[32];
    *out = 0;
    int rc = store_meta_get(s, "clock_offset", v, sizeof(v));
    if (rc == 0)
        *out = strtoll(v, NULL, 10);
    return rc == ERR_NOT_FOUND ? 0 : rc;
}

int cluster_clock_advance_run(struct store *s, void *arg)
{
    struct clock_move *m = arg;
    int64_t base;
    if (stored_offset(s, &base) != 0)
        return ERR_SYSTEM;
    if (clock_offset() > base)
        base = clock_offset();
    m->offset = base + m->secs;
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)m->offset);
    if (store_meta_put(s, "clock_offset", v) != 0)
        return ERR_SYSTEM;
    return cluster_clock_moved(s, m->offset);
}

void cluster_clock_advance_after(void *arg)
{
    clock_set_offset(((struct clock_move *)arg)->offset);
}

int cluster_clock_load(struct store *s)
{
    int64_t off;
    int rc = stored_offset(s, &off);
    if (rc == 0)
        clock_set_offset(off);
    return rc;
}

static void forget_tokens(const char *p)
{
    while (*p == ' ') {
        char *end;
        unsigned long h = strtoul(p + 1, &end, 10);
        if (end == p + 1)
            break;
        tokens_cache_forget((uint32_t)h);
        p = end;
    }
}

static void relay_chat(int64_t user_id)
{
    char msg[32];
    snprintf(msg, sizeof(msg), "chat %lld", (long long)user_id);
    store_broadcast(msg);
}

static void on_message(const char *msg)
{
    if (!msg) {
        chatwait_wake(0);
        tokens_cache_forget_all();
        sessions_changed(NULL);
        component_auth_changed(NULL);
        return;
    }
    if (strncmp(msg, "toka ", 5) == 0)
        tokens_cache_forget_account(msg + 5);
    else if (strncmp(msg, "tok", 3) == 0)
        forget_tokens(msg + 3);
    else if (strcmp(msg, "ses") == 0)
        sessions_changed(NULL);
    else if (strcmp(msg, "az") == 0)
        component_auth_changed(NULL);
    else if (strncmp(msg, "quota ", 6) == 0)
        quota_cleared(msg + 6);
    else if (strncmp(msg, "chat ", 5) == 0)
        chatwait_wake(strtoll(msg + 5, NULL, 10));
    else if (strncmp(msg, "clk ", 4) == 0)
        clock_set_offset(strtoll(msg + 4, NULL, 10));
    else
        log_warn("cluster", "unknown message from another node");
}

int cluster_start(const char *where)
{
    int rc = store_listen_start(where, on_message);
    if (rc == 0 && store_is_url(where))
        chatwait_set_relay(relay_chat);
    return rc;
}

void cluster_stop(void)
{
    chatwait_set_relay(NULL);
    store_listen_stop();
}
