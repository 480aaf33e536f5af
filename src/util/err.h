/*
 * err: the wire error codes (spec/README.md §4) and the project's internal codes.
 * One X-macro gives the constant, the errcode on the wire and the errmsg.
 * Functions return 0 (ERR_OK) or one of these codes; handlers return them and the
 * router renders {"errcode":N,"errmsg":"..."}.
 */
#ifndef LJ_ERR_H
#define LJ_ERR_H

#define ERR_MAP(X)                                                                            \
    X(OK, 0, "ok")                                                                            \
    X(SYSTEM, -1, "system error")                                                             \
    X(INVALID_CREDENTIAL, 40001, "invalid credential, access_token is invalid or not latest") \
    X(INVALID_GRANT_TYPE, 40002, "invalid grant_type")                                        \
    X(INVALID_OPENID, 40003, "invalid openid")                                                \
    X(INVALID_MEDIA_TYPE, 40004, "invalid media type")                                        \
    X(INVALID_FILE_TYPE, 40005, "invalid file type")                                          \
    X(INVALID_MEDIA_SIZE, 40006, "invalid media size")                                        \
    X(INVALID_MEDIA_ID, 40007, "invalid media_id")                                            \
    X(INVALID_APPID, 40013, "invalid appid")                                                  \
    X(INVALID_ACCESS_TOKEN, 40014, "invalid access_token")                                    \
    X(INVALID_CHARSET, 40033,                                                                 \
      "invalid charset. please check your request, if include \\uxxxx will create fail!")     \
    X(INVALID_ARGS, 40035, "invalid args")                                                    \
    X(INVALID_PARAM, 40097, "invalid args")                                                   \
    X(INVALID_CODE, 40029, "invalid code")                                                    \
    X(INVALID_REFRESH_TOKEN, 40030, "invalid refresh_token")                                  \
    X(INVALID_APPSECRET, 40125, "invalid appsecret")                                          \
    X(CODE_USED, 40163, "code been used")                                                     \
    X(IP_NOT_WHITELISTED, 40164, "invalid ip, not in whitelist")                              \
    X(MISSING_ACCESS_TOKEN, 41001, "access_token missing")                                    \
    X(MISSING_APPID, 41002, "appid missing")                                                  \
    X(MISSING_REFRESH_TOKEN, 41003, "refresh_token missing")                                  \
    X(MISSING_SECRET, 41004, "appsecret missing")                                             \
    X(MISSING_MEDIA, 41005, "media data missing")                                             \
    X(MISSING_MEDIA_ID, 41006, "media_id missing")                                            \
    X(MISSING_CODE, 41008, "missing code")                                                    \
    X(MISSING_OPENID, 41009, "missing openid")                                                \
    X(ACCESS_TOKEN_EXPIRED, 42001, "access_token expired")                                    \
    X(REFRESH_TOKEN_EXPIRED, 42002, "refresh_token expired")                                  \
    X(CODE_EXPIRED, 42003, "code expired")                                                    \
    X(REQUIRE_GET, 43001, "require GET method")                                               \
    X(REQUIRE_POST, 43002, "require POST method")                                             \
    X(INVALID_MSGTYPE, 40008, "invalid message type")                                         \
    X(REQUIRE_SUBSCRIBE, 43004, "require subscribe")                                          \
    X(REQUIRE_UNBLACKLIST, 43019, "require remove blacklist")                                 \
    X(CONTENT_TOO_LONG, 45002, "content size out of limit")                                   \
    X(RESPONSE_OUT_OF_TIME, 45015, "response out of time limit or subscription is canceled")  \
    X(RESPONSE_COUNT_LIMIT, 45047, "out of response count limit")                             \
    X(TYPING_NO_INTERACTION, 45080, "no interaction in the last 30 seconds, typing refused")  \
    X(TYPING_REPEATED, 45081, "already typing")                                               \
    X(EMPTY_CONTENT, 44004, "empty content")                                                  \
    X(ARTICLE_COUNT, 45008, "article size out of limit")                                      \
    X(EMPTY_MEDIA, 44001, "empty media data")                                                 \
    X(INVALID_MSG_ID, 40059, "invalid msg id")                                                \
    X(OPENID_LIST_TOO_SHORT, 40130, "invalid openid list size, at least two openid")          \
    X(MASS_CLIENTMSGID_USED, 45065, "clientmsgid exist")                                      \
    X(MASS_QUOTA, 45028, "has no masssend quota")                                             \
    X(MATERIAL_IN_USE, 48005, "forbid to delete material used by auto-reply or menu")         \
    X(MENU_VIEW_LIMITED_TYPE, 40121, "invalid media_id type in view_limited")                 \
    X(EMPTY_POST_DATA, 44002, "empty post data")                                              \
    X(EMPTY_NEWS, 44003, "empty news data")                                                   \
    X(MEDIA_SIZE_LIMIT, 45001, "media size out of limit")                                     \
    X(TITLE_SIZE_LIMIT, 45003, "title size out of limit")                                     \
    X(DESCRIPTION_SIZE_LIMIT, 45004, "description size out of limit")                         \
    X(URL_SIZE_LIMIT, 45005, "url size out of limit")                                         \
    X(VOICE_PLAYTIME, 45007, "voice playtime out of limit")                                   \
    X(DAILY_QUOTA, 45009, "reach max api daily quota limit")                                  \
    X(MINUTE_QUOTA, 45011, "api minute-quota reach limit, must slower, retry next minute")    \
    X(MEDIA_COUNT_LIMIT, 45034, "media file count is out of limit")                           \
    X(MEDIA_NOT_EXIST, 46001, "media data no exist")                                          \
    X(DATA_FORMAT, 47001, "data format error")                                                \
    X(ARGUMENT_INVALID, 47003, "argument invalid!")                                           \
    X(API_UNAUTHORIZED, 48001, "api unauthorized")                                            \
    X(CLEAR_QUOTA_LIMIT, 48006, "forbid to clear quota because of reaching the limit")        \
    X(USER_UNAUTHORIZED, 50001, "api unauthorized or user unauthorized")                      \
    X(INVALID_ACTION_NAME, 40052, "invalid action name")                                      \
    X(INVALID_ACTION_INFO, 40053, "invalid action info, please check document")               \
    X(INVALID_URL, 40066, "invalid url")                                                      \
    X(QRCODE_LIMIT, 45029, "qrcode count out of limit")                                       \
    X(SHORTEN_TOO_LONG, 9410010, "long_data exceeds the length limit")                        \
    X(SHORTEN_BAD_EXPIRE, 9410011, "expire_seconds exceeds the limit")                        \
    X(SHORTEN_NOT_FOUND, 9410012, "short_key not exist, expired or not of this account")      \
    X(MENU_BUTTON_SIZE, 40016, "invalid button size")                                         \
    X(MENU_BUTTON_TYPE, 40017, "invalid button type")                                         \
    X(MENU_BUTTON_NAME, 40018, "invalid button name size")                                    \
    X(MENU_BUTTON_KEY, 40019, "invalid button key size")                                      \
    X(MENU_BUTTON_URL, 40020, "invalid button url size")                                      \
    X(MENU_SUB_LEVEL, 40022, "invalid sub_menu level")                                        \
    X(MENU_SUB_SIZE, 40023, "invalid sub button size")                                        \
    X(MENU_SUB_TYPE, 40024, "invalid sub button type")                                        \
    X(MENU_SUB_NAME, 40025, "invalid sub button name size")                                   \
    X(MENU_SUB_KEY, 40026, "invalid sub button key size")                                     \
    X(MENU_SUB_URL, 40027, "invalid sub button url size")                                     \
    X(MENU_SUB_URL_DOMAIN, 40054, "invalid sub button url domain")                            \
    X(MENU_URL_DOMAIN, 40055, "invalid button url domain")                                    \
    X(MENU_MEDIA_ID_SIZE, 40118, "invalid media_id size")                                     \
    X(WEAPP_PAGEPATH, 40165, "invalid weapp pagepath")                                        \
    X(WEAPP_APPID, 40166, "invalid weapp appid")                                              \
    X(MENU_NOT_EXIST, 46003, "menu no exist")                                                 \
    X(INVALID_TAG_ID, 45159, "invalid tag id")                                                \
    X(MENU_NOT_CONDITIONAL, 65301, "this menu is not conditionalmenu")                        \
    X(MENU_NO_SUCH_USER, 65302, "no such user")                                               \
    X(MENU_NO_DEFAULT, 65303, "there is no selfmenu, please create selfmenu first")           \
    X(MENU_RULE_EMPTY, 65304, "match rule empty")                                             \
    X(MENU_DOMAIN_LIMIT, 65316, "domain count reach limit")                                   \
    X(MENU_RULE_PRIVACY, 65320, "matchrule on sex, region or language is not supported")      \
    X(INVALID_OPENID_LIST_SIZE, 40032, "invalid openid list size")                            \
    X(INVALID_REMARK, 40092, "invalid remark name")                                           \
    X(TOO_MANY_TAGS, 45056, "too many tag now, no need to add new")                           \
    X(TAG_TOO_MANY_FANS, 45057, "can't delete the tag that has too many fans")                \
    X(SYS_TAG, 45058, "can't modify sys tag")                                                 \
    X(USER_TOO_MANY_TAGS, 45059, "can not tagging one user too much")                         \
    X(INVALID_TAG_NAME, 45157, "invalid tag name")                                            \
    X(TAG_NAME_TOO_LONG, 45158, "tag name too long")                                          \
    X(OPENID_NOT_OWNED, 49003, "not match openid with appid")                                 \
    X(INVALID_TEMPLATE_ID, 40037, "invalid template_id")                                      \
    X(INVALID_INDUSTRY_ID, 40102, "invalid industry id")                                      \
    X(INVALID_INDUSTRY_INDEX, 40103, "invalid industry index")                                \
    X(KEYWORD_NAME_INVALID, 40246, "keyword name invalid")                                    \
    X(INDUSTRY_CHANGE_LIMIT, 43100, "change template too frequently")                         \
    X(TEMPLATE_MSG_SIZE, 45014, "template message size out of limit")                         \
    X(TEMPLATE_COUNT_LIMIT, 45026, "template num exceeds limit")                              \
    X(TEMPLATE_INDUSTRY_CONFLICT, 45027, "template conflict with industry")                   \
    X(CGI_PATH_NOT_FOUND, 76021, "cgi_path not found, please check")                          \
    X(CGI_PATH_NOT_SUPPORTED, 76022, "could not use this cgi_path, no permission")            \
    X(COMPONENT_NOT_AUTHORIZED, 61003, "component is not authorized by this account")         \
    X(COMPONENT_TICKET_EXPIRED, 61005, "component ticket is expired")                         \
    X(COMPONENT_TICKET_INVALID, 61006, "component ticket is invalid")                         \
    X(COMPONENT_CODE_INVALID, 61009, "code is invalid")                                       \
    X(COMPONENT_CODE_EXPIRED, 61010, "code is expired")                                       \
    X(INVALID_COMPONENT, 61011, "invalid component")                                          \
    X(INVALID_OPTION_NAME, 61012, "invalid option name")                                      \
    X(INVALID_OPTION_VALUE, 61013, "invalid option value")                                    \
    X(COMPONENT_REFRESH_INVALID, 61023, "refresh_token is invalid")                           \
    X(COMPONENT_API_UNAUTHORIZED, 61007, "api is unauthorized to component")                  \
    X(NOT_FOUND, 404, "not found")                                                            \
    X(BODY_TOO_LARGE, 413, "request entity too large")                                        \
    X(UNAUTHENTICATED, 401, "unauthenticated")                                                \
    X(FORBIDDEN, 403, "forbidden")                                                            \
    X(CONFLICT, 409, "already exists")                                                        \
    X(EXPIRED, 410, "expired")                                                                \
    X(TOO_MANY_ATTEMPTS, 429, "too many sign-in attempts, try again in a minute")             \
    X(BUSY, 503, "server busy, try again")                                                    \
    X(BAD_REQUEST, 400, "bad request")

enum err_code {
#define ERR_ENUM(name, code, msg) ERR_##name = code,
    ERR_MAP(ERR_ENUM)
#undef ERR_ENUM
};

/* the errmsg for a code; "unknown error" for codes outside the map */
const char *err_msg(int code);

#endif
