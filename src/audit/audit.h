/* audit.h - the append-only, hash-chained audit log.
 *
 * Every write of the product appends one entry in the same transaction as
 * the write itself. Entry n carries HMAC-SHA256(key, entry n-1's hash ||
 * entry n's fields) under a key derived from the master key file, which
 * lives outside the database; so a changed, inserted or deleted row breaks
 * the chain and `ganxun audit verify` names the first bad entry. The head
 * row carries an HMAC too, and is copied to a checkpoint file outside the
 * database, so that cutting entries off the end is detected as well. The
 * database refuses UPDATE and DELETE on the table (triggers); the HTTP API
 * offers no way to change it. */
#ifndef GX_AUDIT_H
#define GX_AUDIT_H

#include "../base/actor.h"
#include "../base/arena.h"
#include "../base/err.h"
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
    char reason[300];
    int64_t checkpoints;    /* authenticated checkpoint lines compared */
    int64_t checkpoint_seq; /* the newest checkpointed entry (0: none) */
    int64_t checkpoint_at;  /* when it was written */
    int64_t checkpoint_bad; /* lines that did not authenticate (ignored); -1: file unreadable */
} audit_check;

/* Walk the whole chain: contiguous ids, links, HMACs, the head (which must
 * point at the last entry and carry a valid code), and every line of the
 * checkpoint file (a checkpointed entry that is gone or different is a cut
 * tail or a rewritten chain). 0 when the walk completed (result in c), -1
 * on a database error. */
int audit_verify(db *d, audit_check *c);

typedef struct audit_filter {
    const char *actor;  /* username, exact; NULL or "": any */
    const char *action; /* prefix, case-insensitive; NULL or "": any */
    const char *entity; /* exact; NULL or "": any */
    int64_t entity_id;  /* 0: any */
    int64_t from, to;   /* bounds on `at`, inclusive; -1: none */
    int64_t page, page_size;
} audit_filter;

/* One page of entries, newest first (items: new reference), and how many
 * match. 0 ok, -1 with e filled. */
int audit_list(db *d, arena *a, const audit_filter *f, json_t **items, int64_t *total, gx_err *e);

/* The accounts that reached the exact-lookup limit (cadre.lookup_limited
 * entries), most recent first: [{actor_id, actor, times, first_at, last_at}]. */
int audit_lookup_limits(db *d, json_t **items, gx_err *e);

/* --- checkpoints (checkpoint.c): the head copied outside the database --- */

/* The checkpoint file (NULL: none; verify then checks the database
 * alone). Set once at start, before threads; the string is borrowed. */
void audit_set_checkpoint_file(const char *path);
const char *audit_checkpoint_file(void);
/* Append the current head to the checkpoint file and the system log when it
 * moved since the last checkpoint. 1 written, 0 nothing new, -1 error
 * (message in err; also when the head does not authenticate or is behind
 * the last checkpoint: nothing is written then). */
int audit_checkpoint(db *d, char *err, size_t errlen);
/* `ganxun serve`: a thread with its own connection to db_url checkpoints
 * now and every `seconds`; stop writes a last one and joins. */
int audit_checkpointer_start(const char *db_url, int seconds);
void audit_checkpointer_stop(void);

#endif
