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
int api_demo_mode(void);
void api_set_demo_mode(int on);

/* api_signin.c: the web client's sign-in page and cookie session */
#define API_SESSION_COOKIE "lj_session"
/* closes a list answer begun as {"errcode":0,…,"key":[ and sends it when rc is 0; else
 * drops it and returns rc for the router to answer */
int api_send_list(struct req *r, int rc, struct buf *b);
int api_cookie_user(struct req *r, int64_t *user_id);
/* sets the cookie session (30 days, HttpOnly, SameSite=Lax) on the answer */
void api_session_cookie(struct req *r, const char *token);
/*
 * Signs in with the username and password of arg, heap memory of `size` bytes that begins
 * with a struct session_new: failures are limited per username and client address, the
 * password is checked on a worker thread, then the writer makes the session, and done(r, arg,
 * rc) answers with rc 0, ERR_UNAUTHENTICATED, ERR_TOO_MANY_ATTEMPTS, ERR_BUSY or ERR_SYSTEM.
 * Takes arg over; returns what the handler returns.
 */
int api_signin(struct req *r, void *arg, size_t size, req_done_fn done);
void api_login_redirect(struct req *r);
int api_app_login_page(struct req *r);
int api_app_login(struct req *r);
/* sign-up (api_signup.c): on unless the operator turns it off */
void api_set_signup(int on);
int api_signup_open(void);
int api_app_signup_page(struct req *r);
int api_app_signup(struct req *r);
int api_client_signup(struct req *r);
int api_app_home(struct req *r);

/* api_webapp.c: the web client's pages (static HTML files of the web directory) */
int api_app_page(struct req *r);
/* GET /: a browser goes to /app/; 404 for others */
int api_root(struct req *r);
/* no route: a page for a browser, the JSON envelope for others (answers, or returns 404) */
int api_not_found(struct req *r);

/* api_authorize.c: the authorization pages */
int api_oauth_authorize(struct req *r);
int api_oauth_authorize_decide(struct req *r);
int api_qrconnect(struct req *r);
int api_qrconnect_poll(struct req *r);
int api_qrconnect_image(struct req *r);
int api_app_qrconnect(struct req *r);
int api_app_qrconnect_decide(struct req *r);
int api_client_qrconnect_confirm(struct req *r);

/* api_oauth.c: the sns/... wire APIs */
int api_sns_access_token(struct req *r);
int api_sns_refresh_token(struct req *r);
int api_sns_userinfo(struct req *r);
int api_sns_auth(struct req *r);
int api_sns_component_access_token(struct req *r);
int api_sns_component_refresh_token(struct req *r);

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

/* api_qrcode.c, api_shorten.c, api_jssdk.c: scene QR codes, short keys, JS-SDK tickets */
int api_qrcode_create(struct req *r);
int api_showqrcode(struct req *r);
int api_shorten_gen(struct req *r);
int api_shorten_fetch(struct req *r);
int api_shorturl(struct req *r);
int api_getticket(struct req *r);
/* api_menus.c: custom menus */
int api_menu_create(struct req *r);
int api_menu_get(struct req *r);
int api_menu_delete(struct req *r);
int api_menu_addconditional(struct req *r);
int api_menu_delconditional(struct req *r);
int api_menu_trymatch(struct req *r);
int api_menu_selfmenu(struct req *r);
/* api_user.c: followers, user info, tags and the blacklist */
int api_user_get(struct req *r);
int api_user_info(struct req *r);
int api_user_batchget(struct req *r);
int api_user_updateremark(struct req *r);
int api_user_tag_get(struct req *r);
int api_tags_create(struct req *r);
int api_tags_get(struct req *r);
int api_tags_update(struct req *r);
int api_tags_delete(struct req *r);
int api_tags_batchtagging(struct req *r);
int api_tags_batchuntagging(struct req *r);
int api_tags_getidlist(struct req *r);
int api_tags_getblacklist(struct req *r);
int api_tags_batchblacklist(struct req *r);
int api_tags_batchunblacklist(struct req *r);
/* api_media.c: temporary media and their public URLs */
int api_media_upload(struct req *r);
int api_media_get(struct req *r);
int api_media_uploadimg(struct req *r);
int api_media_uploadnews(struct req *r);
int api_media_uploadvideo(struct req *r);
int api_mmbiz_img(struct req *r);
int api_mmbiz_video(struct req *r);

/* api_material.c: permanent material */
int api_material_add(struct req *r);
int api_material_add_news(struct req *r);
int api_material_update_news(struct req *r);
int api_material_get(struct req *r);
int api_material_del(struct req *r);
int api_material_count(struct req *r);
int api_material_batchget(struct req *r);

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
int api_admin_accounts_oauth_domain(struct req *r);
int api_admin_users_list(struct req *r);
int api_admin_users_create(struct req *r);
int api_admin_users_password(struct req *r);
int api_admin_ids(struct req *r);
int api_admin_clock_get(struct req *r);
int api_admin_clock_advance(struct req *r);

/* api_server.c: an account's message server and its push log (operator) */
int api_admin_accounts_server(struct req *r);
int api_admin_pushes(struct req *r);

/* api_component.c: third-party platforms (operator registration, component wire APIs) */
int api_admin_components_list(struct req *r);
int api_admin_components_get(struct req *r);
int api_admin_components_create(struct req *r);
int api_component_token(struct req *r);
int api_create_preauthcode(struct req *r);
int api_start_push_ticket(struct req *r);
int api_query_auth(struct req *r);
int api_admin_accounts_admin(struct req *r);
/* api_authorizer.c: a component's authorizers; the administrator's list and cancel */
int api_authorizer_token(struct req *r);
int api_get_authorizer_info(struct req *r);
int api_get_authorizer_list(struct req *r);
int api_get_authorizer_option(struct req *r);
int api_set_authorizer_option(struct req *r);
int api_component_clear_quota(struct req *r);
int api_client_authorizations(struct req *r);
int api_client_authorization_cancel(struct req *r);
int api_client_authorization_update(struct req *r);
int api_client_administered(struct req *r);
/* api_component_page.c: the authorization pages */
int api_componentloginpage(struct req *r);
int api_componentloginpage_approve(struct req *r);

/* api_message.c: customer-service messages */
int api_custom_send(struct req *r);
int api_custom_typing(struct req *r);

/* api_mass.c: mass sends */
int api_mass_sendall(struct req *r);
int api_mass_send(struct req *r);
int api_mass_preview(struct req *r);
int api_mass_delete(struct req *r);
int api_mass_get(struct req *r);
int api_mass_speed_get(struct req *r);
int api_mass_speed_set(struct req *r);
/* api_template.c: template messages */
int api_template_set_industry(struct req *r);
int api_template_get_industry(struct req *r);
int api_template_add(struct req *r);
int api_template_list(struct req *r);
int api_template_del(struct req *r);
int api_template_send(struct req *r);

/* api_tap.c: the user side of menus and scene QR codes */
int api_client_account(struct req *r);
int api_client_menu_click(struct req *r);
int api_client_scan(struct req *r);
int api_client_media(struct req *r);
int api_client_chat_read(struct req *r);
/* the Me tab (api_me.c) */
int api_client_me_authorized(struct req *r);
int api_client_me_revoke(struct req *r);
int api_client_me_profile(struct req *r);
int api_client_me_password(struct req *r);
int api_client_scan_peek(struct req *r);

/* api_chat.c: the user side of messaging */
int api_client_accounts(struct req *r);
int api_client_chats(struct req *r);
int api_client_follow(struct req *r);
int api_client_unfollow(struct req *r);
int api_client_send(struct req *r);
int api_client_location(struct req *r);
int api_client_messages(struct req *r);

/* api_client.c */
int api_client_login(struct req *r);
int api_client_logout(struct req *r);
int api_client_me(struct req *r);
int api_client_demo_users(struct req *r);
int api_client_demo_login(struct req *r);

#endif
