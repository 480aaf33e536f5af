/* demo: see demo.h */
#include "demo.h"
#include "accounts.h"
#include "../store/store_component.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *username, *nickname, *country, *province, *city;
    int sex;
} demo_users[] = {
    {"alice", "Alice", "China", "Guangdong", "Shenzhen", 2},
    {"bob", "Bob", "China", "Beijing", "Beijing", 1},
    {"carol", "Carol", "China", "Shanghai", "Shanghai", 2},
    {"dave", "Dave", "China", "Zhejiang", "Hangzhou", 1},
    {"erin", "Erin", "China", "Sichuan", "Chengdu", 0},
};

/* the demo accounts; admins[] gets the appids alice administers */
static int seed_accounts(struct store *s, char admins[2][19])
{
    struct open_account o = {0};
    snprintf(o.name, sizeof(o.name), "Demo Open Platform");
    int rc = accounts_open_create(s, &o);
    if (rc != 0)
        return rc;
    struct account svc = {0}, sub = {0};
    snprintf(svc.name, sizeof(svc.name), "Demo Service Account");
    snprintf(svc.type, sizeof(svc.type), "service");
    svc.verified = 1;
    memcpy(svc.open_appid, o.appid, sizeof(o.appid));
    snprintf(sub.name, sizeof(sub.name), "Demo Subscription Account");
    snprintf(sub.type, sizeof(sub.type), "subscription");
    memcpy(sub.open_appid, o.appid, sizeof(o.appid));
    struct account web = {0};
    snprintf(web.name, sizeof(web.name), "Demo Website");
    snprintf(web.type, sizeof(web.type), "website");
    memcpy(web.open_appid, o.appid, sizeof(o.appid));
    snprintf(svc.oauth_domain, sizeof(svc.oauth_domain), "127.0.0.1");
    snprintf(web.oauth_domain, sizeof(web.oauth_domain), "127.0.0.1");
    if ((rc = accounts_create(s, &svc)) != 0 || (rc = accounts_create(s, &sub)) != 0)
        return rc;
    memcpy(admins[0], svc.appid, sizeof(svc.appid));
    memcpy(admins[1], sub.appid, sizeof(sub.appid));
    return accounts_create(s, &web);
}

int demo_seed(struct store *s)
{
    int64_t users = 0;
    if (store_user_count(s, &users) != 0)
        return ERR_SYSTEM;
    if (users > 0)
        return 0;
    char admins[2][19];
    int64_t alice = 0;
    int rc = seed_accounts(s, admins);
    for (size_t i = 0; rc == 0 && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        struct user u = {0};
        snprintf(u.username, sizeof(u.username), "%s", demo_users[i].username);
        snprintf(u.nickname, sizeof(u.nickname), "%s", demo_users[i].nickname);
        snprintf(u.country, sizeof(u.country), "%s", demo_users[i].country);
        snprintf(u.province, sizeof(u.province), "%s", demo_users[i].province);
        snprintf(u.city, sizeof(u.city), "%s", demo_users[i].city);
        u.sex = demo_users[i].sex;
        rc = accounts_user_create(s, &u, DEMO_PASSWORD);
        if (i == 0)
            alice = u.id;
    }
    /* alice administers the service and subscription accounts (third-party authorization) */
    for (int i = 0; rc == 0 && i < 2; i++)
        rc = store_account_admin_set(s, admins[i], alice);
    return rc;
}
