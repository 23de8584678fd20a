/* router.h - the declarative route table and its matcher.
 *
 * Each route says method, path pattern ({id} stands for a positive integer),
 * which roles may call it, what it accepts (body and query tables) and its
 * handler. The table in routes.c is the map of the API; the OpenAPI document
 * is generated from it. */
#ifndef GX_ROUTER_H
#define GX_ROUTER_H

#include "http.h"

#include <stddef.h>
#include <stdint.h>

enum route_flags {
    R_PUBLIC = 1 << 0,    /* no session needed */
    R_NO_CSRF = 1 << 1,   /* write without CSRF header (login) */
    R_PWCHANGE = 1 << 2,  /* allowed while the password must be changed */
    R_LIST = 1 << 3,      /* list route: accepts page, page_size */
    R_NODB = 1 << 4,      /* runs without a database (r->db may be NULL) */
    R_CREATED = 1 << 5,   /* answers 201 Created */
};

typedef struct route {
    int method;
    const char *pattern;
    uint32_t roles; /* 0: any logged-in user (ignored when R_PUBLIC) */
    unsigned flags;
    handler_fn fn;
    const jfield *body;  /* JSON body spec, NULL: no body */
    const qfield *query; /* query spec, NULL: none (plus paging for R_LIST) */
    size_t body_max;     /* 0: default cap (1 MiB) */
    const char *tag;
    const char *summary;
    const char *response; /* short description of the 2xx response */
} route;

extern const route gx_routes[];
extern const size_t gx_nroutes;

#define BODY_MAX_DEFAULT ((size_t)1 << 20)

enum { MATCH_OK = 0, MATCH_NONE = -1, MATCH_METHOD = -2 };

/* Match decoded path segments and method. On MATCH_OK *rt and ids are set;
 * on MATCH_METHOD allow is set to the methods the path accepts. */
int router_match(const parsed_uri *u, int method, const route **rt, int64_t ids[4], int *nids,
                 char *allow, size_t allow_len);

const char *method_name(int m);

/* OpenAPI 3.1 document of the table, as compact JSON; built once. */
const char *openapi_json(size_t *len);

#endif
