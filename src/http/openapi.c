/* openapi.c - the OpenAPI 3.1 document, generated from the route table and
 * its input tables so that it cannot drift from what the server does. */
#include "router.h"
#include "../base/util.h"
#include "../version.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *doc;
static size_t doc_len;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const http_api *the_api;

static json_t *type_of(const char *t, int nullable)
{
    return nullable ? json_pack("[s,s]", t, "null") : json_string(t);
}

static json_t *enum_values(const void *ext)
{
    json_t *a = json_array();
    for (const char *const *p = ext; p && *p; p++)
        json_array_append_new(a, json_string(*p));
    return a;
}

static json_t *field_schema(const jfield *f)
{
    json_t *s = json_object();
    int nul = (f->type & JF_NULL) != 0;
    switch (JF_BASE(f->type)) {
    case JF_STR:
        json_object_set_new(s, "type", type_of("string", nul));
        json_object_set_new(s, "minLength", json_integer(f->min));
        json_object_set_new(s, "maxLength", json_integer(f->max));
        break;
    case JF_DATE:
    case JF_DATETIME:
        json_object_set_new(s, "type", type_of("string", nul));
        json_object_set_new(s, "format", json_string(JF_BASE(f->type) == JF_DATE ? "date" : "date-time"));
        break;
    case JF_ENUM:
        json_object_set_new(s, "type", type_of("string", nul));
        json_object_set_new(s, "enum", enum_values(f->ext));
        break;
    case JF_CODE:
        json_object_set_new(s, "type", type_of("string", nul));
        json_object_set_new(s, "maxLength", json_integer(f->max));
        json_object_set_new(s, "x-code-list", json_string(f->ext));
        break;
    case JF_INT:
    case JF_MONEY:
    case JF_HOURS:
        json_object_set_new(s, "type", type_of("integer", nul));
        json_object_set_new(s, "minimum", json_integer(f->min));
        json_object_set_new(s, "maximum", json_integer(f->max));
        if (JF_BASE(f->type) != JF_INT)
            json_object_set_new(s, "format", json_string(JF_BASE(f->type) == JF_MONEY ? "money-fen" : "hours-hundredths"));
        break;
    case JF_ID:
        json_object_set_new(s, "type", type_of("integer", nul));
        json_object_set_new(s, "minimum", json_integer(1));
        json_object_set_new(s, "format", json_string("id"));
        break;
    case JF_BOOL:
        json_object_set_new(s, "type", json_string("boolean"));
        break;
    case JF_STR_ARRAY:
        json_object_set_new(s, "type", json_string("array"));
        json_object_set_new(s, "items", json_pack("{s:s,s:i,s:i}", "type", "string", "minLength", 1, "maxLength", 64));
        json_object_set_new(s, "minItems", json_integer(f->min));
        json_object_set_new(s, "maxItems", json_integer(f->max));
        break;
    }
    if (f->doc)
        json_object_set_new(s, "description", json_string(f->doc));
    return s;
}

static json_t *body_schema(const jfield *spec)
{
    json_t *props = json_object(), *required = json_array();
    for (const jfield *f = spec; f->name; f++) {
        json_object_set_new(props, f->name, field_schema(f));
        if (f->required)
            json_array_append_new(required, json_string(f->name));
    }
    return json_pack("{s:s,s:o,s:o,s:b}", "type", "object", "properties", props, "required", required,
                     "additionalProperties", 0);
}

static json_t *query_param(const qfield *q)
{
    json_t *s = json_object();
    switch (q->type) {
    case Q_INT:
        json_object_set_new(s, "type", json_string("integer"));
        json_object_set_new(s, "minimum", json_integer(q->min));
        json_object_set_new(s, "maximum", json_integer(q->max));
        break;
    case Q_ID:
        json_object_set_new(s, "type", json_string("integer"));
        json_object_set_new(s, "minimum", json_integer(1));
        json_object_set_new(s, "format", json_string("id"));
        break;
    case Q_BOOL:
        json_object_set_new(s, "type", json_string("boolean"));
        break;
    case Q_DATE:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("date"));
        break;
    case Q_ENUM:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "enum", enum_values(q->ext));
        break;
    case Q_CODE:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "x-code-list", json_string(q->ext));
        break;
    case Q_CODES:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "x-code-list", json_string(q->ext));
        json_object_set_new(s, "x-max-codes", json_integer(q->max));
        json_object_set_new(s, "description", json_string("comma-separated codes"));
        break;
    default:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "maxLength", json_integer(q->max));
    }
    return json_pack("{s:s,s:s,s:s,s:o}", "name", q->name, "in", "query", "description", q->doc ? q->doc : "",
                     "schema", s);
}

/* "/api/v1/users/{id}/x/{id}" -> "/api/v1/users/{id}/x/{id2}" */
static void doc_path(const char *pattern, char *out, size_t n, int *nids)
{
    size_t o = 0;
    *nids = 0;
    for (const char *p = pattern; *p && o + 8 < n;) {
        if (!strncmp(p, "{id}", 4)) {
            (*nids)++;
            o += (size_t)snprintf(out + o, n - o, *nids == 1 ? "{id}" : "{id%d}", *nids);
            p += 4;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

static const char *lower_method(int m)
{
    switch (m) {
    case M_GET: return "get";
    case M_POST: return "post";
    case M_PUT: return "put";
    case M_PATCH: return "patch";
    case M_DELETE: return "delete";
    default: return "get";
    }
}

static json_t *roles_doc(const route *rt)
{
    if (rt->flags & R_PUBLIC)
        return json_string("public");
    if (!rt->roles)
        return json_string("any logged-in user");
    json_t *a = the_api->hooks->roles_json(rt->roles);
    char *s = json_dumps(a, JSON_COMPACT);
    json_t *r = json_string(s);
    free(s);
    json_decref(a);
    return r;
}

static json_t *ref(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", path);
}

/* The 2xx response object of a route (see route.out in router.h). */
static json_t *response_doc(const route *rt)
{
    const char *out = rt->out;
    json_t *resp = json_pack("{s:s}", "description", rt->response ? rt->response : "OK");
    if (!out)
        return resp;
    if (!strcmp(out, "xlsx")) {
        json_object_set_new(resp, "content",
                            json_pack("{s:{s:{s:s,s:s}}}",
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "schema",
                                      "type", "string", "format", "binary"));
        return resp;
    }
    json_t *schema;
    if (!strncmp(out, "list:", 5))
        schema = json_pack("{s:s,s:{s:{s:s,s:o},s:{s:s},s:{s:s,s:s},s:{s:s},s:{s:s}},s:[s,s,s,s],s:b}", "type",
                           "object", "properties", "items", "type", "array", "items", ref(out + 5), "total", "type",
                           "integer", "total_exact", "type", "boolean", "description",
                           "false: more than total match (a list that stops counting at a cap)", "page", "type",
                           "integer", "page_size", "type", "integer", "required", "items", "total", "page",
                           "page_size", "additionalProperties", 0);
    else if (!strncmp(out, "items:", 6))
        schema = json_pack("{s:s,s:{s:{s:s,s:o}},s:[s],s:b}", "type", "object", "properties", "items", "type", "array",
                           "items", ref(out + 6), "required", "items", "additionalProperties", 0);
    else
        schema = ref(out);
    json_object_set_new(resp, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
    return resp;
}

/* components.schemas: every area's schemas (JSON text) merged; the error
 * envelope is the platform's own. */
static json_t *schemas_doc(void)
{
    json_t *all = json_pack(
        "{s:{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s,s:{s:s}}},s:[s,s]}},s:[s]}}", "Error", "type", "object",
        "properties", "error", "type", "object", "properties", "code", "type", "string", "message", "type", "string",
        "fields", "type", "object", "additionalProperties", "type", "string", "required", "code", "message",
        "required", "error");
    for (const http_area *const *ar = the_api->areas; *ar; ar++) {
        if (!(*ar)->schemas)
            continue;
        json_error_t je;
        json_t *o = json_loads((*ar)->schemas, 0, &je);
        if (!o || !json_is_object(o))
            gx_die("BUG: schemas of area %s: %s (line %d)", (*ar)->name, je.text, je.line);
        json_object_update(all, o);
        json_decref(o);
    }
    return all;
}

static json_t *audit_actions_doc(void)
{
    json_t *a = json_array();
    for (const http_area *const *ar = the_api->areas; *ar; ar++)
        for (const char *const *x = (*ar)->audit_actions; x && *x; x++)
            json_array_append_new(a, json_string(*x));
    return a;
}

static void build(void)
{
    json_t *paths = json_object();
    static const qfield paging[] = {
        {"page", Q_INT, 1, 1000000, "页码，从 1 开始"},
        {"page_size", Q_INT, 1, 200, "每页条数，默认 20"},
    };
    for (const http_area *const *ar = the_api->areas; *ar; ar++)
    for (const route *rt = (*ar)->routes; rt && rt->pattern; rt++) {
        char path[256];
        int nids;
        doc_path(rt->pattern, path, sizeof path, &nids);
        json_t *item = json_object_get(paths, path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, path, item);
        }
        json_t *params = json_array();
        for (int k = 1; k <= nids; k++) {
            char name[8];
            snprintf(name, sizeof name, k == 1 ? "id" : "id%d", k);
            json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s,s:i}}", "name", name, "in", "path",
                                                    "required", 1, "schema", "type", "integer", "minimum", 1));
        }
        for (const qfield *q = rt->query; q && q->name; q++)
            json_array_append_new(params, query_param(q));
        if (rt->flags & R_LIST)
            for (size_t k = 0; k < 2; k++)
                json_array_append_new(params, query_param(&paging[k]));
        json_t *op = json_object();
        json_object_set_new(op, "summary", json_string(rt->summary));
        json_object_set_new(op, "tags", json_pack("[s]", rt->tag));
        json_object_set_new(op, "x-roles", roles_doc(rt));
        if (rt->flags & R_SCOPED)
            json_object_set_new(op, "x-scoped", json_true());
        json_object_set_new(op, "parameters", params);
        if (rt->body)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json", "schema",
                                          body_schema(rt->body)));
        json_object_set_new(op, "responses",
                            json_pack("{s:o,s:{s:s,s:{s:{s:o}}}}", (rt->flags & R_CREATED) ? "201" : "200",
                                      response_doc(rt), "default", "description", "error", "content",
                                      "application/json", "schema", ref("Error")));
        if (!(rt->flags & R_PUBLIC))
            json_object_set_new(op, "security", json_pack("[{s:[]}]", "session"));
        json_object_set_new(item, lower_method(rt->method), op);
    }
    json_t *root = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:o,s:{s:{s:s,s:s,s:s}}},s:o}", "openapi", "3.1.0", "info", "title",
        "Ganxun 干部教育培训管理系统 API", "version", GX_VERSION, "description",
        "Conventions: docs/api.md. Writes need the X-CSRF-Token header of the session.", "servers", "url", "/",
        "paths", paths, "components", "schemas", schemas_doc(), "securitySchemes", "session", "type", "apiKey", "in",
        "cookie", "name", "gx_session", "x-audit-actions", audit_actions_doc());
    doc = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    doc_len = strlen(doc);
    json_decref(root);
}

const char *openapi_json(const http_api *api, size_t *len)
{
    the_api = api;
    pthread_once(&once, build);
    *len = doc_len;
    return doc;
}
