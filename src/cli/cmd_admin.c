/*
 * cmd_admin: `lianjie admin [--data DIR] <noun> <verb> [options]`, straight on the store
 * (safe beside a running server: SQLite WAL). Prints JSON, one object per line.
 *
 *   open-account create --name N | list
 *   account create --name N [--type service|subscription|website] [--verified] [--open APPID]
 *   account list | show --appid A | reset-secret --appid A | bind --appid A --open APPID
 *   account whitelist --appid A --ips "IP,IP"      (empty --ips "" allows all)
 *   account oauth-domain --appid A --domain HOST[:PORT]   (web authorization domain)
 *   account admin --appid A --user N   (the account's administrator; 0 = none)
 *   user create --username U [--password P] [--nickname N] | list | password --id N --password P
 *   component create --name N --token T --aes-key K --auth-url U [--message-url U]
 *             [--sets 1,2,15] [--domains HOST,HOST] [--appid wx...] | list
 *   operator-key
 *   seed-followers --appid A --count N [--batch B]   (users seed0000001.. follow A; see seed.h)
 *
 * seed-followers commits every B users (default 50000) and prints progress on stderr; what
 * was committed before an error stays, and running it again skips what is done. It is made
 * for a stopped server's data directory; beside a running one each batch waits for the
 * server's writes (and holds them up) while it commits.
 */
#include "cli.h"
#include "../api/render.h"
#include "../core/accounts.h"
#include "../core/clock.h"
#include "../core/component.h"
#include "../core/seed.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/parse.h"

#include <stdio.h>
#include <string.h>

struct admin_ctx {
    int argc;
    char **argv;
    struct store *s;
};

static const char *opt(struct admin_ctx *c, const char *name)
{
    return cli_opt(c->argc, c->argv, name);
}

static int need(struct admin_ctx *c, const char *name, const char **out)
{
    *out = opt(c, name);
    if (*out)
        return 0;
    fprintf(stderr, "lianjie admin: missing --%s\n", name);
    return ERR_ARGUMENT_INVALID;
}

static void emit(struct buf *b)
{
    printf("%s\n", b->ptr);
    buf_release(b);
}

static void out_open(void *arg, const struct open_account *o)
{
    struct buf b = BUF_INIT;
    render_open_account(&b, o);
    emit(&b);
}

static void out_account(void *arg, const struct account *a)
{
    struct buf b = BUF_INIT;
    render_account(&b, a, 1);
    emit(&b);
}

static void out_user(void *arg, const struct user *u)
{
    struct buf b = BUF_INIT;
    render_user(&b, u);
    emit(&b);
}

static int open_account_cmd(struct admin_ctx *c, const char *verb)
{
    if (strcmp(verb, "list") == 0)
        return store_open_account_list(c->s, out_open, NULL);
    struct open_account o = {0};
    const char *name;
    if (strcmp(verb, "create") != 0 || need(c, "name", &name) != 0)
        return ERR_ARGUMENT_INVALID;
    snprintf(o.name, sizeof(o.name), "%s", name);
    int rc = accounts_open_create(c->s, &o);
    if (rc == 0)
        out_open(NULL, &o);
    return rc;
}

static int account_create(struct admin_ctx *c)
{
    struct account a = {0};
    const char *name, *type = opt(c, "type"), *open = opt(c, "open");
    if (need(c, "name", &name) != 0)
        return ERR_ARGUMENT_INVALID;
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.type, sizeof(a.type), "%s", type ? type : "service");
    snprintf(a.open_appid, sizeof(a.open_appid), "%s", open ? open : "");
    a.verified = cli_flag(c->argc, c->argv, "verified");
    int rc = accounts_create(c->s, &a);
    if (rc == 0)
        out_account(NULL, &a);
    return rc;
}

static int admin_set(struct admin_ctx *c, const char *appid, const char *user)
{
    uint64_t id;
    struct user u;
    if (parse_u64(user, strlen(user), &id) != 0 || id > INT64_MAX)
        return ERR_ARGUMENT_INVALID;
    int rc = id == 0 ? 0 : store_user_get(c->s, (int64_t)id, &u);
    return rc != 0 ? rc : store_account_admin_set(c->s, appid, (int64_t)id);
}

static void out_component(void *arg, const struct component *k)
{
    struct buf b = BUF_INIT;
    render_component(&b, k);
    emit(&b);
}

static void copy_opt(struct admin_ctx *c, const char *name, char *out, size_t cap)
{
    const char *v = opt(c, name);
    snprintf(out, cap, "%s", v ? v : "");
}

static int component_cmd(struct admin_ctx *c, const char *verb)
{
    if (strcmp(verb, "list") == 0)
        return store_component_list(c->s, out_component, NULL);
    if (strcmp(verb, "create") != 0)
        return ERR_ARGUMENT_INVALID;
    struct component k = {0};
    copy_opt(c, "appid", k.appid, sizeof(k.appid));
    copy_opt(c, "name", k.name, sizeof(k.name));
    copy_opt(c, "token", k.token, sizeof(k.token));
    copy_opt(c, "aes-key", k.aes_key, sizeof(k.aes_key));
    copy_opt(c, "auth-url", k.auth_url, sizeof(k.auth_url));
    copy_opt(c, "message-url", k.msg_url, sizeof(k.msg_url));
    copy_opt(c, "sets", k.func_sets, sizeof(k.func_sets));
    copy_opt(c, "domains", k.domains, sizeof(k.domains));
    int rc = component_validate(&k);
    if (rc == 0)
        rc = component_create(c->s, &k);
    if (rc == 0)
        out_component(NULL, &k);
    return rc;
}

static int account_update(struct admin_ctx *c, const char *verb, const char *appid)
{
    const char *v;
    int rc;
    char secret[33];
    if (strcmp(verb, "reset-secret") == 0)
        rc = accounts_reset_secret(c->s, appid, secret);
    else if (strcmp(verb, "bind") == 0)
        rc = need(c, "open", &v) ?: accounts_bind_open(c->s, appid, v);
    else if (strcmp(verb, "whitelist") == 0)
        rc = need(c, "ips", &v) ?: accounts_set_whitelist(c->s, appid, v);
    else if (strcmp(verb, "oauth-domain") == 0)
        rc = need(c, "domain", &v) ?: accounts_set_oauth_domain(c->s, appid, v);
    else if (strcmp(verb, "admin") == 0)
        rc = need(c, "user", &v) ?: admin_set(c, appid, v);
    else if (strcmp(verb, "show") == 0)
        rc = 0;
    else
        return ERR_ARGUMENT_INVALID;
    struct account a;
    if (rc == 0 && (rc = store_account_get(c->s, appid, &a)) == 0)
        out_account(NULL, &a);
    return rc;
}

static int account_cmd(struct admin_ctx *c, const char *verb)
{
    const char *appid;
    if (strcmp(verb, "list") == 0)
        return store_account_list(c->s, out_account, NULL);
    if (strcmp(verb, "create") == 0)
        return account_create(c);
    if (need(c, "appid", &appid) != 0)
        return ERR_ARGUMENT_INVALID;
    return account_update(c, verb, appid);
}

static int user_cmd(struct admin_ctx *c, const char *verb)
{
    const char *v, *pw;
    if (strcmp(verb, "list") == 0)
        return store_user_list(c->s, out_user, NULL);
    struct user u = {0};
    int rc;
    if (strcmp(verb, "create") == 0) {
        const char *nick = opt(c, "nickname");
        if (need(c, "username", &v) != 0)
            return ERR_ARGUMENT_INVALID;
        snprintf(u.username, sizeof(u.username), "%s", v);
        snprintf(u.nickname, sizeof(u.nickname), "%s", nick ? nick : "");
        rc = accounts_user_create(c->s, &u, opt(c, "password"));
    } else if (strcmp(verb, "password") == 0) {
        if (need(c, "id", &v) != 0 || need(c, "password", &pw) != 0 ||
            parse_i64(v, strlen(v), &u.id) != 0)
            return ERR_ARGUMENT_INVALID;
        rc = accounts_user_set_password(c->s, u.id, pw);
        if (rc == 0)
            rc = store_user_get(c->s, u.id, &u);
    } else {
        return ERR_ARGUMENT_INVALID;
    }
    if (rc == 0)
        out_user(NULL, &u);
    return rc;
}

/* a positive count option; def when absent */
static int count_opt(struct admin_ctx *c, const char *name, int64_t def, int64_t *out)
{
    const char *v = opt(c, name);
    *out = def;
    if (v && (parse_i64(v, strlen(v), out) != 0 || *out < 1)) {
        fprintf(stderr, "lianjie admin: --%s must be a positive number\n", name);
        return ERR_ARGUMENT_INVALID;
    }
    return 0;
}

/* batches of seed_followers, each committed; the caller commits the last one */
static int seed_cmd(struct admin_ctx *c)
{
    const char *appid, *n;
    int64_t count, batch;
    if (need(c, "appid", &appid) != 0 || need(c, "count", &n) != 0 ||
        count_opt(c, "count", 0, &count) != 0 || count_opt(c, "batch", 50000, &batch) != 0)
        return ERR_ARGUMENT_INVALID;
    struct seed_range r = {.appid = appid, .first = 1};
    int64_t t0 = clock_mono_ns();
    int rc = 0;
    while (rc == 0 && r.first <= count) {
        r.count = count - r.first + 1 < batch ? count - r.first + 1 : batch;
        rc = seed_followers(c->s, &r);
        r.first += r.count;
        if (rc == 0 && r.first <= count)
            rc = store_commit(c->s) ?: store_begin(c->s);
        if (rc == 0 && ((r.first - 1) % 100000 < r.count || r.first > count))
            fprintf(stderr, "seed-followers: %lld of %lld\n", (long long)(r.first - 1),
                    (long long)count);
    }
    if (rc == 0)
        printf("{\"appid\":\"%s\",\"count\":%lld,\"created\":%lld,\"followed\":%lld,"
               "\"skipped\":%lld,\"seconds\":%.2f}\n",
               appid, (long long)count, (long long)r.created, (long long)r.followed,
               (long long)r.skipped, (double)(clock_mono_ns() - t0) / 1e9);
    return rc;
}

static int dispatch(struct admin_ctx *c, const char *noun, const char *verb)
{
    if (strcmp(noun, "operator-key") == 0) {
        printf("%s\n", accounts_operator_key());
        return 0;
    }
    if (strcmp(noun, "seed-followers") == 0)
        return seed_cmd(c);
    if (!verb)
        return ERR_ARGUMENT_INVALID;
    if (strcmp(noun, "open-account") == 0)
        return open_account_cmd(c, verb);
    if (strcmp(noun, "account") == 0)
        return account_cmd(c, verb);
    if (strcmp(noun, "user") == 0)
        return user_cmd(c, verb);
    if (strcmp(noun, "component") == 0)
        return component_cmd(c, verb);
    return ERR_ARGUMENT_INVALID;
}

/* the first two words that are not options or option values */
static void words(int argc, char **argv, const char **noun, const char **verb)
{
    *noun = *verb = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) == 0) {
            if (!strchr(argv[i], '=') && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 &&
                strcmp(argv[i], "--verified") != 0)
                i++;
            continue;
        }
        if (!*noun)
            *noun = argv[i];
        else if (!*verb)
            *verb = argv[i];
    }
}

static const char admin_usage[] =
    "usage: lianjie admin [--data DIR | --db URL] NOUN [VERB] [options]\n"
    "\n"
    "  open-account create --name N | list\n"
    "  account create --name N [--type service|subscription|website] [--verified] [--open APPID]\n"
    "  account list | show --appid A | reset-secret --appid A | bind --appid A --open APPID\n"
    "  account whitelist --appid A --ips \"IP,IP\" | oauth-domain --appid A --domain HOST[:PORT]\n"
    "  account admin --appid A --user USER_ID\n"
    "  user create --username U [--password P] [--nickname N] | list | password --id N --password "
    "P\n"
    "  component create --name N [--appid A] [--token T] [--aes-key K] [--auth-url URL]\n"
    "                   [--message-url URL] [--sets 1,2] [--domains a.com,b.com] | list\n"
    "  operator-key\n"
    "  seed-followers --appid A --count N [--batch B]\n";

static const char *const admin_opts_known[] = {
    "data",   "db",      "name",     "type",        "verified!", "open",    "appid", "ips",
    "domain", "user",    "username", "password",    "nickname",  "id",      "count", "batch",
    "token",  "aes-key", "auth-url", "message-url", "sets",      "domains", NULL};

/* the nouns and their verbs (NULL: a noun that takes none) */
static const struct {
    const char *noun, *verbs;
} admin_commands[] = {
    {"open-account", " create list "},
    {"account", " create list show reset-secret bind whitelist oauth-domain admin "},
    {"user", " create list password "},
    {"component", " create list "},
    {"operator-key", NULL},
    {"seed-followers", NULL},
};

/* a noun and verb this command knows */
static int known_command(const char *noun, const char *verb)
{
    for (size_t i = 0; noun && i < sizeof(admin_commands) / sizeof(admin_commands[0]); i++) {
        if (strcmp(admin_commands[i].noun, noun) != 0)
            continue;
        if (!admin_commands[i].verbs)
            return !verb;
        char v[40];
        snprintf(v, sizeof(v), " %s ", verb ? verb : "");
        return verb && strstr(admin_commands[i].verbs, v) != NULL;
    }
    return 0;
}

int cmd_admin(int argc, char **argv)
{
    const char *where = cli_store(argc, argv), *noun, *verb;
    struct admin_ctx c = {argc, argv, NULL};
    words(argc, argv, &noun, &verb);
    if (cli_wants_help(argc, argv)) {
        fputs(admin_usage, stdout);
        return 0;
    }
    if (cli_check_opts(argc, argv, admin_opts_known, 2, "lianjie admin") != 0 ||
        !known_command(noun, verb)) {
        if (noun)
            fprintf(stderr, "lianjie admin: no command '%s%s%s'\n", noun, verb ? " " : "",
                    verb ? verb : "");
        fputs(admin_usage, stderr);
        return 2;
    }
    if (store_open(where, &c.s) != 0)
        return 1;
    int rc = store_begin(c.s);
    if (rc == 0)
        rc = accounts_init(c.s);
    if (rc == 0)
        rc = dispatch(&c, noun, verb);
    if (rc == 0)
        rc = store_commit(c.s);
    else
        store_rollback(c.s);
    store_close(c.s);
    if (rc != 0)
        fprintf(stderr, "lianjie admin: %s (errcode %d)\n", err_msg(rc), rc);
    return rc == 0 ? 0 : 1;
}
