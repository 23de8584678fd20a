/* lookups.c - the budget of exact identifier lookups per account.
 *
 * A masked phone (152****8682) leaves 10,000 candidates; an answer that says
 * whether one given number exists would let a caller walk them. Every such
 * answer is charged here first: at most the policy's lookup_limit_per_minute
 * per account and minute, each audited, the first refusal of a minute
 * audited too, so the auditor can list who reached the limit. The budget
 * lives in the database (several server processes share it). */
#include "account.h"
#include "../audit/audit.h"
#include "../base/util.h"

#include <stdio.h>

int lookup_charge(db *d, const gx_actor *who, const char *kind, const char *where, int64_t n, gx_err *e)
{
    if (n <= 0 || who->id <= 0)
        return 0;
    sec_policy pol;
    if (policy_load(d, &pol, e))
        return -1;
    int64_t now = gx_now(), minute = now / 60, used = 0;
    if (db_begin(d))
        return db_fail(d, e);
    /* one statement: concurrent requests of the same account queue on the row */
    if (db_execv(d,
                 "INSERT INTO lookup_budget (user_id, minute, used) VALUES (?, ?, ?) "
                 "ON CONFLICT (user_id) DO UPDATE SET used = CASE WHEN lookup_budget.minute = excluded.minute "
                 "THEN lookup_budget.used + excluded.used ELSE excluded.used END, minute = excluded.minute",
                 DI(who->id), DI(minute), DI(n)) != 1 ||
        db_scalar(d, "SELECT used FROM lookup_budget WHERE user_id = ?", DB_ARGV(DI(who->id)), &used) != 1)
        return db_fail(d, e);
    int over = used > pol.lookup_limit_per_minute;
    json_t *what = json_pack("{s:s,s:s,s:I,s:I,s:i}", "kind", kind, "where", where, "count", (json_int_t)n,
                             "used_this_minute", (json_int_t)used, "limit", pol.lookup_limit_per_minute);
    /* the first refusal of the minute is the one the auditor lists */
    int first_refusal = over && used - n <= pol.lookup_limit_per_minute;
    int rc = 0;
    if (!over)
        rc = audit_append(d, who, "cadre.lookup", "user", who->id, NULL, what);
    else if (first_refusal)
        rc = audit_append(d, who, "cadre.lookup_limited", "user", who->id, NULL, what);
    json_decref(what);
    if (rc || db_commit(d))
        return db_fail(d, e);
    if (!over)
        return 0;
    char msg[160];
    snprintf(msg, sizeof msg, "按身份证号或电话精确查询过于频繁（每分钟最多 %d 次），请稍后再试",
             pol.lookup_limit_per_minute);
    gx_fail(e, GX_ETHROTTLED, msg);
    gx_extra(e, "retry_after", json_integer(60 - now % 60));
    return -1;
}
