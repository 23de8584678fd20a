/* Fuzz target: the Cookie header parser (src/http/parse.c). */
#include "../../src/http/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    arena *a = arena_new();
    const char *v = cookie_get(a, s, "gx_session");
    if (v) {
        for (const char *p = v; *p; p++)
            if (*p == ';' || *p == ' ' || *p == '"' || *p == ',' || (unsigned char)*p < 0x21 ||
                (unsigned char)*p > 0x7e)
                __builtin_trap(); /* only cookie-octets come out */
    }
    arena_free(a);
    free(s);
    return 0;
}
