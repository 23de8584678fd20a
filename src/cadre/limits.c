/* limits.c - young-cadre age limits per rank level: data with effective
 * dates. A new rule closes the one in force on its start date, so history
 * keeps the rule that applied at any earlier date. */
#include "cadre_http.h"
#include "cadre.h"
#include "../base/idcard.h"
#include "../base/util.h"

#include <string.h>

const jfield young_limit_body[] = {
    {"rank_level", JF_STR, 1, 1, 16, "职务职级代码"},
    {"max_age", JF_INT, 1, 18, 70, "优秀年轻干部年龄上限（周岁，含）"},
    {"effective_from", JF_STR, 1, 10, 10, "生效日期 YYYY-MM-DD"},
    {NULL, 0, 0, 0, 0, NULL},
};

static json_t *limit_row(db_res *r)
{
    return json_pack("{s:I,s:s,s:i,s:s,s:o}", "id", (json_int_t)db_int(r, 0), "rank_level", db_text(r, 1), "max_age",
                     (int)db_int(r, 2), "effective_from", db_text(r, 3), "effective_to",
                     db_isnull(r, 4) ? json_null() : json_string(db_text(r, 4)));
}

void h_young_limits_list(req *r)
{
    db_res *res = db_queryv(r->db,
                            "SELECT id, rank_level, max_age, effective_from, effective_to FROM young_age_limits "
                            "WHERE id > ? ORDER BY rank_level, effective_from",
                            DI(0));
    if (!res) {
        reply_db_error(r);
        return;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = db_next(res)) == 1)
        json_array_append_new(items, limit_row(res));
    db_done(res);
    if (rc < 0) {
        json_decref(items);
        reply_db_error(r);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_young_limits_add(req *r)
{
    const char *rank = json_string_value(json_object_get(r->json, "rank_level"));
    const char *from = json_string_value(json_object_get(r->json, "effective_from"));
    int64_t max_age = json_integer_value(json_object_get(r->json, "max_age"));
    gx_err e = GX_ERR_INIT;
    if (!code_label(r->db, r->a, "rank_level", rank))
        gx_field(&e, "rank_level", "职务职级不在代码表中");
    if (!date_text_valid(from))
        gx_field(&e, "effective_from", "日期格式应为 YYYY-MM-DD");
    if (e.code != GX_OK) {
        reply_err(r, &e);
        return;
    }
    if (db_begin(r->db)) {
        reply_db_error(r);
        return;
    }
    int64_t later = 0;
    if (db_scalar(r->db, "SELECT COUNT(*) FROM young_age_limits WHERE rank_level = ? AND effective_from >= ?",
                  DB_ARGV(DS(rank), DS(from)), &later) < 0)
        goto dbfail;
    if (later) {
        db_rollback(r->db);
        gx_field(&e, "effective_from", "生效日期须晚于该职级现有规则的生效日期");
        reply_err(r, &e);
        return;
    }
    db_res *res;
    if (db_execv(r->db,
                 "UPDATE young_age_limits SET effective_to = ? WHERE rank_level = ? AND effective_to IS NULL",
                 DS(from), DS(rank)) < 0 ||
        !(res = db_queryv(r->db,
                          "INSERT INTO young_age_limits (rank_level, max_age, effective_from) VALUES (?, ?, ?) "
                          "RETURNING id, rank_level, max_age, effective_from, effective_to",
                          DS(rank), DI(max_age), DS(from))))
        goto dbfail;
    json_t *out = db_next(res) == 1 ? limit_row(res) : NULL;
    db_done(res);
    if (!out)
        goto dbfail;
    audit_actor who = req_who(r);
    if (audit_append(r->db, &who, "cadre.young_limit", "young_age_limit", json_integer_value(json_object_get(out, "id")),
                     NULL, out) ||
        db_commit(r->db)) {
        json_decref(out);
        goto dbfail;
    }
    reply_json(r, 201, out);
    return;
dbfail:
    if (db_in_tx(r->db))
        db_rollback(r->db);
    reply_db_error(r);
}
