/* limits.c - young-cadre age limits per rank level: data with effective
 * dates. A new rule closes the one in force on its start date, so history
 * keeps the rule that applied at any earlier date. */
#include "cadre.h"
#include "../base/util.h"

#include <string.h>

static json_t *limit_row(db_res *r)
{
    return json_pack("{s:I,s:s,s:i,s:s,s:o}", "id", (json_int_t)db_int(r, 0), "rank_level", db_text(r, 1), "max_age",
                     (int)db_int(r, 2), "effective_from", db_text(r, 3), "effective_to",
                     db_isnull(r, 4) ? json_null() : json_string(db_text(r, 4)));
}

int young_limits_list(db *d, json_t **items, gx_err *e)
{
    db_res *res = db_queryv(d,
                            "SELECT id, rank_level, max_age, effective_from, effective_to FROM young_age_limits "
                            "WHERE id > ? ORDER BY rank_level, effective_from",
                            DI(0));
    if (!res)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(res)) == 1)
        json_array_append_new(*items, limit_row(res));
    db_done(res);
    if (rc < 0) {
        json_decref(*items);
        return db_fail(d, e);
    }
    return 0;
}

int young_limits_add(db *d, const audit_actor *who, const char *rank, int64_t max_age, const char *from, json_t **out,
                     gx_err *e)
{
    if (db_begin(d))
        return db_fail(d, e);
    int64_t later = 0;
    if (db_scalar(d, "SELECT COUNT(*) FROM young_age_limits WHERE rank_level = ? AND effective_from >= ?",
                  DB_ARGV(DS(rank), DS(from)), &later) < 0)
        return db_fail(d, e);
    if (later) {
        db_rollback(d);
        gx_field(e, "effective_from", "生效日期须晚于该职级现有规则的生效日期");
        return -1;
    }
    db_res *res;
    if (db_execv(d, "UPDATE young_age_limits SET effective_to = ? WHERE rank_level = ? AND effective_to IS NULL",
                 DS(from), DS(rank)) < 0 ||
        !(res = db_queryv(d,
                          "INSERT INTO young_age_limits (rank_level, max_age, effective_from) VALUES (?, ?, ?) "
                          "RETURNING id, rank_level, max_age, effective_from, effective_to",
                          DS(rank), DI(max_age), DS(from))))
        return db_fail(d, e);
    *out = db_next(res) == 1 ? limit_row(res) : NULL;
    db_done(res);
    if (!*out)
        return db_fail(d, e);
    if (audit_append(d, who, "cadre.young_limit", "young_age_limit", json_integer_value(json_object_get(*out, "id")),
                     NULL, *out) ||
        db_commit(d)) {
        json_decref(*out);
        *out = NULL;
        return db_fail(d, e);
    }
    return 0;
}
