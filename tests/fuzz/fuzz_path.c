/* Fuzz target: request paths through uri_parse and the real route matcher
 * (src/http/parse.c, src/http/router.c), given an api of two areas of its
 * own making (the router takes the api as a parameter). */
#include "../../src/http/router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void nop(req *r) { (void)r; }

static const route users[] = {
    {M_GET, "/api/v1/health", 0, R_PUBLIC, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {M_GET, "/api/v1/users", 0, R_LIST, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {M_POST, "/api/v1/users", 0, 0, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {M_GET, "/api/v1/users/{id}", 0, 0, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {M_PATCH, "/api/v1/users/{id}", 0, 0, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {M_POST, "/api/v1/users/{id}/reset-password", 0, 0, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {0},
};
static const route classes[] = {
    {M_GET, "/api/v1/classes/{id}/members/{id}", 0, R_SCOPED, nop, NULL, NULL, 0, "t", "t", NULL, NULL},
    {0},
};
static const http_area area_users = {"users", users, NULL, NULL}, area_classes = {"classes", classes, NULL, NULL};
static const http_area *const areas[] = {&area_users, &area_classes, NULL};
static const http_api api = {areas, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int method = 1 + data[0] % 6;
    char *s = malloc(size + 1);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;
    arena *a = arena_new();
    parsed_uri u;
    if (uri_parse(a, s, &u) == PARSE_OK) {
        const route *rt = NULL;
        int64_t ids[4];
        int nids = 0;
        char allow[96];
        int m = router_match(&api, &u, method, &rt, ids, &nids, allow, sizeof allow);
        if (m == MATCH_OK) {
            for (int i = 0; i < nids; i++)
                if (ids[i] < 1)
                    __builtin_trap(); /* ids are positive */
        }
    }
    arena_free(a);
    free(s);
    return 0;
}
