/*
 * api_tap: the user side of menus and QR codes (client API): an account's page with the menu
 * the user sees, taps on its buttons (CLICK, VIEW and the scan/photo/location kinds), and
 * scanning a scene QR code (subscribe with scene, or SCAN).
 */
#include "api.h"
#include "../core/chat.h"
#include "../core/clock.h"
#include "../core/media_check.h"
#include "../core/menus.h"
#include "../crypto/crypto.h"
#include "../core/qrcodes.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_qrcode.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define PHOTO_B64_MAX (14 * 1024 * 1024) /* a 10 MiB image in base64, with room */

int api_client_account(struct req *r)
{
    char appid[19];
    struct account a;
    struct follower f;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0 ||
        store_account_get(r->rd, appid, &a) != 0)
        return ERR_INVALID_APPID;
    int rc = chat_follower(r->rd, appid, r->user_id, &f);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"account\":{\"appid\":");
    buf_json_cstr(&b, a.appid);
    buf_puts(&b, ",\"name\":");
    buf_json_cstr(&b, a.name);
    buf_puts(&b, ",\"avatar\":");
    buf_json_cstr(&b, a.avatar);
    buf_printf(&b, ",\"type\":\"%s\",\"verified\":%s,\"following\":%s,\"location_report\":%d}",
               a.type, a.verified ? "true" : "false", f.subscribed ? "true" : "false",
               a.location_report);
    int64_t menuid = 0;
    size_t mark = b.len;
    buf_puts(&b, ",\"menu\":");
    if (!f.subscribed ||
        menus_user_menu(r->rd, appid, f.openid, MENU_PLATFORM_OTHER, &b, &menuid) != 0) {
        b.len = mark;
        buf_puts(&b, ",\"menu\":null");
    } else {
        buf_printf(&b, ",\"menuid\":%lld", (long long)menuid);
    }
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/* ------------------------------------------------------------------ menu taps */

struct tap_kind {
    const char *type;
    const char *event;
    int reply_ok;
    enum cs_window window;
};

static const struct tap_kind taps[] = {
    {"click", "CLICK", 1, WIN_SHORT},
    {"view", "VIEW", 0, WIN_NONE},
    {"scancode_push", "scancode_push", 0, WIN_SHORT},
    {"scancode_waitmsg", "scancode_waitmsg", 1, WIN_SHORT},
    {"pic_sysphoto", "pic_sysphoto", 1, WIN_NONE},
    {"pic_photo_or_album", "pic_photo_or_album", 1, WIN_NONE},
    {"pic_weixin", "pic_weixin", 1, WIN_NONE},
    {"location_select", "location_select", 1, WIN_NONE},
    {"miniprogram", "view_miniprogram", 0, WIN_NONE},
};

/* the button of the user's menu with this type and key (or url): 1 found */
static int find_button(const cJSON *buttons, const char *type, const char *id)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, buttons)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "type");
        const char *field = strcmp(type, "view") == 0          ? "url"
                            : strcmp(type, "miniprogram") == 0 ? "pagepath"
                                                               : "key";
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, field);
        if (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0 && cJSON_IsString(v) &&
            strcmp(v->valuestring, id) == 0)
            return 1;
        if (find_button(cJSON_GetObjectItemCaseSensitive(b, "sub_button"), type, id))
            return 1;
    }
    return 0;
}

static int in_menu(struct req *r, const char *appid, const char *type, const char *id,
                   int64_t *menuid)
{
    struct follower f;
    struct account a;
    if (store_account_get(r->rd, appid, &a) != 0)
        return ERR_INVALID_APPID;
    int rc = chat_follower(r->rd, appid, r->user_id, &f);
    if (rc != 0)
        return rc;
    if (!f.subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    struct buf b = BUF_INIT;
    rc = menus_user_menu(r->rd, appid, f.openid, MENU_PLATFORM_OTHER, &b, menuid);
    cJSON *m = rc == 0 ? cJSON_Parse(b.ptr) : NULL;
    buf_release(&b);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_MENU_NOT_EXIST : rc;
    int found = find_button(cJSON_GetObjectItemCaseSensitive(m, "button"), type, id);
    cJSON_Delete(m);
    return found ? 0 : ERR_ARGUMENT_INVALID;
}

static int scan_info(const cJSON *o, struct buf *x)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "scan");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(s, "result");
    if (!cJSON_IsString(res) || !res->valuestring[0] || strlen(res->valuestring) > 2048)
        return ERR_ARGUMENT_INVALID;
    const char *type = cJSON_IsString(t) ? t->valuestring : "qrcode";
    if (strcmp(type, "qrcode") != 0 && strcmp(type, "barcode") != 0)
        return ERR_ARGUMENT_INVALID;
    xml_open(x, "ScanCodeInfo");
    xml_cdata(x, "ScanType", type);
    xml_cdata(x, "ScanResult", res->valuestring);
    xml_close(x, "ScanCodeInfo");
    return 0;
}

/* the photos of a pic_* tap, decoded (heap) */
struct photos {
    int n;
    unsigned char *data[CHAT_PHOTOS_MAX];
    size_t len[CHAT_PHOTOS_MAX];
};

static void photos_release(struct photos *ph)
{
    for (int i = 0; i < ph->n; i++)
        free(ph->data[i]);
    ph->n = 0;
}

/* one photo: base64 text, or {"file": base64}; a JPEG, PNG or GIF as image messages take */
static int photo_decode(const cJSON *p, struct photos *ph)
{
    if (cJSON_IsObject(p))
        p = cJSON_GetObjectItemCaseSensitive(p, "file");
    if (!cJSON_IsString(p) || !p->valuestring[0] || strlen(p->valuestring) > PHOTO_B64_MAX)
        return ERR_ARGUMENT_INVALID;
    size_t n = strlen(p->valuestring);
    unsigned char *d = xmalloc(n * 3 / 4 + 3);
    long len = crypto_base64_decode(p->valuestring, n, d);
    int fmt;
    int rc = len > 0 ? media_check("image", 0, d, (size_t)len, &fmt) : ERR_ARGUMENT_INVALID;
    if (rc != 0) {
        free(d);
        return rc;
    }
    ph->data[ph->n] = d;
    ph->len[ph->n++] = (size_t)len;
    return 0;
}

/*
 * SendPicsInfo: from "photos" (the files: each is also pushed as an image message, and
 * PicMd5Sum is its MD5), or else from "pics" (checksums only: the event alone)
 */
static int pics_info(const cJSON *o, struct buf *x, struct photos *ph)
{
    const cJSON *photos = cJSON_GetObjectItemCaseSensitive(o, "photos");
    const cJSON *pics = photos ? photos : cJSON_GetObjectItemCaseSensitive(o, "pics");
    int n = cJSON_GetArraySize(pics);
    if (!cJSON_IsArray(pics) || n < 1 || n > CHAT_PHOTOS_MAX)
        return ERR_ARGUMENT_INVALID;
    xml_open(x, "SendPicsInfo");
    xml_num(x, "Count", n);
    xml_open(x, "PicList");
    const cJSON *p;
    cJSON_ArrayForEach(p, pics)
    {
        char md5[33];
        int rc = photos ? photo_decode(p, ph) : 0;
        if (rc != 0)
            return rc;
        if (photos)
            crypto_md5_hex(ph->data[ph->n - 1], ph->len[ph->n - 1], md5);
        else if (!cJSON_IsString(p) || strlen(p->valuestring) != 32)
            return ERR_ARGUMENT_INVALID;
        xml_open(x, "item");
        xml_cdata(x, "PicMd5Sum", photos ? md5 : p->valuestring);
        xml_close(x, "item");
    }
    xml_close(x, "PicList");
    xml_close(x, "SendPicsInfo");
    return 0;
}

static int location_info(const cJSON *o, struct buf *x)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "location");
    const cJSON *lat = cJSON_GetObjectItemCaseSensitive(l, "latitude");
    const cJSON *lng = cJSON_GetObjectItemCaseSensitive(l, "longitude");
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(l, "label");
    const cJSON *poi = cJSON_GetObjectItemCaseSensitive(l, "poiname");
    if (!cJSON_IsNumber(lat) || !cJSON_IsNumber(lng) || lat->valuedouble < -90 ||
        lat->valuedouble > 90 || lng->valuedouble < -180 || lng->valuedouble > 180)
        return ERR_ARGUMENT_INVALID;
    xml_open(x, "SendLocationInfo");
    buf_printf(x,
               "<Location_X><![CDATA[%.6f]]></Location_X><Location_Y><![CDATA[%.6f]]>"
               "</Location_Y>",
               lat->valuedouble, lng->valuedouble);
    xml_cdata(x, "Scale", "15");
    xml_cdata(x, "Label", cJSON_IsString(label) ? label->valuestring : "");
    xml_cdata(x, "Poiname", cJSON_IsString(poi) ? poi->valuestring : "");
    xml_close(x, "SendLocationInfo");
    return 0;
}

static int tap_tail(const cJSON *o, const struct tap_kind *k, const char *id, int64_t menuid,
                    struct buf *x, struct photos *ph)
{
    xml_cdata(x, "EventKey", id);
    if (strcmp(k->type, "view") == 0 || strcmp(k->type, "miniprogram") == 0) {
        if (menuid)
            xml_num(x, "MenuId", menuid);
        return 0;
    }
    if (strncmp(k->type, "scancode_", 9) == 0)
        return scan_info(o, x);
    if (strncmp(k->type, "pic_", 4) == 0)
        return pics_info(o, x, ph);
    if (strcmp(k->type, "location_select") == 0)
        return location_info(o, x);
    return 0;
}

static const struct tap_kind *tap_kind(const char *type)
{
    for (size_t i = 0; i < sizeof(taps) / sizeof(taps[0]); i++)
        if (strcmp(taps[i].type, type) == 0)
            return &taps[i];
    return NULL;
}

static int tap_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

static int tap_build(struct req *r, const cJSON *o, struct user_act *a, struct photos *ph)
{
    char type[32], id[1100];
    const struct tap_kind *k;
    if (json_copy_str(o, "appid", a->appid, sizeof(a->appid)) != JSON_OK)
        return ERR_INVALID_APPID;
    if (json_copy_str(o, "type", type, sizeof(type)) != JSON_OK || !(k = tap_kind(type)))
        return ERR_ARGUMENT_INVALID;
    const char *field = strcmp(type, "view") == 0          ? "url"
                        : strcmp(type, "miniprogram") == 0 ? "pagepath"
                                                           : "key";
    if (json_copy_str(o, field, id, sizeof(id)) != JSON_OK || !id[0])
        return ERR_ARGUMENT_INVALID;
    int64_t menuid = 0;
    int rc = in_menu(r, a->appid, type, id, &menuid);
    struct buf x = BUF_INIT;
    if (rc == 0)
        rc = tap_tail(o, k, id, menuid, &x, ph);
    if (rc == 0 && x.len >= sizeof(a->xml_tail))
        rc = ERR_CONTENT_TOO_LONG;
    if (rc == 0)
        memcpy(a->xml_tail, x.ptr, x.len + 1);
    buf_release(&x);
    snprintf(a->event, sizeof(a->event), "%s", k->event);
    a->reply_ok = k->reply_ok;
    a->window = k->window;
    return rc;
}

/* the action with the photos after it; they are messages, so they open the 48-hour window */
static struct user_act *attach_photos(struct req *r, struct user_act *a, const struct photos *ph)
{
    size_t total = 0;
    for (int i = 0; i < ph->n; i++)
        total += ph->len[i];
    a = xrealloc(a, sizeof(*a) + total);
    unsigned char *p = a->data;
    for (int i = 0; i < ph->n; i++) {
        memcpy(p, ph->data[i], ph->len[i]);
        p += ph->len[i];
        a->photo_len[i] = ph->len[i];
    }
    a->photos = ph->n;
    a->window = WIN_MESSAGE;
    req_host(r, a->host, sizeof(a->host));
    return a;
}

int api_client_menu_click(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct user_act *a = xcalloc(1, sizeof(*a));
    struct photos ph = {0};
    a->kind = ACT_EVENT;
    a->user_id = r->user_id;
    rc = tap_build(r, o, a, &ph);
    cJSON_Delete(o);
    if (rc == 0 && ph.n > 0)
        a = attach_photos(r, a, &ph);
    photos_release(&ph);
    if (rc != 0) {
        free(a);
        return rc;
    }
    return http_write(r, chat_user_act_run, chat_user_act_after, a, tap_done);
}

/* ------------------------------------------------------------------ scanning */

static int scan_done(struct req *r, void *arg, int rc)
{
    struct user_act *a = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"appid\":");
    buf_json_cstr(&b, a->appid);
    buf_puts(&b, ",\"openid\":");
    buf_json_cstr(&b, a->openid);
    buf_printf(&b, ",\"followed_now\":%s}", a->followed_now ? "true" : "false");
    http_send_buf(r, &b);
    return 0;
}

/* the scene code a scan body names ({"url"} or {"ticket"}): 0, or the error to answer */
static int scanned_code(struct req *r, struct qrcode *q)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    char what[400] = "";
    if (json_copy_str(o, "url", what, sizeof(what)) != JSON_OK &&
        json_copy_str(o, "ticket", what, sizeof(what)) != JSON_OK)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc == 0 && (rc = qrcodes_resolve(r->rd, what, clock_now(), q)) != 0)
        return rc == ERR_EXPIRED ? ERR_EXPIRED : ERR_NOT_FOUND;
    return rc;
}

/* what a code is, without scanning it: the client shows the account before it follows */
int api_client_scan_peek(struct req *r)
{
    struct qrcode q;
    int rc = scanned_code(r, &q);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"appid\":");
    buf_json_cstr(&b, q.appid);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_client_scan(struct req *r)
{
    struct qrcode q;
    int rc = scanned_code(r, &q);
    if (rc != 0)
        return rc;
    struct user_act *a = xcalloc(1, sizeof(*a));
    a->kind = ACT_SCAN;
    a->user_id = r->user_id;
    a->reply_ok = 1;
    snprintf(a->appid, sizeof(a->appid), "%s", q.appid);
    snprintf(a->ticket, sizeof(a->ticket), "%s", q.ticket);
    a->scene_id = q.scene_id;
    snprintf(a->scene_str, sizeof(a->scene_str), "%s", q.scene_str);
    return http_write(r, chat_user_act_run, chat_user_act_after, a, scan_done);
}
