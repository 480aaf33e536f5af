/*
 * menus_parse: validation of menu/create and menu/addconditional bodies, and their one
 * normalised JSON form (see menus.h). Every leaf button is written as
 * {"type","name",<the fields its type uses>,"sub_button":[]}, every parent as
 * {"name","sub_button":[...]}: the shape menu/get answers with. Fields a type does not use
 * are dropped. No SQL here.
 */
#include "menus.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/parse.h"
#include "../util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ARTICLE_ID_MAX  128
#define WEAPP_APPID_MAX 64
#define PAGEPATH_MAX    1024

/* the errcodes and name limit of one button level */
struct level {
    int sub;
    int name, type, key, url, domain;
    size_t name_max;
};

static const struct level top_level = {0,
                                       ERR_MENU_BUTTON_NAME,
                                       ERR_MENU_BUTTON_TYPE,
                                       ERR_MENU_BUTTON_KEY,
                                       ERR_MENU_BUTTON_URL,
                                       ERR_MENU_URL_DOMAIN,
                                       MENU_NAME_MAX};
static const struct level sub_level = {1,
                                       ERR_MENU_SUB_NAME,
                                       ERR_MENU_SUB_TYPE,
                                       ERR_MENU_SUB_KEY,
                                       ERR_MENU_SUB_URL,
                                       ERR_MENU_SUB_URL_DOMAIN,
                                       MENU_SUB_NAME_MAX};

/* what a button type needs */
enum { F_KEY = 1, F_URL = 2, F_MEDIA = 4, F_ARTICLE = 8, F_WEAPP = 16 };

static const struct {
    const char *type;
    unsigned fields;
} types[] = {
    {"click", F_KEY},
    {"view", F_URL},
    {"scancode_push", F_KEY},
    {"scancode_waitmsg", F_KEY},
    {"pic_sysphoto", F_KEY},
    {"pic_photo_or_album", F_KEY},
    {"pic_weixin", F_KEY},
    {"location_select", F_KEY},
    {"media_id", F_MEDIA},
    {"view_limited", F_MEDIA},
    {"article_id", F_ARTICLE},
    {"article_view_limited", F_ARTICLE},
    {"miniprogram", F_URL | F_WEAPP},
};

static unsigned type_fields(const char *type)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i].type, type) == 0)
            return types[i].fields;
    return 0;
}

struct parse {
    struct buf buttons;
    struct buf domains; /* ",host,host," while collecting */
};

/* appends ,"key":"value" for a required string of 1..max bytes; `err` when it is not */
static int text(const cJSON *b, const char *key, size_t max, int err, struct buf *out)
{
    const char *v = NULL;
    int jr = json_get_str(b, key, &v);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    size_t n = jr == JSON_OK ? strlen(v) : 0;
    if (n == 0 || n > max)
        return err;
    buf_puts(out, ",\"");
    buf_puts(out, key);
    buf_puts(out, "\":");
    buf_json_str(out, v, n);
    return 0;
}

static void add_domain(struct parse *p, const char *host)
{
    char probe[300]; /* ",host," (a host is under 256 bytes) */
    size_t n = strlen(host);
    probe[0] = ',';
    memcpy(probe + 1, host, n);
    probe[n + 1] = ',';
    probe[n + 2] = 0;
    if (!strstr(p->domains.ptr, probe))
        buf_append(&p->domains, probe + 1, n + 1);
}

static int url(const cJSON *b, const struct level *lv, struct parse *p)
{
    int rc = text(b, "url", MENU_URL_MAX, lv->url, &p->buttons);
    if (rc != 0)
        return rc;
    char host[256];
    const char *u = cJSON_GetObjectItemCaseSensitive(b, "url")->valuestring;
    if (menus_url_host(u, host, sizeof(host)) != 0)
        return lv->domain;
    add_domain(p, host);
    return 0;
}

static int fields(const cJSON *b, unsigned f, const struct level *lv, struct parse *p)
{
    int rc = 0;
    if (f & F_KEY)
        rc = text(b, "key", MENU_KEY_MAX, lv->key, &p->buttons);
    if (rc == 0 && (f & F_URL))
        rc = url(b, lv, p);
    if (rc == 0 && (f & F_MEDIA))
        rc = text(b, "media_id", MENU_MEDIA_ID_MAX, ERR_MENU_MEDIA_ID_SIZE, &p->buttons);
    if (rc == 0 && (f & F_ARTICLE))
        rc = text(b, "article_id", ARTICLE_ID_MAX, ERR_ARGUMENT_INVALID, &p->buttons);
    if (rc == 0 && (f & F_WEAPP))
        rc = text(b, "appid", WEAPP_APPID_MAX, ERR_WEAPP_APPID, &p->buttons);
    if (rc == 0 && (f & F_WEAPP))
        rc = text(b, "pagepath", PAGEPATH_MAX, ERR_WEAPP_PAGEPATH, &p->buttons);
    return rc;
}

static int leaf(const cJSON *b, const char *name, const struct level *lv, struct parse *p)
{
    const char *type = NULL;
    int jr = json_get_str(b, "type", &type);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    unsigned f = jr == JSON_OK ? type_fields(type) : 0;
    if (!f)
        return lv->type;
    buf_puts(&p->buttons, "{\"type\":");
    buf_json_cstr(&p->buttons, type);
    buf_puts(&p->buttons, ",\"name\":");
    buf_json_cstr(&p->buttons, name);
    int rc = fields(b, f, lv, p);
    buf_puts(&p->buttons, ",\"sub_button\":[]}");
    return rc;
}

static int button(const cJSON *b, const struct level *lv, struct parse *p);

static int parent(const cJSON *subs, const char *name, struct parse *p)
{
    if (cJSON_GetArraySize(subs) > MENU_MAX_SUBS)
        return ERR_MENU_SUB_SIZE;
    buf_puts(&p->buttons, "{\"name\":");
    buf_json_cstr(&p->buttons, name);
    buf_puts(&p->buttons, ",\"sub_button\":[");
    int rc = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, subs)
    {
        if (s != subs->child)
            buf_putc(&p->buttons, ',');
        if ((rc = button(s, &sub_level, p)) != 0)
            return rc;
    }
    buf_puts(&p->buttons, "]}");
    return 0;
}

static int button(const cJSON *b, const struct level *lv, struct parse *p)
{
    if (!cJSON_IsObject(b))
        return ERR_DATA_FORMAT;
    const char *name = NULL;
    int jr = json_get_str(b, "name", &name);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    size_t n = jr == JSON_OK ? strlen(name) : 0;
    if (n == 0 || n > lv->name_max)
        return lv->name;
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(b, "sub_button");
    if (subs && !cJSON_IsNull(subs) && !cJSON_IsArray(subs))
        return ERR_DATA_FORMAT;
    if (!subs || cJSON_GetArraySize(subs) == 0)
        return leaf(b, name, lv, p);
    if (lv->sub)
        return ERR_MENU_SUB_LEVEL;
    return parent(subs, name, p);
}

static int buttons(const cJSON *root, struct parse *p)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "button");
    if (arr && !cJSON_IsNull(arr) && !cJSON_IsArray(arr))
        return ERR_DATA_FORMAT;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n < 1 || n > MENU_MAX_BUTTONS)
        return ERR_MENU_BUTTON_SIZE;
    buf_putc(&p->buttons, '[');
    const cJSON *b;
    cJSON_ArrayForEach(b, arr)
    {
        if (b != arr->child)
            buf_putc(&p->buttons, ',');
        int rc = button(b, &top_level, p);
        if (rc != 0)
            return rc;
    }
    buf_putc(&p->buttons, ']');
    return 0;
}

/* a match-rule value as text: strings as they are, integers in decimal; "" when absent.
 * 0, or -1 for a value of another JSON type */
static int rule_text(const cJSON *rule, const char *key, char *out, size_t cap)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(rule, key);
    out[0] = 0;
    if (!it || cJSON_IsNull(it))
        return 0;
    if (cJSON_IsString(it)) {
        snprintf(out, cap, "%s", it->valuestring);
        return 0;
    }
    if (!cJSON_IsNumber(it))
        return -1;
    double d = it->valuedouble;
    if (d > -9.0e15 && d < 9.0e15 && d == (double)(int64_t)d) /* range first: no UB cast */
        snprintf(out, cap, "%lld", (long long)d);
    else
        snprintf(out, cap, "%s", "x"); /* not an integer: invalid wherever a number is due */
    return 0;
}

static int privacy_rule(const cJSON *rule)
{
    static const char *const keys[] = {"sex", "country", "province", "city", "language"};
    char v[8];
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (rule_text(rule, keys[i], v, sizeof(v)) != 0)
            return ERR_DATA_FORMAT;
        if (v[0])
            return ERR_MENU_RULE_PRIVACY;
    }
    return 0;
}

static int match_rule(const cJSON *root, int64_t *tag_id, int *platform)
{
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(root, "matchrule");
    if (!rule || cJSON_IsNull(rule))
        return ERR_MENU_RULE_EMPTY;
    if (!cJSON_IsObject(rule))
        return ERR_DATA_FORMAT;
    char tag[32], plat[32];
    if (rule_text(rule, "tag_id", tag, sizeof(tag)) != 0 ||
        (!tag[0] && rule_text(rule, "group_id", tag, sizeof(tag)) != 0) ||
        rule_text(rule, "client_platform_type", plat, sizeof(plat)) != 0)
        return ERR_DATA_FORMAT;
    int rc = privacy_rule(rule);
    if (rc != 0)
        return rc;
    if (!tag[0] && !plat[0])
        return ERR_MENU_RULE_EMPTY;
    *tag_id = -1;
    *platform = MENU_PLATFORM_ANY;
    if (tag[0] && (parse_i64(tag, strlen(tag), tag_id) != 0 || *tag_id < 0))
        return ERR_INVALID_TAG_ID;
    int64_t pl = 0;
    if (plat[0] && (parse_i64(plat, strlen(plat), &pl) != 0 || pl < MENU_PLATFORM_IOS ||
                    pl > MENU_PLATFORM_OTHER))
        return ERR_ARGUMENT_INVALID;
    *platform = (int)pl;
    return 0;
}

/* one allocation holding the job and its strings */
static struct menu_job *job_new(struct parse *p)
{
    const char *d = p->domains.ptr + 1; /* drop the leading and trailing commas */
    size_t dn = p->domains.len > 1 ? p->domains.len - 2 : 0;
    struct menu_job *j = xcalloc(1, sizeof(*j) + p->buttons.len + 1 + dn + 1);
    memcpy(j->data, p->buttons.ptr, p->buttons.len);
    memcpy(j->data + p->buttons.len + 1, d, dn);
    j->buttons = j->data;
    j->domains = j->data + p->buttons.len + 1;
    j->tag_id = -1;
    return j;
}

int menus_parse(const cJSON *root, int conditional, struct menu_job **out)
{
    struct parse p = {BUF_INIT, BUF_INIT};
    int64_t tag_id = -1;
    int platform = MENU_PLATFORM_ANY;
    *out = NULL;
    /* most menus fit, and 512 bytes stay a small-bin size for malloc */
    buf_reserve(&p.buttons, 480);
    buf_putc(&p.domains, ',');
    int rc = buttons(root, &p);
    if (rc == 0 && conditional)
        rc = match_rule(root, &tag_id, &platform);
    if (rc == 0 && (p.buttons.toobig || p.domains.toobig))
        rc = ERR_DATA_FORMAT;
    if (rc == 0) {
        *out = job_new(&p);
        (*out)->conditional = conditional;
        (*out)->tag_id = tag_id;
        (*out)->platform = platform;
    }
    buf_release(&p.buttons);
    buf_release(&p.domains);
    return rc;
}

static int host_char(int c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_';
}

int menus_url_host(const char *u, char *host, size_t cap)
{
    const char *p;
    if (strncasecmp(u, "http://", 7) == 0)
        p = u + 7;
    else if (strncasecmp(u, "https://", 8) == 0)
        p = u + 8;
    else
        return -1;
    size_t auth = strcspn(p, "/?#\\");
    for (size_t i = auth; i > 0; i--) { /* skip user:password@ */
        if (p[i - 1] == '@') {
            auth -= i;
            p += i;
            break;
        }
    }
    size_t n = 0;
    if (p[0] == '[') { /* an IPv6 literal: hex digits, ':' and '.', then a port or nothing */
        const char *end = memchr(p, ']', auth);
        n = end ? (size_t)(end - p) + 1 : 0;
        if (n < 4 || strspn(p + 1, "0123456789abcdefABCDEF:.") != n - 2 ||
            (n < auth && p[n] != ':'))
            return -1;
    } else {
        while (n < auth && host_char((unsigned char)p[n]))
            n++;
        if (n < auth && p[n] != ':')
            return -1;
    }
    if (n == 0 || n >= cap || (p[0] == '.' && n == 1))
        return -1;
    for (size_t i = 0; i < n; i++)
        host[i] = (char)tolower((unsigned char)p[i]);
    host[n] = 0;
    return 0;
}
