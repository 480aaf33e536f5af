/*
 * api_qrcode: qrcode/create and the image behind a ticket, showqrcode (spec/accounts.md §5).
 */
#include "api.h"
#include "../core/qrcodes.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/qrpng.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define QR_IMAGE_SCALE 10

/* action_info.scene: scene_id as an integer (or numeric string), scene_str as a string */
static void read_scene(const cJSON *o, struct qrcode_new *q)
{
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(o, "action_info");
    const cJSON *scene =
        cJSON_IsObject(info) ? cJSON_GetObjectItemCaseSensitive(info, "scene") : NULL;
    if (!cJSON_IsObject(scene))
        return;
    q->has_scene_id = json_get_i64(scene, "scene_id", &q->scene_id) == JSON_OK;
    const char *str = NULL;
    if (json_get_str(scene, "scene_str", &str) == JSON_OK) {
        q->has_scene_str = 1;
        q->scene_str_len = strlen(str);
        snprintf(q->scene_str, sizeof(q->scene_str), "%s", str);
    }
}

/* the body into q, checked by core's rules; a wrongly typed expire_seconds is 47001 */
static int read_create(struct req *r, struct qrcode_new *q)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    if (json_copy_str(o, "action_name", q->action, sizeof(q->action)) != JSON_OK)
        q->action[0] = 0; /* unknown to qrcodes_check: 40052 */
    read_scene(o, q);
    int bad_expire = json_get_i64(o, "expire_seconds", &q->expire_seconds) == JSON_WRONG_TYPE;
    cJSON_Delete(o);
    rc = qrcodes_check(q);
    if (rc == 0 && bad_expire && qrcodes_action_kind(q->action) == 1)
        rc = ERR_DATA_FORMAT;
    return rc;
}

static int create_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    const struct qrcode *q = &((struct qrcode_new *)arg)->out;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"ticket\":");
    buf_json_cstr(&b, q->ticket);
    if (q->expires_at)
        buf_printf(&b, ",\"expire_seconds\":%lld", (long long)(q->expires_at - q->created_at));
    buf_puts(&b, ",\"url\":");
    buf_json_cstr(&b, q->url);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_qrcode_create(struct req *r)
{
    struct qrcode_new *q = xcalloc(1, sizeof(*q));
    int rc = read_create(r, q);
    if (rc != 0) {
        free(q);
        return rc;
    }
    memcpy(q->appid, r->appid, sizeof(q->appid));
    req_host(r, q->host, sizeof(q->host));
    return http_write(r, qrcodes_create_run, NULL, q, create_done);
}

int api_showqrcode(struct req *r)
{
    char ticket[128];
    struct qrcode q;
    if (req_query(r, "ticket", ticket, sizeof(ticket)) <= 0 ||
        qrcodes_by_ticket(r->rd, ticket, api_now(), &q) != 0) {
        http_send_err_status(r, 404, ERR_NOT_FOUND, "qrcode ticket not found or expired");
        return 0;
    }
    struct buf png = BUF_INIT;
    if (qrpng_encode(q.url, QR_IMAGE_SCALE, &png) != 0) {
        buf_release(&png);
        return ERR_SYSTEM;
    }
    http_send(r, 200, "image/png", png.ptr, png.len);
    buf_release(&png);
    return 0;
}
