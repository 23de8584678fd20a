/* sqlite.c - SQLite backend: one connection per thread, WAL, a prepared
 * statement cache keyed by SQL text, writers serialised in the process. */
#include "db_impl.h"
#include "../base/util.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_SLOTS 256 /* power of two */

typedef struct sq_res {
    db_res base;
    sqlite3_stmt *st;
    struct centry *owner; /* cache entry to release, or NULL: finalize */
} sq_res;

typedef struct centry {
    const char *ptr; /* the caller's pointer last seen for this text */
    char *sql;
    sqlite3_stmt *st;
    int busy;
    sq_res res;
} centry;

typedef struct sq_db {
    db base;
    sqlite3 *h;
    centry cache[CACHE_SLOTS];
    centry *by_ptr[CACHE_SLOTS];
    int write_locked; /* this connection holds write_lock */
    const char *ids_table; /* sq_next_id: the next id of this table, valid in this transaction */
    int64_t ids_next;
} sq_db;

/* All SQLite writers of this process take this lock: SQLite's own busy
 * back-off sleeps make write latency p99 reach half a second under load. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void sq_err(sq_db *s)
{
    int ext = sqlite3_extended_errcode(s->h);
    int prim = ext & 0xff;
    enum db_errc c = DB_EOTHER;
    if (prim == SQLITE_CONSTRAINT)
        c = DB_ECONSTRAINT;
    else if (prim == SQLITE_CANTOPEN || prim == SQLITE_IOERR || prim == SQLITE_CORRUPT ||
             prim == SQLITE_FULL || prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        c = DB_ECONN;
    db_set_error(&s->base, c, sqlite3_errmsg(s->h));
}

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void lock_write(sq_db *s)
{
    if (!s->write_locked) {
        pthread_mutex_lock(&write_lock);
        s->write_locked = 1;
    }
}

static void unlock_write(sq_db *s)
{
    if (s->write_locked) {
        s->write_locked = 0;
        pthread_mutex_unlock(&write_lock);
    }
}

/* Bounds of the program's own image, provided by the GNU linker: SQL text
 * in there (string literals, static arrays) never changes, so a cache entry
 * that saw that pointer can be trusted without comparing the text. */
extern const char __executable_start[], edata[];

static int in_image(const char *p) { return p >= __executable_start && p < edata; }

/* Find or prepare the statement for sql; returns a result object bound to it.
 * Most SQL is a string constant, so the entry last used from the caller's
 * pointer is tried first before hashing the text; its text is compared
 * unless the pointer lies in the program image (dynamic SQL built in an arena
 * may reuse an address for other text). */
static sq_res *prepare(sq_db *s, const char *sql)
{
    uintptr_t p = (uintptr_t)sql;
    centry *fast = s->by_ptr[(p >> 4) & (CACHE_SLOTS - 1)];
    if (fast && fast->ptr == sql && !fast->busy && fast->sql && (in_image(sql) || !strcmp(fast->sql, sql))) {
        fast->busy = 1;
        fast->res.st = fast->st;
        fast->res.owner = fast;
        return &fast->res;
    }
    uint32_t h = fnv(sql);
    centry *slot = NULL;
    for (int i = 0; i < 8; i++) {
        centry *e = &s->cache[(h + (uint32_t)i) & (CACHE_SLOTS - 1)];
        if (e->sql && !strcmp(e->sql, sql)) {
            if (e->busy)
                break; /* in use (nested): use a one-off statement */
            e->ptr = sql;
            s->by_ptr[(p >> 4) & (CACHE_SLOTS - 1)] = e;
            e->busy = 1;
            e->res.st = e->st;
            e->res.owner = e;
            return &e->res;
        }
        if (!e->sql && !slot)
            slot = e;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->h, sql, -1, slot ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL) != SQLITE_OK) {
        sq_err(s);
        return NULL;
    }
    if (slot) {
        slot->sql = gx_strdup(sql);
        slot->ptr = sql;
        s->by_ptr[(p >> 4) & (CACHE_SLOTS - 1)] = slot;
        slot->st = st;
        slot->busy = 1;
        slot->res.base.d = &s->base;
        slot->res.st = st;
        slot->res.owner = slot;
        return &slot->res;
    }
    sq_res *r = gx_calloc(1, sizeof *r);
    r->base.d = &s->base;
    r->st = st;
    return r;
}

static void release(sq_res *r)
{
    if (r->owner) {
        sqlite3_reset(r->st);
        sqlite3_clear_bindings(r->st);
        r->owner->busy = 0;
    } else {
        sqlite3_finalize(r->st);
        free(r);
    }
}

static int bind(sq_db *s, sq_res *r, const db_arg *args, int nargs)
{
    if (sqlite3_bind_parameter_count(r->st) != nargs) {
        db_set_error(&s->base, DB_EOTHER, "parameter count mismatch");
        return -1;
    }
    for (int i = 0; i < nargs; i++) {
        int rc;
        if (args[i].t == 'i')
            rc = sqlite3_bind_int64(r->st, i + 1, args[i].i);
        else if (args[i].t == 's' && args[i].s)
            rc = sqlite3_bind_text(r->st, i + 1, args[i].s, -1, SQLITE_TRANSIENT); /* callers may free before db_next */
        else
            rc = sqlite3_bind_null(r->st, i + 1);
        if (rc != SQLITE_OK) {
            sq_err(s);
            return -1;
        }
    }
    return 0;
}

static int64_t sq_exec(db *d, const char *sql, const db_arg *args, int nargs)
{
    sq_db *s = (sq_db *)d;
    sq_res *r = prepare(s, sql);
    if (!r)
        return -1;
    if (bind(s, r, args, nargs)) {
        release(r);
        return -1;
    }
    int autolock = !d->in_tx && !sqlite3_stmt_readonly(r->st);
    if (autolock)
        lock_write(s);
    int rc;
    while ((rc = sqlite3_step(r->st)) == SQLITE_ROW)
        ;
    int64_t changed = -1;
    if (rc == SQLITE_DONE) {
        changed = sqlite3_changes64(s->h);
        d->errc = DB_OK;
    } else {
        sq_err(s);
    }
    release(r);
    if (autolock)
        unlock_write(s);
    return changed;
}

static db_res *sq_query(db *d, const char *sql, const db_arg *args, int nargs)
{
    sq_db *s = (sq_db *)d;
    sq_res *r = prepare(s, sql);
    if (!r)
        return NULL;
    if (bind(s, r, args, nargs)) {
        release(r);
        return NULL;
    }
    if (!d->in_tx && !sqlite3_stmt_readonly(r->st)) {
        /* INSERT ... RETURNING outside a transaction: not supported, keeps
         * the write lock rules simple. */
        db_set_error(d, DB_EOTHER, "writing query outside a transaction");
        release(r);
        return NULL;
    }
    return &r->base;
}

static int sq_next(db_res *res)
{
    sq_res *r = (sq_res *)res;
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sq_err((sq_db *)res->d);
    return -1;
}

static int sq_isnull(db_res *res, int col)
{
    return sqlite3_column_type(((sq_res *)res)->st, col) == SQLITE_NULL;
}

static int64_t sq_int(db_res *res, int col) { return sqlite3_column_int64(((sq_res *)res)->st, col); }

static const char *sq_text(db_res *res, int col)
{
    const unsigned char *t = sqlite3_column_text(((sq_res *)res)->st, col);
    return t ? (const char *)t : "";
}

static void sq_done(db_res *res) { release((sq_res *)res); }

static int sq_script(db *d, const char *sql)
{
    sq_db *s = (sq_db *)d;
    char *msg = NULL;
    int autolock = !d->in_tx;
    if (autolock)
        lock_write(s);
    int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);
    if (autolock)
        unlock_write(s);
    if (rc != SQLITE_OK) {
        db_set_error(d, DB_EOTHER, msg ? msg : sqlite3_errmsg(s->h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_begin(db *d)
{
    sq_db *s = (sq_db *)d;
    lock_write(s);
    if (sqlite3_exec(s->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sq_err(s);
        unlock_write(s);
        return -1;
    }
    d->in_tx = 1;
    s->ids_table = NULL;
    return 0;
}

static void sq_rollback(db *d)
{
    sq_db *s = (sq_db *)d;
    s->ids_table = NULL;
    if (!sqlite3_get_autocommit(s->h))
        sqlite3_exec(s->h, "ROLLBACK", NULL, NULL, NULL);
    d->in_tx = 0;
    unlock_write(s);
}

static int sq_commit(db *d)
{
    sq_db *s = (sq_db *)d;
    if (sqlite3_exec(s->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sq_err(s);
        sq_rollback(d);
        return -1;
    }
    d->in_tx = 0;
    unlock_write(s);
    return 0;
}

/* Writers are serialised (write_lock and BEGIN IMMEDIATE), so inside a
 * write transaction the ids after the largest are this connection's: the
 * largest is read once per transaction. */
static int64_t sq_next_id(db *d, const char *table)
{
    sq_db *s = (sq_db *)d;
    if (!d->in_tx)
        return 0;
    if (s->ids_table != table) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %s", table);
        int64_t max = 0;
        if (db_scalar(d, sql, NULL, 0, &max) != 1)
            return 0;
        s->ids_table = table;
        s->ids_next = max + 1;
    }
    return s->ids_next++;
}

static int sq_ready(db *d)
{
    sq_db *s = (sq_db *)d;
    if (d->in_tx || !sqlite3_get_autocommit(s->h)) {
        log_warn("sqlite: rolling back a transaction left open");
        sq_rollback(d);
    }
    d->errc = DB_OK;
    return 0;
}

/* Database, WAL, shared-memory and backup files hold personal data: owner
 * only. New files get 0600 from the process umask (077, set by main.c), and
 * SQLite gives the -wal and -shm files the mode of the database file; a
 * file an older version left readable by others is tightened here. Only
 * by path: opening and closing a descriptor of the database would drop the
 * POSIX locks other connections of this process hold on it. */
static int private_file(const char *path, char *err, size_t errlen)
{
    if (!*path || *path == ':' || !strncmp(path, "file:", 5))
        return 0; /* in memory, or a URI SQLite interprets */
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[4096];
        struct stat st;
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        if (stat(p, &st) || !(st.st_mode & 077))
            continue;
        if (chmod(p, st.st_mode & 0700)) {
            snprintf(err, errlen, "cannot chmod %s: %s", p, strerror(errno));
            return -1;
        }
        log_warn("%s was readable by others; made it 0600", p);
    }
    return 0;
}

static int sq_backup(db *d, const char *path, char *err, size_t errlen)
{
    sq_db *s = (sq_db *)d;
    sqlite3 *out = NULL;
    if (private_file(path, err, errlen))
        return -1;
    if (sqlite3_open_v2(path, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, out ? sqlite3_errmsg(out) : "out of memory");
        sqlite3_close(out);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", s->h, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        do {
            rc = sqlite3_backup_step(b, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(out));
        sqlite3_close(out);
        return -1;
    }
    sqlite3_close(out);
    return 0;
}

static void sq_close(db *d)
{
    sq_db *s = (sq_db *)d;
    if (d->in_tx)
        sq_rollback(d);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (s->cache[i].sql) {
            sqlite3_finalize(s->cache[i].st);
            free(s->cache[i].sql);
        }
    }
    sqlite3_close(s->h);
    free(s);
}

static const db_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .ready = sq_ready,
    .exec = sq_exec,
    .query = sq_query,
    .next = sq_next,
    .isnull = sq_isnull,
    .get_int = sq_int,
    .get_text = sq_text,
    .done = sq_done,
    .script = sq_script,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .backup = sq_backup,
    .next_id = sq_next_id,
};

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure(void)
{
    /* Each connection is used by one thread at a time, and memory
     * statistics are not needed: both would take a mutex per allocation. */
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
    pthread_once(&config_once, configure);
    if (private_file(path, err, errlen))
        return NULL;
    sqlite3 *h = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open sqlite database %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 10000);
    char *msg = NULL;
    if (sqlite3_exec(h,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure sqlite database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        return NULL;
    }
    sq_db *s = gx_calloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->base.kind = DB_SQLITE;
    s->h = h;
    for (int i = 0; i < CACHE_SLOTS; i++)
        s->cache[i].res.base.d = &s->base;
    return &s->base;
}
