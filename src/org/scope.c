/* scope.c - who sees which units: the rule table per role, path ranges. */
#include "org.h"
#include "../account/account.h"
#include "../base/util.h"

#include <string.h>

void path_range(arena *a, const char *path, const char **lo, const char **hi)
{
    /* Paths are "/" and digits. Every descendant of "/1/5/" sorts in
     * ["/1/5/", "/1/50"): '/' + 1 == '0', and siblings like "/1/50/" are excluded. */
    size_t n = strlen(path);
    char *h = arena_strndup(a, path, n);
    if (n)
        h[n - 1] = '0';
    *lo = arena_strdup(a, path);
    *hi = h;
}

/* What each role sees of the unit tree and the records kept per unit. A
 * role that is not here sees nothing (deny by default); an account with
 * several roles gets the widest of their scopes. */
enum { SEE_NOTHING, SEE_OWN_SUBTREE, SEE_ALL };
static const struct {
    uint32_t role;
    int sees;
} rules[] = {
    {ROLE_ORGADMIN, SEE_ALL},         /* the organisation department runs the whole registry */
    {ROLE_SYSADMIN, SEE_ALL},         /* binds accounts to units: the unit tree, never cadres (routes) */
    {ROLE_SECADMIN, SEE_ALL},         /* grants unit scope to accounts: the unit tree likewise */
    {ROLE_LIAISON, SEE_OWN_SUBTREE},  /* a unit's liaison: its unit and the units under it */
};

int scope_of(db *d, arena *a, uint32_t roles, int64_t unit_id, scope *s, gx_err *e)
{
    memset(s, 0, sizeof *s);
    int sees = SEE_NOTHING;
    for (size_t i = 0; i < GX_ARRAY_LEN(rules); i++)
        if ((roles & rules[i].role) && rules[i].sees > sees)
            sees = rules[i].sees;
    if (sees == SEE_ALL) {
        s->all = 1;
        return 0;
    }
    if (sees == SEE_OWN_SUBTREE && unit_id) {
        db_res *r = db_queryv(d, "SELECT path FROM units WHERE id = ?", DI(unit_id));
        if (!r)
            return gx_fail(e, db_errcode(d) == DB_ECONN ? GX_EUNAVAIL : GX_EINTERNAL, NULL);
        int rc = db_next(r);
        if (rc == 1)
            path_range(a, db_text(r, 0), &s->lo, &s->hi);
        db_done(r);
        if (rc == 1)
            return 0;
    }
    path_range(a, "/0/", &s->lo, &s->hi); /* an empty range: nothing */
    return 0;
}

int scope_has_unit(db *d, const scope *s, int64_t unit_id)
{
    int64_t active = 0;
    int rc = s->all ? db_scalar(d, "SELECT active FROM units WHERE id = ?", DB_ARGV(DI(unit_id)), &active)
                    : db_scalar(d, "SELECT active FROM units WHERE id = ? AND path >= ? AND path < ?",
                                DB_ARGV(DI(unit_id), DS(s->lo), DS(s->hi)), &active);
    return rc == 1 && !active ? 2 : rc;
}

