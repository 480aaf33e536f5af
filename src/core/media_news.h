/*
 * media_news: news articles (spec/accounts.md §8, media/uploadnews, material/add_news and
 * update_news): checks them as clients send them and renders them as they are stored and
 * answered (a JSON array of article objects with every field present).
 *
 * | field              | rule                                           | errcode       |
 * |--------------------|------------------------------------------------|---------------|
 * | articles           | 1..8 objects                                   | 44003, 45008  |
 * | title              | required, <= 64 characters                     | 47003, 45003  |
 * | thumb_media_id     | a live image or thumb of the account (add_news: permanent) | 40007 |
 * | author             | <= 64 characters                               | 47003         |
 * | digest             | <= 120 characters                              | 45004         |
 * | content            | required, <= 20000 characters and 1 MiB        | 44004, 45002  |
 * | content_source_url | <= 1024 bytes                                  | 45005         |
 * | show_cover_pic, need_open_comment, only_fans_can_comment | 0/1, true/false | 47001  |
 * A field of the wrong JSON type answers 47001.
 */
#ifndef LJ_MEDIA_NEWS_H
#define LJ_MEDIA_NEWS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "../util/buf.h"

#define NEWS_MAX_ARTICLES 8

struct store;

/* one article object, checked, appended to out as stored; rd: a read connection */
int news_article(struct store *rd, const char *appid, const cJSON *a, int permanent, int64_t now,
                 struct buf *out);
/* an "articles" array, checked, into out as a JSON array */
int news_articles(struct store *rd, const char *appid, const cJSON *arr, int permanent, int64_t now,
                  struct buf *out);

#endif
