/* deadline.h - a total deadline for each request to arrive (headers and
 * body), on top of libmicrohttpd's idle timeout: see deadline.c. */
#ifndef GX_DEADLINE_H
#define GX_DEADLINE_H

#include <microhttpd.h>
#include <stddef.h>

/* Start the reaper thread (call with the shutdown signals blocked). 0 ok. */
int deadline_start(int timeout_s);
/* Stop it; after MHD_stop_daemon. */
void deadline_stop(void);
/* MHD_OPTION_NOTIFY_CONNECTION callback: watches each connection. */
void deadline_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                            enum MHD_ConnectionNotificationCode toe);
/* Body bytes received: each earns time at a minimum rate. */
void deadline_received(struct MHD_Connection *c, size_t bytes);
/* The request has arrived whole: its clock stops. */
void deadline_arrived(struct MHD_Connection *c);
/* Its response is done: the next request's clock starts. */
void deadline_next(struct MHD_Connection *c);

#endif
