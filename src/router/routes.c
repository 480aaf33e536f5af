/*
 * routes: THE route table. Every path lianjie answers is here, with its methods, the
 * credential it takes, the third-party permission sets that grant it to an authorizer token
 * (spec/component.md §7, each API page's "该接口所属的权限集" line: any one of them suffices;
 * NONE = not callable with an authorizer token, ANY = granted by every set) and its flags. Entries
 * sharing a path must be adjacent (one per method).
 */
#include "router.h"
#include "../api/api.h"

#define WIRE R_WIRE
/* the permission sets granting a route to an authorizer token (permset.h) */
#define SETS(...) PERMSETS(__VA_ARGS__)
#define NONE      PERMSETS_NONE
#define ANY       PERMSETS_ANY

const struct route routes[] = {
    /* accounts.md §1: tokens and quotas */
    {M_GET, "/cgi-bin/token", api_token_get, AUTH_NONE, NONE, WIRE, 0},
    {M_POST, "/cgi-bin/stable_token", api_stable_token, AUTH_NONE, NONE, WIRE, 0},
    {M_GET, "/cgi-bin/getcallbackip", api_getcallbackip, AUTH_TOKEN, ANY, WIRE, 0},
    {M_GET, "/cgi-bin/get_api_domain_ip", api_get_api_domain_ip, AUTH_TOKEN, ANY, WIRE, 0},
    {M_POST, "/cgi-bin/clear_quota", api_clear_quota, AUTH_TOKEN, ANY, WIRE | R_COMPONENT, 0},
    {M_POST, "/cgi-bin/clear_quota/v2", api_clear_quota_v2, AUTH_NONE, NONE, WIRE, 0},
    {M_POST, "/cgi-bin/openapi/quota/get", api_quota_get, AUTH_TOKEN, ANY, WIRE | R_COMPONENT, 0},
    {M_POST, "/cgi-bin/openapi/quota/clear", api_quota_clear, AUTH_TOKEN, ANY, WIRE | R_COMPONENT,
     0},

    /* messaging.md §7: customer-service messages */
    {M_POST, "/cgi-bin/message/custom/send", api_custom_send, AUTH_TOKEN, SETS(1, 6, 19, 100, 101),
     WIRE, 0},
    {M_POST, "/cgi-bin/message/custom/typing", api_custom_typing, AUTH_TOKEN,
     SETS(1, 6, 19, 100, 101), WIRE, 0},

    /* messaging.md §9: mass sends */
    {M_POST, "/cgi-bin/message/mass/sendall", api_mass_sendall, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/send", api_mass_send, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/preview", api_mass_preview, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/delete", api_mass_delete, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/get", api_mass_get, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/speed/get", api_mass_speed_get, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/message/mass/speed/set", api_mass_speed_set, AUTH_TOKEN, SETS(7), WIRE, 0},
    /* messaging.md §8: template messages */
    {M_POST, "/cgi-bin/template/api_set_industry", api_template_set_industry, AUTH_TOKEN, SETS(7),
     WIRE, 0},
    {M_GET | M_POST, "/cgi-bin/template/get_industry", api_template_get_industry, AUTH_TOKEN,
     SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/template/api_add_template", api_template_add, AUTH_TOKEN, SETS(7), WIRE, 0},
    {M_GET | M_POST, "/cgi-bin/template/get_all_private_template", api_template_list, AUTH_TOKEN,
     SETS(7), WIRE, 0},
    {M_POST, "/cgi-bin/template/del_private_template", api_template_del, AUTH_TOKEN, SETS(7), WIRE,
     0},
    {M_POST, "/cgi-bin/message/template/send", api_template_send, AUTH_TOKEN, SETS(7, 100, 101),
     WIRE, 0},

    /* accounts.md §5-§7: scene QR codes, short keys, JS-SDK tickets */
    {M_POST, "/cgi-bin/qrcode/create", api_qrcode_create, AUTH_TOKEN, SETS(3), WIRE, 0},
    {M_GET, "/cgi-bin/showqrcode", api_showqrcode, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/cgi-bin/shorten/gen", api_shorten_gen, AUTH_TOKEN, SETS(3), WIRE, 0},
    {M_POST, "/cgi-bin/shorten/fetch", api_shorten_fetch, AUTH_TOKEN, SETS(3), WIRE, 0},
    {M_POST, "/cgi-bin/shorturl", api_shorturl, AUTH_TOKEN, SETS(3), WIRE, 0},
    {M_GET, "/cgi-bin/ticket/getticket", api_getticket, AUTH_TOKEN, SETS(4, 8), WIRE, 0},
    /* accounts.md §2: custom menus */
    {M_POST, "/cgi-bin/menu/create", api_menu_create, AUTH_TOKEN, SETS(15), WIRE, 0},
    {M_GET, "/cgi-bin/menu/get", api_menu_get, AUTH_TOKEN, SETS(15), WIRE, 0},
    {M_GET, "/cgi-bin/menu/delete", api_menu_delete, AUTH_TOKEN, SETS(15), WIRE, 0},
    {M_POST, "/cgi-bin/menu/addconditional", api_menu_addconditional, AUTH_TOKEN, SETS(15), WIRE,
     0},
    {M_POST, "/cgi-bin/menu/delconditional", api_menu_delconditional, AUTH_TOKEN, SETS(15), WIRE,
     0},
    {M_POST, "/cgi-bin/menu/trymatch", api_menu_trymatch, AUTH_TOKEN, SETS(15), WIRE, 0},
    {M_GET, "/cgi-bin/get_current_selfmenu_info", api_menu_selfmenu, AUTH_TOKEN, SETS(1, 3, 15),
     WIRE, 0},
    /* accounts.md §3-4: followers, tags and blacklist */
    {M_GET, "/cgi-bin/user/get", api_user_get, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_GET, "/cgi-bin/user/info", api_user_info, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/user/info/batchget", api_user_batchget, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/user/info/updateremark", api_user_updateremark, AUTH_TOKEN, SETS(2, 100),
     WIRE, 0},
    {M_GET | M_POST, "/cgi-bin/user/tag/get", api_user_tag_get, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/create", api_tags_create, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_GET, "/cgi-bin/tags/get", api_tags_get, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/update", api_tags_update, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/delete", api_tags_delete, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/members/batchtagging", api_tags_batchtagging, AUTH_TOKEN, SETS(2, 100),
     WIRE, 0},
    {M_POST, "/cgi-bin/tags/members/batchuntagging", api_tags_batchuntagging, AUTH_TOKEN,
     SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/getidlist", api_tags_getidlist, AUTH_TOKEN, SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/members/getblacklist", api_tags_getblacklist, AUTH_TOKEN, SETS(2, 100),
     WIRE, 0},
    {M_POST, "/cgi-bin/tags/members/batchblacklist", api_tags_batchblacklist, AUTH_TOKEN,
     SETS(2, 100), WIRE, 0},
    {M_POST, "/cgi-bin/tags/members/batchunblacklist", api_tags_batchunblacklist, AUTH_TOKEN,
     SETS(2, 100), WIRE, 0},
    /* accounts.md §8: media and material (permission set 11, material management) */
    {M_POST, "/cgi-bin/media/upload", api_media_upload, AUTH_TOKEN,
     SETS(1, 3, 8, 9, 11, 19, 30, 31, 100), WIRE | R_UPLOAD, HTTP_MAX_UPLOAD},
    {M_GET | M_POST, "/cgi-bin/media/get", api_media_get, AUTH_TOKEN,
     SETS(1, 3, 8, 9, 11, 19, 30, 31, 100), WIRE | R_FILE, 0},
    {M_GET | M_POST, "/cgi-bin/media/get/jssdk", api_media_get, AUTH_TOKEN,
     SETS(1, 3, 8, 9, 11, 19, 30, 31, 100), WIRE | R_FILE, 0},
    {M_POST, "/cgi-bin/media/uploadimg", api_media_uploadimg, AUTH_TOKEN, SETS(11, 100),
     WIRE | R_UPLOAD, HTTP_MAX_UPLOAD},
    {M_POST, "/cgi-bin/media/uploadnews", api_media_uploadnews, AUTH_TOKEN, SETS(7, 11), WIRE,
     HTTP_MAX_UPLOAD},
    {M_POST, "/cgi-bin/media/uploadvideo", api_media_uploadvideo, AUTH_TOKEN, SETS(7, 11), WIRE, 0},
    {M_POST, "/cgi-bin/material/add_material", api_material_add, AUTH_TOKEN, SETS(11, 100),
     WIRE | R_UPLOAD, HTTP_MAX_UPLOAD},
    {M_POST, "/cgi-bin/material/add_news", api_material_add_news, AUTH_TOKEN, SETS(11, 100), WIRE,
     HTTP_MAX_UPLOAD},
    {M_POST, "/cgi-bin/material/update_news", api_material_update_news, AUTH_TOKEN, SETS(11, 100),
     WIRE, HTTP_MAX_UPLOAD},
    {M_POST, "/cgi-bin/material/get_material", api_material_get, AUTH_TOKEN, SETS(11, 100),
     WIRE | R_FILE, 0},
    {M_POST, "/cgi-bin/material/del_material", api_material_del, AUTH_TOKEN, SETS(11, 100), WIRE,
     0},
    {M_GET, "/cgi-bin/material/get_materialcount", api_material_count, AUTH_TOKEN, SETS(11, 100),
     WIRE, 0},
    {M_POST, "/cgi-bin/material/batchget_material", api_material_batchget, AUTH_TOKEN,
     SETS(11, 100), WIRE, 0},
    {M_GET, "/mmbiz/img", api_mmbiz_img, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/mmbiz/video", api_mmbiz_video, AUTH_NONE, NONE, 0, 0},

    /* oauth.md: web authorization */
    {M_GET | M_POST, "/sns/oauth2/access_token", api_sns_access_token, AUTH_NONE, NONE, WIRE, 0},
    {M_GET | M_POST, "/sns/oauth2/refresh_token", api_sns_refresh_token, AUTH_NONE, NONE, WIRE, 0},
    {M_GET | M_POST, "/sns/userinfo", api_sns_userinfo, AUTH_NONE, NONE, WIRE, 0},
    {M_GET | M_POST, "/sns/auth", api_sns_auth, AUTH_NONE, NONE, WIRE, 0},
    {M_GET | M_POST, "/sns/oauth2/component/access_token", api_sns_component_access_token,
     AUTH_NONE, NONE, WIRE, 0},
    {M_GET | M_POST, "/sns/oauth2/component/refresh_token", api_sns_component_refresh_token,
     AUTH_NONE, NONE, WIRE, 0},
    {M_GET, "/connect/oauth2/authorize", api_oauth_authorize, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/connect/oauth2/authorize", api_oauth_authorize_decide, AUTH_NONE, NONE, R_FORM, 0},
    {M_GET, "/connect/qrconnect", api_qrconnect, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/connect/qrconnect/poll", api_qrconnect_poll, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/connect/qrcode", api_qrconnect_image, AUTH_NONE, NONE, 0, 0},

    /* component.md: third-party platforms */
    {M_POST, "/cgi-bin/component/api_component_token", api_component_token, AUTH_NONE, NONE, WIRE,
     0},
    {M_POST, "/cgi-bin/component/api_create_preauthcode", api_create_preauthcode, AUTH_COMPONENT,
     NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/api_start_push_ticket", api_start_push_ticket, AUTH_NONE, NONE,
     WIRE, 0},
    {M_POST, "/cgi-bin/component/api_query_auth", api_query_auth, AUTH_COMPONENT, NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/api_authorizer_token", api_authorizer_token, AUTH_COMPONENT, NONE,
     WIRE, 0},
    {M_POST, "/cgi-bin/component/api_get_authorizer_info", api_get_authorizer_info, AUTH_COMPONENT,
     NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/api_get_authorizer_list", api_get_authorizer_list, AUTH_COMPONENT,
     NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/api_get_authorizer_option", api_get_authorizer_option,
     AUTH_COMPONENT, NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/api_set_authorizer_option", api_set_authorizer_option,
     AUTH_COMPONENT, NONE, WIRE, 0},
    {M_POST, "/cgi-bin/component/clear_quota", api_component_clear_quota, AUTH_COMPONENT, NONE,
     WIRE, 0},
    {M_GET, "/cgi-bin/componentloginpage", api_componentloginpage, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/cgi-bin/componentloginpage", api_componentloginpage_approve, AUTH_NONE, NONE, R_FORM,
     0},
    {M_GET, "/safe/bindcomponent", api_componentloginpage, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/wxaopen/safe/bindcomponent", api_componentloginpage, AUTH_NONE, NONE, 0, 0},

    /* web client pages */
    {M_GET, "/", api_root, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app", api_app_home, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app/login", api_app_login_page, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/app/login", api_app_login, AUTH_NONE, NONE, R_FORM, 0},
    {M_GET, "/app/qrconnect", api_app_qrconnect, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/app/qrconnect", api_app_qrconnect_decide, AUTH_NONE, NONE, R_FORM, 0},

    /* web client: the pages of /app/ (files under /app/static/ and /app/vendor/ are served by
     * the HTTP layer, http/static.c) */
    {M_GET, "/app/accounts", api_app_page, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app/authorizations", api_app_page, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app/chat", api_app_page, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app/history", api_app_page, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/app/scan", api_app_page, AUTH_NONE, NONE, 0, 0},

    /* operations */
    {M_GET, "/healthz", api_healthz, AUTH_NONE, NONE, 0, 0},
    {M_GET, "/metrics", api_metrics, AUTH_NONE, NONE, 0, 0},

    /* operator API */
    {M_GET, "/admin/v1/open-accounts", api_admin_open_accounts_list, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/open-accounts", api_admin_open_accounts_create, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/accounts", api_admin_accounts_list, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/accounts", api_admin_accounts_create, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/accounts/get", api_admin_accounts_get, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/reset_secret", api_admin_accounts_reset_secret, AUTH_OPERATOR,
     NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/bind", api_admin_accounts_bind, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/oauth_domain", api_admin_accounts_oauth_domain, AUTH_OPERATOR,
     NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/ip_whitelist", api_admin_accounts_whitelist, AUTH_OPERATOR, NONE,
     0, 0},
    {M_GET, "/admin/v1/users", api_admin_users_list, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/users", api_admin_users_create, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/users/password", api_admin_users_password, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/ids", api_admin_ids, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/server", api_admin_accounts_server, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/pushes", api_admin_pushes, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/components", api_admin_components_list, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/components", api_admin_components_create, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/components/get", api_admin_components_get, AUTH_OPERATOR, NONE, 0, 0},
    {M_POST, "/admin/v1/accounts/admin", api_admin_accounts_admin, AUTH_OPERATOR, NONE, 0, 0},
    {M_GET, "/admin/v1/clock", api_admin_clock_get, AUTH_OPERATOR, NONE, R_TEST_CLOCK, 0},
    {M_POST, "/admin/v1/clock", api_admin_clock_advance, AUTH_OPERATOR, NONE, R_TEST_CLOCK, 0},

    /* client API (the user side) */
    {M_POST, "/client/v1/login", api_client_login, AUTH_NONE, NONE, 0, 0},
    {M_POST, "/client/v1/logout", api_client_logout, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/me", api_client_me, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/demo/users", api_client_demo_users, AUTH_NONE, NONE, R_DEMO, 0},
    {M_POST, "/client/v1/demo/login", api_client_demo_login, AUTH_NONE, NONE, R_DEMO, 0},
    {M_POST, "/client/v1/qrconnect/confirm", api_client_qrconnect_confirm, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/accounts", api_client_accounts, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/chats", api_client_chats, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/accounts/get", api_client_account, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/menu/click", api_client_menu_click, AUTH_CLIENT, NONE, 0, 15 << 20},
    {M_POST, "/client/v1/scan", api_client_scan, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/scan/peek", api_client_scan_peek, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/follow", api_client_follow, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/unfollow", api_client_unfollow, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/messages/send", api_client_send, AUTH_CLIENT, NONE, 0, 15 << 20},
    {M_POST, "/client/v1/location", api_client_location, AUTH_CLIENT, NONE, 0, 0},
    {M_GET, "/client/v1/messages", api_client_messages, AUTH_CLIENT, NONE, 0, 0},
    /* the administrator's third-party authorizations */
    {M_GET, "/client/v1/authorizations", api_client_authorizations, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/authorizations/update", api_client_authorization_update, AUTH_CLIENT, NONE,
     0, 0},
    {M_GET, "/client/v1/administered", api_client_administered, AUTH_CLIENT, NONE, 0, 0},
    {M_POST, "/client/v1/authorizations/cancel", api_client_authorization_cancel, AUTH_CLIENT, NONE,
     0, 0},
};

const size_t route_count = sizeof(routes) / sizeof(routes[0]);
