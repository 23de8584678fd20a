/* deadline.c - a total deadline for each request to arrive.
 *
 * libmicrohttpd's connection timeout counts idle time only, so a client that
 * sends one header line every ten seconds holds its connection for ever;
 * a few thousand of them fill the server. Here every connection carries the
 * time its current request began (the accept, or the end of the previous
 * response on a kept-alive connection) and the body bytes received since.
 * A request must arrive whole (request line, headers and body) within the
 * timeout, plus one second per DEADLINE_RATE bytes of body received (so a
 * large import over a slow link still gets through); a reaper thread shuts
 * the socket of any connection past its deadline, and libmicrohttpd then
 * closes it as a connection the client dropped. While the request is being
 * handled and answered the clock stops (the idle timeout still applies). */
#include "deadline.h"
#include "../base/ticker.h"
#include "../base/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#define DEADLINE_RATE 16384 /* body bytes per second of extra allowance */
#define STOPPED INT64_MAX   /* since: the request has arrived */

typedef struct watch {
    struct watch *prev, *next;
    int fd;
    _Atomic int64_t since; /* ms (gx_now_ms) the current request began, or STOPPED */
    _Atomic int64_t bytes; /* body bytes of the current request so far */
} watch;

static struct {
    pthread_mutex_t lock; /* the list */
    watch head;           /* circular list of open connections */
    int64_t timeout_ms;
    gx_ticker *reaper;
} dl = {.lock = PTHREAD_MUTEX_INITIALIZER};

static watch *of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void deadline_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                            enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        watch *w = gx_calloc(1, sizeof *w);
        w->fd = ci ? ci->connect_fd : -1;
        atomic_store(&w->since, gx_now_ms());
        pthread_mutex_lock(&dl.lock);
        w->next = &dl.head;
        w->prev = dl.head.prev;
        dl.head.prev->next = w;
        dl.head.prev = w;
        pthread_mutex_unlock(&dl.lock);
        *socket_context = w;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        /* Unlinked before libmicrohttpd closes the descriptor, under the
         * lock the reaper holds while it shuts sockets: a descriptor number
         * reused by a new connection is never shut by mistake. */
        watch *w = *socket_context;
        pthread_mutex_lock(&dl.lock);
        w->prev->next = w->next;
        w->next->prev = w->prev;
        pthread_mutex_unlock(&dl.lock);
        free(w);
        *socket_context = NULL;
    }
}

void deadline_received(struct MHD_Connection *c, size_t bytes)
{
    watch *w = of(c);
    if (w)
        atomic_fetch_add(&w->bytes, (int64_t)bytes);
}

void deadline_arrived(struct MHD_Connection *c)
{
    watch *w = of(c);
    if (w)
        atomic_store(&w->since, STOPPED);
}

void deadline_next(struct MHD_Connection *c)
{
    watch *w = of(c);
    if (w) {
        atomic_store(&w->bytes, 0);
        atomic_store(&w->since, gx_now_ms());
    }
}

static void reap(void *arg)
{
    (void)arg;
    int64_t now = gx_now_ms();
    pthread_mutex_lock(&dl.lock);
    for (watch *w = dl.head.next; w != &dl.head; w = w->next) {
        int64_t since = atomic_load(&w->since);
        if (since == STOPPED || w->fd < 0)
            continue;
        if (now - since > dl.timeout_ms + atomic_load(&w->bytes) * 1000 / DEADLINE_RATE) {
            shutdown(w->fd, SHUT_RDWR);
            atomic_store(&w->since, STOPPED); /* once */
        }
    }
    pthread_mutex_unlock(&dl.lock);
}

int deadline_start(int timeout_s)
{
    dl.head.next = dl.head.prev = &dl.head;
    dl.timeout_ms = (int64_t)timeout_s * 1000;
    return (dl.reaper = gx_ticker_start(reap, NULL, 1)) ? 0 : -1;
}

void deadline_stop(void)
{
    gx_ticker_stop(dl.reaper, 0);
    dl.reaper = NULL;
}
