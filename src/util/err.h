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
    X(EMPTY_MEDIA, 44001, "empty media data")                                                 \
    X(EMPTY_POST_DATA, 44002, "empty post data")                                              \
    X(EMPTY_NEWS, 44003, "empty news data")                                                   \
    X(EMPTY_CONTENT, 44004, "empty content")                                                  \
    X(MEDIA_SIZE_LIMIT, 45001, "media size out of limit")                                     \
    X(CONTENT_SIZE_LIMIT, 45002, "content size out of limit")                                 \
    X(TITLE_SIZE_LIMIT, 45003, "title size out of limit")                                     \
    X(DESCRIPTION_SIZE_LIMIT, 45004, "description size out of limit")                         \
    X(URL_SIZE_LIMIT, 45005, "url size out of limit")                                         \
    X(VOICE_PLAYTIME, 45007, "voice playtime out of limit")                                   \
    X(ARTICLE_SIZE_LIMIT, 45008, "article size out of limit")                                 \
    X(DAILY_QUOTA, 45009, "reach max api daily quota limit")                                  \
    X(MINUTE_QUOTA, 45011, "api minute-quota reach limit, must slower, retry next minute")    \
    X(MEDIA_COUNT_LIMIT, 45034, "media file count is out of limit")                           \
    X(MEDIA_NOT_EXIST, 46001, "media data no exist")                                          \
    X(DATA_FORMAT, 47001, "data format error")                                                \
    X(ARGUMENT_INVALID, 47003, "argument invalid!")                                           \
    X(API_UNAUTHORIZED, 48001, "api unauthorized")                                            \
    X(CLEAR_QUOTA_LIMIT, 48006, "forbid to clear quota because of reaching the limit")        \
    X(USER_UNAUTHORIZED, 50001, "api unauthorized or user unauthorized")                      \
    X(CGI_PATH_NOT_FOUND, 76021, "cgi_path not found, please check")                          \
    X(CGI_PATH_NOT_SUPPORTED, 76022, "could not use this cgi_path, no permission")            \
    X(NOT_FOUND, 404, "not found")                                                            \
    X(BODY_TOO_LARGE, 413, "request entity too large")                                        \
    X(UNAUTHENTICATED, 401, "unauthenticated")                                                \
    X(CONFLICT, 409, "already exists")                                                        \
    X(BAD_REQUEST, 400, "bad request")

enum err_code {
#define ERR_ENUM(name, code, msg) ERR_##name = code,
    ERR_MAP(ERR_ENUM)
#undef ERR_ENUM
};

/* the errmsg for a code; "unknown error" for codes outside the map */
const char *err_msg(int code);

#endif
