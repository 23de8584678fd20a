/* codes.c - code lists: national standards (read-only) and the managed
 * lists the organisation department edits (domains, unit types). Records
 * keep deactivated codes; new choices take active ones only. */
#include "org.h"
#include "../base/util.h"

#include <string.h>

const char *code_label(db *d, arena *a, const char *kind, const char *code)
{
    db_res *r = db_queryv(d, "SELECT label FROM code_items WHERE kind = ? AND code = ?", DS(kind), DS(code));
    if (!r)
        return NULL;
    const char *l = db_next(r) == 1 ? arena_strdup(a, db_text(r, 0)) : NULL;
    db_done(r);
    return l;
}

const char *code_resolve(db *d, arena *a, const char *kind, const char *text)
{
    db_res *r = db_queryv(d, "SELECT code FROM code_items WHERE kind = ? AND active = 1 AND (code = ? OR label = ?)",
                          DS(kind), DS(text), DS(text));
    if (!r)
        return NULL;
    const char *c = db_next(r) == 1 ? arena_strdup(a, db_text(r, 0)) : NULL;
    db_done(r);
    return c;
}

json_t *code_list(db *d, const char *kind, int all)
{
    db_res *r = db_queryv(d,
                          "SELECT code, label, active FROM code_items WHERE kind = ? AND active >= ? "
                          "ORDER BY sort_order, code",
                          DS(kind), DI(all ? 0 : 1));
    if (!r)
        return NULL;
    json_t *a = json_array();
    int rc;
    while ((rc = db_next(r)) == 1) {
        json_t *it = json_pack("{s:s,s:s}", "code", db_text(r, 0), "label", db_text(r, 1));
        if (all)
            json_object_set_new(it, "active", json_boolean(db_int(r, 2)));
        json_array_append_new(a, it);
    }
    db_done(r);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

int code_exists(db *d, const char *kind, const char *code)
{
    int64_t one = 0;
    return db_scalar(d, "SELECT 1 FROM code_items WHERE kind = ? AND code = ?", DB_ARGV(DS(kind), DS(code)), &one);
}

static const char *const kinds[] = {"gender",     "political", "ethnicity", "education",
                                    "rank_level", "unit_type", "domain",    "cadre_status"};

int codes_get(db *d, const char *kind, int all, json_t **out, gx_err *e)
{
    json_t *o = json_object();
    for (size_t i = 0; i < GX_ARRAY_LEN(kinds); i++) {
        if (kind && *kind && strcmp(kind, kinds[i]))
            continue;
        json_t *l = code_list(d, kinds[i], all);
        if (!l) {
            json_decref(o);
            return db_fail(d, e);
        }
        json_object_set_new(o, kinds[i], l);
    }
    if (kind && *kind && !json_object_size(o)) {
        json_decref(o);
        return gx_fail(e, GX_ENOTFOUND, "代码表不存在");
    }
    *out = o;
    return 0;
}

/* Managed lists (domains of responsibility, unit types) are edited by the
 * organisation department; national standards are not editable. */
int codes_put(db *d, const audit_actor *who, const code_item_in *in, json_t **out, gx_err *e)
{
    if (strcmp(in->kind, "domain") && strcmp(in->kind, "unit_type"))
        gx_field(e, "kind", "只能维护 domain（分管领域）和 unit_type（单位类型）；国家标准代码不可修改");
    for (const char *p = in->code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            gx_field(e, "code", "代码只能包含字母、数字和下划线");
            break;
        }
    if (e->code != GX_OK)
        return -1;
    if (db_begin(d))
        return db_fail(d, e);
    json_t *before = NULL;
    db_res *res = db_queryv(d, "SELECT label, sort_order, active FROM code_items WHERE kind = ? AND code = ?",
                            DS(in->kind), DS(in->code));
    if (!res)
        return db_fail(d, e);
    if (db_next(res) == 1)
        before = json_pack("{s:s,s:s,s:s,s:i,s:b}", "kind", in->kind, "code", in->code, "label", db_text(res, 0),
                           "sort_order", (int)db_int(res, 1), "active", (int)db_int(res, 2));
    db_done(res);
    int64_t sort = in->sort_order >= 0 ? in->sort_order
                   : before            ? json_integer_value(json_object_get(before, "sort_order"))
                                       : 100;
    int active = in->active >= 0 ? in->active : 1;
    int64_t n = before ? db_execv(d, "UPDATE code_items SET label = ?, sort_order = ?, active = ? WHERE kind = ? AND code = ?",
                                  DS(in->label), DI(sort), DI(active), DS(in->kind), DS(in->code))
                       : db_execv(d, "INSERT INTO code_items (kind, code, label, sort_order, active) VALUES (?, ?, ?, ?, ?)",
                                  DS(in->kind), DS(in->code), DS(in->label), DI(sort), DI(active));
    if (n != 1) {
        json_decref(before);
        if (db_errcode(d) != DB_ECONSTRAINT)
            return db_fail(d, e);
        db_rollback(d);
        gx_fail(e, GX_ECONFLICT, "同一代码表中已有同名项");
        gx_field(e, "label", "同一代码表中已有同名项");
        e->code = GX_ECONFLICT;
        return -1;
    }
    json_t *after = json_pack("{s:s,s:s,s:s,s:I,s:b}", "kind", in->kind, "code", in->code, "label", in->label,
                              "sort_order", (json_int_t)sort, "active", active);
    int arc = audit_append(d, who, "code.put", "code_item", 0, before, after);
    json_decref(before);
    if (arc || db_commit(d)) {
        json_decref(after);
        return db_fail(d, e);
    }
    *out = after;
    return 0;
}
