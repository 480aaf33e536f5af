/*
 * api_mass: mass sends (spec/messaging.md §9): sendall (everyone or a tag), send (an openid
 * list), preview, delete, get, and the send speed.
 */
#include "api.h"
#include "../core/accounts.h"
#include "../core/chatwait.h"
#include "../core/clock.h"
#include "../core/mass.h"
#include "../core/media.h"
#include "../core/msgcheck.h"
#include "../store/store.h"
#include "../store/store_mass.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static int sent(struct req *r, void *arg, int rc)
{
    struct mass_op *m = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    if (m->duplicate)
        buf_printf(&b, "{\"errcode\":%d,\"errmsg\":\"%s\"", ERR_MASS_CLIENTMSGID_USED,
                   err_msg(ERR_MASS_CLIENTMSGID_USED));
    else if (strcmp(m->kind, "preview") == 0)
        buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"preview success\"");
    else
        buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"send job submission success\"");
    buf_printf(&b, ",\"msg_id\":%lld", (long long)m->job.msg_id);
    if (m->job.msg_data_id)
        buf_printf(&b, ",\"msg_data_id\":%lld", (long long)m->job.msg_data_id);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/* a number given as a number or a numeric string */
static int get_num(const cJSON *o, const char *key, int64_t *out)
{
    int jr = json_get_i64(o, key, out);
    return jr == JSON_OK ? 0 : -1;
}

static int check_media(struct req *r, const cJSON *o, const char *msgtype)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(o, msgtype);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "media_id");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(obj, "media_ids");
    char type[16];
    if (cJSON_IsString(id) &&
        media_exists(r->rd, r->appid, id->valuestring, clock_now(), type, sizeof(type)) != 0)
        return ERR_INVALID_MEDIA_ID;
    const cJSON *v;
    cJSON_ArrayForEach(v, ids)
    {
        if (!cJSON_IsString(v) ||
            media_exists(r->rd, r->appid, v->valuestring, clock_now(), type, sizeof(type)) != 0)
            return ERR_INVALID_MEDIA_ID;
    }
    return 0;
}

/* the message of a mass request into a new op with room for n openids */
static int begin(struct req *r, const cJSON *o, int n, const char *kind, struct mass_op **out)
{
    struct mass_op *m = xcalloc(1, sizeof(*m) + (size_t)n * sizeof(m->openids[0]));
    snprintf(m->appid, sizeof(m->appid), "%s", r->appid);
    snprintf(m->kind, sizeof(m->kind), "%s", kind);
    int rc = msgcheck(o, MSG_MASS, m->msgtype, sizeof(m->msgtype), m->body, sizeof(m->body));
    if (rc == 0)
        rc = check_media(r, o, m->msgtype);
    if (rc == 0 &&
        json_copy_str(o, "clientmsgid", m->clientmsgid, sizeof(m->clientmsgid)) == JSON_TOO_LONG)
        rc = ERR_ARGUMENT_INVALID;
    if (rc != 0) {
        free(m);
        return rc;
    }
    *out = m;
    return 0;
}

static int submit(struct req *r, cJSON *o, struct mass_op *m, int rc)
{
    cJSON_Delete(o);
    if (rc != 0) {
        free(m);
        return rc;
    }
    return http_write(r, mass_send_run, mass_send_after, m, sent);
}

int api_mass_sendall(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    const cJSON *filter = cJSON_GetObjectItemCaseSensitive(o, "filter");
    int all = 0;
    int64_t tag = -1;
    if (!cJSON_IsObject(filter) || json_get_bool(filter, "is_to_all", &all) == JSON_WRONG_TYPE ||
        (!all && get_num(filter, "tag_id", &tag) != 0 && get_num(filter, "group_id", &tag) != 0))
        rc = ERR_ARGUMENT_INVALID;
    struct mass_op *m = NULL;
    if (rc == 0)
        rc = begin(r, o, 0, all ? "all" : "tag", &m);
    if (rc == 0)
        m->tag_id = all ? 0 : tag;
    return submit(r, o, m, rc);
}

int api_mass_send(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(o, "touser");
    int n = cJSON_GetArraySize(to);
    if (!cJSON_IsArray(to) || n < 2)
        rc = ERR_OPENID_LIST_TOO_SHORT;
    else if (n > MASS_LIST_MAX)
        rc = ERR_INVALID_OPENID_LIST_SIZE;
    struct mass_op *m = NULL;
    if (rc == 0)
        rc = begin(r, o, n, "list", &m);
    const cJSON *v;
    const cJSON *list = rc == 0 ? to : NULL;
    cJSON_ArrayForEach(v, list)
    {
        if (!cJSON_IsString(v) || strlen(v->valuestring) != 28) {
            rc = ERR_INVALID_OPENID;
            break;
        }
        snprintf(m->openids[m->n++], sizeof(m->openids[0]), "%s", v->valuestring);
    }
    return submit(r, o, m, rc);
}

int api_mass_preview(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    char openid[29] = "", wxname[64] = "";
    struct user u;
    if (json_copy_str(o, "touser", openid, sizeof(openid)) != JSON_OK) {
        if (json_copy_str(o, "towxname", wxname, sizeof(wxname)) != JSON_OK ||
            store_user_get_by_name(r->rd, wxname, &u) != 0)
            rc = ERR_INVALID_OPENID;
        else
            accounts_openid(r->appid, u.id, openid);
    }
    if (rc == 0 && strlen(openid) != 28)
        rc = ERR_INVALID_OPENID;
    struct mass_op *m = NULL;
    if (rc == 0)
        rc = begin(r, o, 1, "preview", &m);
    if (rc == 0)
        snprintf(m->openids[m->n++], sizeof(m->openids[0]), "%s", openid);
    return submit(r, o, m, rc);
}

static int job_of(struct req *r, cJSON **o, struct mass_job *j)
{
    int rc = json_parse_object(r->body, r->body_len, o);
    if (rc != 0)
        return rc;
    int64_t id;
    if (get_num(*o, "msg_id", &id) != 0)
        return ERR_INVALID_MSG_ID;
    rc = store_mass_get(r->rd, r->appid, id, j);
    return rc == ERR_NOT_FOUND ? ERR_INVALID_MSG_ID : rc;
}

int api_mass_get(struct req *r)
{
    cJSON *o = NULL;
    struct mass_job j;
    int rc = job_of(r, &o, &j);
    cJSON_Delete(o);
    if (rc != 0)
        return rc;
    char out[160];
    int n = snprintf(out, sizeof(out), "{\"msg_id\":%lld,\"msg_status\":\"%s\"}",
                     (long long)j.msg_id, j.status);
    http_send_json(r, out, (size_t)n);
    return 0;
}

struct mass_del {
    int64_t msg_id, message_id;
};

static int delete_run(struct store *s, void *arg)
{
    struct mass_del *d = arg;
    int rc = store_mass_set_status(s, d->msg_id, "DELETE");
    return rc != 0 ? rc : store_chat_delete(s, d->message_id);
}

static void mass_send_after_delete(void *arg)
{
    chatwait_notify(0);
}

static int deleted(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

int api_mass_delete(struct req *r)
{
    cJSON *o = NULL;
    struct mass_job j;
    int rc = job_of(r, &o, &j);
    cJSON_Delete(o);
    if (rc == 0 && strcmp(j.msgtype, "mpnews") != 0 && strcmp(j.msgtype, "mpvideo") != 0)
        rc = ERR_INVALID_MSG_ID;
    if (rc != 0)
        return rc;
    struct mass_del *d = xmalloc(sizeof(*d));
    d->msg_id = j.msg_id;
    d->message_id = j.message_id;
    return http_write(r, delete_run, mass_send_after_delete, d, deleted);
}

int api_mass_speed_get(struct req *r)
{
    static const int real[] = {80, 60, 45, 30, 10};
    int64_t speed;
    int rc = store_mass_speed_get(r->rd, r->appid, &speed);
    if (rc != 0)
        return rc;
    if (speed < 0 || speed > 4)
        speed = 0;
    char out[80];
    int n = snprintf(out, sizeof(out), "{\"speed\":%lld,\"realspeed\":%d}", (long long)speed,
                     real[speed]);
    http_send_json(r, out, (size_t)n);
    return 0;
}

struct speed_op {
    char appid[19];
    int64_t speed;
};

static int speed_run(struct store *s, void *arg)
{
    struct speed_op *p = arg;
    return store_mass_speed_set(s, p->appid, p->speed);
}

int api_mass_speed_set(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct speed_op *p = xcalloc(1, sizeof(*p));
    snprintf(p->appid, sizeof(p->appid), "%s", r->appid);
    if (get_num(o, "speed", &p->speed) != 0 || p->speed < 0 || p->speed > 4)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(p);
        return rc;
    }
    return http_write(r, speed_run, NULL, p, deleted);
}
