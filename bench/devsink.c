/*
 * devsink: a developer's message server for bench/push, in C so that it is never what limits
 * the push rate. One epoll thread, HTTP/1.1 keep-alive and pipelining. Every push is checked
 * the way a WeChat SDK checks it: `signature` (sha1 of the sorted token, timestamp and nonce);
 * in safe mode also `msg_signature` and the AES-256-CBC decryption (padding, length, appid).
 * A push that passes is answered "success" and counted as ok; one that fails gets a 400 and
 * is counted as bad. GET with a good signature answers `echostr` (the URL handshake).
 *
 *   cc -O2 -o devsink bench/devsink.c -lcrypto
 *   devsink --token T [--aes-key K --appid A] [--port P]    prints "port N", then serves
 *
 * Control requests (no signature):
 *   GET /_stats           "ok N bad B at_ns T"  (T: CLOCK_MONOTONIC, comparable across processes)
 *   GET /_wait?n=K&ms=M   answers once K pushes have arrived, or after M ms (default 10000):
 *                         "n K at_ns T" with the arrival time of the K-th push (0: not yet)
 *   GET /_hold?ms=M       pushes are left unread for M ms (the sender sees a slow server and
 *                         its backlog grows), then handled as usual: "until_ns T"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQ  (1 << 20)
#define RING     (1 << 20)
#define MAX_WAIT 1024

struct conn {
    int fd;
    char *in;
    size_t in_len, in_cap;
    char *out;
    size_t out_len, out_off, out_cap;
    int waiting; /* a /_wait is pending: later pipelined requests wait too */
    int held;    /* a push is waiting for the hold to end */
    int closing;
};

struct waiter {
    struct conn *c;
    uint64_t n;
    int64_t deadline;
};

static struct {
    const char *token;
    unsigned char key[32];
    int aes;
    const char *appid;
    uint64_t ok, bad;
    int64_t *at; /* arrival time of push k at at[(k - 1) % RING] */
    struct waiter waits[MAX_WAIT];
    int nwait;
    EVP_CIPHER_CTX *cipher;
    int ep;
    int64_t hold_until;
    struct conn **held;
    int nheld, held_cap;
} S;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* ------------------------------------------------------------------ checks */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* sha1 hex of the n strings sorted and joined */
static void sorted_sha1(const char **parts, int n, char hex[41])
{
    qsort(parts, (size_t)n, sizeof(*parts), cmp_str);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[20];
    unsigned int dl = 0;
    EVP_DigestInit_ex(md, EVP_sha1(), NULL);
    for (int i = 0; i < n; i++)
        EVP_DigestUpdate(md, parts[i], strlen(parts[i]));
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    for (int i = 0; i < 20; i++)
        sprintf(hex + 2 * i, "%02x", d[i]);
}

/* the value of query parameter name in target (copied, at most cap - 1 bytes) */
static int query(const char *target, const char *name, char *out, size_t cap)
{
    const char *q = strchr(target, '?');
    size_t n = strlen(name);
    out[0] = 0;
    while (q && *q) {
        q++;
        const char *end = strpbrk(q, "& ");
        size_t len = end ? (size_t)(end - q) : strlen(q);
        if (len > n && strncmp(q, name, n) == 0 && q[n] == '=') {
            size_t v = len - n - 1;
            if (v >= cap)
                return -1;
            memcpy(out, q + n + 1, v);
            out[v] = 0;
            return 0;
        }
        q = end && *end == '&' ? end : NULL;
    }
    return -1;
}

static int signature_ok(const char *target)
{
    char sig[64], ts[32], nonce[32], hex[41];
    if (query(target, "signature", sig, sizeof(sig)) ||
        query(target, "timestamp", ts, sizeof(ts)) || query(target, "nonce", nonce, sizeof(nonce)))
        return 0;
    const char *parts[] = {S.token, ts, nonce};
    sorted_sha1(parts, 3, hex);
    return strcmp(hex, sig) == 0;
}

/* safe mode: msg_signature over the Encrypt element, then decrypt and check the appid */
static int aes_ok(const char *target, const char *body, size_t len)
{
    static const char open[] = "<Encrypt><![CDATA[";
    char *b = strndup(body, len);
    char *p = strstr(b, open), *e = p ? strstr(p, "]]>") : NULL;
    int ok = 0;
    char msig[64], ts[32], nonce[32], hex[41];
    if (!e || query(target, "msg_signature", msig, sizeof(msig)) ||
        query(target, "timestamp", ts, sizeof(ts)) || query(target, "nonce", nonce, sizeof(nonce)))
        goto out;
    p += sizeof(open) - 1;
    *e = 0;
    const char *parts[] = {S.token, ts, nonce, p};
    sorted_sha1(parts, 4, hex);
    size_t n = strlen(p);
    if (strcmp(hex, msig) != 0 || n % 4 != 0 || n == 0)
        goto out;
    unsigned char *raw = malloc(n), *plain = malloc(n + 32);
    int rl = EVP_DecodeBlock(raw, (const unsigned char *)p, (int)n);
    rl -= (p[n - 1] == '=') + (p[n - 2] == '=');
    int pl = 0, fl = 0;
    if (rl > 0 && rl % 16 == 0 && EVP_DecryptInit_ex(S.cipher, NULL, NULL, S.key, S.key) == 1 &&
        EVP_DecryptUpdate(S.cipher, plain, &pl, raw, rl) == 1 &&
        EVP_DecryptFinal_ex(S.cipher, plain + pl, &fl) == 1) {
        int pad = plain[pl - 1];
        if (pad >= 1 && pad <= 32 && pl - pad >= 20) {
            int body_len = pl - pad;
            uint32_t xl = (uint32_t)plain[16] << 24 | plain[17] << 16 | plain[18] << 8 | plain[19];
            size_t al = strlen(S.appid);
            ok = 20 + (int64_t)xl + (int64_t)al == body_len &&
                 memcmp(plain + 20 + xl, S.appid, al) == 0 && memcmp(plain + 20, "<xml>", 5) == 0;
        }
    }
    free(raw);
    free(plain);
out:
    free(b);
    return ok;
}

/* ------------------------------------------------------------------ answers */

static void out_append(struct conn *c, const char *p, size_t n)
{
    if (c->out_len + n > c->out_cap) {
        c->out_cap = (c->out_len + n) * 2;
        c->out = realloc(c->out, c->out_cap);
        if (!c->out)
            die("realloc");
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
}

static void respond(struct conn *c, int status, const char *body)
{
    char head[160];
    size_t n = strlen(body);
    int h = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n",
                     status, status == 200 ? "OK" : "Bad Request", n);
    out_append(c, head, (size_t)h);
    out_append(c, body, n);
}

static void answer_wait(struct conn *c, uint64_t n)
{
    char b[96];
    int64_t t = S.ok + S.bad >= n && n > 0 && S.ok + S.bad - n < RING ? S.at[(n - 1) % RING] : 0;
    snprintf(b, sizeof(b), "n %llu at_ns %lld\n", (unsigned long long)n, (long long)t);
    respond(c, 200, b);
    c->waiting = 0;
}

static void flush_out(struct conn *c);
static void parse(struct conn *c);

static void wake_waiters(int64_t now)
{
    for (int i = 0; i < S.nwait;) {
        struct waiter *w = &S.waits[i];
        if (S.ok + S.bad >= w->n || now >= w->deadline) {
            struct conn *c = w->c;
            answer_wait(c, w->n);
            S.waits[i] = S.waits[--S.nwait];
            flush_out(c);
            if (!c->closing)
                parse(c);
        } else {
            i++;
        }
    }
}

static void arrived(int ok)
{
    if (ok)
        S.ok++;
    else
        S.bad++;
    S.at[(S.ok + S.bad - 1) % RING] = mono_ns();
}

/* one complete request; 0, or -1 to close the connection */
static int handle(struct conn *c, const char *method, const char *target, const char *body,
                  size_t blen)
{
    char v[64], echo[256];
    if (strncmp(target, "/_stats", 7) == 0) {
        char b[128];
        snprintf(b, sizeof(b), "ok %llu bad %llu at_ns %lld\n", (unsigned long long)S.ok,
                 (unsigned long long)S.bad, (long long)mono_ns());
        respond(c, 200, b);
    } else if (strncmp(target, "/_wait", 6) == 0) {
        uint64_t n = query(target, "n", v, sizeof(v)) == 0 ? strtoull(v, NULL, 10) : 0;
        int64_t ms = query(target, "ms", v, sizeof(v)) == 0 ? strtoll(v, NULL, 10) : 10000;
        if (S.ok + S.bad >= n || S.nwait == MAX_WAIT) {
            answer_wait(c, n);
        } else {
            S.waits[S.nwait++] = (struct waiter){c, n, mono_ns() + ms * 1000000};
            c->waiting = 1;
        }
    } else if (strncmp(target, "/_hold", 6) == 0) {
        int64_t ms = query(target, "ms", v, sizeof(v)) == 0 ? strtoll(v, NULL, 10) : 0;
        char b[64];
        S.hold_until = mono_ns() + ms * 1000000;
        snprintf(b, sizeof(b), "until_ns %lld\n", (long long)S.hold_until);
        respond(c, 200, b);
    } else if (strcmp(method, "GET") == 0) {
        if (signature_ok(target) && query(target, "echostr", echo, sizeof(echo)) == 0)
            respond(c, 200, echo);
        else
            respond(c, 400, "bad signature");
    } else {
        int ok = signature_ok(target);
        if (ok && S.aes && query(target, "encrypt_type", v, sizeof(v)) == 0 &&
            strcmp(v, "aes") == 0)
            ok = aes_ok(target, body, blen);
        else if (ok)
            ok = blen >= 5 && memcmp(body, "<xml>", 5) == 0;
        arrived(ok);
        respond(c, ok ? 200 : 400, ok ? "success" : "bad push");
        wake_waiters(mono_ns());
    }
    return 0;
}

/* ------------------------------------------------------------------ connections */

static void close_conn(struct conn *c)
{
    for (int i = 0; i < S.nwait; i++)
        if (S.waits[i].c == c)
            S.waits[i--] = S.waits[--S.nwait];
    for (int i = 0; i < S.nheld; i++)
        if (S.held[i] == c)
            S.held[i--] = S.held[--S.nheld];
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

static void flush_out(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (w < 0) {
            if (errno == EAGAIN)
                break;
            c->closing = 1;
            return;
        }
        c->out_off += (size_t)w;
    }
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    struct epoll_event ev = {.events = EPOLLIN | (c->out_len ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(S.ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* content-length of the header block (0 when absent); -1 when malformed */
static long content_length(const char *head, size_t n)
{
    const char *p = head;
    while ((p = memchr(p, '\n', (size_t)(head + n - p))) != NULL) {
        p++;
        if (strncasecmp(p, "content-length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
    }
    return 0;
}

/* keeps c's push for the end of the hold */
static void hold(struct conn *c)
{
    if (S.nheld == S.held_cap) {
        S.held_cap = S.held_cap ? 2 * S.held_cap : 256;
        S.held = realloc(S.held, (size_t)S.held_cap * sizeof(*S.held));
        if (!S.held)
            die("realloc");
    }
    S.held[S.nheld++] = c;
    c->held = 1;
}

static void release_held(void)
{
    while (S.nheld > 0) {
        struct conn *c = S.held[--S.nheld];
        c->held = 0;
        parse(c);
        flush_out(c);
    }
}

/* handles every complete request in the input buffer */
static void parse(struct conn *c)
{
    size_t off = 0;
    while (!c->waiting && !c->held && !c->closing) {
        char *start = c->in + off;
        size_t avail = c->in_len - off;
        char *end = memmem(start, avail, "\r\n\r\n", 4);
        if (!end)
            break;
        size_t hlen = (size_t)(end - start) + 4;
        long blen = content_length(start, hlen);
        if (blen < 0 || blen > MAX_REQ) {
            c->closing = 1;
            break;
        }
        if (avail < hlen + (size_t)blen)
            break;
        char method[8] = "", target[2048] = "";
        if (sscanf(start, "%7s %2047s", method, target) != 2) {
            c->closing = 1;
            break;
        }
        if (target[1] != '_' && mono_ns() < S.hold_until) {
            hold(c);
            break;
        }
        if (handle(c, method, target, start + hlen, (size_t)blen) != 0)
            c->closing = 1;
        off += hlen + (size_t)blen;
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
}

static void on_read(struct conn *c)
{
    for (;;) {
        if (c->in_cap - c->in_len < 16384) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 65536;
            if (c->in_cap > 2 * MAX_REQ + 65536) {
                c->closing = 1;
                return;
            }
            c->in = realloc(c->in, c->in_cap);
            if (!c->in)
                die("realloc");
        }
        ssize_t r = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
        if (r == 0) {
            c->closing = 1;
            return;
        }
        if (r < 0) {
            if (errno != EAGAIN)
                c->closing = 1;
            break;
        }
        c->in_len += (size_t)r;
    }
    parse(c);
    flush_out(c);
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 1024) != 0)
        die("listen");
    socklen_t al = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &al);
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    return fd;
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0)
            return;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        struct conn *c = calloc(1, sizeof(*c));
        c->fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(S.ep, EPOLL_CTL_ADD, fd, &ev);
    }
}

static int next_timeout(void)
{
    if (S.nwait == 0 && S.nheld == 0)
        return -1;
    int64_t now = mono_ns(), min = S.nheld ? S.hold_until : INT64_MAX;
    for (int i = 0; i < S.nwait; i++)
        if (S.waits[i].deadline < min)
            min = S.waits[i].deadline;
    return min <= now ? 0 : (int)((min - now) / 1000000 + 1);
}

static const char *arg(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

int main(int argc, char **argv)
{
    const char *port = arg(argc, argv, "--port"), *aes = arg(argc, argv, "--aes-key");
    S.token = arg(argc, argv, "--token");
    S.appid = arg(argc, argv, "--appid");
    if (!S.token || (aes && (!S.appid || strlen(aes) != 43))) {
        fprintf(stderr, "usage: devsink --token T [--aes-key KEY43 --appid A] [--port P]\n");
        return 2;
    }
    if (aes) {
        char b64[48];
        unsigned char raw[36];
        snprintf(b64, sizeof(b64), "%s=", aes);
        EVP_DecodeBlock(raw, (const unsigned char *)b64, 44);
        memcpy(S.key, raw, 32);
        S.aes = 1;
    }
    signal(SIGPIPE, SIG_IGN);
    S.at = calloc(RING, sizeof(*S.at));
    S.cipher = EVP_CIPHER_CTX_new();
    EVP_DecryptInit_ex(S.cipher, EVP_aes_256_cbc(), NULL, NULL, NULL);
    EVP_CIPHER_CTX_set_padding(S.cipher, 0);
    S.ep = epoll_create1(0);
    int lfd = listen_on(port ? atoi(port) : 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(S.ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(S.ep, evs, 256, next_timeout());
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                accept_all(lfd);
                continue;
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                on_read(c);
            else if (evs[i].events & EPOLLOUT)
                flush_out(c);
            if (c->closing)
                close_conn(c);
        }
        if (S.nheld && mono_ns() >= S.hold_until)
            release_held();
        if (S.nwait)
            wake_waiters(mono_ns());
    }
}
