/* jobs.h - a small pool of worker threads for long requests.
 *
 * libmicrohttpd binds each connection to one of its threads, so a request
 * that runs for seconds (an import of 100,000 cadres, a big export) holds up
 * every other connection that thread serves — a login waited for the whole
 * import. Routes flagged R_SLOW instead run here: the connection is
 * suspended, its thread goes on serving the others, and a job thread runs
 * the handler and resumes the connection to send the answer. Jobs queue when
 * every job thread is busy (a bounded queue); each job thread has its own
 * database connection, like the server's threads. */
#ifndef GX_JOBS_H
#define GX_JOBS_H

/* Start n job threads with a queue of at most qmax jobs. 0 ok, -1. */
int jobs_start(int n, int qmax);
/* Queue fn(arg). 0 queued, -1 when the queue is full or the pool stopped. */
int jobs_submit(void (*fn)(void *), void *arg);
/* Run what is queued, then end the threads. */
void jobs_stop(void);

#endif
