/* auth.c - login with lockout, logout, password change. Password hashing is
 * slow on purpose, so it always runs before the write transaction starts. */
#include "account_int.h"
#include "users.h"
#include "../base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "M月D日 HH:MM" in Asia/Shanghai (UTC+8, no daylight saving). */
static void shanghai_hm(int64_t t, char out[32])
{
    time_t x = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&x, &tm);
    snprintf(out, 32, "%d月%d日 %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static int locked(gx_err *e, int64_t until)
{
    char hm[32], msg[160];
    shanghai_hm(until, hm);
    snprintf(msg, sizeof msg, "连续登录失败次数过多，账户已锁定，请于 %s 后再试", hm);
    gx_fail(e, GX_ELOCKED, msg);
    gx_extra(e, "locked_until", json_integer(until));
    return -1;
}

/* Record a failed attempt in its own transaction. */
static int record_failure(db *d, const char *username, const char *ip, int64_t user_id, const char *reason)
{
    audit_actor who = {0, username, ip};
    json_t *after = json_pack("{s:s}", "reason", reason);
    int rc = -1;
    if (!db_begin(d)) {
        rc = audit_append(d, &who, "auth.login_failed", "user", user_id, NULL, after);
        rc = rc || db_commit(d);
        if (rc)
            db_rollback(d);
    }
    json_decref(after);
    return rc ? -1 : 0;
}

int auth_login(db *d, arena *a, const char *username, const char *password, const char *ip, gx_user *out,
               char token[44], char csrf[44], gx_err *e)
{
    sec_policy pol;
    if (policy_load(d, &pol, e))
        return -1;
    db_res *r = db_queryv(d, "SELECT id, password_hash, disabled, locked_until FROM users WHERE username = ?",
                          DS(username));
    if (!r)
        return db_fail(d, e);
    int rc = db_next(r);
    if (rc < 0) {
        db_done(r);
        return db_fail(d, e);
    }
    if (rc == 0) {
        db_done(r);
        password_dummy_verify(password); /* same time as a real check */
        if (record_failure(d, username, ip, 0, "unknown_user"))
            return db_fail(d, e);
        return gx_fail(e, GX_ECREDS, NULL);
    }
    int64_t id = db_int(r, 0);
    char *hash = gx_strdup(db_text(r, 1));
    int disabled = (int)db_int(r, 2);
    int64_t locked_until = db_isnull(r, 3) ? 0 : db_int(r, 3);
    db_done(r);
    int64_t now = gx_now();
    if (locked_until > now) {
        free(hash);
        if (record_failure(d, username, ip, id, "locked"))
            return db_fail(d, e);
        return locked(e, locked_until);
    }
    int ok = password_verify(password, hash);
    free(hash);
    audit_actor who = {id, username, ip};
    if (!ok) {
        if (db_begin(d))
            return db_fail(d, e);
        r = db_queryv(d, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
                      DI(id));
        if (!r || db_next(r) != 1) {
            db_done(r);
            return db_fail(d, e);
        }
        int64_t fails = db_int(r, 0);
        db_done(r);
        json_t *info = json_pack("{s:s,s:I}", "reason", "bad_password", "failed_logins", (json_int_t)fails);
        int64_t until = 0;
        if (fails >= pol.lock_threshold) {
            until = now + (int64_t)pol.lock_minutes * 60;
            json_object_set_new(info, "locked_until", json_integer(until));
            if (db_execv(d, "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", DI(until), DI(id)) !=
                1) {
                json_decref(info);
                return db_fail(d, e);
            }
        }
        audit_actor anon = {0, username, ip};
        int arc = audit_append(d, &anon, until ? "auth.locked" : "auth.login_failed", "user", id, NULL, info);
        json_decref(info);
        if (arc || db_commit(d))
            return db_fail(d, e);
        if (until)
            return locked(e, until);
        /* the same answer as for an unknown username: no hint that the account exists */
        return gx_fail(e, GX_ECREDS, NULL);
    }
    if (disabled) {
        if (record_failure(d, username, ip, id, "disabled"))
            return db_fail(d, e);
        return gx_fail(e, GX_EDISABLED, NULL);
    }
    if (db_begin(d))
        return db_fail(d, e);
    if (db_execv(d,
                 "UPDATE users SET failed_logins = 0, locked_until = NULL, previous_login_at = last_login_at, "
                 "last_login_at = ? WHERE id = ?",
                 DI(now), DI(id)) != 1 ||
        db_execv(d, "DELETE FROM sessions WHERE expires_at < ?", DI(now)) < 0)
        return db_fail(d, e);
    if (session_create(d, id, ip, &pol, token, csrf, e)) {
        db_rollback(d);
        return -1;
    }
    if (user_get(d, a, id, out, e)) {
        db_rollback(d);
        return -1;
    }
    if (audit_append(d, &who, "auth.login", "user", id, NULL, NULL) || db_commit(d))
        return db_fail(d, e);
    return 0;
}

int auth_logout(db *d, const audit_actor *who, const char *token_hash, gx_err *e)
{
    if (db_begin(d))
        return db_fail(d, e);
    if (session_end(d, token_hash) || audit_append(d, who, "auth.logout", "user", who->id, NULL, NULL) ||
        db_commit(d))
        return db_fail(d, e);
    return 0;
}

int auth_change_password(db *d, arena *a, const audit_actor *who, const session *s, const char *old_pw,
                         const char *new_pw, gx_user *out, gx_err *e)
{
    sec_policy pol;
    if (policy_load(d, &pol, e))
        return -1;
    db_res *r = db_queryv(d, "SELECT password_hash FROM users WHERE id = ?", DI(s->user.id));
    if (!r || db_next(r) != 1) {
        db_done(r);
        return db_fail(d, e);
    }
    char *hash = gx_strdup(db_text(r, 0));
    db_done(r);
    int ok = password_verify(old_pw, hash);
    free(hash);
    if (!ok) {
        gx_field(e, "old_password", "原密码不正确");
        return -1;
    }
    if (password_check(&pol, s->user.username, new_pw, "new_password", e))
        return -1;
    if (!strcmp(old_pw, new_pw)) {
        gx_field(e, "new_password", "新密码不能与原密码相同");
        return -1;
    }
    char *nh = password_hash(new_pw);
    int64_t now = gx_now();
    if (db_begin(d)) {
        free(nh);
        return db_fail(d, e);
    }
    int64_t n = db_execv(d,
                         "UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ?, "
                         "updated_at = ?, version = version + 1 WHERE id = ?",
                         DS(nh), DI(now), DI(now), DI(s->user.id));
    free(nh);
    if (n != 1 || session_end_user(d, s->user.id, s->token_hash))
        return db_fail(d, e);
    if (user_get(d, a, s->user.id, out, e)) {
        db_rollback(d);
        return -1;
    }
    json_t *after = json_pack("{s:b}", "must_change_password", 0);
    int arc = audit_append(d, who, "auth.password", "user", s->user.id, NULL, after);
    json_decref(after);
    if (arc || db_commit(d))
        return db_fail(d, e);
    return 0;
}
