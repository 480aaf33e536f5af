/*
 * templates: industries and private templates (see templates.h). Sending is in
 * templates_send.c, the industry list and the library in templates_lib.c. No SQL here.
 */
#include "templates.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../store/store_templates.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define KEYWORD_NAME_MAX 60 /* bytes */

int templates_account_ok(struct store *s, const char *appid, struct account *out)
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_API_UNAUTHORIZED : rc;
    if (strcmp(a.type, "service") != 0 || !a.verified)
        return ERR_API_UNAUTHORIZED;
    if (out)
        *out = a;
    return 0;
}

/* ------------------------------------------------------------------ industries */

int templates_set_industry_run(struct store *s, void *arg)
{
    struct industry_set *q = arg;
    struct industry_row cur, next;
    int rc = templates_account_ok(s, q->appid, NULL);
    if (rc == 0)
        rc = store_industry_get(s, q->appid, &cur);
    int have = rc == 0;
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return rc;
    memset(&next, 0, sizeof(next));
    snprintf(next.appid, sizeof(next.appid), "%s", q->appid);
    next.id1 = q->id1;
    next.id2 = q->id2 ? q->id2 : have ? cur.id2 : 0;
    if (next.id2 == 0)
        return ERR_INVALID_INDUSTRY_INDEX;
    if (have && cur.id1 == next.id1 && cur.id2 == next.id2)
        return 0; /* no change */
    next.set_at = clock_now();
    if (have && clock_month(cur.set_at) == clock_month(next.set_at))
        return ERR_INDUSTRY_CHANGE_LIMIT;
    rc = store_industry_put(s, &next);
    if (rc == 0) /* templates of the industries left behind go with them */
        rc = store_template_delete_other_industries(s, q->appid, next.id1, next.id2);
    return rc;
}

static void industry_json(struct buf *b, const char *name, int64_t id)
{
    const char *first = templates_industry_first(id), *second = templates_industry_second(id);
    buf_printf(b, "\"%s\":{\"first_class\":", name);
    buf_json_cstr(b, first ? first : "");
    buf_puts(b, ",\"second_class\":");
    buf_json_cstr(b, second ? second : "");
    buf_putc(b, '}');
}

int templates_get_industry(struct store *s, const char *appid, struct buf *out)
{
    struct industry_row r;
    int rc = templates_account_ok(s, appid, NULL);
    if (rc == 0)
        rc = store_industry_get(s, appid, &r);
    if (rc == ERR_NOT_FOUND) {
        memset(&r, 0, sizeof(r));
        rc = 0;
    }
    if (rc != 0)
        return rc;
    buf_putc(out, '{');
    industry_json(out, "primary_industry", r.id1);
    buf_putc(out, ',');
    industry_json(out, "secondary_industry", r.id2);
    buf_putc(out, '}');
    return 0;
}

/* ------------------------------------------------------------------ api_add_template */

/* template_id_short as text: a string, or a category id given as a number */
static int read_short_id(const cJSON *body, char *out, size_t cap)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(body, "template_id_short");
    if (cJSON_IsString(it) && it->valuestring[0] && strlen(it->valuestring) < cap) {
        snprintf(out, cap, "%s", it->valuestring);
        return 0;
    }
    if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e10 &&
        it->valuedouble == (double)(int64_t)it->valuedouble) {
        snprintf(out, cap, "%lld", (long long)it->valuedouble);
        return 0;
    }
    return ERR_INVALID_TEMPLATE_ID;
}

static int name_ok(const char *name, const char *const *seen, size_t n)
{
    size_t len = strlen(name);
    if (len == 0 || len > KEYWORD_NAME_MAX || strpbrk(name, "{}\r\n"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(seen[i], name) == 0)
            return 0;
    return 1;
}

/* keyword_name_list into names (borrowed from body) and a JSON array; 40246 when malformed */
static int read_names(const cJSON *body, const char **names, size_t *n, struct buf *json)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "keyword_name_list");
    *n = 0;
    if (!list || cJSON_IsNull(list))
        return 0;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > TEMPLATE_KEYWORDS_MAX)
        return ERR_KEYWORD_NAME_INVALID;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsString(it) || !name_ok(it->valuestring, names, *n))
            return ERR_KEYWORD_NAME_INVALID;
        buf_puts(json, *n ? "," : "[");
        buf_json_cstr(json, it->valuestring);
        names[(*n)++] = it->valuestring;
    }
    if (*n)
        buf_putc(json, ']');
    return 0;
}

/* one allocation holding the job and its strings */
static struct template_add *add_new(const char *short_id, const struct buf *keywords,
                                    const struct template_def *def)
{
    size_t kl = keywords->len, cl = def->content.len, el = strlen(def->example);
    struct template_add *a = xcalloc(1, sizeof(*a) + kl + cl + el + 3);
    char *p = a->data;
    snprintf(a->short_id, sizeof(a->short_id), "%s", short_id);
    a->industry_id = def->industry_id;
    snprintf(a->title, sizeof(a->title), "%s", def->title);
    a->keywords = memcpy(p, keywords->ptr, kl + 1);
    p += kl + 1;
    a->content = memcpy(p, def->content.ptr, cl + 1);
    p += cl + 1;
    a->example = memcpy(p, def->example, el + 1);
    return a;
}

int templates_add_prepare(const cJSON *body, struct template_add **out)
{
    char short_id[24];
    const char *names[TEMPLATE_KEYWORDS_MAX];
    size_t n = 0;
    struct buf keywords = BUF_INIT;
    struct template_def def;
    int rc = read_short_id(body, short_id, sizeof(short_id));
    if (rc == 0)
        rc = read_names(body, names, &n, &keywords);
    if (rc == 0)
        rc = templates_lib_lookup(short_id, names, n, &def);
    if (rc == 0) {
        if (def.from_library) /* its keywords are the library's: the names change nothing */
            buf_reset(&keywords);
        *out = add_new(short_id, &keywords, &def);
        buf_release(&def.content);
    }
    buf_release(&keywords);
    return rc;
}

static void copy_id(void *arg, const struct template_row *t)
{
    snprintf(arg, sizeof(t->template_id), "%s", t->template_id);
}

/* 45027 when the template's industry is not one the account chose (if it chose any) */
static int industry_check(struct store *s, const struct template_add *a)
{
    struct industry_row r;
    if (a->industry_id == 0)
        return 0;
    int rc = store_industry_get(s, a->appid, &r);
    if (rc == ERR_NOT_FOUND)
        return 0;
    if (rc == 0 && r.id1 != a->industry_id && r.id2 != a->industry_id)
        rc = ERR_TEMPLATE_INDUSTRY_CONFLICT;
    return rc;
}

int templates_add_run(struct store *s, void *arg)
{
    struct template_add *a = arg;
    int64_t count = 0;
    int rc = templates_account_ok(s, a->appid, NULL);
    if (rc == 0)
        rc = store_template_find(s, a->appid, a->short_id, a->keywords, copy_id, a->template_id);
    if (rc != ERR_NOT_FOUND)
        return rc; /* added before (0) or an error */
    rc = industry_check(s, a);
    if (rc == 0)
        rc = store_template_count(s, a->appid, &count);
    if (rc == 0 && count >= TEMPLATES_MAX)
        rc = ERR_TEMPLATE_COUNT_LIMIT;
    if (rc != 0)
        return rc;
    struct template_row t = {.keywords = a->keywords,
                             .industry_id = a->industry_id,
                             .content = a->content,
                             .example = a->example,
                             .created_at = clock_now()};
    crypto_token(a->template_id, sizeof(a->template_id), "", 32);
    memcpy(t.template_id, a->template_id, sizeof(t.template_id));
    memcpy(t.appid, a->appid, sizeof(t.appid));
    memcpy(t.short_id, a->short_id, sizeof(t.short_id));
    memcpy(t.title, a->title, sizeof(t.title));
    return store_template_insert(s, &t);
}

/* ------------------------------------------------------------------ list and delete */

struct list_ctx {
    struct buf *out;
    int n;
};

static void field(struct buf *b, const char *name, const char *v)
{
    buf_printf(b, ",\"%s\":", name);
    buf_json_cstr(b, v ? v : "");
}

static void list_cb(void *arg, const struct template_row *t)
{
    struct list_ctx *c = arg;
    buf_puts(c->out, c->n++ ? ",{\"template_id\":" : "{\"template_id\":");
    buf_json_cstr(c->out, t->template_id);
    field(c->out, "title", t->title);
    field(c->out, "primary_industry", templates_industry_first(t->industry_id));
    field(c->out, "deputy_industry", templates_industry_second(t->industry_id));
    field(c->out, "content", t->content);
    field(c->out, "example", t->example);
    buf_putc(c->out, '}');
}

int templates_list(struct store *s, const char *appid, struct buf *out)
{
    struct list_ctx c = {out, 0};
    int rc = templates_account_ok(s, appid, NULL);
    if (rc != 0)
        return rc;
    buf_puts(out, "{\"template_list\":[");
    rc = store_template_list(s, appid, list_cb, &c);
    buf_puts(out, "]}");
    return rc;
}

int templates_del_run(struct store *s, void *arg)
{
    struct template_del *d = arg;
    int rc = templates_account_ok(s, d->appid, NULL);
    if (rc == 0)
        rc = store_template_delete(s, d->appid, d->template_id);
    return rc == ERR_NOT_FOUND ? ERR_INVALID_TEMPLATE_ID : rc;
}
