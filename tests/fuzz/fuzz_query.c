/* Fuzz target: request targets (path + query string) through uri_parse and
 * the query-parameter checks (src/http/parse.c, src/http/validate.c). */
#include "../../src/http/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const qfield spec[] = {
    {"q", Q_STR, 0, 64, NULL},
    {"unit_id", Q_INT, 1, INT64_MAX, NULL},
    {"disabled", Q_BOOL, 0, 0, NULL},
    {0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 2);
    s[0] = '/';
    memcpy(s + 1, data, size);
    s[size + 1] = 0;
    arena *a = arena_new();
    parsed_uri u;
    if (uri_parse(a, s, &u) == PARSE_OK) {
        gx_err e = GX_ERR_INIT;
        if (query_check(&u, spec, 1, NULL, &e) == 0) {
            (void)query_int(&u, "page", 1);
            (void)query_bool(&u, "disabled");
            const char *q = query_str(&u, "q");
            if (q && strlen(q) > 64 * 4)
                __builtin_trap(); /* 64 characters of at most 4 bytes */
        }
        gx_err_clear(&e);
        for (int i = 0; i < u.nsegs; i++)
            if (!strcmp(u.segs[i], "..") || strchr(u.segs[i], '/'))
                __builtin_trap(); /* no traversal survives decoding */
    }
    arena_free(a);
    free(s);
    return 0;
}
