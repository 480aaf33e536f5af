/*
 * migrations: the versioned schema. Entry N brings the schema from version N to N+1.
 * Never edit an entry that has shipped; append a new one. Plain SQL that SQLite and
 * PostgreSQL both accept (INTEGER ids, TEXT, BIGINT-sized INTEGER).
 */
#include "migrations.h"

const char *const store_migrations[] = {
    /* 1: foundation: meta, accounts, users, tokens, counters, sessions */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE open_accounts(appid TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE accounts(appid TEXT PRIMARY KEY, secret TEXT NOT NULL,"
    " original_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, type TEXT NOT NULL,"
    " verified INTEGER NOT NULL, avatar TEXT NOT NULL, open_appid TEXT NOT NULL,"
    " server_url TEXT NOT NULL, server_token TEXT NOT NULL, aes_key TEXT NOT NULL,"
    " msg_mode TEXT NOT NULL, ip_whitelist TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    " password_hash TEXT NOT NULL, nickname TEXT NOT NULL, avatar TEXT NOT NULL,"
    " sex INTEGER NOT NULL, language TEXT NOT NULL, country TEXT NOT NULL,"
    " province TEXT NOT NULL, city TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE access_tokens(token TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " kind INTEGER NOT NULL, superseded INTEGER NOT NULL, issued_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX access_tokens_live ON access_tokens(appid, kind, expires_at);"
    "CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);"
    "CREATE TABLE counters(appid TEXT NOT NULL, name TEXT NOT NULL, period INTEGER NOT NULL,"
    " value INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY(appid, name, period));"
    "CREATE TABLE sessions(token TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);",
    /* 2: web authorization (OAuth 2.0) and website QR login */
    "ALTER TABLE accounts ADD COLUMN oauth_domain TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE oauth_codes(code_hash TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " user_id INTEGER NOT NULL, scope TEXT NOT NULL, expires_at INTEGER NOT NULL,"
    " used INTEGER NOT NULL);"
    "CREATE TABLE oauth_tokens(token TEXT PRIMARY KEY, refresh_token TEXT NOT NULL UNIQUE,"
    " appid TEXT NOT NULL, user_id INTEGER NOT NULL, scope TEXT NOT NULL,"
    " expires_at INTEGER NOT NULL, refresh_expires_at INTEGER NOT NULL);"
    "CREATE TABLE oauth_grants(appid TEXT NOT NULL, user_id INTEGER NOT NULL,"
    " scope TEXT NOT NULL, granted_at INTEGER NOT NULL, PRIMARY KEY(appid, user_id));"
    "CREATE TABLE qr_logins(uuid TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " redirect_uri TEXT NOT NULL, state TEXT NOT NULL, user_id INTEGER NOT NULL,"
    " status INTEGER NOT NULL, code TEXT NOT NULL, expires_at INTEGER NOT NULL);",
    /* 3: followers, tags, chats and the push outbox (messaging) */
    "ALTER TABLE accounts ADD COLUMN location_report INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE followers(appid TEXT NOT NULL, openid TEXT NOT NULL,"
    " user_id INTEGER NOT NULL, subscribed INTEGER NOT NULL,"
    " subscribe_time INTEGER NOT NULL, unsubscribe_time INTEGER NOT NULL,"
    " subscribe_scene TEXT NOT NULL, qr_scene INTEGER NOT NULL, qr_scene_str TEXT NOT NULL,"
    " remark TEXT NOT NULL, blacklisted INTEGER NOT NULL, blacklisted_at INTEGER NOT NULL,"
    " cs_at INTEGER NOT NULL, cs_ttl INTEGER NOT NULL, cs_quota INTEGER NOT NULL,"
    " cs_used INTEGER NOT NULL, typing_until INTEGER NOT NULL,"
    " follow_mark INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(appid, openid));"
    "CREATE UNIQUE INDEX followers_user ON followers(user_id, appid);"
    "CREATE INDEX followers_list ON followers(appid, subscribed, openid);"
    "CREATE INDEX followers_black ON followers(appid, blacklisted, openid);"
    "CREATE TABLE tags(appid TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, PRIMARY KEY(appid, id));"
    "CREATE UNIQUE INDEX tags_name ON tags(appid, name);"
    "CREATE TABLE follower_tags(appid TEXT NOT NULL, openid TEXT NOT NULL,"
    " tag_id INTEGER NOT NULL, tagged_at INTEGER NOT NULL, PRIMARY KEY(appid, openid, tag_id));"
    "CREATE INDEX follower_tags_tag ON follower_tags(appid, tag_id, openid);"
    "CREATE TABLE messages(id INTEGER PRIMARY KEY, appid TEXT NOT NULL,"
    " user_id INTEGER NOT NULL, dir INTEGER NOT NULL, source TEXT NOT NULL,"
    " msgtype TEXT NOT NULL, body TEXT NOT NULL, msgid INTEGER NOT NULL,"
    " audience INTEGER NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX messages_chat ON messages(appid, user_id, id);"
    "CREATE INDEX messages_user ON messages(user_id, id);"
    "CREATE TABLE mass_targets(message_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
    " PRIMARY KEY(message_id, user_id));"
    "CREATE TABLE pushes(id INTEGER PRIMARY KEY, appid TEXT NOT NULL, target TEXT NOT NULL,"
    " user_id INTEGER NOT NULL, openid TEXT NOT NULL, kind TEXT NOT NULL, xml TEXT NOT NULL,"
    " reply_ok INTEGER NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL,"
    " next_at INTEGER NOT NULL, lease_until INTEGER NOT NULL, outcome TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, created_ns INTEGER NOT NULL, done_at INTEGER NOT NULL);"
    "CREATE INDEX pushes_due ON pushes(state, next_at);"
    "CREATE INDEX pushes_account ON pushes(appid, id);"
    "CREATE TABLE push_attempts(id INTEGER PRIMARY KEY, push_id INTEGER NOT NULL,"
    " appid TEXT NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER NOT NULL,"
    " duration_ms INTEGER NOT NULL, url TEXT NOT NULL, request TEXT NOT NULL,"
    " http_status INTEGER NOT NULL, response TEXT NOT NULL, outcome TEXT NOT NULL,"
    " detail TEXT NOT NULL);"
    "CREATE INDEX push_attempts_push ON push_attempts(push_id);"
    "CREATE INDEX push_attempts_account ON push_attempts(appid, id);",
    /* 4: scene QR codes, short keys, legacy short URLs, JS-SDK tickets */
    "CREATE TABLE qrcodes(ticket TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " appid TEXT NOT NULL, action TEXT NOT NULL, scene_id INTEGER NOT NULL,"
    " scene_str TEXT NOT NULL, url TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX qrcodes_scene ON qrcodes(appid, action, scene_id, scene_str)"
    " WHERE expires_at = 0;"
    "CREATE INDEX qrcodes_expiry ON qrcodes(expires_at) WHERE expires_at > 0;"
    "CREATE TABLE qrcode_counts(appid TEXT PRIMARY KEY, permanent INTEGER NOT NULL);"
    "CREATE TABLE short_keys(short_key TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " long_data TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX short_keys_expiry ON short_keys(expires_at);"
    "CREATE TABLE short_urls(short_key TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " long_url TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX short_urls_long ON short_urls(appid, long_url);"
    "CREATE TABLE js_tickets(appid TEXT NOT NULL, type TEXT NOT NULL, ticket TEXT NOT NULL,"
    " issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY(appid, type));",
    /* 5: custom menus: each account's default menu and its conditional menus */
    "CREATE TABLE menus(menuid INTEGER PRIMARY KEY, appid TEXT NOT NULL,"
    " conditional INTEGER NOT NULL, tag_id INTEGER NOT NULL, platform INTEGER NOT NULL,"
    " buttons TEXT NOT NULL, domains TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX menus_account ON menus(appid, conditional, menuid);",
    /* 6: temporary media and permanent material; files live under DATA/media/<appid>/ */
    "CREATE TABLE media(id INTEGER PRIMARY KEY, media_id TEXT NOT NULL UNIQUE,"
    " appid TEXT NOT NULL, type TEXT NOT NULL, grp TEXT NOT NULL, permanent INTEGER NOT NULL,"
    " filename TEXT NOT NULL, ctype TEXT NOT NULL, size INTEGER NOT NULL,"
    " pub_id TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
    " ref_id TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " update_time INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX media_list ON media(appid, permanent, grp, update_time, id);"
    "CREATE INDEX media_pub ON media(pub_id);"
    "CREATE INDEX media_expiry ON media(permanent, expires_at);",
    /* 7: mass sends: one job per send; the message is one chat row for its audience */
    "CREATE TABLE mass_jobs(msg_id INTEGER PRIMARY KEY, appid TEXT NOT NULL,"
    " msg_data_id INTEGER NOT NULL, kind TEXT NOT NULL, tag_id INTEGER NOT NULL,"
    " msgtype TEXT NOT NULL, clientmsgid TEXT NOT NULL, status TEXT NOT NULL,"
    " total INTEGER NOT NULL, sent INTEGER NOT NULL, errors INTEGER NOT NULL,"
    " message_id INTEGER NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX mass_jobs_client ON mass_jobs(appid, clientmsgid, created_at);"
    "CREATE TABLE mass_speed(appid TEXT PRIMARY KEY, speed INTEGER NOT NULL);"
    "INSERT INTO mass_jobs(msg_id, appid, msg_data_id, kind, tag_id, msgtype, clientmsgid,"
    " status, total, sent, errors, message_id, created_at)"
    " VALUES(1000000000, '', 0, 'seed', 0, '', '', 'DELETE', 0, 0, 0, 0, 0);",
    /* 8: template messages: industries, private templates, recent client_msg_ids */
    "CREATE TABLE template_industries(appid TEXT PRIMARY KEY, industry_id1 INTEGER NOT NULL,"
    " industry_id2 INTEGER NOT NULL, set_at INTEGER NOT NULL);"
    "CREATE TABLE templates(id INTEGER PRIMARY KEY, template_id TEXT NOT NULL UNIQUE,"
    " appid TEXT NOT NULL, short_id TEXT NOT NULL, keywords TEXT NOT NULL,"
    " industry_id INTEGER NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL,"
    " example TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE INDEX templates_account ON templates(appid, id);"
    "CREATE TABLE template_sends(appid TEXT NOT NULL, openid TEXT NOT NULL,"
    " client_msg_id TEXT NOT NULL, msgid INTEGER NOT NULL, created_at INTEGER NOT NULL,"
    " PRIMARY KEY(appid, openid, client_msg_id));"
    "CREATE INDEX template_sends_age ON template_sends(appid, created_at);",
    /* 9: third-party platforms (components): registration, verify tickets, component tokens,
     * pre-auth codes, accounts' administrators, authorizations and authorizer tokens */
    "ALTER TABLE accounts ADD COLUMN admin_user_id INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX accounts_admin ON accounts(admin_user_id);"
    "CREATE TABLE components(appid TEXT PRIMARY KEY, secret TEXT NOT NULL, name TEXT NOT NULL,"
    " token TEXT NOT NULL, aes_key TEXT NOT NULL, auth_url TEXT NOT NULL,"
    " msg_url TEXT NOT NULL, func_sets TEXT NOT NULL, domains TEXT NOT NULL,"
    " next_ticket_at INTEGER NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE component_tickets(ticket TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX component_tickets_expiry ON component_tickets(expires_at);"
    "CREATE TABLE component_tokens(token TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX component_tokens_live ON component_tokens(appid, expires_at);"
    "CREATE TABLE component_preauth(code TEXT PRIMARY KEY, appid TEXT NOT NULL,"
    " expires_at INTEGER NOT NULL, used INTEGER NOT NULL);"
    "CREATE TABLE component_auths(component_appid TEXT NOT NULL,"
    " authorizer_appid TEXT NOT NULL, func_sets TEXT NOT NULL,"
    " refresh_token TEXT NOT NULL UNIQUE, auth_time INTEGER NOT NULL,"
    " PRIMARY KEY(component_appid, authorizer_appid));"
    "CREATE TABLE component_auth_codes(code TEXT PRIMARY KEY, component_appid TEXT NOT NULL,"
    " authorizer_appid TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL);"
    "CREATE TABLE authorizer_tokens(token TEXT PRIMARY KEY, component_appid TEXT NOT NULL,"
    " authorizer_appid TEXT NOT NULL, issued_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX authorizer_tokens_live ON authorizer_tokens(authorizer_appid, expires_at);"
    "CREATE TABLE authorizer_options(appid TEXT NOT NULL, name TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY(appid, name));",
    /* 10: pushes delivered through a third party authorized for the account's messages */
    "ALTER TABLE pushes ADD COLUMN via TEXT NOT NULL DEFAULT '';",
    /* 11: mass-send caps: the month (UTC+8) a send counts in against each follower's 4 a
     * month (0: not capped: previews, subscription accounts), and the chat row's job */
    "ALTER TABLE mass_jobs ADD COLUMN month INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX mass_jobs_month ON mass_jobs(appid, month, msg_id);"
    "CREATE INDEX mass_jobs_message ON mass_jobs(message_id);",
    /* 12: the worker reads the outbox by id among pending rows only: a partial index keeps
     * that read free of any sort, however many pushes were delivered before */
    "DROP INDEX pushes_due;"
    "CREATE INDEX pushes_pending ON pushes(id) WHERE state = 0;"
    /* attempts are only ever read by their push, and chats by account and user: two indexes
     * that every push and message paid for on a random page are gone */
    "DROP INDEX push_attempts_account;"
    "DROP INDEX messages_user;",
    /* 13: an account's default menu is one row found by its appid, so menu/create overwrites
     * it in place (one page) instead of deleting a row and its index entry and inserting new
     * ones; menus keeps the conditional menus */
    "CREATE TABLE menu_defaults(appid TEXT PRIMARY KEY, menuid INTEGER NOT NULL,"
    " buttons TEXT NOT NULL, domains TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "INSERT INTO menu_defaults(appid, menuid, buttons, domains, created_at)"
    " SELECT appid, menuid, buttons, domains, created_at FROM menus WHERE conditional = 0;"
    "DELETE FROM menus WHERE conditional = 0;",
    /* 14: a password change ends the user's sessions, found by user */
    "CREATE INDEX sessions_user ON sessions(user_id);",
    /* 15: the newest message a user has read in each chat, for the unread counts */
    ("CREATE TABLE chat_reads(user_id INTEGER NOT NULL, appid TEXT NOT NULL,"
     " last_read INTEGER NOT NULL, PRIMARY KEY(user_id, appid));"),
    /* 16: a user revokes a website's web authorization: its tokens, found by user */
    "CREATE INDEX oauth_tokens_user ON oauth_tokens(user_id, appid);",
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
