/*
 * mass: see mass.h.
 */
#include "mass.h"
#include "accounts.h"
#include "chatwait.h"
#include "clock.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_users.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

#define CLIENTMSGID_WINDOW 86400

static int finish_event(struct store *s, const struct account *a, const struct mass_job *j,
                        int64_t now)
{
    char sender[29];
    accounts_openid(a->appid, 0, sender);
    struct buf b = BUF_INIT;
    push_xml_head(&b, a, sender, now, "event");
    xml_cdata(&b, "Event", "MASSSENDJOBFINISH");
    xml_num(&b, "MsgID", j->msg_id);
    xml_cdata(&b, "Status", "send success");
    xml_num(&b, "TotalCount", j->total);
    xml_num(&b, "FilterCount", j->sent + j->errors);
    xml_num(&b, "SentCount", j->sent);
    xml_num(&b, "ErrorCount", j->errors);
    buf_puts(&b, "<CopyrightCheckResult><Count>0</Count><ResultList></ResultList>"
                 "<CheckState>1</CheckState></CopyrightCheckResult>");
    xml_end(&b);
    int rc = push_enqueue(s, a, 0, "", "MASSSENDJOBFINISH", b.ptr, 0);
    buf_release(&b);
    return rc;
}

static int chat_row(struct store *s, struct mass_op *m, int64_t user_id, int64_t audience,
                    int64_t now)
{
    struct chat_msg c = {0};
    snprintf(c.appid, sizeof(c.appid), "%s", m->appid);
    snprintf(c.source, sizeof(c.source), "mass");
    snprintf(c.msgtype, sizeof(c.msgtype), "%s", m->msgtype);
    c.user_id = user_id;
    c.dir = 1;
    c.body = m->body;
    c.audience = audience;
    c.created_at = now;
    int rc = store_chat_insert(s, &c);
    m->job.message_id = c.id;
    return rc;
}

/* whether the follower f already received MASS_MONTH_CAP capped sends this month */
static int at_cap(struct store *s, const struct mass_op *m, const struct follower *f, int *yes)
{
    int64_t n = 0;
    *yes = 0;
    if (m->job.month == 0 || m->month_jobs < MASS_MONTH_CAP)
        return 0;
    int rc =
        store_mass_reaching(s, m->appid, m->job.month, f->openid, f->user_id, f->follow_mark, &n);
    *yes = n >= MASS_MONTH_CAP;
    return rc;
}

/* the recipients of an openid list: each follower once, unless at the cap (filtered); the
 * rest count as errors */
static int list_targets(struct store *s, struct mass_op *m)
{
    int rc = 0;
    for (int i = 0; i < m->n && rc == 0; i++) {
        struct follower f;
        int capped = 0;
        int found = store_follower_get(s, m->appid, m->openids[i], &f) == 0;
        if (!found || !f.subscribed || f.blacklisted) {
            m->job.errors++;
        } else if ((rc = at_cap(s, m, &f, &capped)) == 0 && !capped) {
            rc = store_mass_target_insert(s, m->job.message_id, f.user_id);
            m->job.sent++;
        }
    }
    m->job.total = m->n;
    return rc;
}

static int preview(struct store *s, struct mass_op *m, int64_t now)
{
    struct follower f;
    int rc = store_follower_get(s, m->appid, m->openids[0], &f);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_OPENID;
    if (rc == 0 && !f.subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    if (rc == 0)
        rc = chat_row(s, m, f.user_id, 0, now);
    m->job.total = m->job.sent = 1;
    return rc;
}

/*
 * The followers of a send to everyone or a tag that the cap filters out. When every earlier
 * send of the month went to everyone, those are the followers older than the chat row of the
 * MASS_MONTH_CAP-th newest send: one pass over the followers with no lookups. Else each
 * follower's sends are counted.
 */
static int capped_followers(struct store *s, struct mass_op *m, int64_t tag_id, int64_t *out)
{
    *out = 0;
    if (m->job.month == 0 || m->month_jobs < MASS_MONTH_CAP)
        return 0;
    if (m->month_not_all > 0)
        return store_mass_capped_followers(s, m->appid, m->job.month, tag_id, MASS_MONTH_CAP, out);
    int64_t mark = 0;
    int rc = store_mass_month_nth(s, m->appid, m->job.month, MASS_MONTH_CAP - 1, &mark);
    return rc != 0 ? rc : store_mass_followers_before(s, m->appid, tag_id, mark, out);
}

static int audience(struct store *s, struct mass_op *m, int64_t now)
{
    if (strcmp(m->kind, "preview") == 0)
        return preview(s, m, now);
    if (strcmp(m->kind, "list") == 0) {
        int rc = chat_row(s, m, 0, -2, now);
        return rc != 0 ? rc : list_targets(s, m);
    }
    int rc;
    int64_t capped = 0, tag = strcmp(m->kind, "tag") == 0 ? m->tag_id : -1;
    if (tag >= 0) {
        struct utag t;
        rc = store_utag_get(s, m->appid, m->tag_id, &t);
        if (rc == ERR_NOT_FOUND)
            return ERR_INVALID_TAG_ID;
        if (rc == 0)
            rc = store_tag_member_count(s, m->appid, m->tag_id, &m->job.total);
    } else {
        rc = store_follower_count(s, m->appid, &m->job.total);
    }
    if (rc == 0)
        rc = capped_followers(s, m, tag, &capped);
    m->job.sent = m->job.total - capped;
    return rc != 0 ? rc : chat_row(s, m, 0, tag >= 0 ? tag : -1, now);
}

/*
 * The account's caps (spec/messaging.md §9). A subscription account makes one send a day
 * (45028 after it). A service account's sends count per follower: a follower receives the
 * first MASS_MONTH_CAP sends of a calendar month that reach them and no more. Nothing is
 * written per follower: the job carries its month, and a chat read (store_chat_list) hides
 * a send when MASS_MONTH_CAP earlier sends of its month reached the reader; the job's counts
 * are worked out the same way when it is made (TotalCount: the audience; FilterCount and
 * SentCount without the followers at the cap). A deleted send still counts (it was
 * received); previews count for neither.
 */
static int caps(struct store *s, const struct account *a, struct mass_op *m, int64_t now)
{
    if (strcmp(m->kind, "preview") == 0)
        return 0;
    if (strcmp(a->type, "subscription") == 0) {
        int64_t n = 0;
        int rc = store_mass_sends_since(s, m->appid, clock_day(now) * 86400 - 8 * 3600, &n);
        return rc != 0 ? rc : n > 0 ? ERR_MASS_QUOTA : 0;
    }
    m->job.month = clock_month(now);
    return store_mass_month_jobs(s, m->appid, m->job.month, &m->month_jobs, &m->month_not_all);
}

int mass_send_run(struct store *s, void *arg)
{
    struct mass_op *m = arg;
    struct account a;
    int64_t now = clock_now();
    int rc = store_account_get(s, m->appid, &a);
    if (rc != 0)
        return rc;
    if (m->clientmsgid[0] &&
        store_mass_by_client(s, m->appid, m->clientmsgid, now - CLIENTMSGID_WINDOW, &m->job) == 0) {
        m->duplicate = 1;
        return 0;
    }
    memset(&m->job, 0, sizeof(m->job));
    if ((rc = caps(s, &a, m, now)) != 0 || (rc = audience(s, m, now)) != 0)
        return rc;
    struct mass_job *j = &m->job;
    snprintf(j->appid, sizeof(j->appid), "%s", m->appid);
    snprintf(j->kind, sizeof(j->kind), "%s", m->kind);
    snprintf(j->msgtype, sizeof(j->msgtype), "%s", m->msgtype);
    snprintf(j->clientmsgid, sizeof(j->clientmsgid), "%s", m->clientmsgid);
    snprintf(j->status, sizeof(j->status), "SEND_SUCCESS");
    j->tag_id = m->tag_id;
    j->created_at = now;
    if ((rc = store_mass_insert(s, j)) != 0)
        return rc;
    if (strcmp(m->msgtype, "mpnews") == 0)
        j->msg_data_id = 2247480000LL + j->msg_id % 100000000LL;
    return strcmp(m->kind, "preview") == 0 ? 0 : finish_event(s, &a, j, now);
}

void mass_send_after(void *arg)
{
    struct mass_op *m = arg;
    if (m->duplicate)
        return;
    chatwait_notify(0);
    push_worker_kick();
}
