/*
 * component_authorizer: a component acting for the accounts that authorized it
 * (spec/component.md §5-6): refreshing authorizer tokens, the authorizer options, and the
 * administrator cancelling an authorization (the unauthorized push).
 */
#include "component.h"
#include "cluster.h"
#include "clock.h"
#include "tokens.h"
#include "../crypto/crypto.h"
#include "../push/outbox.h"
#include "../push/xml.h"
#include "../util/err.h"
#include "../util/tcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int component_auth_get(struct store *rd, const char *component_appid, const char *authorizer_appid,
                       struct component_auth *out)
{
    int rc = store_auth_get(rd, component_appid, authorizer_appid, out);
    return rc == ERR_NOT_FOUND ? ERR_COMPONENT_NOT_AUTHORIZED : rc;
}

int component_refresh_run(struct store *s, void *arg)
{
    struct component_refresh *f = arg;
    struct component_auth a;
    int64_t now = clock_now();
    int rc = component_auth_get(s, f->component_appid, f->authorizer_appid, &a);
    if (rc != 0)
        return rc;
    if (!crypto_eq(f->refresh_token, strlen(f->refresh_token), a.refresh_token,
                   strlen(a.refresh_token)))
        return ERR_COMPONENT_REFRESH_INVALID;
    rc = store_authorizer_token_supersede(s, a.component_appid, a.authorizer_appid, now,
                                          now + TOKEN_OVERLAP);
    if (rc != 0)
        return rc;
    crypto_token(f->access_token, sizeof(f->access_token), "", 96);
    return store_authorizer_token_insert(s, f->access_token, a.component_appid, a.authorizer_appid,
                                         now, now + TOKEN_TTL);
}

/* ------------------------------------------------------------------ options */

int component_option_check(const char *name, const char *value)
{
    const char *max;
    if (strcmp(name, "location_report") == 0)
        max = "2";
    else if (strcmp(name, "voice_recognize") == 0 || strcmp(name, "customer_service") == 0)
        max = "1";
    else
        return ERR_INVALID_OPTION_NAME;
    if (value && (strlen(value) != 1 || value[0] < '0' || value[0] > max[0]))
        return ERR_INVALID_OPTION_VALUE;
    return 0;
}

int component_option_get(struct store *rd, const char *appid, const char *name, char out[8])
{
    if (strcmp(name, "location_report") == 0) {
        struct account a;
        int rc = store_account_get(rd, appid, &a);
        if (rc == 0)
            snprintf(out, 8, "%d", a.location_report);
        return rc;
    }
    int rc = store_authorizer_option_get(rd, appid, name, out, 8);
    if (rc == ERR_NOT_FOUND) {
        snprintf(out, 8, "0");
        rc = 0;
    }
    return rc;
}

int component_option_set_run(struct store *s, void *arg)
{
    struct component_option *o = arg;
    struct component_auth au;
    int rc = component_auth_get(s, o->component_appid, o->authorizer_appid, &au);
    if (rc != 0)
        return rc;
    if (strcmp(o->name, "location_report") != 0)
        return store_authorizer_option_put(s, o->authorizer_appid, o->name, o->value);
    struct account a;
    if ((rc = store_account_get(s, o->authorizer_appid, &a)) != 0)
        return rc;
    a.location_report = o->value[0] - '0';
    return store_account_update(s, &a);
}

/* ------------------------------------------------------------------ cancelling */

/* 0 when user_id administers the account appid; ERR_FORBIDDEN, or the store's error */
static int check_admin(struct store *s, const char *appid, int64_t user_id)
{
    int64_t admin = 0;
    int rc = store_account_admin_get(s, appid, &admin);
    if (rc == ERR_NOT_FOUND || (rc == 0 && (admin == 0 || admin != user_id)))
        return ERR_FORBIDDEN;
    return rc;
}

/* pushes an authorization notice of type `type` about authorizer_appid to the component */
static int notify(struct store *s, const struct component *comp, const char *type,
                  const char *authorizer_appid, int64_t now)
{
    struct buf b = BUF_INIT;
    xml_begin(&b);
    xml_cdata(&b, "AppId", comp->appid);
    xml_num(&b, "CreateTime", now);
    xml_cdata(&b, "InfoType", type);
    xml_cdata(&b, "AuthorizerAppid", authorizer_appid);
    xml_end(&b);
    int rc = push_enqueue_component(s, comp, type, b.ptr);
    buf_release(&b);
    return rc != 0 ? rc : cluster_authorizers_changed(s);
}

int component_cancel_run(struct store *s, void *arg)
{
    struct component_cancel *c = arg;
    int64_t now = clock_now();
    int rc = check_admin(s, c->authorizer_appid, c->user_id);
    if (rc != 0)
        return rc;
    rc = store_auth_delete(s, c->component_appid, c->authorizer_appid);
    if (rc == ERR_NOT_FOUND)
        return ERR_COMPONENT_NOT_AUTHORIZED;
    if (rc == 0)
        rc = store_authorizer_token_revoke(s, c->component_appid, c->authorizer_appid);
    /* a code issued before the cancellation must not work after a new authorization */
    if (rc == 0)
        rc = store_auth_codes_end(s, c->component_appid, c->authorizer_appid);
    struct component comp;
    if (rc != 0 || store_component_get(s, c->component_appid, &comp) != 0)
        return rc;
    return notify(s, &comp, "unauthorized", c->authorizer_appid, now);
}

/* 1 if every id of the comma-separated `sets` is in `of`, and there is at least one */
static int subset_of(const char *sets, const char *of)
{
    char copy[256];
    int n = 0;
    snprintf(copy, sizeof(copy), "%s", sets);
    for (char *save = NULL, *id = strtok_r(copy, ",", &save); id;
         id = strtok_r(NULL, ",", &save), n++)
        if (!component_sets_has(of, atoi(id)))
            return 0;
    return n > 0;
}

int component_narrow_run(struct store *s, void *arg)
{
    struct component_narrow *c = arg;
    int64_t now = clock_now();
    struct component_auth a;
    struct component comp;
    int rc = check_admin(s, c->authorizer_appid, c->user_id);
    if (rc != 0)
        return rc;
    rc = store_auth_get(s, c->component_appid, c->authorizer_appid, &a);
    if (rc == ERR_NOT_FOUND)
        return ERR_COMPONENT_NOT_AUTHORIZED;
    if (rc != 0)
        return rc;
    if (!subset_of(c->func_sets, a.func_sets))
        return ERR_ARGUMENT_INVALID;
    if (strcmp(c->func_sets, a.func_sets) == 0)
        return 0;
    snprintf(a.func_sets, sizeof(a.func_sets), "%s", c->func_sets);
    if ((rc = store_auth_put(s, &a)) != 0 || store_component_get(s, a.component_appid, &comp))
        return rc;
    return notify(s, &comp, "updateauthorized", c->authorizer_appid, now);
}

/* ------------------------------------------------------------------ the token cache */

/*
 * Authorizer tokens checked on the hot path come from a cache once seen, never the database
 * (util/tcache.h). Any change to authorizations or their tokens bumps its generation after
 * it commits, so a cancelled authorization stops its tokens at once.
 */
struct az_entry {
    char appid[19];
    struct permset sets;
    int64_t expires_at;
};

static struct tcache az_cache = TCACHE_INIT(4096, 1, sizeof(struct az_entry));

void component_auth_changed(void *unused)
{
    (void)unused;
    tcache_bump(&az_cache);
}

/* the token's authorization from the database into e; 0 or the errcode */
static int az_load(struct store *rd, const char *token, struct az_entry *e)
{
    char component[19];
    struct component_auth a;
    uint64_t gen = tcache_generation(&az_cache);
    int rc = store_authorizer_token_get(rd, token, component, e->appid, &e->expires_at);
    if (rc == 0)
        rc = store_auth_get(rd, component, e->appid, &a);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_CREDENTIAL;
    if (rc != 0)
        return rc;
    e->sets = permset_parse(a.func_sets);
    tcache_put(&az_cache, token, gen, e);
    return 0;
}

int component_authorizer_check(struct store *rd, const char *token, const struct permset *need,
                               int64_t now, char appid[19], struct permset *granted)
{
    struct az_entry e;
    if (!tcache_get(&az_cache, token, &e)) {
        int rc = az_load(rd, token, &e);
        if (rc != 0)
            return rc;
    }
    if (e.expires_at <= now)
        return ERR_ACCESS_TOKEN_EXPIRED;
    if (permset_empty(need))
        return ERR_API_UNAUTHORIZED;
    if (!permset_meets(need, &e.sets))
        return ERR_COMPONENT_API_UNAUTHORIZED;
    memcpy(appid, e.appid, 19);
    if (granted)
        *granted = e.sets;
    return 0;
}
