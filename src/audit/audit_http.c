#include "audit_http.h"

const qfield audit_query[] = {
    {"actor", Q_STR, 0, 64, "操作人用户名（精确匹配）"},
    {"action", Q_STR, 0, 64, "操作类型前缀，如 user."},
    {"entity", Q_STR, 0, 64, "对象类型"},
    {"entity_id", Q_INT, 1, INT64_MAX, "对象编号"},
    {"from", Q_INT, 0, INT64_MAX, "起始时间（秒）"},
    {"to", Q_INT, 0, INT64_MAX, "截止时间（秒）"},
    {NULL, 0, 0, 0, NULL},
};

void h_audit_list(req *r)
{
    const parsed_uri *u = &r->uri;
    audit_filter f = {
        .actor = query_str(u, "actor"),
        .action = query_str(u, "action"),
        .entity = query_str(u, "entity"),
        .entity_id = query_int(u, "entity_id", 0),
        .from = query_int(u, "from", -1),
        .to = query_int(u, "to", -1),
    };
    req_paging(r, &f.page, &f.page_size);
    json_t *items = NULL;
    int64_t total = 0;
    gx_err e = GX_ERR_INIT;
    if (audit_list(r->db, r->a, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

void h_audit_verify(req *r)
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
