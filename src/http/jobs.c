/* jobs.c - the job threads of long requests (see jobs.h). */
#include "jobs.h"
#include "../base/util.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
    void (*fn)(void *);
    void *arg;
} job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    job *q;
    int qmax, head, len, stopping, nthreads;
    pthread_t *threads;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER};

static void *worker(void *unused)
{
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        while (!pool.len && !pool.stopping)
            pthread_cond_wait(&pool.ready, &pool.lock);
        if (!pool.len) { /* stopping, and nothing left to run */
            pthread_mutex_unlock(&pool.lock);
            return NULL;
        }
        job j = pool.q[pool.head];
        pool.head = (pool.head + 1) % pool.qmax;
        pool.len--;
        pthread_mutex_unlock(&pool.lock);
        j.fn(j.arg);
    }
}

int jobs_start(int n, int qmax)
{
    pool.q = gx_calloc((size_t)qmax, sizeof *pool.q);
    pool.qmax = qmax;
    pool.threads = gx_calloc((size_t)n, sizeof *pool.threads);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker, NULL)) {
            jobs_stop();
            return -1;
        }
        pool.nthreads++;
    }
    return 0;
}

int jobs_submit(void (*fn)(void *), void *arg)
{
    pthread_mutex_lock(&pool.lock);
    int ok = !pool.stopping && pool.nthreads > 0 && pool.len < pool.qmax;
    if (ok) {
        pool.q[(pool.head + pool.len) % pool.qmax] = (job){fn, arg};
        pool.len++;
        pthread_cond_signal(&pool.ready);
    }
    pthread_mutex_unlock(&pool.lock);
    return ok ? 0 : -1;
}

void jobs_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = 1;
    pthread_cond_broadcast(&pool.ready);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    pool.nthreads = 0;
    free(pool.threads);
    free(pool.q);
    pool.threads = NULL;
    pool.q = NULL;
}
