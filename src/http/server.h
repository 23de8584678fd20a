/* server.h - the HTTP server: libmicrohttpd with an internal thread pool
 * on epoll, one database connection per worker thread. */
#ifndef GX_SERVER_H
#define GX_SERVER_H

struct http_api;

typedef struct server_opts {
    const struct http_api *api; /* the areas' routes and the application's hooks */
    const char *listen;  /* "HOST:PORT"; port 0 picks a free one */
    int threads;
    const char *db_url;
    int trust_proxy;     /* take the client address from X-Real-IP / X-Forwarded-For */
    int secure_cookies;  /* mark cookies Secure (TLS terminated by a proxy) */
    int access_log;
    int timeout;         /* seconds a connection may stay idle, and a request may take to arrive */
    int max_per_ip;      /* connections per client address (0: no limit) */
} server_opts;

/* Serve until SIGINT or SIGTERM. Prints "listening on http://HOST:PORT" on
 * stdout once ready. Returns the process exit code. */
int server_run(const server_opts *o);

#endif
