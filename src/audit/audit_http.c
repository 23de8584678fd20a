#include "audit.h"
#include "../account/account.h"
#include "../area.h"
#include "../base/buf.h"
#include "../base/util.h"

#include <stdio.h>
#include <string.h>

static const qfield audit_query[] = {
    {"actor", Q_STR, 0, 64, "操作人用户名（精确匹配）"},
    {"action", Q_STR, 0, 64, "操作类型前缀，如 user."},
    {"entity", Q_STR, 0, 64, "对象类型"},
    {"entity_id", Q_INT, 1, INT64_MAX, "对象编号"},
    {"from", Q_INT, 0, INT64_MAX, "起始时间（秒）"},
    {"to", Q_INT, 0, INT64_MAX, "截止时间（秒）"},
    {0},
};

static json_t *parsed(const char *s, int isnull)
{
    if (isnull)
        return json_null();
    json_t *v = json_loads(s, 0, NULL);
    return v ? v : json_string(s);
}

/* Prefix pattern for LIKE with % and _ escaped. */
static char *prefix_pattern(arena *a, const char *s)
{
    size_t n = strlen(s);
    char *p = arena_alloc(a, 2 * n + 2);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
            p[o++] = '\\';
        p[o++] = s[i];
    }
    p[o++] = '%';
    p[o] = 0;
    return p;
}

static void h_audit_list(req *r)
{
    buf where = BUF_INIT(1024);
    db_arg args[10];
    int n = 0;
    const parsed_uri *u = &r->uri;
    const char *v;
    buf_puts(&where, " WHERE 1 = 1");
    if ((v = query_str(u, "actor")) && *v) {
        buf_puts(&where, " AND actor = ?");
        args[n++] = DS(v);
    }
    if ((v = query_str(u, "action")) && *v) {
        buf_puts(&where, " AND action LIKE ? ESCAPE '\\'");
        args[n++] = DS(prefix_pattern(r->a, v));
    }
    if ((v = query_str(u, "entity")) && *v) {
        buf_puts(&where, " AND entity = ?");
        args[n++] = DS(v);
    }
    if (query_str(u, "entity_id")) {
        buf_puts(&where, " AND entity_id = ?");
        args[n++] = DI(query_int(u, "entity_id", 0));
    }
    if (query_str(u, "from")) {
        buf_puts(&where, " AND at >= ?");
        args[n++] = DI(query_int(u, "from", 0));
    }
    if (query_str(u, "to")) {
        buf_puts(&where, " AND at <= ?");
        args[n++] = DI(query_int(u, "to", 0));
    }
    int64_t page, size, total;
    req_paging(r, &page, &size);
    char sql[1600];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log%s", where.data);
    if (db_scalar(r->db, sql, args, n, &total) < 0) {
        buf_free(&where);
        reply_db_error(r);
        return;
    }
    snprintf(sql, sizeof sql,
             "SELECT id, at, actor_id, actor, ip, action, entity, entity_id, before_json, after_json "
             "FROM audit_log%s ORDER BY id DESC LIMIT ? OFFSET ?",
             where.data);
    buf_free(&where);
    args[n++] = DI(size);
    args[n++] = DI((page - 1) * size);
    db_res *res = db_query(r->db, sql, args, n);
    if (!res) {
        reply_db_error(r);
        return;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = db_next(res)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_int(res, 0)));
        json_object_set_new(o, "at", json_integer(db_int(res, 1)));
        json_object_set_new(o, "actor_id", db_isnull(res, 2) ? json_null() : json_integer(db_int(res, 2)));
        json_object_set_new(o, "actor", json_string(db_text(res, 3)));
        json_object_set_new(o, "ip", json_string(db_text(res, 4)));
        json_object_set_new(o, "action", json_string(db_text(res, 5)));
        json_object_set_new(o, "entity", json_string(db_text(res, 6)));
        json_object_set_new(o, "entity_id", db_isnull(res, 7) ? json_null() : json_integer(db_int(res, 7)));
        json_object_set_new(o, "before", parsed(db_text(res, 8), db_isnull(res, 8)));
        json_object_set_new(o, "after", parsed(db_text(res, 9), db_isnull(res, 9)));
        json_array_append_new(items, o);
    }
    db_done(res);
    if (rc < 0) {
        json_decref(items);
        reply_db_error(r);
        return;
    }
    reply_list(r, items, total, page, size);
}

static void h_audit_verify(req *r)
{
    audit_check c;
    if (audit_verify(r->db, &c)) {
        reply_db_error(r);
        return;
    }
    json_t *o = json_pack("{s:b,s:I}", "ok", c.ok, "checked", (json_int_t)c.checked);
    if (!c.ok) {
        json_object_set_new(o, "first_bad_id", json_integer(c.first_bad_id));
        json_object_set_new(o, "reason", json_string(c.reason));
    }
    reply_json(r, 200, o);
}

/* --- the area --- */

static const char schemas[] = JSON_TEXT({
    "AuditEntry": {"type": "object", "additionalProperties": false,
                   "required": ["id", "at", "actor_id", "actor", "ip", "action", "entity", "entity_id", "before",
                                "after"],
                   "properties": {
                       "id": {"type": "integer"}, "at": {"type": "integer", "description": "Unix seconds"},
                       "actor_id": {"type": ["integer", "null"]}, "actor": {"type": "string"},
                       "ip": {"type": "string"}, "action": {"type": "string", "description": "one of x-audit-actions"},
                       "entity": {"type": "string"}, "entity_id": {"type": ["integer", "null"]},
                       "before": {"description": "the record before the change (JSON), or null"},
                       "after": {"description": "the record after the change (JSON), or null"}}},
    "AuditVerify": {"type": "object", "additionalProperties": false, "required": ["ok", "checked"],
                    "properties": {"ok": {"type": "boolean"}, "checked": {"type": "integer"},
                                   "first_bad_id": {"type": "integer"}, "reason": {"type": "string"}}}
});

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_GET, "/api/v1/audit", ROLE_AUDITOR, R_LIST, h_audit_list, NULL, audit_query, 0, "audit", "审计日志", "list of entries, newest first", "list:AuditEntry"},
    {M_GET, "/api/v1/audit/verify", ROLE_AUDITOR, 0, h_audit_verify, NULL, NULL, 0, "audit", "校验审计日志哈希链", "ok, checked[, first_bad_id, reason]", "AuditVerify"},
    {0},
};

const area audit_area = {{"audit", routes, schemas, NULL}, NULL};
