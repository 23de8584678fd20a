/* auth.c - login with lockout and per-address throttling, logout, password
 * change. Password hashing is slow on purpose, so it always runs before the
 * write transaction starts. */
#include "account_int.h"
#include "users.h"
#include "../base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error saying until when ("M月D日 HH:MM", Asia/Shanghai), with the time
 * itself in the error object under key. */
static int fail_until(gx_err *e, gx_code code, const char *fmt, const char *key, int64_t until)
{
    char hm[32], msg[160];
    gx_shanghai_time(until, "%-m月%-d日 %H:%M", hm, sizeof hm);
    snprintf(msg, sizeof msg, fmt, hm);
    gx_fail(e, code, msg);
    gx_extra(e, key, json_integer(until));
    return -1;
}

static int locked(gx_err *e, int64_t until)
{
    return fail_until(e, GX_ELOCKED, "连续登录失败次数过多，账户已锁定，请于 %s 后再试", "locked_until", until);
}

static int throttled(gx_err *e, int64_t until)
{
    return fail_until(e, GX_ETHROTTLED, "该地址登录失败次数过多，请于 %s 后再试", "throttled_until", until);
}

enum { COUNT_ADDR = 1, COUNT_ACCOUNT = 2 };

/* A failed attempt, in its own transaction and audited: counted for the
 * client's address (COUNT_ADDR) and toward the lockout (COUNT_ACCOUNT) of
 * the account, or of the unknown username (user_id 0) exactly the same way
 * so that the answers never tell whether an account exists. A lock caused
 * from inside a session (a wrong old password) ends the account's sessions.
 * *until: the lock's end when this attempt locked it. 0 ok, -1 db error. */
static int fail_attempt(db *d, const sec_policy *pol, const audit_actor *who, const char *username, int64_t user_id,
                        const char *reason, const char *action, int count, int64_t *until)
{
    int64_t now = gx_now(), blocked = 0, strikes = 0, fails = 0;
    *until = 0;
    if (db_begin(d) || ((count & COUNT_ADDR) && throttle_failure(d, who->ip, now, &blocked, &strikes)))
        return -1;
    if (count & COUNT_ACCOUNT) {
        db_res *r = user_id ? db_queryv(d,
                                        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? "
                                        "RETURNING failed_logins",
                                        DI(user_id))
                            : db_queryv(d,
                                        "INSERT INTO login_unknown (username, failed_logins) VALUES (?, 1) "
                                        "ON CONFLICT (username) DO UPDATE SET "
                                        "failed_logins = login_unknown.failed_logins + 1 RETURNING failed_logins",
                                        DS(username));
        if (!r || db_next(r) != 1) {
            db_done(r);
            return -1;
        }
        fails = db_int(r, 0);
        db_done(r);
        if (fails >= pol->lock_threshold) {
            *until = now + (int64_t)pol->lock_minutes * 60;
            int64_t n = user_id ? db_execv(d, "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                                           DI(*until), DI(user_id))
                                : db_execv(d,
                                           "UPDATE login_unknown SET failed_logins = 0, locked_until = ? "
                                           "WHERE username = ?",
                                           DI(*until), DS(username));
            if (n != 1 || (who->id && session_end_user(d, user_id, NULL)) ||
                db_execv(d, "DELETE FROM login_unknown WHERE failed_logins = 0 AND locked_until < ?", DI(now)) < 0)
                return -1;
        }
    }
    json_t *info = json_pack("{s:s}", "reason", reason);
    if (count & COUNT_ACCOUNT)
        json_object_set_new(info, "failed_logins", json_integer(fails));
    if (*until)
        json_object_set_new(info, "locked_until", json_integer(*until));
    int rc = audit_append(d, who, *until ? "auth.locked" : action, "user", user_id, NULL, info);
    json_decref(info);
    if (!rc && blocked) {
        json_t *t = json_pack("{s:s,s:I,s:I}", "ip", who->ip, "throttled_until", (json_int_t)blocked, "strikes",
                              (json_int_t)strikes);
        rc = audit_append(d, who, "auth.throttled", "address", 0, NULL, t);
        json_decref(t);
    }
    return rc || db_commit(d) ? -1 : 0;
}

int auth_login(db *d, arena *a, const char *username, const char *password, const char *ip, gx_user *out,
               char token[44], char csrf[44], gx_err *e)
{
    sec_policy pol;
    if (policy_load(d, &pol, e))
        return -1;
    int64_t now = gx_now(), blocked;
    if (throttle_until(d, ip, now, &blocked))
        return db_fail(d, e);
    if (blocked)
        return throttled(e, blocked);
    db_res *r = db_queryv(d, "SELECT id, password_hash, disabled, locked_until FROM users WHERE username = ?",
                          DS(username));
    if (!r)
        return db_fail(d, e);
    int rc = db_next(r);
    int64_t id = 0, locked_until = 0;
    char *hash = NULL;
    int disabled = 0;
    if (rc == 1) {
        id = db_int(r, 0);
        hash = gx_strdup(db_text(r, 1));
        disabled = (int)db_int(r, 2);
        locked_until = db_isnull(r, 3) ? 0 : db_int(r, 3);
    }
    db_done(r);
    if (rc < 0)
        return db_fail(d, e);
    if (!id) {
        /* An unknown username is counted and locked like an account. */
        if (db_scalar(d, "SELECT COALESCE(locked_until, 0) FROM login_unknown WHERE username = ?",
                      DB_ARGV(DS(username)), &locked_until) < 0)
            return db_fail(d, e);
    }
    audit_actor anon = {0, username, ip};
    int64_t until;
    if (locked_until > now) {
        free(hash);
        if (fail_attempt(d, &pol, &anon, username, id, "locked", "auth.login_failed", COUNT_ADDR, &until))
            return db_fail(d, e);
        return locked(e, locked_until);
    }
    int ok = 0;
    if (hash)
        ok = password_verify(password, hash);
    else
        password_dummy_verify(password); /* same time as a real check */
    free(hash);
    if (!ok) {
        if (fail_attempt(d, &pol, &anon, username, id, id ? "bad_password" : "unknown_user", "auth.login_failed",
                         COUNT_ADDR | COUNT_ACCOUNT, &until))
            return db_fail(d, e);
        if (until)
            return locked(e, until);
        /* the same answer as for an unknown username: no hint that the account exists */
        return gx_fail(e, GX_ECREDS, NULL);
    }
    if (disabled) {
        if (fail_attempt(d, &pol, &anon, username, id, "disabled", "auth.login_failed", 0, &until))
            return db_fail(d, e);
        return gx_fail(e, GX_EDISABLED, NULL);
    }
    audit_actor who = {id, username, ip};
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
        /* Counted toward the lockout like a failed login, and audited: a
         * stolen session must not become an unlimited password oracle. */
        int64_t until;
        if (fail_attempt(d, &pol, who, s->user.username, s->user.id, "bad_old_password", "auth.password_failed",
                         COUNT_ADDR | COUNT_ACCOUNT, &until))
            return db_fail(d, e);
        if (until)
            return locked(e, until);
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
                         "failed_logins = 0, updated_at = ?, version = version + 1 WHERE id = ?",
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
