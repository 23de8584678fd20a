/* org_http.c - thin handlers for units and code lists. */
#include "org_http.h"
#include "org.h"
#include "../base/idcard.h"
#include "../base/util.h"

#include <stdio.h>

#include <string.h>

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) json_integer_value(json_object_get((o), (k)))

const jfield unit_create_body[] = {
    {"code", JF_STR, 1, 1, 32, "单位代码（唯一）"},
    {"name", JF_STR, 1, 1, 64, "单位全称"},
    {"short_name", JF_STR, 0, 0, 32, "简称"},
    {"parent_id", JF_INT_NULL, 0, 1, INT64_MAX, "上级单位"},
    {"type", JF_STR, 0, 0, 32, "单位类型代码（代码表 unit_type）"},
    {"division_code", JF_STR, 0, 0, 6, "行政区划代码（GB/T 2260）"},
    {"sort_order", JF_INT, 0, -1000000, 1000000, "排序号"},
    {"active", JF_BOOL, 0, 0, 0, "是否启用"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield unit_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"code", JF_STR, 0, 1, 32, "单位代码"},
    {"name", JF_STR, 0, 1, 64, "单位全称"},
    {"short_name", JF_STR, 0, 0, 32, "简称"},
    {"type", JF_STR, 0, 0, 32, "单位类型代码"},
    {"division_code", JF_STR, 0, 0, 6, "行政区划代码"},
    {"sort_order", JF_INT, 0, -1000000, 1000000, "排序号"},
    {"active", JF_BOOL, 0, 0, 0, "是否启用"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield unit_move_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"parent_id", JF_INT, 1, 1, INT64_MAX, "新的上级单位"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield unit_merge_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "被合并单位读取时的版本号"},
    {"into_id", JF_INT, 1, 1, INT64_MAX, "并入的单位"},
    {"date", JF_STR, 0, 10, 10, "合并日期 YYYY-MM-DD（默认今天）"},
    {NULL, 0, 0, 0, 0, NULL},
};

const qfield units_query[] = {
    {"q", Q_STR, 0, 64, "名称、简称或代码包含"},
    {"parent_id", Q_INT, 1, INT64_MAX, "直接上级"},
    {"within", Q_INT, 1, INT64_MAX, "某单位及其下级"},
    {"type", Q_STR, 0, 32, "单位类型代码"},
    {"active", Q_BOOL, 0, 0, "是否启用"},
    {NULL, 0, 0, 0, NULL},
};

const jfield code_put_body[] = {
    {"kind", JF_STR, 1, 1, 32, "代码表：domain（分管领域）或 unit_type（单位类型）"},
    {"code", JF_STR, 1, 1, 16, "代码（字母、数字、下划线）"},
    {"label", JF_STR, 1, 1, 32, "名称"},
    {"sort_order", JF_INT, 0, 0, 10000, "排序号"},
    {"active", JF_BOOL, 0, 0, 0, "是否启用（停用的代码不能再选用，已有记录保留）"},
    {NULL, 0, 0, 0, 0, NULL},
};

const qfield codes_query[] = {
    {"kind", Q_STR, 0, 32, "代码表名称；省略时返回全部"},
    {"all", Q_BOOL, 0, 0, "true 时包括已停用的项（带 active），用于显示已有记录"},
    {NULL, 0, 0, 0, NULL},
};

int req_scope(req *r, scope *s)
{
    gx_err e = GX_ERR_INIT;
    if (scope_of(r->db, r->a, &r->sess->user, s, &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

void h_units_list(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    unit_filter f = {0};
    f.q = query_str(&r->uri, "q");
    f.parent_id = query_int(&r->uri, "parent_id", 0);
    f.within = query_int(&r->uri, "within", 0);
    f.type = query_str(&r->uri, "type");
    f.active = query_bool(&r->uri, "active");
    req_paging(r, &f.page, &f.page_size);
    json_t *items;
    int64_t total;
    gx_err e = GX_ERR_INIT;
    if (units_list(r->db, r->a, &s, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

void h_units_tree(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *tree = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = units_tree(r->db, r->a, &s, &tree, &e);
    reply_result(r, rc, &e, 200, rc ? NULL : json_pack("{s:o}", "items", tree));
}

void h_units_get(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    int rc = units_get(r->db, r->a, &s, r->ids[0], &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_units_create(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *b = r->json, *act = json_object_get(b, "active");
    unit_in in = {
        .code = S(b, "code"),
        .name = S(b, "name"),
        .short_name = S(b, "short_name"),
        .parent_id = I(b, "parent_id"),
        .type = S(b, "type"),
        .division_code = S(b, "division_code"),
        .sort_order = (int)I(b, "sort_order"),
        .active = act ? json_is_true(act) : 1,
    };
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_create(r->db, r->a, &s, &who, &in, &out, &e);
    reply_result(r, rc, &e, 201, out);
}

void h_units_patch(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *b = r->json, *act = json_object_get(b, "active");
    unit_patch p = {
        .version = I(b, "version"),
        .code = S(b, "code"),
        .name = S(b, "name"),
        .short_name = S(b, "short_name"),
        .type = S(b, "type"),
        .division_code = S(b, "division_code"),
        .has_sort = json_object_get(b, "sort_order") != NULL,
        .sort_order = (int)I(b, "sort_order"),
        .active = act ? json_is_true(act) : -1,
    };
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_update(r->db, r->a, &s, &who, r->ids[0], &p, &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_units_move(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    int rc = units_move(r->db, r->a, &s, &who, r->ids[0], I(r->json, "version"), I(r->json, "parent_id"), &out, &e);
    reply_result(r, rc, &e, 200, out);
}

void h_units_merge(req *r)
{
    scope s;
    if (req_scope(r, &s))
        return;
    const char *date = S(r->json, "date");
    gx_err e = GX_ERR_INIT;
    if (date) {
        int y, m, dd;
        char tail;
        if (sscanf(date, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || !date_valid(y, m, dd)) {
            gx_field(&e, "date", "日期格式应为 YYYY-MM-DD");
            reply_err(r, &e);
            return;
        }
    } else {
        char *t = arena_alloc(r->a, 11);
        gx_today(t);
        date = t;
    }
    json_t *out = NULL;
    audit_actor who = req_who(r);
    int rc = units_merge(r->db, r->a, &s, &who, r->ids[0], I(r->json, "version"), I(r->json, "into_id"), date, &out,
                         &e);
    reply_result(r, rc, &e, 200, out);
}

void h_codes(req *r)
{
    static const char *kinds[] = {"gender",     "political", "ethnicity", "education",
                                  "rank_level", "unit_type", "domain",    "cadre_status"};
    const char *kind = query_str(&r->uri, "kind");
    json_t *o = json_object();
    for (size_t i = 0; i < GX_ARRAY_LEN(kinds); i++) {
        if (kind && *kind && strcmp(kind, kinds[i]))
            continue;
        json_t *l = code_list(r->db, kinds[i], query_bool(&r->uri, "all") == 1);
        if (!l) {
            json_decref(o);
            reply_db_error(r);
            return;
        }
        json_object_set_new(o, kinds[i], l);
    }
    if (kind && *kind && !json_object_size(o)) {
        json_decref(o);
        reply_code(r, GX_ENOTFOUND, "代码表不存在");
        return;
    }
    reply_json(r, 200, o);
}

/* Managed lists (domains of responsibility, unit types) are edited by the
 * organisation department; national standards are not editable. */
void h_codes_put(req *r)
{
    const char *kind = json_string_value(json_object_get(r->json, "kind"));
    const char *code = json_string_value(json_object_get(r->json, "code"));
    const char *label = json_string_value(json_object_get(r->json, "label"));
    json_t *so = json_object_get(r->json, "sort_order"), *act = json_object_get(r->json, "active");
    gx_err e = GX_ERR_INIT;
    if (strcmp(kind, "domain") && strcmp(kind, "unit_type"))
        gx_field(&e, "kind", "只能维护 domain（分管领域）和 unit_type（单位类型）；国家标准代码不可修改");
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            gx_field(&e, "code", "代码只能包含字母、数字和下划线");
            break;
        }
    if (e.code != GX_OK) {
        reply_err(r, &e);
        return;
    }
    if (db_begin(r->db)) {
        reply_db_error(r);
        return;
    }
    json_t *before = NULL;
    db_res *res = db_queryv(r->db, "SELECT label, sort_order, active FROM code_items WHERE kind = ? AND code = ?",
                            DS(kind), DS(code));
    if (!res)
        goto dbfail;
    if (db_next(res) == 1)
        before = json_pack("{s:s,s:s,s:s,s:i,s:b}", "kind", kind, "code", code, "label", db_text(res, 0), "sort_order",
                           (int)db_int(res, 1), "active", (int)db_int(res, 2));
    db_done(res);
    int sort = so ? (int)json_integer_value(so) : before ? (int)json_integer_value(json_object_get(before, "sort_order")) : 100;
    int active = act ? json_is_true(act) : 1;
    int64_t n = before ? db_execv(r->db, "UPDATE code_items SET label = ?, sort_order = ?, active = ? WHERE kind = ? AND code = ?",
                                  DS(label), DI(sort), DI(active), DS(kind), DS(code))
                       : db_execv(r->db, "INSERT INTO code_items (kind, code, label, sort_order, active) VALUES (?, ?, ?, ?, ?)",
                                  DS(kind), DS(code), DS(label), DI(sort), DI(active));
    if (n != 1) {
        int dup = db_errcode(r->db) == DB_ECONSTRAINT;
        json_decref(before);
        if (!dup)
            goto dbfail;
        db_rollback(r->db);
        gx_fail(&e, GX_ECONFLICT, "同一代码表中已有同名项");
        e.fields = json_pack("{s:s}", "label", "同一代码表中已有同名项");
        reply_err(r, &e);
        return;
    }
    json_t *after = json_pack("{s:s,s:s,s:s,s:i,s:b}", "kind", kind, "code", code, "label", label, "sort_order", sort,
                              "active", active);
    audit_actor who = req_who(r);
    int arc = audit_append(r->db, &who, "code.put", "code_item", 0, before, after);
    json_decref(before);
    if (arc || db_commit(r->db)) {
        json_decref(after);
        goto dbfail;
    }
    reply_json(r, 200, after);
    return;
dbfail:
    if (db_in_tx(r->db))
        db_rollback(r->db);
    reply_db_error(r);
}
