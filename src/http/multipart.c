#include "multipart.h"

#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70

/* The boundary parameter of a Content-Type; 0 ok. */
static int boundary_of(const char *ct, char *out, size_t n)
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19))
        return -1;
    const char *p = ct + 19;
    while ((p = strchr(p, ';'))) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9))
            continue;
        p += 9;
        size_t l = 0;
        if (*p == '"') {
            p++;
            while (p[l] && p[l] != '"')
                l++;
            if (p[l] != '"')
                return -1;
        } else {
            while (p[l] && p[l] != ';' && p[l] != ' ' && p[l] != '\t')
                l++;
        }
        if (l == 0 || l > BOUNDARY_MAX || l >= n)
            return -1;
        memcpy(out, p, l);
        out[l] = 0;
        return 0;
    }
    return -1;
}

/* Value of a parameter (name="value") in a Content-Disposition line. */
static const char *param(arena *a, const char *h, size_t hl, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + nl + 2 <= hl; i++) {
        if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') && !strncasecmp(h + i, name, nl) && h[i + nl] == '=') {
            const char *v = h + i + nl + 1;
            size_t rest = hl - (i + nl + 1), l = 0;
            if (rest && *v == '"') {
                v++;
                rest--;
                while (l < rest && v[l] != '"')
                    l++;
                if (l == rest)
                    return NULL;
            } else {
                while (l < rest && v[l] != ';' && v[l] != '\r')
                    l++;
            }
            return arena_strndup(a, v, l);
        }
    }
    return NULL;
}

int multipart_file(arena *a, const char *content_type, const char *body, size_t len, const char **data, size_t *dlen,
                   const char **filename)
{
    char b[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 8];
    if (boundary_of(content_type, b, sizeof b))
        return -1;
    size_t dl = (size_t)(stpcpy(stpcpy(delim, "\r\n--"), b) - delim);
    /* the first delimiter may start the body without the leading CRLF */
    const char *p;
    if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2))
        p = body + dl - 2;
    else {
        p = memmem(body, len, delim, dl);
        if (!p)
            return -1;
        p += dl;
    }
    const char *end = body + len;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return -1; /* closing delimiter: no file part */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return -1;
        const char *content = hend + 4;
        const char *next = memmem(content, (size_t)(end - content), delim, dl);
        if (!next)
            return -1;
        /* headers: look at Content-Disposition */
        const char *fn = NULL, *name = NULL;
        for (const char *h = p; h < hend;) {
            const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
            size_t hl = eol ? (size_t)(eol - h) : (size_t)(hend - h);
            if (hl > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
                fn = param(a, h + 20, hl - 20, "filename");
                name = param(a, h + 20, hl - 20, "name");
            }
            h += hl + 2;
        }
        if (fn || (name && !strcmp(name, "file"))) {
            *data = content;
            *dlen = (size_t)(next - content);
            *filename = fn ? fn : "";
            return 0;
        }
        p = next + dl;
    }
}
