/* Fuzz target: multipart/form-data uploads (src/http/multipart.c). The first
 * input line is the Content-Type header, the rest the body. */
#include "../../src/http/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    size_t hl = (size_t)(nl - data);
    char *ct = malloc(hl + 1);
    memcpy(ct, data, hl);
    ct[hl] = 0;
    size_t blen = size - hl - 1;
    char *body = malloc(blen ? blen : 1);
    memcpy(body, nl + 1, blen);
    arena *a = arena_new();
    const char *part, *fname;
    size_t plen;
    if (multipart_file(a, ct, body, blen, &part, &plen, &fname) == 0) {
        if (part < body || part + plen > body + blen)
            __builtin_trap(); /* the part lies inside the body */
        (void)strlen(fname);
    }
    arena_free(a);
    free(body);
    free(ct);
    return 0;
}
