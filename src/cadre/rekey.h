/* rekey.h - which algorithm and key generation personal data is sealed
 * under (table crypto_state), the thread that keeps a server in step with
 * it, and key rotation (`ganxun key rotate`). docs/security.md has the
 * operator's procedure. */
#ifndef GX_REKEY_H
#define GX_REKEY_H

#include "../store/db.h"

#include <stddef.h>
#include <stdio.h>

/* At the start of every command, after migrations: choose the algorithm when
 * the database has none yet (requested, "aes" or "sm"; NULL: "aes"), refuse
 * when requested disagrees with the database, check that this libcrypto has
 * the algorithms and the key file every generation in use; then seal and
 * index under that state. 0 ok, -1 with a message. */
int crypto_bind(db *d, const char *requested, char *err, size_t errlen);
/* Only the audit chain's MAC (gx_audit_alg_set), for commands that check the
 * chain without migrating (`audit verify`, `audit checkpoint`). */
int crypto_audit_bind(db *d);
/* Re-read crypto_state into the process (gx_crypto_set). 0 ok, -1 error. */
int crypto_refresh(db *d);
/* `ganxun serve`: a thread with its own connection re-reads the state every
 * ms milliseconds, so a rotation started elsewhere reaches this process. */
int crypto_watch_start(const char *db_url, int ms);
void crypto_watch_stop(void);
/* How long a rotation waits after recording its start before it moves
 * values: two watcher periods, so every server seals under the new key and
 * searches under both by then. */
#define CRYPTO_WATCH_MS 1000

typedef struct rekey_opts {
    const unsigned char *new_key; /* 32 bytes, or NULL for a random key */
    int to_alg;                   /* GX_ALG_*, 0: keep the algorithm */
    int batch;                    /* cadres per transaction */
    int max_batches;              /* stop after this many (resume later); 0: no limit */
    int pause_ms;                 /* sleep between batches (to spare a busy server) */
    FILE *out;                    /* progress lines, or NULL */
} rekey_opts;

/* Re-seal every sealed value and recompute every blind index under a new
 * key generation (and algorithm), in batches of short transactions, keeping
 * progress in crypto_state; a rotation already under way is resumed
 * (new_key and to_alg are then ignored). Without new_key, a generation in
 * the key file newer than the active one (staged by `ganxun key add`) is
 * the target; else one is added. Audited: key.rotate_start,
 * key.rotate_resume, key.rotate_done. 0 done, 1 stopped after max_batches
 * (run again to go on), -1 with a message. */
int key_rotate(db *d, const rekey_opts *o, char *err, size_t errlen);
/* Print the state and how many values each algorithm and generation seals. */
int key_status(db *d, FILE *out, char *err, size_t errlen);

#endif
