/* parse.h - parsers of outside input that reach the server before any
 * business code: request paths, query strings and the Cookie header.
 * Pure functions over bytes (each has a fuzz target in tests/fuzz/). */
#ifndef GX_PARSE_H
#define GX_PARSE_H

#include "../base/arena.h"
#include <stddef.h>

#define PATH_MAX_SEGS 16
#define QUERY_MAX_PARAMS 32
#define URI_MAX_LEN 4096

typedef struct kv {
    const char *key;
    const char *val;
} kv;

typedef struct parsed_uri {
    const char *segs[PATH_MAX_SEGS]; /* decoded, NUL-terminated, in the arena */
    int nsegs;
    int trailing_slash;
    kv query[QUERY_MAX_PARAMS];
    int nquery;
    const char *bad_param; /* the query parameter at fault, when query parsing failed */
} parsed_uri;

enum { PARSE_OK = 0, PARSE_BAD_PATH = -1, PARSE_BAD_QUERY = -2 };

/* Percent-decode s[0..n) into the arena ('+' means space when plus is set).
 * NULL when an escape is malformed or the result is not valid UTF-8 without
 * control characters. */
char *uri_decode(arena *a, const char *s, size_t n, int plus);

/* Split and decode a request target ("/a/b?x=1"). Returns PARSE_OK,
 * PARSE_BAD_PATH or PARSE_BAD_QUERY. */
int uri_parse(arena *a, const char *raw, parsed_uri *out);

/* Value of cookie `name` in a Cookie header, copied into the arena; NULL when
 * absent or malformed. */
const char *cookie_get(arena *a, const char *header, const char *name);

#endif
