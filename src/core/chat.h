/*
 * chat: what users do to accounts and what accounts send back. A user action (follow,
 * unfollow, a message, a menu tap, a location report, a QR scan) is one writer job: the
 * follower row, the chat message and the push to the developer's server are written in the
 * same transaction (spec/messaging.md, DESIGN.md "Push delivery"). Messages from the account
 * (customer service, replies, templates) go into the same chat.
 */
#ifndef LJ_CHAT_H
#define LJ_CHAT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct account;
struct follower;

enum act_kind { ACT_FOLLOW, ACT_UNFOLLOW, ACT_MESSAGE, ACT_EVENT, ACT_SCAN };

/* the customer-service window an action opens (spec/messaging.md §7) */
enum cs_window { WIN_NONE, WIN_MESSAGE, WIN_SHORT };

#define CHAT_BODY_MAX   8192
#define CHAT_PHOTOS_MAX 9 /* photos of one pic_* menu tap */

struct user_act {
    enum act_kind kind;
    int64_t user_id;
    char appid[19];
    char msgtype[24];             /* ACT_MESSAGE: text, image, voice, video, location, link */
    char event[40];               /* ACT_EVENT: CLICK, VIEW, LOCATION, scancode_push, ... */
    char body[CHAT_BODY_MAX];     /* ACT_MESSAGE: the chat message's JSON object */
    char xml_tail[CHAT_BODY_MAX]; /* push elements after MsgType (or Event), without MsgId */
    enum cs_window window;
    int reply_ok; /* the developer's passive reply is shown to the user */
    /* ACT_SCAN: the code scanned */
    char ticket[160];
    int64_t scene_id;
    char scene_str[72];
    /* results */
    char openid[29];
    int64_t message_id;
    int followed_now; /* ACT_FOLLOW / ACT_SCAN: this action made the user a follower */
    /* ACT_MESSAGE with a file (image, voice, video): saved as the account's temporary media;
     * data holds the file, then the video's thumbnail */
    char host[256]; /* for the image's public URL */
    char filename[128];
    size_t file_len, thumb_len;
    /* ACT_EVENT of a pic_* tap: the photos, one after another in data; each is pushed as an
     * image message after the event */
    int photos;
    size_t photo_len[CHAT_PHOTOS_MAX];
    unsigned char data[];
};

int chat_user_act_run(struct store *s, void *arg);
/* after commit: wakes the push worker and the user's long polls */
void chat_user_act_after(void *arg);

/* a message from the account to a user (customer service, a passive reply, a template) */
struct account_msg {
    char appid[19];
    char openid[29];
    int64_t user_id; /* set instead of openid by the push worker; filled in either way */
    char source[16]; /* custom, reply, template, system */
    char msgtype[24];
    char body[CHAT_BODY_MAX];
    int check_window; /* customer-service rules: follower, blacklist, 48 h window, quota */
    int64_t msgid;    /* wire msgid to store (templates); 0 = none */
    int64_t message_id;
};

int chat_account_send_run(struct store *s, void *arg);
void chat_account_send_after(void *arg);

/* the wire MsgId of a chat message */
int64_t chat_msgid(int64_t message_id);
/* the user's openid for appid and the follower row (zeroed when never followed) */
int chat_follower(struct store *s, const char *appid, int64_t user_id, struct follower *f);

/* customer-service typing (spec/messaging.md §7): writer job */
struct typing_op {
    char appid[19];
    char openid[29];
    int on;
    int64_t user_id;
};
int chat_typing_run(struct store *s, void *arg);
#endif
