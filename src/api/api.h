/*
 * api: the handlers, one file per API family. A handler reads its input, calls core, and
 * answers; it never talks SQL and never re-checks what the router checked (method, size,
 * credential, quota). See router/routes.c for which handler serves which path.
 */
#ifndef LJ_API_H
#define LJ_API_H

#include <stdint.h>

#include "../http/http.h"

int64_t api_now(void);
const char *api_public_ip(void);
void api_set_public_ip(const char *ip);

/* api_token.c */
int api_token_get(struct req *r);
int api_stable_token(struct req *r);
int api_getcallbackip(struct req *r);
int api_get_api_domain_ip(struct req *r);

/* api_quota.c */
int api_clear_quota(struct req *r);
int api_clear_quota_v2(struct req *r);
int api_quota_get(struct req *r);
int api_quota_clear(struct req *r);

/* api_ops.c */
int api_healthz(struct req *r);
int api_metrics(struct req *r);

/* api_admin.c */
int api_admin_open_accounts_list(struct req *r);
int api_admin_open_accounts_create(struct req *r);
int api_admin_accounts_list(struct req *r);
int api_admin_accounts_create(struct req *r);
int api_admin_accounts_get(struct req *r);
int api_admin_accounts_reset_secret(struct req *r);
int api_admin_accounts_bind(struct req *r);
int api_admin_accounts_whitelist(struct req *r);
int api_admin_users_list(struct req *r);
int api_admin_users_create(struct req *r);
int api_admin_users_password(struct req *r);
int api_admin_ids(struct req *r);
int api_admin_clock_get(struct req *r);
int api_admin_clock_advance(struct req *r);

/* api_client.c */
int api_client_login(struct req *r);
int api_client_logout(struct req *r);
int api_client_me(struct req *r);
int api_client_demo_users(struct req *r);
int api_client_demo_login(struct req *r);

#endif
