/*
 * writer: the one thread that writes. Event loops never write to the database themselves:
 * they hand a job to the writer, which runs jobs in batches inside one transaction (group
 * commit, one SAVEPOINT per job so a failing job does not undo its neighbours) and calls
 * each job's `complete` only after the batch committed. An answer sent from `complete`
 * with rc == 0 is therefore durable.
 *
 *   submit --> [queue] --> run(store) in SAVEPOINT --> COMMIT --> after_commit() --> complete()
 *                                     \-- rc != 0: ROLLBACK TO --/
 *
 * `run` and `after_commit` execute on the writer thread; `complete` too, and it must only
 * hand the result over (to an event loop, or a waiting thread), never block.
 *
 * The writer checkpoints the WAL itself, after a batch's completions were handed over, so no
 * answer waits for a checkpoint.
 */
#ifndef LJ_WRITER_H
#define LJ_WRITER_H

#include <stdint.h>

struct store;
struct wjob;

typedef int (*wjob_run_fn)(struct store *s, void *arg);

struct wjob {
    struct wjob *next;
    wjob_run_fn run;
    void (*after_commit)(void *arg);    /* optional: only when rc == 0 and committed */
    void (*complete)(struct wjob *job); /* always called once */
    void *arg;
    int rc;
    /*
     * optional: run() either succeeds or fails without having changed a row (one INSERT,
     * UPDATE or DELETE, which the database undoes by itself when it fails, after any checks).
     * The writer then runs it without a SAVEPOINT of its own. Should such a job fail after
     * changing rows anyway, or a statement of it lose the transaction (PostgreSQL refuses the
     * rest of a transaction after a failed statement: store_tx_failed), its whole batch is
     * rolled back and answered ERR_SYSTEM.
     */
    int atomic_run;
};

/* starts the writer thread on its own connection to dir */
int writer_start(const char *dir);
void writer_stop(void);
void writer_submit(struct wjob *job);
/* submits first..last, linked by their `next`, under one lock and with one wake-up (an event
 * loop hands over the writes of one turn this way) */
void writer_submit_chain(struct wjob *first, struct wjob *last);
/*
 * fn runs on the writer thread after the `complete` calls of every batch, so that a
 * `complete` may only stage its result and fn hand all of them over at once (one wake-up of
 * each event loop per batch). Set it before submitting jobs that rely on it.
 */
void writer_set_batch_end(void (*fn)(void));
/* runs one job and waits for its commit; usable from any thread but an event loop */
int writer_run_sync(wjob_run_fn run, void (*after_commit)(void *), void *arg);

struct writer_stats {
    uint64_t batches, jobs, failed_commits;
    int64_t db_ns;
};
void writer_get_stats(struct writer_stats *out);
/* commits so far: what a reader loaded after seeing N is current while this is still N */
uint64_t writer_commit_count(void);

#endif
