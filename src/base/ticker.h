/* ticker.h - a thread that calls a function now and every few seconds
 * until it is stopped (the audit checkpointer, the request reaper). */
#ifndef GX_TICKER_H
#define GX_TICKER_H

typedef struct gx_ticker gx_ticker;

/* Start a thread that calls fn(arg) at once and then every `seconds`. It
 * runs with every signal blocked: signals stay with the thread that waits
 * for them. NULL when the thread cannot start. */
gx_ticker *gx_ticker_start(void (*fn)(void *), void *arg, int seconds);
/* Wake the thread, let it call fn once more when `last` is set, join it
 * and free t (NULL: nothing). */
void gx_ticker_stop(gx_ticker *t, int last);

#endif
