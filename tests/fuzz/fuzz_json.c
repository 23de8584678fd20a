/* Fuzz target: JSON request bodies through the parser and the declarative
 * validator every route uses (src/http/validate.c). */
#include "../../src/http/validate.h"

#include <stdint.h>
#include <stdio.h>

static const jfield spec[] = {
    {"username", JF_STR, 1, 3, 32, NULL},
    {"note", JF_STR_NULL, 0, 0, 200, NULL},
    {"version", JF_INT, 0, 1, INT64_MAX, NULL},
    {"unit_id", JF_INT_NULL, 0, 1, 1000000, NULL},
    {"disabled", JF_BOOL, 0, 0, 0, NULL},
    {"roles", JF_STR_ARRAY, 0, 1, 6, NULL},
    {0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gx_err e = GX_ERR_INIT;
    json_t *o = body_parse((const char *)data, size, spec, NULL, &e);
    if (o) {
        /* a checked body has its required field, of its declared type */
        if (!json_is_string(json_object_get(o, "username")))
            __builtin_trap();
        json_decref(o);
    } else {
        json_t *j = gx_err_json(&e);
        char *s = json_dumps(j, JSON_COMPACT);
        if (!s)
            __builtin_trap(); /* the error must always render */
        free(s);
        json_decref(j);
    }
    gx_err_clear(&e);
    return 0;
}
