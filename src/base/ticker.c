/* ticker.c - see ticker.h. */
#include "ticker.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct gx_ticker {
    void (*fn)(void *);
    void *arg;
    int seconds, stop, last;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
};

static void *run(void *p)
{
    gx_ticker *t = p;
    for (;;) {
        t->fn(t->arg);
        pthread_mutex_lock(&t->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += t->seconds;
        while (!t->stop && pthread_cond_timedwait(&t->wake, &t->lock, &until) != ETIMEDOUT)
            ;
        int stop = t->stop, last = t->last;
        pthread_mutex_unlock(&t->lock);
        if (stop) {
            if (last)
                t->fn(t->arg);
            return NULL;
        }
    }
}

gx_ticker *gx_ticker_start(void (*fn)(void *), void *arg, int seconds)
{
    gx_ticker *t = gx_calloc(1, sizeof *t);
    t->fn = fn;
    t->arg = arg;
    t->seconds = seconds > 0 ? seconds : 1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&t->thread, NULL, run, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return NULL;
    }
    return t;
}

void gx_ticker_stop(gx_ticker *t, int last)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = 1;
    t->last = last;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
