/* unit_hooks.h - what an area does when a unit of the tree changes.
 *
 * Areas keep unit ids (cadres, accounts; later programmes, quotas,
 * nominations, funds). The organisation area writes only its own tables:
 * when a unit is merged or moved it calls each area's hooks inside the same
 * transaction, so a forgotten table cannot silently point at a merged unit
 * and a failed hook undoes the whole change. An area exports its hooks in
 * its `area` descriptor (src/area.h). */
#ifndef GX_UNIT_HOOKS_H
#define GX_UNIT_HOOKS_H

#include "../audit/audit.h"
#include "../store/db.h"

#include <stdint.h>

typedef struct unit_hooks {
    const char *area;
    /* Unit from was merged into unit into (effective date): repoint the
     * area's rows. Runs inside the caller's transaction; audit what it
     * changes beyond the unit.merge entry. 0 ok, -1 database error. */
    int (*merged)(db *d, const audit_actor *who, int64_t from, int64_t into, const char *date, int64_t now);
    /* Unit id (with its subtree) moved from old_parent to new_parent. */
    int (*moved)(db *d, const audit_actor *who, int64_t id, int64_t old_parent, int64_t new_parent, int64_t now);
} unit_hooks;

#endif
