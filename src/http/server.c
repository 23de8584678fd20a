/* server.c - libmicrohttpd glue: request lifecycle, the checks every API
 * request passes (route, session, CSRF, role, body, query), static files.
 *
 * Lifecycle of a request: the URI log callback creates the req (with its
 * arena) from the raw request target; the access handler's first call finds
 * the route and rejects oversized bodies early; later calls collect the
 * body; the final call dispatches and queues the response (never on the
 * first call, which would make libmicrohttpd 0.9.75 close the connection);
 * the completion callback frees everything. */
#include "server.h"
#include "jobs.h"
#include "assets.h"
#include "deadline.h"
#include "http.h"
#include "router.h"
#include "../base/util.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define DISCARD_MAX ((size_t)128 << 20) /* bytes of a refused body read before cutting the connection */

static server_opts opts;
static pthread_key_t db_key;

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

static void close_thread_db(void *p) { db_close(p); }

/* This worker thread's connection, opened on first use; NULL when the
 * database cannot be reached. */
static db *thread_db(void)
{
    db *d = pthread_getspecific(db_key);
    if (d)
        return d;
    char err[512];
    d = db_open(opts.db_url, err, sizeof err);
    if (!d) {
        log_error("%s", err);
        return NULL;
    }
    pthread_setspecific(db_key, d);
    return d;
}

static int parse_method(const char *m)
{
    static const struct {
        const char *name;
        int m;
    } t[] = {{"GET", M_GET}, {"POST", M_POST}, {"PUT", M_PUT}, {"PATCH", M_PATCH}, {"DELETE", M_DELETE}, {"HEAD", M_HEAD}};
    for (size_t i = 0; i < GX_ARRAY_LEN(t); i++)
        if (!strcmp(m, t[i].name))
            return t[i].m;
    return M_OTHER;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    arena *a = arena_new();
    req *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->raw_uri = arena_strndup(a, uri, strnlen(uri, URI_MAX_LEN + 1));
    r->conn = c;
    r->tls = opts.secure_cookies;
    r->api = opts.api;
    r->body = (buf)BUF_INIT(BODY_MAX_DEFAULT);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)t;
    deadline_next(c);
    req *r = *con_cls;
    if (!r)
        return;
    json_decref(r->json);
    buf_free(&r->body);
    free(r->out);
    arena_free(r->a);
    *con_cls = NULL;
}

static void client_ip(req *r)
{
    if (opts.trust_proxy) {
        const char *h = req_header(r, "X-Real-IP");
        if (!h) {
            h = req_header(r, "X-Forwarded-For");
            if (h) {
                const char *last = strrchr(h, ',');
                h = last ? last + 1 : h;
                while (*h == ' ')
                    h++;
            }
        }
        if (h && strlen(h) < sizeof r->ip && gx_utf8_valid(h, strlen(h), 0)) {
            snprintf(r->ip, sizeof r->ip, "%s", h);
            return;
        }
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->ip, sizeof r->ip, "-");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip, sizeof r->ip);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip, sizeof r->ip);
}

/* --- the checks of an API request, in order --- */

static int content_type_json(req *r)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    return !strncasecmp(ct, "application/json", n) && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

static int authenticate(req *r)
{
    const route *rt = r->route;
    if (rt->flags & R_PUBLIC)
        return 0;
    int rc = opts.api->hooks->authenticate(r);
    if (rc < 0) {
        reply_db_error(r);
        return -1;
    }
    if (rc == 0) {
        reply_code(r, GX_EUNAUTH, NULL);
        return -1;
    }
    const principal *p = &r->user;
    if (r->method != M_GET && r->method != M_HEAD && !(rt->flags & R_NO_CSRF)) {
        const char *t = req_header(r, "X-CSRF-Token");
        if (!t || !p->csrf || !gx_streq_ct(t, p->csrf)) {
            reply_code(r, GX_ECSRF, NULL);
            return -1;
        }
    }
    if (p->must_change_password && !(rt->flags & R_PWCHANGE)) {
        reply_code(r, GX_EPWCHANGE, NULL);
        return -1;
    }
    if (rt->roles && !(p->roles & rt->roles)) {
        reply_code(r, GX_EFORBIDDEN, NULL);
        return -1;
    }
    return 0;
}

static int code_valid(void *ctx, const char *kind, const char *code)
{
    req *r = ctx;
    return opts.api->hooks->code_valid(r->db, kind, code);
}

static int check_input(req *r)
{
    const route *rt = r->route;
    gx_err e = GX_ERR_INIT;
    code_checker cc = {code_valid, r};
    if (query_check(&r->uri, rt->query, (rt->flags & R_LIST) != 0, &cc, &e)) {
        reply_err(r, &e);
        return -1;
    }
    if (rt->body) {
        if (!content_type_json(r)) {
            reply_code(r, GX_EMEDIA, NULL);
            return -1;
        }
        r->json = body_parse(r->body.data, r->body.len, rt->body, &cc, &e);
        if (!r->json) {
            reply_err(r, &e);
            return -1;
        }
    }
    return 0;
}

static void api_dispatch(req *r)
{
    r->db = thread_db();
    if (r->db && db_ready(r->db))
        r->db = NULL;
    if (!r->db && !(r->route->flags & R_NODB)) {
        reply_code(r, GX_EUNAVAIL, NULL);
        return;
    }
    if (authenticate(r) || check_input(r))
        return;
    if ((r->route->flags & R_SCOPED) && opts.api->hooks->scope(r))
        return;
    r->route->fn(r);
    if (r->db && db_in_tx(r->db)) {
        log_error("BUG: %s %s left a transaction open", method_name(r->method), r->route->pattern);
        db_rollback(r->db);
    }
    if (!r->replied) {
        log_error("BUG: %s %s did not reply", method_name(r->method), r->route->pattern);
        reply_code(r, GX_EINTERNAL, NULL);
    }
}

/* A suspended R_SLOW request on a job thread (jobs.h). */
static void run_job(void *arg)
{
    req *r = arg;
    api_dispatch(r);
    MHD_resume_connection(r->conn);
}

/* --- static files --- */

static const asset *find_asset(const char *path)
{
    for (size_t i = 0; i < gx_nassets; i++)
        if (!strcmp(gx_assets[i].path, path))
            return &gx_assets[i];
    return NULL;
}

static enum MHD_Result send_static(req *r, struct MHD_Connection *c)
{
    /* Rebuild the decoded path. */
    char path[URI_MAX_LEN + 2];
    size_t o = 0;
    for (int i = 0; i < r->uri.nsegs && o < URI_MAX_LEN; i++)
        o += (size_t)snprintf(path + o, sizeof path - o, "/%s", r->uri.segs[i]);
    if (o == 0)
        snprintf(path, sizeof path, "/index.html");
    const asset *as = find_asset(path);
    int immutable = r->uri.nsegs > 0 && !strcmp(r->uri.segs[0], "assets");
    if (!as && !immutable)
        as = find_asset("/index.html");
    struct MHD_Response *resp;
    int status = 200;
    if (!as) {
        static const char msg[] = "404 not found";
        resp = MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
        status = 404;
    } else {
        const char *inm = req_header(r, "If-None-Match");
        const char *ae = req_header(r, "Accept-Encoding");
        int gz = as->gz && ae && strstr(ae, "gzip");
        if (inm && !strcmp(inm, as->etag)) {
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            status = 304;
        } else {
            resp = MHD_create_response_from_buffer(gz ? as->gz_len : as->len, (void *)(gz ? as->gz : as->data),
                                                   MHD_RESPMEM_PERSISTENT);
            if (gz)
                MHD_add_response_header(resp, "Content-Encoding", "gzip");
        }
        MHD_add_response_header(resp, "Content-Type", as->type);
        MHD_add_response_header(resp, "ETag", as->etag);
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        MHD_add_response_header(resp, "Cache-Control",
                                immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    r->status = status;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* --- responses --- */

static enum MHD_Result send_reply(req *r, struct MHD_Connection *c)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->out_len, r->out ? r->out : (void *)"", r->out ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    r->out = NULL; /* owned by the response now */
    MHD_add_response_header(resp, "Content-Type", r->out_type ? r->out_type : "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->disposition)
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* First call: parse the target, find the route, check the declared body
 * size. Returns 0 to go on collecting the body, -1 when r already holds the
 * reply (an error that needs no body). */
static int begin_request(req *r, const char *method)
{
    r->method = parse_method(method);
    client_ip(r);
    int prc = uri_parse(r->a, r->raw_uri, &r->uri);
    if (strlen(r->raw_uri) >= URI_MAX_LEN)
        prc = PARSE_BAD_PATH;
    int api = prc != PARSE_BAD_PATH && r->uri.nsegs >= 1 && !strcmp(r->uri.segs[0], "api");
    if (prc == PARSE_BAD_PATH) {
        reply_code(r, GX_EBADREQ, "请求路径格式有误");
        return -1;
    }
    if (!api) {
        if (r->method != M_GET && r->method != M_HEAD) {
            r->allow = "GET, HEAD";
            reply_code(r, GX_EMETHOD, NULL);
            return -1;
        }
        return 0;
    }
    if (prc == PARSE_BAD_QUERY) {
        gx_err e = GX_ERR_INIT;
        gx_fail(&e, GX_EBADQUERY, "查询参数格式有误");
        e.fields = json_object();
        json_object_set_new(e.fields, r->uri.bad_param && strlen(r->uri.bad_param) <= 64 ? r->uri.bad_param : "?",
                            json_string("格式有误或重复"));
        reply_err(r, &e);
        return -1;
    }
    char allow[96];
    int m = router_match(opts.api, &r->uri, r->method, &r->route, r->ids, &r->nids, allow, sizeof allow);
    if (m == MATCH_NONE) {
        reply_code(r, GX_ENOTFOUND, "接口不存在");
        return -1;
    }
    if (m == MATCH_METHOD) {
        r->allow = arena_strdup(r->a, allow);
        reply_code(r, GX_EMETHOD, NULL);
        return -1;
    }
    r->body.cap_max = r->route->body_max ? r->route->body_max : BODY_MAX_DEFAULT;
    const char *cl = req_header(r, "Content-Length");
    int64_t n;
    if (cl && !gx_parse_i64(cl, strlen(cl), 0, INT64_MAX, &n) && (uint64_t)n > r->body.cap_max) {
        r->declared = (size_t)n;
        reply_code(r, GX_ETOOLARGE, NULL);
        return -1;
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    req *r = *con_cls;
    if (!r) /* cannot happen: on_uri always runs first */
        return MHD_NO;
    if (!r->method) {
        r->conn = c;
        /* A declared body far over the cap is refused at once (the client
         * may see the connection close while it sends); a smaller excess is
         * read and dropped so the client reliably gets the 413. */
        if (begin_request(r, method) && r->status == 413 && r->declared > r->body.cap_max + DISCARD_MAX)
            return send_reply(r, c);
        return MHD_YES;
    }
    if (*upload_size) {
        /* A refused request still has its body read and dropped, so the
         * client (which is still sending) gets the answer rather than a
         * reset connection; past a generous allowance the connection is cut. */
        deadline_received(c, *upload_size);
        r->discarded += r->replied ? *upload_size : 0;
        if (!r->replied && buf_append(&r->body, upload, *upload_size))
            reply_code(r, GX_ETOOLARGE, NULL);
        *upload_size = 0;
        return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    deadline_arrived(c);
    if (!r->replied && r->route && (r->route->flags & R_SLOW) && !r->on_job) {
        /* Long work runs on a job thread; this thread goes on serving its
         * other connections. The job resumes the connection when it has
         * replied, and libmicrohttpd calls here again to send the answer. */
        r->on_job = 1;
        MHD_suspend_connection(c);
        if (jobs_submit(run_job, r) == 0)
            return MHD_YES;
        MHD_resume_connection(c); /* every job thread busy and the queue full: run it here */
    }
    int64_t t0 = opts.access_log ? gx_now_ms() : 0;
    enum MHD_Result ret;
    if (!r->replied && !r->route) {
        ret = send_static(r, c);
    } else {
        if (!r->replied)
            api_dispatch(r);
        ret = send_reply(r, c);
    }
    if (opts.access_log)
        log_info("%s %s %s %d %lldms", r->ip, method, r->raw_uri, r->status, (long long)(gx_now_ms() - t0));
    return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = 0;
    log_warn("http: %s", line);
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    int64_t port;
    if (gx_parse_i64(colon + 1, strlen(colon + 1), 0, 65535, &port))
        return -1;
    memset(ss, 0, sizeof *ss);
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = 0;
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return -1;
        *len = sizeof *a6;
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost"))
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return -1;
    *len = sizeof *a4;
    return 0;
}

int server_run(const server_opts *o)
{
    opts = *o;
    if (opts.threads < 1)
        opts.threads = 2;
    if (opts.timeout < 1)
        opts.timeout = 30;
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(opts.listen, &ss, &sl)) {
        fprintf(stderr, "ganxun: bad --listen '%s' (want HOST:PORT)\n", opts.listen);
        return 2;
    }
    pthread_key_create(&db_key, close_thread_db);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit this */
    signal(SIGPIPE, SIG_IGN);
    if (deadline_start(opts.timeout)) {
        fprintf(stderr, "ganxun: cannot start the request deadline thread\n");
        return 1;
    }

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* long requests (R_SLOW) run here, off the threads that serve connections */
    if (jobs_start(2, 64)) {
        fprintf(stderr, "ganxun: cannot start the job threads\n");
        deadline_stop();
        return 1;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)opts.threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)opts.timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)opts.max_per_ip,
        MHD_OPTION_NOTIFY_CONNECTION, deadline_on_connection, NULL,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "ganxun: cannot listen on %s\n", opts.listen);
        jobs_stop();
        deadline_stop();
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    if (ss.ss_family == AF_INET6) {
        char h6[48];
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, h6, sizeof h6);
        snprintf(host, sizeof host, "[%s]", h6);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    }
    printf("listening on http://%s:%u\n", host, di ? (unsigned)di->port : 0);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: shutting down", sig);
    jobs_stop(); /* finish the long requests under way; their connections are resumed */
    MHD_stop_daemon(d);
    deadline_stop();
    return 0;
}
