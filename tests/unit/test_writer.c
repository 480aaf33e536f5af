/*
 * test_writer: src/store/writer.c on a data directory of its own: jobs handed over as one
 * chain, the batch-end hook that lets completions be delivered together, a failing job
 * undone while its neighbours commit, and a WAL that stays bounded under sustained writes
 * (checkpoints run beside the writer, not inside its commits).
 */
#include "helpers.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/err.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/lianjie-unit-writer.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(writer_start(dir), 0);
}

static void remove_dir(void)
{
    const char *names[] = {"lianjie.db", "lianjie.db-wal", "lianjie.db-shm"};
    char path[128];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void finish(void)
{
    writer_stop();
    remove_dir();
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ jobs */

struct put {
    struct wjob job;
    char key[32];
    int fail; /* writes its row, then fails: the row must not stay */
};

static atomic_int completed, seen_at_batch_end, batch_ends;

static int put_run(struct store *s, void *arg)
{
    struct put *p = arg;
    int rc = store_meta_put(s, p->key, "v");
    return rc != 0 ? rc : p->fail ? ERR_ARGUMENT_INVALID : 0;
}

static void put_complete(struct wjob *job)
{
    atomic_fetch_add(&completed, 1);
}

static void on_batch_end(void)
{
    atomic_store(&seen_at_batch_end, atomic_load(&completed));
    atomic_fetch_add(&batch_ends, 1);
}

static int noop_run(struct store *s, void *arg)
{
    return 0;
}

static int key_present(const char *key)
{
    struct store *rd;
    char v[8];
    cr_assert_eq(store_open(dir, &rd), 0);
    int rc = store_meta_get(rd, key, v, sizeof(v));
    store_close(rd);
    return rc == 0;
}

Test(writer, runs_a_chain_and_ends_each_batch_after_its_completions, .init = setup, .fini = finish)
{
    enum { N = 50 };
    static struct put jobs[N];
    writer_set_batch_end(on_batch_end);
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct put){.job = {.run = put_run, .complete = put_complete, .arg = &jobs[i]},
                               .fail = i == 7};
        snprintf(jobs[i].key, sizeof(jobs[i].key), "chain-%d", i);
        jobs[i].job.next = i + 1 < N ? &jobs[i + 1].job : NULL;
    }
    writer_submit_chain(&jobs[0].job, &jobs[N - 1].job);
    /* a job queued after the chain is answered after it; a second one runs after the hook of
     * the chain's batch */
    cr_assert_eq(writer_run_sync(noop_run, NULL, NULL), 0);
    cr_assert_eq(atomic_load(&completed), N);
    cr_assert_eq(writer_run_sync(noop_run, NULL, NULL), 0);
    cr_assert_geq(atomic_load(&batch_ends), 1);
    cr_assert_eq(atomic_load(&seen_at_batch_end), N, "the hook ran before every completion");
    for (int i = 0; i < N; i++)
        cr_assert_eq(jobs[i].job.rc, i == 7 ? ERR_ARGUMENT_INVALID : 0, "job %d", i);
    cr_assert(key_present("chain-6"));
    cr_assert(!key_present("chain-7"), "the failing job's row was undone");
    cr_assert(key_present("chain-8"));
}

/* ------------------------------------------------------------------ the WAL stays bounded */

static char big[3000];

static int big_run(struct store *s, void *arg)
{
    char key[32];
    snprintf(key, sizeof(key), "big-%ld", (long)(intptr_t)arg);
    return store_meta_put(s, key, big);
}

static void free_complete(struct wjob *job)
{
    free(job);
}

Test(writer, keeps_the_wal_bounded_under_sustained_writes, .init = setup, .fini = finish)
{
    /* a row per page, about 64 MB: with no checkpoint able to restart the WAL it would grow to
     * that; the writer restarts it at about 32 MB */
    enum { N = 16000, CHAIN = 200 };
    memset(big, 'x', sizeof(big) - 1);
    for (int i = 0; i < N; i += CHAIN) {
        struct wjob *first = NULL, *last = NULL;
        for (int k = i; k < i + CHAIN; k++) {
            struct wjob *j = calloc(1, sizeof(*j));
            *j = (struct wjob){
                .run = big_run, .complete = free_complete, .arg = (void *)(intptr_t)k};
            if (last)
                last->next = j;
            else
                first = j;
            last = j;
        }
        writer_submit_chain(first, last);
        if (i % 4000 == 0) /* keep the queue short, as answered clients would */
            cr_assert_eq(writer_run_sync(noop_run, NULL, NULL), 0);
    }
    cr_assert_eq(writer_run_sync(noop_run, NULL, NULL), 0);
    char path[128];
    struct stat st;
    snprintf(path, sizeof(path), "%s/lianjie.db-wal", dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_lt(st.st_size, 48L * 1024 * 1024, "WAL of %lld bytes", (long long)st.st_size);
    cr_assert(key_present("big-0"));
    cr_assert(key_present("big-15999"));
}

/* ------------------------------------------------------------------ jobs without a SAVEPOINT */

struct add_user {
    struct wjob job;
    struct user u;
};

static int add_user_run(struct store *s, void *arg)
{
    return store_user_insert(s, &((struct add_user *)arg)->u);
}

static int user_present(const char *name)
{
    struct store *rd;
    struct user u;
    cr_assert_eq(store_open(dir, &rd), 0);
    int rc = store_user_get_by_name(rd, name, &u);
    store_close(rd);
    return rc == 0;
}

Test(writer, runs_atomic_jobs_without_losing_their_neighbours, .init = setup, .fini = finish)
{
    /* a taken username fails its INSERT alone (SQLite undoes the statement): the jobs around
     * it, in the same batch, commit */
    enum { N = 5 };
    static struct add_user jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct add_user){
            .job = {
                .run = add_user_run, .complete = put_complete, .arg = &jobs[i], .atomic_run = 1}};
        snprintf(jobs[i].u.username, sizeof(jobs[i].u.username), "%s",
                 i == 2 ? "taken" : (const char *[]){"u0", "u1", "", "u3", "u4"}[i]);
        jobs[i].job.next = i + 1 < N ? &jobs[i + 1].job : NULL;
    }
    struct add_user first = {.u = {.username = "taken"}};
    cr_assert_eq(writer_run_sync(add_user_run, NULL, &first), 0);
    writer_submit_chain(&jobs[0].job, &jobs[N - 1].job);
    cr_assert_eq(writer_run_sync(noop_run, NULL, NULL), 0);
    for (int i = 0; i < N; i++)
        cr_assert_eq(jobs[i].job.rc, i == 2 ? ERR_CONFLICT : 0, "job %d", i);
    cr_assert(user_present("u1"));
    cr_assert(user_present("u3"));
    cr_assert(user_present("u4"));
}

static int meta_insert_run(struct store *s, void *arg)
{
    struct put *p = arg;
    char v[8];
    if (store_meta_get(s, p->key, v, sizeof(v)) == 0)
        return ERR_CONFLICT;
    return store_meta_put(s, p->key, "v");
}

Test(writer, rolls_back_the_batch_when_an_atomic_job_fails_after_a_change, .init = setup,
     .fini = finish)
{
    /* the contract broken: a change, then a failure. Nothing of the batch may stay. */
    static struct put before = {.key = "broken-before"}, bad = {.key = "broken-row", .fail = 1};
    before.job = (struct wjob){.run = meta_insert_run, .complete = put_complete, .arg = &before};
    bad.job = (struct wjob){.run = put_run, .complete = put_complete, .arg = &bad, .atomic_run = 1};
    before.job.next = &bad.job;
    writer_submit_chain(&before.job, &bad.job);
    writer_run_sync(noop_run, NULL, NULL); /* waits; it may share the broken batch */
    cr_assert_eq(bad.job.rc, ERR_SYSTEM);
    cr_assert_eq(before.job.rc, ERR_SYSTEM);
    cr_assert(!key_present("broken-row"));
    cr_assert(!key_present("broken-before"));
}
