/* http.h - what a handler sees of an HTTP request, and how it answers.
 *
 * A handler receives a request whose route, session, roles, CSRF token,
 * query parameters, JSON body and (on scoped routes) data scope have
 * already been checked against the route's declaration in its area's route
 * table. It calls one of the reply functions exactly once. Everything in
 * the request lives in r->a until the request ends.
 *
 * This layer knows no business: sessions and data scope reach it through
 * the hooks the application installs (router.h, http_hooks). */
#ifndef GX_HTTP_H
#define GX_HTTP_H

#include "../base/actor.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../store/db.h"
#include "parse.h"
#include "validate.h"

#include <jansson.h>
#include <stdint.h>

enum http_method { M_GET = 1, M_POST, M_PUT, M_PATCH, M_DELETE, M_HEAD, M_OTHER };

struct route;
struct http_api;
struct session; /* the account area's; opaque here */
struct scope;   /* the organisation area's data scope; opaque here */

/* The logged-in caller, as the authentication hook found it. */
typedef struct principal {
    int64_t id; /* 0: nobody (public routes) */
    const char *username;
    uint32_t roles; /* role bits, compared with route->roles */
    int64_t unit_id;
    const char *csrf;        /* the session's CSRF token */
    int must_change_password; /* only R_PWCHANGE routes until changed */
} principal;

typedef struct req {
    arena *a;
    int method;
    const char *raw_uri;
    parsed_uri uri;
    int64_t ids[4]; /* numeric path parameters, in order */
    int nids;
    const struct route *route;
    char ip[64];
    buf body;
    json_t *json; /* checked body (routes with a body spec) */
    db *db;
    const struct http_api *api;
    struct session *sess;       /* NULL on public routes (the auth hook's) */
    principal user;             /* zero on public routes */
    const struct scope *scope;  /* the caller's data scope on R_SCOPED routes */
    int tls;

    /* response, filled by the reply functions */
    int status;
    char *out; /* malloc'd */
    size_t out_len;
    const char *out_type;
    char *set_cookie; /* arena */
    const char *allow;
    const char *disposition; /* Content-Disposition (arena) */
    void *conn; /* struct MHD_Connection * */
    int replied;
    int on_job;  /* an R_SLOW request handed to a job thread (its connection suspended) */
    size_t discarded; /* body bytes dropped after an early refusal */
    size_t declared;  /* Content-Length of a refused oversized body */
} req;

typedef void (*handler_fn)(req *r);

/* Reply with a JSON value (takes the reference). */
void reply_json(req *r, int status, json_t *v);
/* Reply with the error (clears e). */
void reply_err(req *r, gx_err *e);
/* Reply with code and default or given message. */
void reply_code(req *r, gx_code code, const char *msg);
/* Reply with a list {"items","total","page","page_size"} (takes items). */
void reply_list(req *r, json_t *items, int64_t total, int64_t page, int64_t page_size);
/* Reply with out (status) when rc is 0, else with the error. */
void reply_result(req *r, int rc, gx_err *e, int status, json_t *out);
/* Reply 503 or 500 depending on the database error, logging it. */
void reply_db_error(req *r);

/* Reply with bytes (malloc'd; taken) of a media type, offered as a download
 * named filename (UTF-8) when filename is not NULL. */
void reply_bytes(req *r, int status, char *data, size_t len, const char *type, const char *filename);

/* Set (token) or clear (NULL) the session cookie on the reply. */
void reply_session_cookie(req *r, const char *token);

/* Copy the checked JSON body / query into the members of out that the
 * route's field tables bind (validate.h, AT). */
void req_body(req *r, void *out);
void req_query(req *r, void *out);

/* Paging of a list route: page >= 1, page_size 1..200 (default 20). */
void req_paging(req *r, int64_t *page, int64_t *page_size);
/* Request header value or NULL. */
const char *req_header(req *r, const char *name);
/* Actor for the audit log. */
gx_actor req_who(const req *r);

#endif
