/* menus: storing, matching and answering custom menus (see menus.h). No SQL here. */
#include "menus.h"
#include "accounts.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_menus.h"
#include "../util/err.h"
#include "../util/parse.h"

#include <stdio.h>
#include <string.h>

#define MENUID_BASE    200000000 /* menu ids are 9 digits, like WeChat's */
#define MENUID_KEY     "menus.last_id"
#define SYSTEM_TAG_MAX 2 /* tags 0, 1 and 2 exist for every account */

/* ------------------------------------------------------------------ writes */

/*
 * Menu ids grow by a random step and are never handed out twice. The largest so far is kept
 * here by the writer thread, the only one that writes menus; it is read once from the larger
 * of the menus themselves and menus.last_id, which is written only when menus are deleted (a
 * deleted menu's id is not in the tables any more). A batch rolled back leaves it ahead of
 * the database, which only skips ids. A store that several nodes share keeps the largest id
 * in the counter (MENUID_KEY) instead: the first create of a transaction reserves the next
 * MENUID_BLOCK ids there, and that transaction's creates step through them. Writers of all
 * nodes take turns, so a later transaction's ids are larger whichever node runs it; what a
 * transaction left of its block is skipped.
 */
#define MENUID_BLOCK 65536 /* and steps of 1 to 64 within it */
static int64_t last_menuid;
static uint64_t step_state;

static int known_last(struct store *s, int64_t *out)
{
    char v[32] = "";
    int64_t meta = 0, max = 0;
    int rc = store_meta_get(s, MENUID_KEY, v, sizeof(v));
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return rc;
    if (rc == 0 && parse_i64(v, strlen(v), &meta) != 0)
        meta = 0;
    if ((rc = store_menu_max_id(s, &max)) != 0)
        return rc;
    *out = meta > max ? meta : max;
    return 0;
}

/* a step: xorshift64, seeded once from the system's randomness (ids need no secrecy) */
static uint32_t random_step(void)
{
    while (step_state == 0) {
        uint32_t a, b;
        crypto_random_u32(&a);
        crypto_random_u32(&b);
        step_state = (uint64_t)a << 32 | b;
    }
    step_state ^= step_state << 13;
    step_state ^= step_state >> 7;
    step_state ^= step_state << 17;
    return (uint32_t)(step_state >> 32);
}

static int next_menuid_shared(struct store *s, int64_t *out)
{
    static int64_t floor, next, end;
    static uint64_t tx;
    int rc = floor ? 0 : known_last(s, &floor);
    if (rc != 0)
        return rc;
    if (floor < MENUID_BASE)
        floor = MENUID_BASE + (int64_t)(random_step() % 100000000);
    if (tx != store_tx_seq(s) || next >= end) {
        if ((rc = store_counter_bump(s, "", MENUID_KEY, 0, floor, MENUID_BLOCK, clock_now(),
                                     &end)) != 0)
            return rc;
        next = end - MENUID_BLOCK;
        tx = store_tx_seq(s);
    }
    next += 1 + random_step() % 64;
    if (next > end)
        next = end;
    *out = next;
    return 0;
}

static int next_menuid(struct store *s, int64_t *out)
{
    if (store_is_shared(s))
        return next_menuid_shared(s, out);
    int rc = last_menuid ? 0 : known_last(s, &last_menuid);
    if (rc != 0)
        return rc;
    uint32_t r = random_step();
    *out = last_menuid < MENUID_BASE ? MENUID_BASE + (int64_t)(r % 100000000)
                                     : last_menuid + 1 + r % 4096;
    last_menuid = *out;
    return 0;
}

/* before menus are deleted: the largest id so far into menus.last_id */
static int keep_last(struct store *s)
{
    int rc = last_menuid ? 0 : known_last(s, &last_menuid);
    if (rc != 0)
        return rc;
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)last_menuid);
    return store_meta_put(s, MENUID_KEY, v);
}

static int insert(struct store *s, struct menu_job *j)
{
    int rc = next_menuid(s, &j->menuid);
    if (rc != 0)
        return rc;
    struct menu_row m = {.menuid = j->menuid,
                         .conditional = j->conditional,
                         .tag_id = j->tag_id,
                         .platform = j->platform,
                         .buttons = j->buttons,
                         .domains = j->domains,
                         .created_at = clock_now()};
    memcpy(m.appid, j->appid, sizeof(m.appid));
    return store_menu_insert(s, &m);
}

int menus_create_run(struct store *s, void *arg)
{
    struct menu_job *j = arg;
    int rc = menus_check_media(s, j->appid, j->buttons);
    return rc != 0 ? rc : insert(s, j); /* replaces the default menu */
}

/* distinct URL hosts, as ",host,host," */
struct domain_set {
    struct buf set;
    int count;
};

static void domains_add(struct domain_set *d, const char *list)
{
    while (*list) {
        size_t n = strcspn(list, ",");
        char probe[300];
        if (n > 0 && n < sizeof(probe) - 2) {
            snprintf(probe, sizeof(probe), ",%.*s,", (int)n, list);
            if (!strstr(d->set.ptr, probe)) {
                buf_printf(&d->set, "%.*s,", (int)n, list);
                d->count++;
            }
        }
        list += n + (list[n] == ',');
    }
}

static void domains_cb(void *arg, const struct menu_row *m)
{
    domains_add(arg, m->domains);
}

/* ERR_MENU_DOMAIN_LIMIT when the conditional menus would link to more than 3 hosts */
static int domains_check(struct store *s, const struct menu_job *j)
{
    struct domain_set d = {BUF_INIT, 0};
    buf_putc(&d.set, ',');
    domains_add(&d, j->domains);
    int rc = store_menu_conditionals(s, j->appid, domains_cb, &d);
    buf_release(&d.set);
    if (rc == 0 && d.count > MENU_MAX_DOMAINS)
        rc = ERR_MENU_DOMAIN_LIMIT;
    return rc;
}

int menus_add_run(struct store *s, void *arg)
{
    struct menu_job *j = arg;
    int rc = store_menu_default(s, j->appid, NULL, NULL);
    if (rc == ERR_NOT_FOUND)
        return ERR_MENU_NO_DEFAULT;
    if (rc == 0 && j->tag_id > SYSTEM_TAG_MAX) {
        rc = store_menu_tag_exists(s, j->appid, j->tag_id);
        if (rc == ERR_NOT_FOUND)
            return ERR_INVALID_TAG_ID;
    }
    if (rc == 0)
        rc = domains_check(s, j);
    if (rc == 0)
        rc = menus_check_media(s, j->appid, j->buttons);
    return rc != 0 ? rc : insert(s, j);
}

int menus_delete_run(struct store *s, void *appid)
{
    int rc = keep_last(s);
    return rc != 0 ? rc : store_menu_delete_all(s, appid);
}

int menus_del_run(struct store *s, void *arg)
{
    struct menu_del *d = arg;
    int rc = keep_last(s);
    if (rc == 0)
        rc = store_menu_delete_conditional(s, d->appid, d->menuid);
    return rc == ERR_NOT_FOUND ? ERR_MENU_NOT_CONDITIONAL : rc;
}

/* ------------------------------------------------------------------ menu/get */

struct get_ctx {
    struct buf *out;
    int n;
};

static void render_rule(struct buf *b, const struct menu_row *m)
{
    buf_putc(b, '{');
    if (m->tag_id >= 0) /* WeChat answers the tag as group_id; tag_id for newer readers */
        buf_printf(b, "\"tag_id\":\"%lld\",\"group_id\":\"%lld\"", (long long)m->tag_id,
                   (long long)m->tag_id);
    if (m->platform != MENU_PLATFORM_ANY)
        buf_printf(b, "%s\"client_platform_type\":\"%d\"", m->tag_id >= 0 ? "," : "", m->platform);
    buf_putc(b, '}');
}

static void get_default_cb(void *arg, const struct menu_row *m)
{
    struct buf *b = arg;
    buf_puts(b, "{\"menu\":{\"button\":");
    buf_puts(b, m->buttons);
    buf_printf(b, ",\"menuid\":%lld}", (long long)m->menuid);
}

static void get_conditional_cb(void *arg, const struct menu_row *m)
{
    struct get_ctx *c = arg;
    buf_puts(c->out, c->n++ ? "," : ",\"conditionalmenu\":[");
    buf_puts(c->out, "{\"button\":");
    buf_puts(c->out, m->buttons);
    buf_puts(c->out, ",\"matchrule\":");
    render_rule(c->out, m);
    buf_printf(c->out, ",\"menuid\":%lld}", (long long)m->menuid);
}

int menus_get(struct store *s, const char *appid, struct buf *out)
{
    int rc = store_menu_default(s, appid, get_default_cb, out);
    if (rc == ERR_NOT_FOUND)
        return ERR_MENU_NOT_EXIST;
    struct get_ctx c = {out, 0};
    if (rc == 0)
        rc = store_menu_conditionals(s, appid, get_conditional_cb, &c);
    if (c.n > 0)
        buf_putc(out, ']');
    buf_putc(out, '}');
    return rc;
}

/* ------------------------------------------------------------------ get_current_selfmenu_info */

/* copies the string field `from` of a normalised button as `to` */
static void self_field(struct buf *b, const cJSON *btn, const char *from, const char *to)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(btn, from);
    if (cJSON_IsString(v)) {
        buf_printf(b, ",\"%s\":", to);
        buf_json_cstr(b, v->valuestring);
    }
}

static void self_button(struct buf *b, const cJSON *btn)
{
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(btn, "sub_button");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(btn, "type");
    buf_putc(b, '{');
    if (cJSON_IsString(type)) {
        buf_puts(b, "\"type\":");
        buf_json_cstr(b, type->valuestring);
        buf_putc(b, ',');
    }
    buf_puts(b, "\"name\":");
    buf_json_cstr(b, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(btn, "name")));
    self_field(b, btn, "key", "key");
    self_field(b, btn, "url", "url");
    self_field(b, btn, "media_id", "value");
    self_field(b, btn, "article_id", "article_id");
    self_field(b, btn, "appid", "appid");
    self_field(b, btn, "pagepath", "pagepath");
    if (cJSON_GetArraySize(subs) > 0) {
        buf_puts(b, ",\"sub_button\":{\"list\":[");
        const cJSON *s;
        cJSON_ArrayForEach(s, subs)
        {
            if (s != subs->child)
                buf_putc(b, ',');
            self_button(b, s);
        }
        buf_puts(b, "]}");
    }
    buf_putc(b, '}');
}

static void self_cb(void *arg, const struct menu_row *m)
{
    struct buf *b = arg;
    cJSON *arr = cJSON_Parse(m->buttons);
    buf_puts(b, "{\"is_menu_open\":1,\"selfmenu_info\":{\"button\":[");
    const cJSON *btn;
    cJSON_ArrayForEach(btn, arr)
    {
        if (btn != arr->child)
            buf_putc(b, ',');
        self_button(b, btn);
    }
    buf_puts(b, "]}}");
    cJSON_Delete(arr);
}

int menus_selfmenu(struct store *s, const char *appid, struct buf *out)
{
    int rc = store_menu_default(s, appid, self_cb, out);
    if (rc == ERR_NOT_FOUND) {
        buf_puts(out, "{\"is_menu_open\":0,\"selfmenu_info\":{\"button\":[]}}");
        rc = 0;
    }
    return rc;
}

/* ------------------------------------------------------------------ matching */

struct pick {
    struct buf *out;
    int64_t *menuid;
};

static void pick_cb(void *arg, const struct menu_row *m)
{
    struct pick *p = arg;
    buf_puts(p->out, "{\"button\":");
    buf_puts(p->out, m->buttons);
    buf_putc(p->out, '}');
    *p->menuid = m->conditional ? m->menuid : 0;
}

int menus_user_menu(struct store *s, const char *appid, const char *openid, int platform,
                    struct buf *out, int64_t *menuid)
{
    int64_t tag = -1;
    int rc = store_menu_last_tag(s, appid, openid, &tag);
    if (rc == ERR_NOT_FOUND)
        tag = -1;
    else if (rc != 0)
        return rc;
    struct pick p = {out, menuid};
    rc = store_menu_match(s, appid, tag, platform, pick_cb, &p);
    if (rc == ERR_NOT_FOUND)
        rc = store_menu_default(s, appid, pick_cb, &p);
    return rc;
}

/* 0 when openid follows the account now, else ERR_NOT_FOUND (or ERR_SYSTEM) */
static int following(struct store *s, const char *appid, const char *openid)
{
    struct follower f;
    int rc = store_follower_get(s, appid, openid, &f);
    return rc == 0 && !f.subscribed ? ERR_NOT_FOUND : rc;
}

/* the openid of the follower named by user_id: an openid, or a username. ERR_NOT_FOUND when
 * neither names a current follower of the account */
static int follower_openid(struct store *s, const char *appid, const char *user_id, char openid[29])
{
    int rc = ERR_NOT_FOUND;
    if (strlen(user_id) < 29 && (rc = following(s, appid, user_id)) == 0) {
        snprintf(openid, 29, "%s", user_id);
        return 0;
    }
    if (rc != ERR_NOT_FOUND)
        return rc;
    struct user u;
    if ((rc = store_user_get_by_name(s, user_id, &u)) != 0)
        return rc;
    accounts_openid(appid, u.id, openid);
    return following(s, appid, openid);
}

int menus_trymatch(struct store *s, const char *appid, const char *user_id, struct buf *out)
{
    char openid[29];
    int rc = follower_openid(s, appid, user_id, openid);
    if (rc == ERR_NOT_FOUND)
        return ERR_MENU_NO_SUCH_USER;
    int64_t menuid = 0;
    if (rc == 0)
        rc = menus_user_menu(s, appid, openid, MENU_PLATFORM_ANY, out, &menuid);
    return rc == ERR_NOT_FOUND ? ERR_MENU_NOT_EXIST : rc;
}
