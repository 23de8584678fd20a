#include "router.h"
#include "../base/util.h"

#include <stdio.h>
#include <string.h>

const char *method_name(int m)
{
    switch (m) {
    case M_GET: return "GET";
    case M_POST: return "POST";
    case M_PUT: return "PUT";
    case M_PATCH: return "PATCH";
    case M_DELETE: return "DELETE";
    case M_HEAD: return "HEAD";
    default: return "OTHER";
    }
}

/* Match one pattern against the segments; fills ids. */
static int match_path(const char *pattern, const parsed_uri *u, int64_t ids[4], int *nids)
{
    const char *p = pattern;
    int seg = 0;
    *nids = 0;
    while (*p) {
        if (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (seg >= u->nsegs)
            return 0;
        const char *s = u->segs[seg];
        if (len == 4 && !memcmp(p, "{id}", 4)) {
            int64_t v;
            if (*nids == 4 || gx_parse_i64(s, strlen(s), 1, INT64_MAX, &v) || s[0] == '0')
                return 0;
            ids[(*nids)++] = v;
        } else if (strlen(s) != len || memcmp(s, p, len)) {
            return 0;
        }
        seg++;
        p += len;
    }
    return seg == u->nsegs && !u->trailing_slash;
}

int router_match(const http_api *api, const parsed_uri *u, int method, const route **rt, int64_t ids[4], int *nids,
                 char *allow, size_t allow_len)
{
    int path_found = 0;
    allow[0] = 0;
    int want = method == M_HEAD ? M_GET : method;
    for (const http_area *const *ar = api->areas; *ar; ar++) {
        for (const route *t = (*ar)->routes; t && t->pattern; t++) {
            int64_t tmp[4];
            int n;
            if (!match_path(t->pattern, u, tmp, &n))
                continue;
            if (t->method == want) {
                *rt = t;
                memcpy(ids, tmp, sizeof tmp);
                *nids = n;
                return MATCH_OK;
            }
            size_t l = strlen(allow);
            snprintf(allow + l, allow_len - l, "%s%s", path_found ? ", " : "", method_name(t->method));
            path_found = 1;
        }
    }
    return path_found ? MATCH_METHOD : MATCH_NONE;
}
