/* audit.h - the append-only, hash-chained audit log.
 *
 * Every write of the product appends one entry in the same transaction as
 * the write itself. Entry n carries HMAC-SHA256(key, entry n-1's hash ||
 * entry n's fields) under a key derived from the master key file, which
 * lives outside the database; so a changed, inserted or deleted row breaks
 * the chain and `ganxun audit verify` names the first bad entry. The
 * database refuses UPDATE and DELETE on the table (triggers); the HTTP API
 * offers no way to change it. */
#ifndef GX_AUDIT_H
#define GX_AUDIT_H

#include "../base/actor.h"
#include "../store/db.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef gx_actor audit_actor;

/* Append an entry; before/after are borrowed (NULL for none). Must run
 * inside the caller's write transaction. 0 ok, -1 database error. */
int audit_append(db *d, const audit_actor *who, const char *action, const char *entity, int64_t entity_id,
                 json_t *before, json_t *after);

typedef struct audit_check {
    int ok;
    int64_t checked;
    int64_t first_bad_id;
    char reason[200];
} audit_check;

/* Walk the whole chain. 0 when the walk completed (result in c), -1 on a
 * database error. */
int audit_verify(db *d, audit_check *c);

#endif
