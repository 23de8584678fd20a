#include "parse.h"
#include "../base/util.h"

#include <string.h>

char *uri_decode(arena *a, const char *s, size_t n, int plus)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return NULL;
            int h = gx_hexval(s[i + 1]), l = h < 0 ? -1 : gx_hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return NULL;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus) {
            out[o++] = ' ';
        } else {
            out[o++] = c;
        }
    }
    out[o] = 0;
    if (!gx_utf8_valid(out, o, 0))
        return NULL;
    return out;
}

static int parse_path(arena *a, const char *p, size_t n, parsed_uri *out)
{
    if (n == 0 || p[0] != '/')
        return PARSE_BAD_PATH;
    size_t i = 1;
    out->trailing_slash = n > 1 && p[n - 1] == '/';
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        if (j > i) {
            if (out->nsegs == PATH_MAX_SEGS)
                return PARSE_BAD_PATH;
            char *seg = uri_decode(a, p + i, j - i, 0);
            if (!seg || strchr(seg, '/') || !strcmp(seg, ".") || !strcmp(seg, ".."))
                return PARSE_BAD_PATH;
            out->segs[out->nsegs++] = seg;
        }
        i = j + 1;
    }
    return PARSE_OK;
}

static int parse_query(arena *a, const char *q, size_t n, parsed_uri *out)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && q[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && q[eq] != '=')
                eq++;
            char *k = uri_decode(a, q + i, eq - i, 1);
            if (!k || !*k) {
                out->bad_param = k && *k ? k : "?";
                return PARSE_BAD_QUERY;
            }
            char *v = eq < j ? uri_decode(a, q + eq + 1, j - eq - 1, 1) : arena_strdup(a, "");
            if (!v || out->nquery == QUERY_MAX_PARAMS) {
                out->bad_param = k;
                return PARSE_BAD_QUERY;
            }
            for (int x = 0; x < out->nquery; x++) {
                if (!strcmp(out->query[x].key, k)) {
                    out->bad_param = k; /* repeated parameter */
                    return PARSE_BAD_QUERY;
                }
            }
            out->query[out->nquery].key = k;
            out->query[out->nquery].val = v;
            out->nquery++;
        }
        i = j + 1;
    }
    return PARSE_OK;
}

int uri_parse(arena *a, const char *raw, parsed_uri *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strnlen(raw, URI_MAX_LEN + 1);
    if (n > URI_MAX_LEN)
        return PARSE_BAD_PATH;
    const char *qm = memchr(raw, '?', n);
    const char *hash = memchr(raw, '#', n);
    if (hash)
        return PARSE_BAD_PATH;
    size_t plen = qm ? (size_t)(qm - raw) : n;
    int rc = parse_path(a, raw, plen, out);
    if (rc)
        return rc;
    if (qm)
        return parse_query(a, qm + 1, n - plen - 1, out);
    return PARSE_OK;
}

static int cookie_octet(unsigned char c)
{
    /* RFC 6265: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
           (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

const char *cookie_get(arena *a, const char *h, const char *name)
{
    if (!h)
        return NULL;
    size_t nl = strlen(name);
    size_t len = strnlen(h, 8192);
    if (len >= 8192)
        return NULL;
    size_t i = 0;
    while (i < len) {
        while (i < len && (h[i] == ' ' || h[i] == '\t' || h[i] == ';'))
            i++;
        size_t start = i;
        while (i < len && h[i] != ';')
            i++;
        size_t end = i;
        while (end > start && (h[end - 1] == ' ' || h[end - 1] == '\t'))
            end--;
        const char *eq = memchr(h + start, '=', end - start);
        if (!eq)
            continue;
        size_t klen = (size_t)(eq - (h + start));
        if (klen != nl || memcmp(h + start, name, nl))
            continue;
        const char *v = eq + 1;
        size_t vlen = (size_t)(h + end - v);
        if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
            v++;
            vlen -= 2;
        }
        for (size_t k = 0; k < vlen; k++)
            if (!cookie_octet((unsigned char)v[k]))
                return NULL;
        return arena_strndup(a, v, vlen);
    }
    return NULL;
}
