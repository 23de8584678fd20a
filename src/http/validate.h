/* validate.h - declarative checks of request bodies and query strings.
 *
 * A route names a table of fields; the router checks the input against it
 * before the handler runs, so a handler sees only present, typed, in-range
 * values. The same tables produce the OpenAPI schemas. Errors name each bad
 * field with a Chinese message. */
#ifndef GX_VALIDATE_H
#define GX_VALIDATE_H

#include "../base/err.h"
#include "parse.h"

#include <jansson.h>
#include <stdint.h>

enum jtype {
    JF_STR = 1,    /* string, min..max characters */
    JF_STR_NULL,   /* string or null */
    JF_INT,        /* integer in min..max */
    JF_INT_NULL,   /* integer or null */
    JF_BOOL,
    JF_STR_ARRAY,  /* array of min..max strings, each 1..64 characters */
};

typedef struct jfield {
    const char *name;
    int type;
    int required;
    int64_t min, max;
    const char *doc; /* one line for the OpenAPI description */
} jfield;

enum qtype { Q_STR = 1, Q_INT, Q_BOOL };

typedef struct qfield {
    const char *name;
    int type;
    int64_t min, max; /* Q_STR: max length in characters; Q_INT: range */
    const char *doc;
} qfield;

/* Parse a body into a JSON object and check it against spec (NULL-name
 * terminated). Returns the object (new reference) or NULL with e filled. */
json_t *body_parse(const char *data, size_t len, const jfield *spec, gx_err *e);

/* Check parsed query parameters against spec (NULL-name terminated). Lists
 * (with_paging) also accept page and page_size. 0 ok, -1 with e filled. */
int query_check(const parsed_uri *u, const qfield *spec, int with_paging, gx_err *e);

/* Typed access to checked query values. */
const char *query_str(const parsed_uri *u, const char *name);
int64_t query_int(const parsed_uri *u, const char *name, int64_t dflt);
/* -1 absent, 0 false, 1 true */
int query_bool(const parsed_uri *u, const char *name);

#endif
