/* policy.c - the security policy, a single row the security administrator
 * edits. Sessions copy their limits from it when they start. */
#include "users.h"
#include "../base/util.h"

int policy_load(db *d, sec_policy *p, gx_err *e)
{
    db_res *r = db_queryv(d,
                          "SELECT password_min_length, lock_threshold, lock_minutes, session_idle_minutes, "
                          "session_max_hours, version, import_max_rows_liaison, lookup_limit_per_minute FROM security_policy "
                          "WHERE id = ?",
                          DI(1));
    if (!r || db_next(r) != 1) {
        db_done(r);
        log_error("cannot read the security policy: %s", db_errmsg(d));
        return gx_fail(e, db_errcode(d) == DB_ECONN ? GX_EUNAVAIL : GX_EINTERNAL, NULL);
    }
    p->password_min_length = (int)db_int(r, 0);
    p->lock_threshold = (int)db_int(r, 1);
    p->lock_minutes = (int)db_int(r, 2);
    p->session_idle_minutes = (int)db_int(r, 3);
    p->session_max_hours = (int)db_int(r, 4);
    p->version = db_int(r, 5);
    p->import_max_rows_liaison = (int)db_int(r, 6);
    p->lookup_limit_per_minute = (int)db_int(r, 7);
    db_done(r);
    return 0;
}

json_t *policy_json(const sec_policy *p)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:I}", "password_min_length", p->password_min_length,
                     "lock_threshold", p->lock_threshold, "lock_minutes", p->lock_minutes, "session_idle_minutes",
                     p->session_idle_minutes, "session_max_hours", p->session_max_hours, "import_max_rows_liaison",
                     p->import_max_rows_liaison, "lookup_limit_per_minute", p->lookup_limit_per_minute, "version",
                     (json_int_t)p->version);
}

int policy_save(db *d, const audit_actor *who, const sec_policy *in, sec_policy *out, gx_err *e)
{
    sec_policy cur;
    if (db_begin(d))
        return gx_fail(e, GX_EUNAVAIL, NULL);
    if (policy_load(d, &cur, e)) {
        db_rollback(d);
        return -1;
    }
    if (cur.version != in->version) {
        db_rollback(d);
        return gx_fail(e, GX_EVERSION, NULL);
    }
    if (db_execv(d,
                 "UPDATE security_policy SET password_min_length = ?, lock_threshold = ?, lock_minutes = ?, "
                 "session_idle_minutes = ?, session_max_hours = ?, import_max_rows_liaison = ?, "
                 "lookup_limit_per_minute = ?, version = version + 1 WHERE id = ? AND version = ?",
                 DI(in->password_min_length), DI(in->lock_threshold), DI(in->lock_minutes),
                 DI(in->session_idle_minutes), DI(in->session_max_hours),
                 DI(in->import_max_rows_liaison ? in->import_max_rows_liaison : cur.import_max_rows_liaison),
                 DI(in->lookup_limit_per_minute ? in->lookup_limit_per_minute : cur.lookup_limit_per_minute), DI(1),
                 DI(in->version)) != 1 ||
        policy_load(d, out, e)) {
        db_rollback(d);
        return e->code ? -1 : gx_fail(e, GX_EINTERNAL, NULL);
    }
    json_t *before = policy_json(&cur), *after = policy_json(out);
    int rc = audit_append(d, who, "security.policy", "security_policy", 1, before, after);
    json_decref(before);
    json_decref(after);
    if (rc || db_commit(d)) {
        db_rollback(d);
        return gx_fail(e, GX_EINTERNAL, NULL);
    }
    return 0;
}
