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
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
