#include "audit.h"
#include "audit_int.h"
#include "../base/buf.h"
#include "../base/crypto.h"
#include "../base/util.h"
#include "../store/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void field(buf *b, const char *s)
{
    buf_printf(b, "%zu:", strlen(s));
    buf_puts(b, s);
    buf_putc(b, '|');
}

/* hex HMAC of the canonical form of one entry */
static void entry_hash(const char *prev, int64_t id, int64_t at, int64_t actor_id, const char *actor,
                       const char *ip, const char *action, const char *entity, int64_t entity_id,
                       const char *before, const char *after, char out[65])
{
    static _Thread_local unsigned char key[GX_KEY_LEN];
    static _Thread_local int have_key;
    if (!have_key) {
        gx_key_derive("audit-chain", key);
        have_key = 1;
    }
    buf b = BUF_INIT((size_t)64 << 20);
    char num[96];
    field(&b, prev);
    snprintf(num, sizeof num, "%lld|%lld|%lld", (long long)id, (long long)at, (long long)actor_id);
    field(&b, num);
    field(&b, actor);
    field(&b, ip);
    field(&b, action);
    field(&b, entity);
    snprintf(num, sizeof num, "%lld", (long long)entity_id);
    field(&b, num);
    field(&b, before);
    field(&b, after);
    unsigned char mac[32];
    gx_audit_mac(key, sizeof key, b.data, b.len, mac);
    gx_hex(mac, sizeof mac, out);
    buf_free(&b);
}

static char *dump(json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) : NULL;
}

int audit_append(db *d, const audit_actor *who, const char *action, const char *entity, int64_t entity_id,
                 json_t *before, json_t *after)
{
    /* The head row serialises appenders: the UPDATE locks it until commit
     * (PostgreSQL), and SQLite writers are serialised anyway. */
    db_res *res = db_queryv(d, "UPDATE audit_head SET seq = seq + 1 WHERE id = ? RETURNING seq, hash", DI(1));
    if (!res)
        return -1;
    if (db_next(res) != 1) {
        db_done(res);
        return -1;
    }
    int64_t seq = db_int(res, 0);
    char prev[65];
    snprintf(prev, sizeof prev, "%s", db_text(res, 1));
    db_done(res);

    int64_t at = gx_now();
    char *b = dump(before), *a = dump(after);
    char hash[65];
    entry_hash(prev, seq, at, who->id, who->name, who->ip, action, entity, entity_id, b ? b : "", a ? a : "", hash);
    char mac[65];
    audit_head_mac(seq, hash, mac);
    int rc = -1;
    if (db_execv(d,
                 "INSERT INTO audit_log (id, at, actor_id, actor, ip, action, entity, entity_id, before_json, "
                 "after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DI(seq), DI(at), who->id ? DI(who->id) : DN, DS(who->name), DS(who->ip), DS(action), DS(entity),
                 entity_id ? DI(entity_id) : DN, DSN(b), DSN(a), DS(prev), DS(hash)) == 1 &&
        db_execv(d, "UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1", DS(hash), DS(mac)) == 1)
        rc = 0;
    free(b);
    free(a);
    return rc;
}

static int bad(audit_check *c, int64_t id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(audit_check *c, int64_t id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    c->first_bad_id = id;
    c->ok = 0;
    return 0;
}

/* The walk over the entries after *last: checks contiguous ids, links and
 * HMACs, and every checkpoint line cp[*ci..] on the way. 1 when the walk
 * reached the end, 0 when it found a bad entry (reason in c), -1 db error. */
static int walk(db *d, audit_check *c, int64_t *last, char prev[65], const ckpt *cp, int64_t ncp, int64_t *ci)
{
    for (;;) {
        db_res *r = db_queryv(d,
                              "SELECT id, at, actor_id, actor, ip, action, entity, entity_id, before_json, "
                              "after_json, prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT 5000",
                              DI(*last));
        if (!r)
            return -1;
        int n = 0, rc;
        while ((rc = db_next(r)) == 1) {
            n++;
            int64_t id = db_int(r, 0);
            c->checked++;
            if (id != *last + 1) {
                db_done(r);
                return bad(c, id, "日志序号不连续：%lld 之后是 %lld（有记录被删除）", (long long)*last, (long long)id);
            }
            char h[65];
            entry_hash(prev, id, db_int(r, 1), db_isnull(r, 2) ? 0 : db_int(r, 2), db_text(r, 3), db_text(r, 4),
                       db_text(r, 5), db_text(r, 6), db_isnull(r, 7) ? 0 : db_int(r, 7), db_text(r, 8),
                       db_text(r, 9), h);
            if (strcmp(db_text(r, 10), prev) || strcmp(db_text(r, 11), h)) {
                db_done(r);
                return bad(c, id, "第 %lld 条日志的内容或链接与哈希不符（已被修改）", (long long)id);
            }
            for (; *ci < ncp && cp[*ci].seq == id; (*ci)++) {
                if (strcmp(cp[*ci].hash, h)) {
                    char when[32];
                    gx_shanghai_time(cp[*ci].at, "%Y-%m-%d %H:%M", when, sizeof when);
                    db_done(r);
                    return bad(c, id, "第 %lld 条日志与 %s 的库外检查点不符（日志链被重写）", (long long)id, when);
                }
            }
            memcpy(prev, h, 65);
            *last = id;
        }
        db_done(r);
        if (rc < 0)
            return -1;
        if (n < 5000)
            return 1;
    }
}

int audit_verify(db *d, audit_check *c)
{
    memset(c, 0, sizeof *c);
    /* Checkpoints are read first: every line then names an entry committed
     * before the walk starts. */
    ckpt *cp = NULL;
    int64_t ncp = ckpt_read(&cp, &c->checkpoint_bad);
    if (ncp < 0) {
        log_warn("cannot read the audit checkpoint file %s", audit_checkpoint_file());
        c->checkpoint_bad = -1;
        ncp = 0;
    }
    c->checkpoints = ncp;
    if (ncp) {
        c->checkpoint_seq = cp[ncp - 1].seq;
        c->checkpoint_at = cp[ncp - 1].at;
    }
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t last = 0, ci = 0;
    int rc = -1;
    /* Entries appended while the walk runs move the head past the last
     * entry seen: walk on from there (a few times at most). */
    for (int tries = 0;; tries++) {
        int w = walk(d, c, &last, prev, cp, ncp, &ci);
        if (w <= 0) {
            rc = w;
            goto out;
        }
        db_res *r = db_queryv(d, "SELECT seq, hash, mac FROM audit_head WHERE id = ?", DI(1));
        if (!r)
            goto out;
        if (db_next(r) != 1) {
            db_done(r);
            goto out;
        }
        int64_t seq = db_int(r, 0);
        char hash[65], mac[65], want[65];
        snprintf(hash, sizeof hash, "%s", db_text(r, 1));
        snprintf(mac, sizeof mac, "%s", db_text(r, 2));
        db_done(r);
        if (seq > last && tries < 3)
            continue;
        rc = 0;
        if (seq != last || strcmp(hash, prev)) {
            bad(c, last + 1, "日志末尾与链头不符：链头记录到第 %lld 条，实际最后一条为第 %lld 条", (long long)seq,
                (long long)last);
            goto out;
        }
        audit_head_mac(seq, hash, want);
        if (seq > 0 && !gx_streq_ct(mac, want)) {
            bad(c, last + 1, "链头的认证码不符：链头被改写（末尾的日志可能已被删除）");
            goto out;
        }
        break;
    }
    if (ci < ncp) {
        char when[32];
        gx_shanghai_time(cp[ncp - 1].at, "%Y-%m-%d %H:%M", when, sizeof when);
        bad(c, last + 1, "日志末尾被截断：%s 的库外检查点记录到第 %lld 条，现在只有 %lld 条", when,
            (long long)cp[ncp - 1].seq, (long long)last);
        goto out;
    }
    c->ok = 1;
out:
    free(cp);
    return rc;
}

static json_t *parsed(const char *s, int isnull)
{
    if (isnull)
        return json_null();
    json_t *v = json_loads(s, 0, NULL);
    return v ? v : json_string(s);
}

int audit_list(db *d, arena *a, const audit_filter *f, json_t **items, int64_t *total, gx_err *e)
{
    qbuild q;
    q_init(&q, a);
    if (f->actor && *f->actor)
        q_andv(&q, "actor = ?", DS(f->actor));
    if (f->action && *f->action)
        q_match(&q, Q_PREFIX, f->action, "action", NULL);
    if (f->entity && *f->entity)
        q_andv(&q, "entity = ?", DS(f->entity));
    if (f->entity_id)
        q_andv(&q, "entity_id = ?", DI(f->entity_id));
    if (f->from >= 0)
        q_andv(&q, "at >= ?", DI(f->from));
    if (f->to >= 0)
        q_andv(&q, "at <= ?", DI(f->to));
    if (q_count(&q, d, "SELECT COUNT(*) FROM audit_log", total))
        return db_fail(d, e);
    db_res *r = q_page(&q, d,
                       "SELECT id, at, actor_id, actor, ip, action, entity, entity_id, before_json, after_json "
                       "FROM audit_log",
                       "ORDER BY id DESC", f->page, f->page_size);
    if (!r)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(r)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_int(r, 0)));
        json_object_set_new(o, "at", json_integer(db_int(r, 1)));
        json_object_set_new(o, "actor_id", db_isnull(r, 2) ? json_null() : json_integer(db_int(r, 2)));
        json_object_set_new(o, "actor", json_string(db_text(r, 3)));
        json_object_set_new(o, "ip", json_string(db_text(r, 4)));
        json_object_set_new(o, "action", json_string(db_text(r, 5)));
        json_object_set_new(o, "entity", json_string(db_text(r, 6)));
        json_object_set_new(o, "entity_id", db_isnull(r, 7) ? json_null() : json_integer(db_int(r, 7)));
        json_object_set_new(o, "before", parsed(db_text(r, 8), db_isnull(r, 8)));
        json_object_set_new(o, "after", parsed(db_text(r, 9), db_isnull(r, 9)));
        json_array_append_new(*items, o);
    }
    db_done(r);
    if (rc < 0) {
        json_decref(*items);
        *items = NULL;
        return db_fail(d, e);
    }
    return 0;
}

int audit_lookup_limits(db *d, json_t **items, gx_err *e)
{
    db_res *r = db_queryv(d,
                          "SELECT actor_id, actor, COUNT(*), MIN(at), MAX(at) FROM audit_log WHERE action = ? "
                          "GROUP BY actor_id, actor ORDER BY MAX(at) DESC, actor",
                          DS("cadre.lookup_limited"));
    if (!r)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(r)) == 1)
        json_array_append_new(*items, json_pack("{s:o,s:s,s:I,s:I,s:I}", "actor_id",
                                                db_isnull(r, 0) ? json_null() : json_integer(db_int(r, 0)), "actor",
                                                db_text(r, 1), "times", (json_int_t)db_int(r, 2), "first_at",
                                                (json_int_t)db_int(r, 3), "last_at", (json_int_t)db_int(r, 4)));
    db_done(r);
    if (rc < 0) {
        json_decref(*items);
        *items = NULL;
        return db_fail(d, e);
    }
    return 0;
}
