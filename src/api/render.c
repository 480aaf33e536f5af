/* render: see render.h */
#include "render.h"
#include "../store/store_component.h"

static void kv(struct buf *b, const char *key, const char *val, int comma)
{
    if (comma)
        buf_putc(b, ',');
    buf_json_cstr(b, key);
    buf_putc(b, ':');
    buf_json_cstr(b, val);
}

void render_open_account(struct buf *b, const struct open_account *o)
{
    buf_putc(b, '{');
    kv(b, "appid", o->appid, 0);
    kv(b, "name", o->name, 1);
    buf_printf(b, ",\"created_at\":%lld}", (long long)o->created_at);
}

void render_account(struct buf *b, const struct account *a, int with_secret)
{
    buf_putc(b, '{');
    kv(b, "appid", a->appid, 0);
    if (with_secret)
        kv(b, "secret", a->secret, 1);
    kv(b, "original_id", a->original_id, 1);
    kv(b, "name", a->name, 1);
    kv(b, "type", a->type, 1);
    buf_printf(b, ",\"verified\":%s", a->verified ? "true" : "false");
    kv(b, "avatar", a->avatar, 1);
    kv(b, "open_appid", a->open_appid, 1);
    kv(b, "server_url", a->server_url, 1);
    if (with_secret) {
        kv(b, "server_token", a->server_token, 1);
        kv(b, "encoding_aes_key", a->aes_key, 1);
    }
    kv(b, "msg_mode", a->msg_mode, 1);
    buf_printf(b, ",\"location_report\":%d", a->location_report);
    kv(b, "ip_whitelist", a->ip_whitelist, 1);
    kv(b, "oauth_domain", a->oauth_domain, 1);
    buf_printf(b, ",\"created_at\":%lld}", (long long)a->created_at);
}

/* appends v in decimal (render_user answers every users write: no printf there) */
static void put_i64(struct buf *b, int64_t v)
{
    char num[24], *p = num + sizeof(num);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    buf_append(b, p, (size_t)(num + sizeof(num) - p));
}

void render_user(struct buf *b, const struct user *u)
{
    buf_puts(b, "{\"id\":");
    put_i64(b, u->id);
    kv(b, "username", u->username, 1);
    kv(b, "nickname", u->nickname, 1);
    kv(b, "avatar", u->avatar, 1);
    buf_puts(b, ",\"sex\":");
    put_i64(b, u->sex);
    kv(b, "language", u->language, 1);
    kv(b, "country", u->country, 1);
    kv(b, "province", u->province, 1);
    kv(b, "city", u->city, 1);
    buf_puts(b, u->password_hash[0] ? ",\"has_password\":true" : ",\"has_password\":false");
    buf_puts(b, ",\"created_at\":");
    put_i64(b, u->created_at);
    buf_putc(b, '}');
}

void render_component(struct buf *b, const struct component *c)
{
    buf_putc(b, '{');
    kv(b, "component_appid", c->appid, 0);
    kv(b, "component_appsecret", c->secret, 1);
    kv(b, "name", c->name, 1);
    kv(b, "token", c->token, 1);
    kv(b, "encoding_aes_key", c->aes_key, 1);
    kv(b, "auth_event_url", c->auth_url, 1);
    kv(b, "message_url", c->msg_url, 1);
    buf_puts(b, ",\"func_sets\":[");
    buf_puts(b, c->func_sets);
    buf_putc(b, ']');
    kv(b, "domains", c->domains, 1);
    buf_printf(b, ",\"created_at\":%lld}", (long long)c->created_at);
}
