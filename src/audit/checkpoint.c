/* checkpoint.c - copies of the audit head kept outside the database.
 *
 * The head (seq, hash of entry seq, HMAC of both) is appended as one line
 * to a file beside the key file and sent to the system log (syslog,
 * LOG_AUTHPRIV): by `ganxun serve` at start, every minute while the head
 * moves, and at shutdown; by the commands that write entries. audit_verify
 * compares the chain with every authenticated line, so rows deleted from
 * the end of the log, or a rewritten chain, no longer verify even when the
 * head in the database was put back to an older state. */
#include "audit.h"
#include "audit_int.h"
#include "../base/crypto.h"
#include "../base/ticker.h"
#include "../base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

static const char *ckpt_path; /* set once at start, before any thread */

void audit_set_checkpoint_file(const char *path) { ckpt_path = path && *path ? path : NULL; }
const char *audit_checkpoint_file(void) { return ckpt_path; }

void audit_head_mac(int64_t seq, const char *hash, char out[65])
{
    unsigned char key[GX_KEY_LEN], mac[32];
    gx_key_derive("audit-head", key);
    char msg[128];
    int n = snprintf(msg, sizeof msg, "audit-head|%lld|%s", (long long)seq, hash);
    gx_audit_mac(key, sizeof key, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, mac);
    gx_hex(mac, sizeof mac, out);
}

static int hex64(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (gx_hexval(s[i]) < 0 || (s[i] >= 'A' && s[i] <= 'F'))
            return 0;
    return i == 64;
}

/* "v1 AT SEQ HASH MAC": 1 when the line parses and MAC authenticates it. */
static int parse_line(const char *line, ckpt *c)
{
    long long at, seq;
    char mac[65], want[65];
    if (sscanf(line, "v1 %lld %lld %64s %64s", &at, &seq, c->hash, mac) != 4 || seq < 1 || !hex64(c->hash) ||
        !hex64(mac))
        return 0;
    audit_head_mac(seq, c->hash, want);
    if (!gx_streq_ct(mac, want))
        return 0;
    c->at = at;
    c->seq = seq;
    return 1;
}

static int by_seq(const void *a, const void *b)
{
    const ckpt *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int64_t ckpt_read(ckpt **out, int64_t *bad)
{
    *out = NULL;
    *bad = 0;
    if (!ckpt_path)
        return 0;
    FILE *f = fopen(ckpt_path, "re");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    char *line = NULL;
    size_t cap = 0, n = 0, alloc = 0;
    ckpt *v = NULL;
    while (getline(&line, &cap, f) > 0) {
        ckpt c;
        if (!parse_line(line, &c)) {
            (*bad)++;
            continue;
        }
        if (n == alloc) {
            alloc = alloc ? 2 * alloc : 64;
            v = gx_realloc(v, alloc * sizeof *v);
        }
        v[n++] = c;
    }
    int err = ferror(f);
    free(line);
    fclose(f);
    if (err) {
        free(v);
        return -1;
    }
    if (n)
        qsort(v, n, sizeof *v, by_seq);
    *out = v;
    return (int64_t)n;
}

/* The newest line this process wrote or found in the file; the lock also
 * keeps two writers of this process from interleaving. */
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_seq = -1;
static char last_hash[65];

static int append_line(int64_t seq, const char *hash, const char *mac, char *err, size_t errlen)
{
    char line[256];
    int n = snprintf(line, sizeof line, "v1 %lld %lld %s %s\n", (long long)gx_now(), (long long)seq, hash, mac);
    int fd = open(ckpt_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open checkpoint file %s: %s", ckpt_path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        log_warn("checkpoint file %s is readable by others; chmod 600 it", ckpt_path);
    /* One write of one short line on an O_APPEND descriptor: lines of
     * several processes never interleave. */
    if (write(fd, line, (size_t)n) != n || fsync(fd)) {
        snprintf(err, errlen, "cannot write checkpoint file %s: %s", ckpt_path, strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    syslog(LOG_AUTHPRIV | LOG_INFO, "audit checkpoint %.*s", n - 1, line);
    return 0;
}

int audit_checkpoint(db *d, char *err, size_t errlen)
{
    if (!ckpt_path)
        return 0;
    db_res *r = db_queryv(d, "SELECT seq, hash, mac FROM audit_head WHERE id = ?", DI(1));
    if (!r || db_next(r) != 1) {
        db_done(r);
        snprintf(err, errlen, "cannot read the audit head: %s", db_errmsg(d));
        return -1;
    }
    int64_t seq = db_int(r, 0);
    char hash[65], mac[65], want[65];
    snprintf(hash, sizeof hash, "%s", db_text(r, 1));
    snprintf(mac, sizeof mac, "%s", db_text(r, 2));
    db_done(r);
    if (seq == 0)
        return 0; /* an empty log: nothing to pin */
    audit_head_mac(seq, hash, want);

    pthread_mutex_lock(&last_lock);
    int rc = -1;
    if (last_seq < 0) {
        ckpt *v;
        int64_t bad, n = ckpt_read(&v, &bad);
        if (n < 0) {
            snprintf(err, errlen, "cannot read checkpoint file %s: %s", ckpt_path, strerror(errno));
            goto out;
        }
        last_seq = n ? v[n - 1].seq : 0;
        snprintf(last_hash, sizeof last_hash, "%s", n ? v[n - 1].hash : "");
        free(v);
    }
    if (!mac[0] && last_seq == 0) {
        /* A log written before heads were authenticated, never
         * checkpointed: seal its head once. Afterwards an empty code is
         * reported by audit_verify as a rewritten head. */
        if (db_execv(d, "UPDATE audit_head SET mac = ? WHERE id = ? AND seq = ? AND hash = ? AND mac = ''",
                     DS(want), DI(1), DI(seq), DS(hash)) < 0) {
            snprintf(err, errlen, "cannot seal the audit head: %s", db_errmsg(d));
            goto out;
        }
        log_warn("audit head at entry %lld sealed with the key (first checkpoint of this log)", (long long)seq);
        snprintf(mac, sizeof mac, "%s", want);
    }
    if (!gx_streq_ct(mac, want)) {
        snprintf(err, errlen, "the audit head (entry %lld) does not authenticate: rewritten? run `ganxun audit verify`",
                 (long long)seq);
        goto out;
    }
    if (seq < last_seq) {
        snprintf(err, errlen,
                 "the audit log ends at entry %lld but entry %lld was checkpointed: tail cut? run `ganxun audit verify`",
                 (long long)seq, (long long)last_seq);
        goto out;
    }
    if (seq == last_seq && !strcmp(hash, last_hash)) {
        rc = 0;
        goto out;
    }
    if (append_line(seq, hash, mac, err, errlen))
        goto out;
    last_seq = seq;
    snprintf(last_hash, sizeof last_hash, "%s", hash);
    rc = 1;
out:
    pthread_mutex_unlock(&last_lock);
    return rc;
}

/* --- the checkpointer thread of `ganxun serve` --- */

static struct {
    gx_ticker *ticker;
    char *url;
    db *d; /* the thread's own connection */
} cp;

static void checkpoint_tick(void *arg)
{
    (void)arg;
    char err[512];
    if (!cp.d && !(cp.d = db_open(cp.url, err, sizeof err))) {
        log_error("audit checkpoint: %s", err);
        return;
    }
    if (db_ready(cp.d)) {
        log_error("audit checkpoint: database unreachable");
        return;
    }
    if (audit_checkpoint(cp.d, err, sizeof err) < 0) {
        log_error("audit checkpoint: %s", err);
        syslog(LOG_AUTHPRIV | LOG_ERR, "audit checkpoint: %s", err);
    }
}

int audit_checkpointer_start(const char *db_url, int seconds)
{
    if (!ckpt_path || cp.ticker)
        return 0;
    openlog("ganxun", LOG_PID, LOG_AUTHPRIV);
    cp.url = gx_strdup(db_url);
    if (!(cp.ticker = gx_ticker_start(checkpoint_tick, NULL, seconds > 0 ? seconds : 60))) {
        free(cp.url);
        return -1;
    }
    return 0;
}

void audit_checkpointer_stop(void)
{
    if (!cp.ticker)
        return;
    gx_ticker_stop(cp.ticker, 1); /* the last checkpoint */
    cp.ticker = NULL;
    if (cp.d)
        db_close(cp.d);
    cp.d = NULL;
    free(cp.url);
    cp.url = NULL;
}
