/*
 * api_admin: the operator API (/admin/v1/..., operator key). Creates and lists open-platform
 * accounts, official accounts and users; resets secrets; binds accounts; moves the test clock.
 * Answers {"errcode":0,...} or an error envelope with an HTTP status.
 */
#include "api.h"
#include "render.h"
#include "../core/cluster.h"
#include "../core/sessions.h"
#include "../core/tokens.h"
#include "../core/accounts.h"
#include "../core/clock.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/parse.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* one write of the operator API: inputs, and the entity it produced */
struct admin_op {
    struct open_account open;
    struct account acct;
    struct user user;
    char password[128];
    char text[1024];
};

static void list_open_cb(void *arg, const struct open_account *o)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    render_open_account(b, o);
}

static void list_account_cb(void *arg, const struct account *a)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    render_account(b, a, 1);
}

static void list_user_cb(void *arg, const struct user *u)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    render_user(b, u);
}

int api_admin_open_accounts_list(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"open_accounts\":[");
    return api_send_list(r, store_open_account_list(r->rd, list_open_cb, &b), &b);
}

int api_admin_accounts_list(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"accounts\":[");
    return api_send_list(r, store_account_list(r->rd, list_account_cb, &b), &b);
}

int api_admin_users_list(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"users\":[");
    return api_send_list(r, store_user_list(r->rd, list_user_cb, &b), &b);
}

static int send_account(struct req *r, const struct account *a)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"account\":");
    render_account(&b, a, 1);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_admin_accounts_get(struct req *r)
{
    char appid[64];
    struct account a;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_MISSING_APPID;
    int rc = store_account_get(r->rd, appid, &a);
    return rc != 0 ? rc : send_account(r, &a);
}

/* parses the body into a JSON object; the caller deletes it */
static int body(struct req *r, cJSON **o)
{
    return json_parse_object(r->body, r->body_len, o);
}

/* copies a string field; missing is fine unless required */
static int field(const cJSON *o, const char *key, char *out, size_t cap, int required)
{
    int jr = json_copy_str(o, key, out, cap);
    if (jr == JSON_MISSING)
        return required ? ERR_ARGUMENT_INVALID : 0;
    return jr == JSON_OK ? 0 : ERR_ARGUMENT_INVALID;
}

/* ------------------------------------------------------------------ open-platform accounts */

static int open_create_run(struct store *s, void *arg)
{
    return accounts_open_create(s, &((struct admin_op *)arg)->open);
}

static int open_create_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"open_account\":");
    render_open_account(&b, &((struct admin_op *)arg)->open);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_admin_open_accounts_create(struct req *r)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    struct admin_op *op = xcalloc(1, sizeof(*op));
    rc = field(o, "name", op->open.name, sizeof(op->open.name), 1);
    cJSON_Delete(o);
    if (rc != 0) {
        free(op);
        return rc;
    }
    return http_write(r, open_create_run, NULL, op, open_create_done);
}

/* ------------------------------------------------------------------ official accounts */

static int account_create_run(struct store *s, void *arg)
{
    return accounts_create(s, &((struct admin_op *)arg)->acct);
}

static int account_done(struct req *r, void *arg, int rc)
{
    return rc != 0 ? rc : send_account(r, &((struct admin_op *)arg)->acct);
}

static int account_fields(const cJSON *o, struct account *a)
{
    int verified = 0, rc;
    if ((rc = field(o, "name", a->name, sizeof(a->name), 1)) != 0 ||
        (rc = field(o, "type", a->type, sizeof(a->type), 0)) != 0 ||
        (rc = field(o, "avatar", a->avatar, sizeof(a->avatar), 0)) != 0 ||
        (rc = field(o, "open_appid", a->open_appid, sizeof(a->open_appid), 0)) != 0)
        return rc;
    if (json_get_bool(o, "verified", &verified) == JSON_WRONG_TYPE)
        return ERR_ARGUMENT_INVALID;
    a->verified = verified;
    if (!a->type[0])
        snprintf(a->type, sizeof(a->type), "service");
    return 0;
}

int api_admin_accounts_create(struct req *r)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    struct admin_op *op = xcalloc(1, sizeof(*op));
    rc = account_fields(o, &op->acct);
    cJSON_Delete(o);
    if (rc != 0) {
        free(op);
        return rc;
    }
    return http_write(r, account_create_run, NULL, op, account_done);
}

/* reads appid (+ one more string field into op->text) for the account updates */
static int account_update_input(struct req *r, const char *extra, int extra_required,
                                struct admin_op **out)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    struct admin_op *op = xcalloc(1, sizeof(*op));
    rc = field(o, "appid", op->acct.appid, sizeof(op->acct.appid), 1);
    if (rc == 0 && extra)
        rc = field(o, extra, op->text, sizeof(op->text), extra_required);
    cJSON_Delete(o);
    if (rc != 0) {
        free(op);
        return rc == ERR_ARGUMENT_INVALID ? ERR_ARGUMENT_INVALID : rc;
    }
    *out = op;
    return 0;
}

static int reload(struct store *s, struct admin_op *op, int rc)
{
    return rc != 0 ? rc : store_account_get(s, op->acct.appid, &op->acct);
}

static int reset_secret_run(struct store *s, void *arg)
{
    struct admin_op *op = arg;
    char secret[33];
    return reload(s, op, accounts_reset_secret(s, op->acct.appid, secret));
}

static void reset_secret_after(void *arg)
{
    tokens_revoked(((struct admin_op *)arg)->acct.appid);
}

static int bind_run(struct store *s, void *arg)
{
    struct admin_op *op = arg;
    return reload(s, op, accounts_bind_open(s, op->acct.appid, op->text));
}

static int whitelist_run(struct store *s, void *arg)
{
    struct admin_op *op = arg;
    return reload(s, op, accounts_set_whitelist(s, op->acct.appid, op->text));
}

static int oauth_domain_run(struct store *s, void *arg)
{
    struct admin_op *op = arg;
    return reload(s, op, accounts_set_oauth_domain(s, op->acct.appid, op->text));
}

int api_admin_accounts_oauth_domain(struct req *r)
{
    struct admin_op *op;
    int rc = account_update_input(r, "oauth_domain", 0, &op);
    return rc != 0 ? rc : http_write(r, oauth_domain_run, NULL, op, account_done);
}

int api_admin_accounts_reset_secret(struct req *r)
{
    struct admin_op *op;
    int rc = account_update_input(r, NULL, 0, &op);
    return rc != 0 ? rc : http_write(r, reset_secret_run, reset_secret_after, op, account_done);
}

int api_admin_accounts_bind(struct req *r)
{
    struct admin_op *op;
    int rc = account_update_input(r, "open_appid", 0, &op);
    return rc != 0 ? rc : http_write(r, bind_run, NULL, op, account_done);
}

int api_admin_accounts_whitelist(struct req *r)
{
    struct admin_op *op;
    int rc = account_update_input(r, "ip_whitelist", 0, &op);
    return rc != 0 ? rc : http_write(r, whitelist_run, NULL, op, account_done);
}

/* ------------------------------------------------------------------ users */

/* a write of a user: under 1 KB where an admin_op takes 4.5 KB, one per request */
struct user_op {
    struct user user;
    char password[128];
};

static int user_create_run(struct store *s, void *arg)
{
    struct user_op *op = arg;
    return accounts_user_create(s, &op->user, NULL); /* hashed already (hash_then) */
}

/* worker thread: the password's hash, made before the write (PBKDF2 is slow) */
static int hash_run(void *arg)
{
    struct user_op *op = arg;
    if (op->password[0])
        crypto_password_hash(op->password, op->user.password_hash, sizeof(op->user.password_hash));
    crypto_wipe(op->password, sizeof(op->password));
    return 0;
}

struct hashed_write {
    struct user_op op;
    wjob_run_fn run;
    void (*after_commit)(void *);
    int atomic;
};

static int user_done(struct req *r, void *arg, int rc);

static int hashed(struct req *r, void *arg, int rc)
{
    struct hashed_write *h = arg;
    if (rc != 0)
        return rc;
    struct user_op *op = xmalloc(sizeof(*op));
    *op = h->op;
    return h->atomic ? http_write_atomic(r, h->run, h->after_commit, op, user_done)
                     : http_write(r, h->run, h->after_commit, op, user_done);
}

/* hashes op's password on a worker thread, then runs the write; takes op over */
static int hash_then(struct req *r, struct user_op *op, wjob_run_fn run,
                     void (*after_commit)(void *), int atomic)
{
    if (!op->password[0]) /* nothing to hash */
        return atomic ? http_write_atomic(r, run, after_commit, op, user_done)
                      : http_write(r, run, after_commit, op, user_done);
    struct hashed_write *h = xcalloc(1, sizeof(*h));
    h->op = *op;
    h->run = run;
    h->after_commit = after_commit;
    h->atomic = atomic;
    crypto_wipe(op, sizeof(*op));
    free(op);
    return http_offload(r, hash_run, &h->op, hashed);
}

static int user_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"user\":");
    render_user(&b, &((struct user_op *)arg)->user);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

static int user_fields(const cJSON *o, struct user_op *op)
{
    struct user *u = &op->user;
    int64_t sex = 0;
    int rc;
    if ((rc = field(o, "username", u->username, sizeof(u->username), 1)) != 0 ||
        (rc = field(o, "password", op->password, sizeof(op->password), 0)) != 0 ||
        (rc = field(o, "nickname", u->nickname, sizeof(u->nickname), 0)) != 0 ||
        (rc = field(o, "avatar", u->avatar, sizeof(u->avatar), 0)) != 0 ||
        (rc = field(o, "language", u->language, sizeof(u->language), 0)) != 0 ||
        (rc = field(o, "country", u->country, sizeof(u->country), 0)) != 0 ||
        (rc = field(o, "province", u->province, sizeof(u->province), 0)) != 0 ||
        (rc = field(o, "city", u->city, sizeof(u->city), 0)) != 0)
        return rc;
    if (json_get_i64(o, "sex", &sex) == JSON_WRONG_TYPE || sex < 0 || sex > 2)
        return ERR_ARGUMENT_INVALID;
    u->sex = (int)sex;
    return 0;
}

int api_admin_users_create(struct req *r)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    struct user_op *op = xcalloc(1, sizeof(*op));
    rc = user_fields(o, op);
    cJSON_Delete(o);
    if (rc != 0) {
        free(op);
        return rc;
    }
    /* checks, then one INSERT: nothing to undo when it fails */
    return hash_then(r, op, user_create_run, NULL, 1);
}

static int password_run(struct store *s, void *arg)
{
    struct user_op *op = arg;
    int rc = accounts_user_set_password_hash(s, op->user.id, op->user.password_hash);
    return rc != 0 ? rc : store_user_get(s, op->user.id, &op->user);
}

int api_admin_users_password(struct req *r)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    struct user_op *op = xcalloc(1, sizeof(*op));
    if (json_get_i64(o, "user_id", &op->user.id) != JSON_OK || op->user.id <= 0)
        rc = ERR_ARGUMENT_INVALID;
    else
        rc = field(o, "password", op->password, sizeof(op->password), 1);
    cJSON_Delete(o);
    if (rc != 0) {
        free(op);
        return rc;
    }
    return hash_then(r, op, password_run, sessions_changed, 0);
}

/* ------------------------------------------------------------------ identifiers, clock */

int api_admin_ids(struct req *r)
{
    char appid[64], uid[32];
    int64_t user_id;
    struct account a;
    struct user u;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_MISSING_APPID;
    long n = req_query(r, "user_id", uid, sizeof(uid));
    if (n <= 0 || parse_i64(uid, (size_t)n, &user_id) != 0)
        return ERR_ARGUMENT_INVALID;
    int rc = store_account_get(r->rd, appid, &a);
    if (rc == 0)
        rc = store_user_get(r->rd, user_id, &u);
    if (rc != 0)
        return rc;
    char openid[29], unionid[29] = "";
    accounts_openid(a.appid, u.id, openid);
    if (a.open_appid[0])
        accounts_unionid(a.open_appid, u.id, unionid);
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"openid\":\"%s\",\"unionid\":\"%s\"}", openid,
               unionid);
    http_send_buf(r, &b);
    return 0;
}

static void send_clock(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"now\":%lld,\"offset\":%lld}",
               (long long)clock_now(), (long long)clock_offset());
    http_send_buf(r, &b);
}

static int clock_done(struct req *r, void *arg, int rc)
{
    if (rc == 0)
        send_clock(r);
    return rc;
}

int api_admin_clock_get(struct req *r)
{
    send_clock(r);
    return 0;
}

int api_admin_clock_advance(struct req *r)
{
    cJSON *o;
    int rc = body(r, &o);
    if (rc != 0)
        return rc;
    int64_t secs = 0;
    int jr = json_get_i64(o, "advance", &secs);
    cJSON_Delete(o);
    if (jr != JSON_OK || secs <= 0 || secs > 10LL * 365 * 86400)
        return ERR_ARGUMENT_INVALID;
    struct clock_move *m = xcalloc(1, sizeof(*m));
    m->secs = secs;
    return http_write(r, cluster_clock_advance_run, cluster_clock_advance_after, m, clock_done);
}
