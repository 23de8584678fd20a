/* response.c - the reply functions handlers call (see http.h). */
#include "http.h"
#include "router.h"
#include "../base/util.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_json(req *r, int status, json_t *v)
{
    if (r->replied) {
        log_error("BUG: second reply to %s %s", method_name(r->method), r->raw_uri);
        json_decref(v);
        return;
    }
    r->replied = 1;
    r->status = status;
    r->out = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    r->out_len = r->out ? strlen(r->out) : 0;
    r->out_type = "application/json; charset=utf-8";
    json_decref(v);
}

void reply_err(req *r, gx_err *e)
{
    if (e->code == GX_OK)
        gx_fail(e, GX_EINTERNAL, NULL);
    reply_json(r, gx_err_status(e->code), gx_err_json(e));
    gx_err_clear(e);
}

void reply_code(req *r, gx_code code, const char *msg)
{
    gx_err e = GX_ERR_INIT;
    gx_fail(&e, code, msg);
    reply_err(r, &e);
}

void reply_result(req *r, int rc, gx_err *e, int status, json_t *out)
{
    if (rc) {
        json_decref(out);
        reply_err(r, e);
    } else {
        reply_json(r, status, out);
    }
}

void reply_list(req *r, json_t *items, int64_t total, int64_t page, int64_t page_size)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "page_size", json_integer(page_size));
    reply_json(r, 200, o);
}

void reply_db_error(req *r)
{
    if (r->db && db_errcode(r->db) == DB_ECONN) {
        log_error("database unavailable: %s", db_errmsg(r->db));
        reply_code(r, GX_EUNAVAIL, NULL);
        return;
    }
    log_error("database error on %s %s: %s", method_name(r->method), r->raw_uri,
              r->db ? db_errmsg(r->db) : "no connection");
    reply_code(r, GX_EINTERNAL, NULL);
}

void req_paging(req *r, int64_t *page, int64_t *page_size)
{
    *page = query_int(&r->uri, "page", 1);
    *page_size = query_int(&r->uri, "page_size", 20);
}

const char *req_header(req *r, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_HEADER_KIND, name);
}

void req_body(req *r, void *out) { body_bind(r->json, r->route->body, out); }

void req_query(req *r, void *out) { query_bind(&r->uri, r->route->query, out); }

gx_actor req_who(const req *r)
{
    gx_actor a = {r->user.id, r->user.id ? r->user.username : "-", r->ip};
    return a;
}

void reply_session_cookie(req *r, const char *token)
{
    const char *secure = r->tls ? "; Secure" : "";
    size_t n = 160;
    r->set_cookie = arena_alloc(r->a, n);
    if (token)
        snprintf(r->set_cookie, n, "gx_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token, secure);
    else
        snprintf(r->set_cookie, n, "gx_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", secure);
}

void reply_bytes(req *r, int status, char *data, size_t len, const char *type, const char *filename)
{
    if (r->replied) {
        free(data);
        return;
    }
    r->replied = 1;
    r->status = status;
    r->out = data;
    r->out_len = len;
    r->out_type = type;
    if (filename) {
        /* RFC 6266 / 5987: filename*=UTF-8''percent-encoded */
        size_t n = strlen(filename);
        char *cd = arena_alloc(r->a, 64 + 3 * n);
        size_t o = (size_t)snprintf(cd, 64, "attachment; filename=\"export.xlsx\"; filename*=UTF-8''");
        static const char hex[] = "0123456789ABCDEF";
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)filename[i];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                c == '_') {
                cd[o++] = (char)c;
            } else {
                cd[o++] = '%';
                cd[o++] = hex[c >> 4];
                cd[o++] = hex[c & 15];
            }
        }
        cd[o] = 0;
        r->disposition = cd;
    }
}
