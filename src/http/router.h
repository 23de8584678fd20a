/* router.h - route tables, the areas that export them, and the matcher.
 *
 * Each business area exports one http_area beside its handlers: its route
 * table (method, path pattern with {id} for a positive integer, roles,
 * flags, input tables, handler, response schema), the JSON Schemas of the
 * records it answers with, and the audit actions it can write. The
 * application (src/areas.c) lists the areas and installs the hooks through
 * which sessions and data scope reach this layer; the router, the server
 * and the OpenAPI generator take that http_api as a parameter and know no
 * business of their own. */
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
    R_SCOPED = 1 << 6,    /* the handler gets the caller's data scope in r->scope */
    R_SLOW = 1 << 7,      /* may run for seconds (imports, exports): runs on a job thread (jobs.h) */
};

/* One row of an area's route table; a table ends with a row whose pattern
 * is NULL.
 *
 * out names the 2xx response body for the OpenAPI document:
 *   "Name"        the schema Name (one of the areas' schemas)
 *   "list:Name"   a page {items: [Name], total, page, page_size} (R_LIST)
 *   "items:Name"  {items: [Name]}
 *   "xlsx"        an .xlsx workbook download */
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
    const char *out;      /* response schema, see above */
} route;

/* JSON written as C tokens, for schema texts: JSON_TEXT({"type": "string"})
 * is the string "{\"type\": \"string\"}". */
#define JSON_TEXT(...) #__VA_ARGS__

/* What an area exports to the HTTP layer. */
typedef struct http_area {
    const char *name;
    const route *routes;             /* ends with a NULL pattern */
    const char *schemas;             /* JSON object text: schema name -> JSON Schema; NULL: none */
    const char *const *audit_actions; /* NULL-terminated; every action the area writes */
} http_area;

/* Installed by the application: how a request finds its caller and scope. */
typedef struct http_hooks {
    /* Resolve the session of r (cookie): fill r->sess and r->user. 1 found,
     * 0 no valid session, -1 database error. */
    int (*authenticate)(req *r);
    /* Fill r->scope for an R_SCOPED route. 0 ok; -1 after replying. */
    int (*scope)(req *r);
    /* Whether code is an active item of the code list kind: 1 yes, 0 no,
     * -1 database error. Checks JF_CODE and Q_CODE fields. */
    int (*code_valid)(db *d, const char *kind, const char *code);
    /* Role codes of a mask as a JSON array (new reference), for the docs. */
    json_t *(*roles_json)(uint32_t mask);
} http_hooks;

typedef struct http_api {
    const http_area *const *areas; /* NULL-terminated */
    const http_hooks *hooks;
} http_api;

#define BODY_MAX_DEFAULT ((size_t)1 << 20)

enum { MATCH_OK = 0, MATCH_NONE = -1, MATCH_METHOD = -2 };

/* Match decoded path segments and method against every area's table. On
 * MATCH_OK *rt and ids are set; on MATCH_METHOD allow is set to the methods
 * the path accepts. */
int router_match(const http_api *api, const parsed_uri *u, int method, const route **rt, int64_t ids[4], int *nids,
                 char *allow, size_t allow_len);

const char *method_name(int m);

/* OpenAPI 3.1 document of the api, as compact JSON; built once per process
 * (the process serves one api). */
const char *openapi_json(const http_api *api, size_t *len);

#endif
