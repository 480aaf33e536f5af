/*
 * cmd_serve: `lianjie serve [--data DIR] [--db URL] [--listen HOST:PORT] [--demo] [--test-clock]
 *                           [--threads N] [--log-level debug|info|warn|error|off] [--web DIR]
 *                           [--push-lease SECONDS] [--sync full|normal] [--no-signup]`
 * --web: the web client's files (default ./web, else web/ of the repository the binary was
 * built in); without them the server runs and /app/ pages answer 404.
 */
#include "cli.h"
#include "../api/api.h"
#include "../core/accounts.h"
#include "../core/chatwait.h"
#include "../core/clock.h"
#include "../core/cluster.h"
#include "../core/component.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../core/demo.h"
#include "../core/qrcodes.h"
#include "../core/media.h"
#include "../core/quota.h"
#include "../core/tokens.h"
#include "../http/http.h"
#include "../router/router.h"
#include "../store/store.h"
#include "../store/writer.h"
#include "../util/log.h"
#include "../util/parse.h"
#include "../util/thread.h"
#include "../util/workers.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int parse_listen(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    const char *p = colon ? colon + 1 : s;
    uint64_t v;
    if (parse_u64(p, strlen(p), &v) != 0 || v > 65535)
        return -1;
    *port = (int)v;
    if (!colon || colon == s) {
        snprintf(host, cap, "127.0.0.1");
    } else if (s[0] == '[' && colon[-1] == ']') {
        snprintf(host, cap, "%.*s", (int)(colon - s - 2), s + 1);
    } else {
        snprintf(host, cap, "%.*s", (int)(colon - s), s);
    }
    return 0;
}

static void print_account(void *arg, const struct account *a)
{
    printf("  %-12s %-28s appid %s  secret %s  (%s%s)\n", a->type, a->name, a->appid, a->secret,
           a->verified ? "verified" : "unverified", a->open_appid[0] ? ", open platform" : "");
}

static void print_open(void *arg, const struct open_account *o)
{
    printf("  open platform %-28s appid %s\n", o->name, o->appid);
}

static void print_user(void *arg, const struct user *u)
{
    printf("  user #%lld %-8s password %s\n", (long long)u->id, u->username, DEMO_PASSWORD);
}

static void print_banner(struct store *s, const char *base, int demo)
{
    printf("\nlianjie %s\n\n  operator key %s\n", demo ? "demo world" : "server",
           accounts_operator_key());
    if (demo) {
        store_open_account_list(s, print_open, NULL);
        store_account_list(s, print_account, NULL);
        store_user_list(s, print_user, NULL);
    }
    printf("\n  API      %s/cgi-bin/token?grant_type=client_credential&appid=APPID&secret=SECRET\n"
           "  operator %s/admin/v1/accounts  (Authorization: Bearer OPERATOR_KEY)\n"
           "  web      %s/app/login  (sign in as a user)\n"
           "  health   %s/healthz   metrics %s/metrics\n\n",
           base, base, base, base, base);
    fflush(stdout);
}

static int prepare_store(const char *dir, int demo, const char *base)
{
    struct store *s;
    if (store_open(dir, &s) != 0)
        return -1;
    int rc = store_begin(s);
    if (rc == 0)
        rc = accounts_init(s);
    if (rc == 0 && clock_test_enabled())
        rc = cluster_clock_load(s);
    if (rc == 0 && demo)
        rc = demo_seed(s);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc == 0)
        print_banner(s, base, demo);
    store_close(s);
    return rc;
}

/* every second: push due component verify tickets; every 10 seconds: remove
 * expired temporary media and a batch of the push log past its days; every minute: prune the token
 * cache, drop stored tokens a day past their expiry and expired QR codes and short keys */
static void *maintenance(void *unused)
{
    for (unsigned tick = 1;; tick++) {
        sleep(1);
        writer_run_sync(component_tickets_run, component_tickets_after, NULL);
        if (tick % 10 == 0) {
            writer_run_sync(media_purge_run, NULL, NULL);
            /* a batch per job, so that other writes go between them */
            int removed = PUSH_PRUNE_BATCH;
            for (int i = 0; i < 20 && removed == PUSH_PRUNE_BATCH; i++)
                writer_run_sync(push_prune_run, NULL, &removed);
        }
        if (tick % 60 == 0) {
            tokens_cache_prune(clock_now());
            writer_run_sync(tokens_purge_run, NULL, NULL);
            writer_run_sync(qrcodes_purge_run, NULL, NULL);
            writer_run_sync(component_purge_run, NULL, NULL);
        }
    }
    return NULL;
}

static int web_opt(int argc, char **argv, struct http_config *cfg)
{
    static char dir[4096];
    const char *given = cli_opt(argc, argv, "web");
    if (http_web_resolve(given, dir, sizeof(dir)) == 0) {
        cfg->web_dir = dir;
        return 0;
    }
    if (given) {
        fprintf(stderr, "lianjie: --web '%s' is not a web directory (no app/ in it)\n", given);
        return -1;
    }
    fprintf(stderr, "lianjie: no web directory found (./web): the web client is not served\n");
    return 0;
}

static int serve_opts(int argc, char **argv, struct http_config *cfg, char *host, size_t cap)
{
    const char *listen = cli_opt(argc, argv, "listen");
    const char *lvl = cli_opt(argc, argv, "log-level");
    const char *threads = cli_opt(argc, argv, "threads");
    uint64_t n = 0;
    cfg->data_dir = cli_opt(argc, argv, "data");
    if (!cfg->data_dir)
        cfg->data_dir = "./lianjie-data";
    cfg->store = cli_store(argc, argv);
    if (parse_listen(listen ? listen : "127.0.0.1:8080", host, cap, &cfg->port) != 0) {
        fprintf(stderr, "lianjie: bad --listen '%s' (want HOST:PORT)\n", listen);
        return -1;
    }
    cfg->listen_host = host;
    if (lvl && log_parse_level(lvl, &log_threshold) != 0) {
        fprintf(stderr, "lianjie: bad --log-level '%s'\n", lvl);
        return -1;
    }
    if (threads && (parse_u64(threads, strlen(threads), &n) != 0 || n < 1 || n > 64)) {
        fprintf(stderr, "lianjie: bad --threads '%s' (1 to 64)\n", threads);
        return -1;
    }
    cfg->threads = (int)n;
    const char *sync = cli_opt(argc, argv, "sync");
    if (sync && strcmp(sync, "full") != 0 && strcmp(sync, "normal") != 0) {
        fprintf(stderr, "lianjie: bad --sync '%s' (full or normal)\n", sync);
        return -1;
    }
    store_set_sync_full(!sync || strcmp(sync, "full") == 0);
    return web_opt(argc, argv, cfg);
}

/* --push-lease SECONDS: how long a node's claim on a push lasts unrenewed (2 to 3600) */
static int lease_opt(int argc, char **argv, int *out)
{
    const char *v = cli_opt(argc, argv, "push-lease");
    uint64_t n = 0;
    *out = 0;
    if (!v)
        return 0;
    if (parse_u64(v, strlen(v), &n) != 0 || n < 2 || n > 3600) {
        fprintf(stderr, "lianjie: bad --push-lease '%s' (2 to 3600 seconds)\n", v);
        return -1;
    }
    *out = (int)n;
    return 0;
}

static const char serve_usage[] =
    "usage: lianjie serve [--data DIR] [--db postgres://USER@HOST:PORT/DB] [--listen HOST:PORT]\n"
    "                     [--demo] [--test-clock] [--no-signup] [--threads N] [--web DIR] "
    "[--push-lease "
    "SECONDS]\n"
    "                     [--sync full|normal] [--log-level debug|info|warn|error|off]\n"
    "\n"
    "  --data DIR          SQLite database and media files (default ./lianjie-data)\n"
    "  --db URL            PostgreSQL instead of SQLite (also LIANJIE_DB); --data keeps media\n"
    "  --listen HOST:PORT  default 127.0.0.1:8080; port 0 picks a free one\n"
    "  --demo              a demo world in an empty store, and the one-click demo sign-in\n"
    "  --no-signup         users cannot sign themselves up (/app/signup, /client/v1/signup)\n"
    "  --test-clock        POST /admin/v1/clock moves the clock forward\n"
    "  --threads N         event loops (default: one per core, 1 to 64)\n"
    "  --web DIR           the web client's files (default ./web)\n"
    "  --push-lease S      how long a node's claim on a push lasts unrenewed (default 30)\n"
    "  --sync full|normal  SQLite: full (default) makes every commit survive a power cut;\n"
    "                      normal only a killed process, with fewer fsyncs\n"
    "  --log-level L       one JSON line per event on stderr at L and above (default info)\n";

static const char *const serve_opts_known[] = {"data",        "db",         "listen",    "demo!",
                                               "test-clock!", "threads",    "log-level", "web",
                                               "no-signup!",  "push-lease", "sync",      NULL};

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(serve_usage, stdout);
        return 0;
    }
    if (cli_check_opts(argc, argv, serve_opts_known, 0, "lianjie serve") != 0) {
        fputs(serve_usage, stderr);
        return 2;
    }
    struct http_config cfg = {0};
    char host[256], base[300];
    sigset_t set; /* every thread started from here leaves SIGINT/SIGTERM to http_serve */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int lease;
    if (serve_opts(argc, argv, &cfg, host, sizeof(host)) != 0 || lease_opt(argc, argv, &lease) != 0)
        return 2;
    struct router_options ro = {.test_clock = cli_flag(argc, argv, "test-clock"),
                                .demo = cli_flag(argc, argv, "demo")};
    if (ro.test_clock)
        clock_enable_test();
    api_set_demo_mode(ro.demo);
    api_set_signup(!cli_flag(argc, argv, "no-signup"));
    media_set_dir(cfg.data_dir);
    snprintf(base, sizeof(base), "http://%s:%d", host, cfg.port);
    if (strcmp(host, "0.0.0.0") != 0 && strcmp(host, "::") != 0)
        api_set_public_ip(host);
    if (prepare_store(cfg.store, ro.demo, base) != 0 || writer_start(cfg.store) != 0) {
        if (store_is_url(cfg.store))
            fprintf(stderr, "lianjie: cannot open the database\n");
        else
            fprintf(stderr, "lianjie: cannot open the data directory '%s'\n", cfg.data_dir);
        return 1;
    }
    router_init(&ro);
    if (cluster_start(cfg.store) != 0) {
        fprintf(stderr, "lianjie: cannot listen for the other nodes\n");
        return 1;
    }
    chatwait_start();
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    /* password hashing: at most half the cores, so a flood of sign-ins leaves the rest */
    if (workers_start(ncpu > 2 ? (int)(ncpu / 2) : 1) != 0) {
        fprintf(stderr, "lianjie: cannot start the worker threads\n");
        return 1;
    }
    if (push_worker_start(cfg.store, lease) != 0) {
        fprintf(stderr, "lianjie: cannot start the push worker\n");
        return 1;
    }
    pthread_t tid;
    pthread_create(&tid, NULL, maintenance, NULL);
    thread_name(tid, "lj-maint");
    pthread_detach(tid);
    int rc = http_serve(&cfg);
    push_worker_stop();
    workers_stop();
    chatwait_stop();
    cluster_stop();
    writer_run_sync(quota_release_run, NULL, NULL);
    return rc;
}
