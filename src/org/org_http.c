#include "org_http.h"

void h_units_list(req *r)
{
    int64_t page, size, total;
    req_paging(r, &page, &size);
    if (db_scalar(r->db, "SELECT COUNT(*) FROM units", NULL, 0, &total) < 0) {
        reply_db_error(r);
        return;
    }
    db_res *res = db_queryv(r->db,
                            "SELECT id, code, name, parent_id, version FROM units "
                            "ORDER BY sort_order, id LIMIT ? OFFSET ?",
                            DI(size), DI((page - 1) * size));
    if (!res) {
        reply_db_error(r);
        return;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = db_next(res)) == 1) {
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:I}", "id", (json_int_t)db_int(res, 0), "code",
                                               db_text(res, 1), "name", db_text(res, 2), "parent_id",
                                               db_isnull(res, 3) ? json_null() : json_integer(db_int(res, 3)),
                                               "version", (json_int_t)db_int(res, 4)));
    }
    db_done(res);
    if (rc < 0) {
        json_decref(items);
        reply_db_error(r);
        return;
    }
    reply_list(r, items, total, page, size);
}
