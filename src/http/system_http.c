/* system_http.c - health and the API description. */
#include "system_http.h"
#include "router.h"
#include "../version.h"

#include <stdlib.h>
#include <string.h>

void h_health(req *r)
{
    int64_t one = 0;
    int ok = r->db && db_scalar(r->db, "SELECT 1", NULL, 0, &one) == 1;
    json_t *o = json_pack("{s:s,s:s,s:s}", "status", ok ? "ok" : "unavailable", "db",
                          r->db ? db_kind_name(r->db) : "unknown", "version", GX_VERSION);
    reply_json(r, ok ? 200 : 503, o);
}

void h_openapi(req *r)
{
    size_t len;
    const char *doc = openapi_json(&len);
    r->replied = 1;
    r->status = 200;
    r->out = malloc(len + 1);
    memcpy(r->out, doc, len + 1);
    r->out_len = len;
    r->out_type = "application/json; charset=utf-8";
}
