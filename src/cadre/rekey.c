/* rekey.c - the algorithm and key generation personal data is sealed under,
 * and key rotation.
 *
 * crypto_state (one row) holds the active algorithm and generation and,
 * while a rotation runs, its target and progress. Every process reads it at
 * start (crypto_bind); a server re-reads it every second (the watcher), so
 * within a second of a rotation's start every server seals new values under
 * the target and matches blind indexes under both generations. The rotation
 * waits two seconds, then walks the cadres by id in batches, each its own
 * short transaction that also records how far it got; a last sweep picks up
 * rows written meanwhile under the old state, and one transaction makes the
 * target the active state. Readers never wait: every value opens under the
 * generation its prefix names, and the key file keeps the old keys. */
#include "rekey.h"
#include "cadre.h"
#include "cadre_int.h"
#include "../audit/audit.h"
#include "../base/crypto.h"
#include "../base/ticker.h"
#include "../base/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct state {
    gx_keystate k;
    int chosen; /* algorithm set */
    int64_t cursor, resealed;
} state;

static int read_state(db *d, state *s)
{
    memset(s, 0, sizeof *s);
    db_res *r = db_query(d,
                         "SELECT COALESCE(algorithm, ''), generation, COALESCE(next_algorithm, ''), "
                         "COALESCE(next_generation, 0), cursor, resealed FROM crypto_state WHERE id = 1",
                         NULL, 0);
    if (!r)
        return -1;
    int rc = db_next(r);
    if (rc == 1) {
        s->chosen = *db_text(r, 0) != 0;
        s->k.alg = s->chosen ? gx_alg_parse(db_text(r, 0)) : GX_ALG_AES;
        s->k.gen = (int)db_int(r, 1);
        s->k.next_alg = gx_alg_parse(db_text(r, 2));
        s->k.next_gen = (int)db_int(r, 3);
        s->cursor = db_int(r, 4);
        s->resealed = db_int(r, 5);
        if (!s->k.alg || s->k.gen < 1 || (s->k.next_gen && !s->k.next_alg))
            rc = -1;
    }
    db_done(r);
    return rc == 1 ? 0 : -1;
}

/* The keys of every generation in use are loaded (re-reading the file once). */
static int have_keys(const gx_keystate *k)
{
    char err[256];
    int ok = gx_key_has(k->gen) && (!k->next_gen || gx_key_has(k->next_gen));
    if (!ok && !gx_key_reload(err, sizeof err))
        ok = gx_key_has(k->gen) && (!k->next_gen || gx_key_has(k->next_gen));
    return ok;
}

/* The audit chain's MAC: chosen with the chain's first entry (HMAC-SM3 for a
 * database created with --crypto sm, else HMAC-SHA256) and never changed,
 * so a chain verifies whatever rotations happen later. alg 0: only read it
 * (`audit verify`; a schema without crypto_state means HMAC-SHA256). */
static int audit_mac_bind(db *d, int alg, char *err, size_t errlen)
{
    db_res *r = db_query(d, "SELECT COALESCE(audit_mac, '') FROM crypto_state WHERE id = 1", NULL, 0);
    char mac[16] = "";
    if (r && db_next(r) == 1)
        snprintf(mac, sizeof mac, "%s", db_text(r, 0));
    db_done(r);
    if (!r && alg) {
        snprintf(err, errlen, "cannot read crypto_state: %s", db_errmsg(d));
        return -1;
    }
    if (!mac[0] && alg) {
        int64_t entries = 0;
        if (db_scalar(d, "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log LIMIT 1) x", NULL, 0, &entries) < 0) {
            snprintf(err, errlen, "cannot read the audit log: %s", db_errmsg(d));
            return -1;
        }
        const char *want = alg == GX_ALG_SM && !entries ? "hmac-sm3" : "hmac-sha256";
        if (db_execv(d, "UPDATE crypto_state SET audit_mac = ? WHERE id = 1 AND audit_mac IS NULL", DS(want)) < 0) {
            snprintf(err, errlen, "cannot record the audit MAC: %s", db_errmsg(d));
            return -1;
        }
        return audit_mac_bind(d, alg, err, errlen);
    }
    gx_audit_alg_set(!strcmp(mac, "hmac-sm3") ? GX_ALG_SM : GX_ALG_AES);
    return 0;
}

int crypto_audit_bind(db *d)
{
    char err[8];
    return audit_mac_bind(d, 0, err, sizeof err);
}

int crypto_bind(db *d, const char *requested, char *err, size_t errlen)
{
    int want = requested && *requested ? gx_alg_parse(requested) : 0;
    if (requested && *requested && !want) {
        snprintf(err, errlen, "unknown algorithm '%s' (aes or sm)", requested);
        return -1;
    }
    state s;
    if (read_state(d, &s)) {
        snprintf(err, errlen, "cannot read crypto_state: %s", db_errmsg(d));
        return -1;
    }
    if (!s.chosen) {
        int64_t n = 0;
        if (want == GX_ALG_SM && db_scalar(d, "SELECT COUNT(*) FROM cadres", NULL, 0, &n) < 0) {
            snprintf(err, errlen, "cannot count cadres: %s", db_errmsg(d));
            return -1;
        }
        if (n > 0) {
            snprintf(err, errlen, "this database holds %lld AES-sealed cadres; move them to SM with "
                                  "'ganxun key rotate --to sm'", (long long)n);
            return -1;
        }
        const char *name = gx_alg_name(want ? want : GX_ALG_AES);
        if (db_execv(d, "UPDATE crypto_state SET algorithm = ? WHERE id = 1 AND algorithm IS NULL", DS(name)) < 0 ||
            read_state(d, &s)) {
            snprintf(err, errlen, "cannot record the algorithm: %s", db_errmsg(d));
            return -1;
        }
    }
    if (want && want != s.k.alg && want != s.k.next_alg) {
        snprintf(err, errlen, "the database seals personal data with %s; --crypto (GANXUN_CRYPTO) says %s",
                 gx_alg_name(s.k.alg), gx_alg_name(want));
        return -1;
    }
    if (!gx_alg_available(s.k.alg) || (s.k.next_gen && !gx_alg_available(s.k.next_alg))) {
        snprintf(err, errlen, "this OpenSSL lacks SM4-CTR or SM3, which the database uses");
        return -1;
    }
    if (!have_keys(&s.k)) {
        snprintf(err, errlen, "the key file lacks key generation %d: copy the current key file here",
                 gx_key_has(s.k.gen) ? s.k.next_gen : s.k.gen);
        return -1;
    }
    gx_crypto_set(&s.k);
    return audit_mac_bind(d, s.k.alg, err, errlen);
}

int crypto_refresh(db *d)
{
    state s;
    if (read_state(d, &s))
        return -1;
    gx_keystate cur;
    gx_crypto_get(&cur);
    if (!memcmp(&cur, &s.k, sizeof cur))
        return 0;
    if (!have_keys(&s.k)) {
        /* keep the state we can work with; the rotation cannot finish
         * while this process seals under the old key (its sweep says so) */
        log_error("crypto state: generation %d is in use but not in the key file", s.k.next_gen ? s.k.next_gen : s.k.gen);
        return -1;
    }
    if (s.k.alg && (!s.k.next_gen || s.k.next_alg))
        gx_crypto_set(&s.k);
    log_info("crypto state: %s generation %d%s", gx_alg_name(s.k.alg), s.k.gen,
             s.k.next_gen ? " (rotation under way)" : "");
    return 0;
}

/* ---- the watcher thread of `ganxun serve` ---- */

static struct {
    gx_ticker *ticker;
    char *url;
    db *d;
} w;

static void watch_tick(void *arg)
{
    (void)arg;
    char err[256];
    if (!w.d)
        w.d = db_open(w.url, err, sizeof err);
    if (w.d && crypto_refresh(w.d) && db_ready(w.d)) {
        db_close(w.d); /* reconnect next time */
        w.d = NULL;
    }
}

int crypto_watch_start(const char *db_url, int ms)
{
    if (w.ticker)
        return 0;
    w.url = gx_strdup(db_url);
    if (!(w.ticker = gx_ticker_start(watch_tick, NULL, ms >= 1000 ? ms / 1000 : 1))) {
        free(w.url);
        return -1;
    }
    return 0;
}

void crypto_watch_stop(void)
{
    if (!w.ticker)
        return;
    gx_ticker_stop(w.ticker, 0);
    w.ticker = NULL;
    if (w.d)
        db_close(w.d);
    w.d = NULL;
    free(w.url);
}

/* ---- rotation ---- */

static const gx_actor cli = {0, "cli", ""};

static json_t *kind_json(int alg, int gen)
{
    return json_pack("{s:s,s:i}", "algorithm", gx_alg_name(alg), "generation", gen);
}

static int audit_now(db *d, const char *action, json_t *after)
{
    int rc = db_begin(d) || audit_append(d, &cli, action, "system", 0, NULL, after) || db_commit(d);
    if (rc && db_in_tx(d))
        db_rollback(d);
    json_decref(after);
    return rc ? -1 : 0;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) && errno == EINTR)
        ;
}

typedef struct row {
    int64_t id;
    char *id_enc, *ph_enc;
} row;

/* One batch: rows after *after not yet under the target, re-sealed in one
 * transaction that also records progress (when keep_cursor). Returns how
 * many rows were selected (a short batch ends a pass), -1 on error. */
static int batch(db *d, const state *s, const char *like, int n, int64_t *after, int keep_cursor, int64_t *values,
                 int64_t *failed, int64_t *first_failed)
{
    if (db_begin(d))
        return -1;
    db_res *r = db_queryv(d,
                          "SELECT id, id_enc, phone_enc FROM cadres WHERE id > ? AND (id_enc NOT LIKE ? OR "
                          "(phone_enc IS NOT NULL AND phone_enc NOT LIKE ?)) ORDER BY id LIMIT ?",
                          DI(*after), DS(like), DS(like), DI(n));
    if (!r) {
        db_rollback(d);
        return -1;
    }
    row *rows = gx_calloc((size_t)n, sizeof *rows);
    int got = 0, rc;
    while (got < n && (rc = db_next(r)) == 1) {
        rows[got].id = db_int(r, 0);
        rows[got].id_enc = gx_strdup(db_text(r, 1));
        rows[got].ph_enc = db_isnull(r, 2) ? NULL : gx_strdup(db_text(r, 2));
        got++;
    }
    db_done(r);
    int64_t done = 0;
    int err = 0;
    for (int i = 0; i < got && !err; i++) {
        int x = cadre_reseal(d, rows[i].id, rows[i].id_enc, rows[i].ph_enc, s->k.next_alg, s->k.next_gen);
        if (x == -1)
            err = 1;
        else if (x == -2) {
            if (!*failed)
                *first_failed = rows[i].id;
            ++*failed;
        } else if (x > 0)
            done += x;
        *after = rows[i].id;
    }
    for (int i = 0; i < got; i++) {
        free(rows[i].id_enc);
        free(rows[i].ph_enc);
    }
    free(rows);
    if (!err && keep_cursor &&
        db_execv(d, "UPDATE crypto_state SET cursor = ?, resealed = resealed + ? WHERE id = 1", DI(*after),
                 DI(done)) != 1)
        err = 1;
    if (!keep_cursor && !err &&
        db_execv(d, "UPDATE crypto_state SET resealed = resealed + ? WHERE id = 1", DI(done)) != 1)
        err = 1;
    if (err || db_commit(d)) {
        if (db_in_tx(d))
            db_rollback(d);
        return -1;
    }
    *values += done;
    return got;
}

int key_rotate(db *d, const rekey_opts *o, char *err, size_t errlen)
{
    state s;
    int64_t t0 = gx_now_ms();
    if (read_state(d, &s) || !s.chosen) {
        snprintf(err, errlen, "cannot read crypto_state: %s", db_errmsg(d));
        return -1;
    }
    int from_alg = s.k.alg, from_gen = s.k.gen;
    if (!s.k.next_gen) {
        int to_alg = o->to_alg ? o->to_alg : s.k.alg;
        if (!gx_alg_available(to_alg)) {
            snprintf(err, errlen, "this OpenSSL lacks SM4-CTR or SM3");
            return -1;
        }
        /* a generation staged with `ganxun key add` (and copied to every
         * host), or left by a start that failed, is used rather than a new one */
        int gen = gx_key_latest(), staged = !o->new_key && gen > s.k.gen;
        if (!staged && gx_key_add(o->new_key, &gen, err, errlen))
            return -1;
        if (db_begin(d))
            goto dberr;
        json_t *after = json_pack("{s:o,s:o}", "from", kind_json(s.k.alg, s.k.gen), "to", kind_json(to_alg, gen));
        int64_t ch = db_execv(d,
                              "UPDATE crypto_state SET next_algorithm = ?, next_generation = ?, cursor = 0, "
                              "resealed = 0, started_at = ? WHERE id = 1 AND next_generation IS NULL",
                              DS(gx_alg_name(to_alg)), DI(gen), DI(gx_now()));
        int arc = ch == 1 ? audit_append(d, &cli, "key.rotate_start", "system", 0, NULL, after) : -1;
        json_decref(after);
        if (ch != 1 || arc || db_commit(d)) {
            if (db_in_tx(d))
                db_rollback(d);
            goto dberr;
        }
        if (o->out)
            fprintf(o->out, "rotation started: %s generation %d -> %s generation %d (%s)\n", gx_alg_name(s.k.alg),
                    s.k.gen, gx_alg_name(to_alg), gen,
                    staged ? "the key staged in the key file" : "key added to the key file");
        if (read_state(d, &s))
            goto dberr;
    } else {
        if (!have_keys(&s.k)) {
            snprintf(err, errlen, "the key file lacks generation %d, which the rotation under way needs",
                     s.k.next_gen);
            return -1;
        }
        if (audit_now(d, "key.rotate_resume",
                      json_pack("{s:o,s:I,s:I}", "to", kind_json(s.k.next_alg, s.k.next_gen), "cursor",
                                (json_int_t)s.cursor, "resealed", (json_int_t)s.resealed)))
            goto dberr;
        if (o->out)
            fprintf(o->out, "resuming the rotation to %s generation %d after cadre %lld (%lld values done)\n",
                    gx_alg_name(s.k.next_alg), s.k.next_gen, (long long)s.cursor, (long long)s.resealed);
    }
    gx_crypto_set(&s.k);
    /* every server seals under the target and searches under both from now */
    sleep_ms(2 * CRYPTO_WATCH_MS);
    int64_t t1 = gx_now_ms();

    char like[32];
    snprintf(like, sizeof like, "%s:%d:%%", s.k.next_alg == GX_ALG_SM ? "s1" : "g3", s.k.next_gen);
    int n = o->batch > 0 ? o->batch : 500, batches = 0;
    int64_t values = 0, failed = 0, first_failed = 0;
    /* first the pass from the recorded cursor, then sweeps from the start
     * until one finds nothing left under the old state */
    for (int sweep = 0;; sweep++) {
        int64_t after = sweep ? 0 : s.cursor, seen = 0;
        failed = 0;
        for (;;) {
            int got = batch(d, &s, like, n, &after, !sweep, &values, &failed, &first_failed);
            if (got < 0)
                goto dberr;
            seen += got;
            batches++;
            if (o->out && got)
                fprintf(o->out, "re-sealed up to cadre %lld (%lld values in this run)\n", (long long)after,
                        (long long)values);
            if (got < n)
                break;
            if (o->max_batches && batches >= o->max_batches) {
                if (o->out)
                    fprintf(o->out, "stopped after %d batches; run 'ganxun key rotate' again to resume\n", batches);
                return 1;
            }
            if (o->pause_ms)
                sleep_ms(o->pause_ms);
        }
        if (sweep && seen == failed)
            break;
        if (sweep >= 5) {
            snprintf(err, errlen, "values keep appearing under the old key: does every server have the new key file?");
            return -1;
        }
    }
    if (failed) {
        snprintf(err, errlen, "%lld cadre(s) hold a value that does not open (the first: cadre %lld; see the log): "
                              "re-enter their ID number or phone, then run 'ganxun key rotate' again",
                 (long long)failed, (long long)first_failed);
        return -1;
    }
    /* switch: only when nothing is left under the old state */
    if (db_begin(d))
        goto dberr;
    int64_t left = -1, total = 0;
    if (db_scalar(d,
                  "SELECT COUNT(*) FROM cadres WHERE id_enc NOT LIKE ? OR (phone_enc IS NOT NULL AND phone_enc NOT "
                  "LIKE ?)",
                  DB_ARGV(DS(like), DS(like)), &left) < 0 ||
        db_scalar(d, "SELECT resealed FROM crypto_state WHERE id = 1", NULL, 0, &total) < 0) {
        db_rollback(d);
        goto dberr;
    }
    if (left) {
        db_rollback(d);
        snprintf(err, errlen, "%lld cadre(s) were written under the old key meanwhile; run 'ganxun key rotate' again",
                 (long long)left);
        return -1;
    }
    json_t *after = json_pack("{s:o,s:o,s:I,s:I}", "from", kind_json(from_alg, from_gen), "to",
                              kind_json(s.k.next_alg, s.k.next_gen), "values", (json_int_t)total, "run_ms",
                              (json_int_t)(gx_now_ms() - t0));
    int rc = db_execv(d,
                      "UPDATE crypto_state SET algorithm = next_algorithm, generation = next_generation, "
                      "next_algorithm = NULL, next_generation = NULL, cursor = 0, started_at = NULL WHERE id = 1") != 1 ||
             audit_append(d, &cli, "key.rotate_done", "system", 0, NULL, after) || db_commit(d);
    json_decref(after);
    if (rc) {
        if (db_in_tx(d))
            db_rollback(d);
        goto dberr;
    }
    gx_keystate k = {s.k.next_alg, s.k.next_gen, 0, 0};
    gx_crypto_set(&k);
    if (o->out)
        fprintf(o->out, "rotation done: %lld values under %s generation %d in %.1f s (this run re-sealed %lld in %.2f s)\n",
                (long long)total, gx_alg_name(k.alg), k.gen, (double)(gx_now_ms() - t0) / 1000.0, (long long)values,
                (double)(gx_now_ms() - t1) / 1000.0);
    return 0;
dberr:
    snprintf(err, errlen, "database error: %s (run 'ganxun key rotate' again to resume)", db_errmsg(d));
    return -1;
}

int key_status(db *d, FILE *out, char *err, size_t errlen)
{
    state s;
    if (read_state(d, &s)) {
        snprintf(err, errlen, "cannot read crypto_state: %s", db_errmsg(d));
        return -1;
    }
    fprintf(out, "algorithm: %s (%s), key generation %d\n", gx_alg_name(s.k.alg),
            s.k.alg == GX_ALG_SM ? "SM4-CTR + HMAC-SM3, blind index HMAC-SM3" : "AES-256-GCM, blind index HMAC-SHA256",
            s.k.gen);
    if (s.k.next_gen)
        fprintf(out, "rotation under way to %s generation %d: after cadre %lld, %lld values re-sealed\n",
                gx_alg_name(s.k.next_alg), s.k.next_gen, (long long)s.cursor, (long long)s.resealed);
    fprintf(out, "key file: generations up to %d\n", gx_key_latest());
    fprintf(out, "audit chain: %s, keys from the first generation\n",
            gx_audit_alg() == GX_ALG_SM ? "HMAC-SM3" : "HMAC-SHA256");
    /* how many values each algorithm and generation seals */
    struct tally {
        int alg, gen;
        int64_t n;
    } seen[16];
    int nseen = 0;
    int64_t other = 0;
    db_res *r = db_query(d, "SELECT id_enc, phone_enc FROM cadres", NULL, 0);
    if (!r) {
        snprintf(err, errlen, "cannot read cadres: %s", db_errmsg(d));
        return -1;
    }
    while (db_next(r) == 1)
        for (int c = 0; c < 2; c++) {
            int alg, gen, i = 0;
            if (db_isnull(r, c))
                continue;
            if (gx_sealed_kind(db_text(r, c), &alg, &gen)) {
                other++;
                continue;
            }
            while (i < nseen && (seen[i].alg != alg || seen[i].gen != gen))
                i++;
            if (i == nseen && nseen < 16)
                seen[nseen++] = (struct tally){alg, gen, 0};
            if (i < nseen)
                seen[i].n++;
            else
                other++;
        }
    db_done(r);
    for (int i = 0; i < nseen; i++)
        fprintf(out, "values under %s generation %d: %lld\n", gx_alg_name(seen[i].alg), seen[i].gen,
                (long long)seen[i].n);
    if (other)
        fprintf(out, "values in no known format: %lld\n", (long long)other);
    return 0;
}
