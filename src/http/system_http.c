/* system_http.c - health and the API description. */
#include "system_http.h"
#include "router.h"
#include "../version.h"

#include <stdlib.h>
#include <string.h>

static void h_health(req *r)
{
    int64_t one = 0;
    int ok = r->db && db_scalar(r->db, "SELECT 1", NULL, 0, &one) == 1;
    json_t *o = json_pack("{s:s,s:s,s:s}", "status", ok ? "ok" : "unavailable", "db",
                          r->db ? db_kind_name(r->db) : "unknown", "version", GX_VERSION);
    reply_json(r, ok ? 200 : 503, o);
}

static void h_openapi(req *r)
{
    size_t len;
    const char *doc = openapi_json(r->api, &len);
    r->replied = 1;
    r->status = 200;
    r->out = malloc(len + 1);
    memcpy(r->out, doc, len + 1);
    r->out_len = len;
    r->out_type = "application/json; charset=utf-8";
}

static const char schemas[] = JSON_TEXT({
    "Health": {"type": "object", "additionalProperties": false,
               "required": ["status", "db", "version"],
               "properties": {"status": {"type": "string", "enum": ["ok", "unavailable"]},
                              "db": {"type": "string", "description": "sqlite, postgresql or unknown"},
                              "version": {"type": "string"}}},
    "OpenApiDocument": {"type": "object", "description": "this document"}
});

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_GET, "/api/v1/health", 0, R_PUBLIC | R_NODB, h_health, NULL, NULL, 0, "system", "健康检查", "status, db, version", "Health"},
    {M_GET, "/api/v1/openapi.json", 0, R_PUBLIC | R_NODB, h_openapi, NULL, NULL, 0, "system", "OpenAPI 3.1 接口描述", "OpenAPI document", "OpenApiDocument"},
    {0},
};

const http_area system_area = {"system", routes, schemas, NULL};
