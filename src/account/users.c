/* users.c - reading users, and account management. */
#include "account_int.h"
#include "users.h"
#include "../org/unit_hooks.h"
#include "../store/query.h"
#include "../base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void user_from_row(db_res *r, int c, arena *a, gx_user *u)
{
    u->id = db_int(r, c);
    u->username = arena_strdup(a, db_text(r, c + 1));
    u->display_name = arena_strdup(a, db_text(r, c + 2));
    u->roles = (uint32_t)db_int(r, c + 3);
    u->unit_id = db_isnull(r, c + 4) ? 0 : db_int(r, c + 4);
    u->unit_name = db_isnull(r, c + 5) ? NULL : arena_strdup(a, db_text(r, c + 5));
    u->disabled = (int)db_int(r, c + 6);
    u->must_change_password = (int)db_int(r, c + 7);
    u->locked_until = db_isnull(r, c + 8) ? 0 : db_int(r, c + 8);
    u->last_login_at = db_isnull(r, c + 9) ? 0 : db_int(r, c + 9);
    u->created_at = db_int(r, c + 10);
    u->version = db_int(r, c + 11);
    u->previous_login_at = db_isnull(r, c + 12) ? 0 : db_int(r, c + 12);
}

static json_t *int_or_null(int64_t v) { return v ? json_integer(v) : json_null(); }

json_t *user_json(const gx_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "username", json_string(u->username));
    json_object_set_new(o, "display_name", json_string(u->display_name));
    json_object_set_new(o, "roles", roles_json(u->roles));
    json_object_set_new(o, "unit_id", int_or_null(u->unit_id));
    json_object_set_new(o, "unit_name", u->unit_name ? json_string(u->unit_name) : json_null());
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "must_change_password", json_boolean(u->must_change_password));
    json_object_set_new(o, "locked_until", u->locked_until > gx_now() ? json_integer(u->locked_until) : json_null());
    json_object_set_new(o, "last_login_at", int_or_null(u->last_login_at));
    json_object_set_new(o, "previous_login_at", int_or_null(u->previous_login_at));
    json_object_set_new(o, "created_at", json_integer(u->created_at));
    json_object_set_new(o, "version", json_integer(u->version));
    return o;
}

int user_get(db *d, arena *a, int64_t id, gx_user *u, gx_err *e)
{
    db_res *r = db_queryv(d, "SELECT " USER_COLS " FROM " USER_FROM " WHERE u.id = ?", DI(id));
    if (!r)
        return gx_fail(e, db_errcode(d) == DB_ECONN ? GX_EUNAVAIL : GX_EINTERNAL, NULL);
    int rc = db_next(r);
    if (rc == 1)
        user_from_row(r, 0, a, u);
    db_done(r);
    if (rc < 0)
        return gx_fail(e, GX_EINTERNAL, NULL);
    if (rc == 0)
        return gx_fail(e, GX_ENOTFOUND, "用户不存在");
    return 0;
}

static int unit_exists(db *d, int64_t id, gx_err *e)
{
    int64_t x;
    int rc = db_scalar(d, "SELECT id FROM units WHERE id = ?", DB_ARGV(DI(id)), &x);
    if (rc < 0)
        return db_fail(d, e);
    if (rc == 0) {
        gx_field(e, "unit_id", "单位不存在");
        return -1;
    }
    return 0;
}

static int username_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 32 || !islower((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && !strchr("._-", s[i]))
            return 0;
    return 1;
}

int users_list(db *d, arena *a, const user_filter *f, json_t **items, int64_t *total, gx_err *e)
{
    qbuild q;
    q_init(&q, a);
    if (f->q && *f->q)
        q_match(&q, Q_CONTAINS, f->q, "u.username", "u.display_name", NULL);
    if (f->role)
        q_andv(&q, "(u.roles & ?) <> 0", DI(f->role));
    if (f->unit_id)
        q_andv(&q, "u.unit_id = ?", DI(f->unit_id));
    if (f->disabled >= 0)
        q_andv(&q, "u.disabled = ?", DI(f->disabled));
    if (q_count(&q, d, "SELECT COUNT(*) FROM " USER_FROM, total))
        return db_fail(d, e);
    db_res *r = q_page(&q, d, "SELECT " USER_COLS " FROM " USER_FROM, "ORDER BY u.id", f->page, f->page_size);
    if (!r)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(r)) == 1) {
        gx_user u;
        user_from_row(r, 0, a, &u);
        json_array_append_new(*items, user_json(&u));
    }
    db_done(r);
    if (rc < 0) {
        json_decref(*items);
        *items = NULL;
        return db_fail(d, e);
    }
    return 0;
}

int users_create(db *d, arena *a, const audit_actor *who, const user_new *in, gx_user *out, gx_err *e)
{
    if (!username_ok(in->username))
        gx_field(e, "username", "用户名应为 3–32 位小写字母、数字或 . _ -，并以字母开头");
    if (in->roles & ROLES_ADMIN3)
        gx_field(e, "roles", "三员角色只能由运维人员在服务器命令行授予");
    else
        roles_check(in->roles, "roles", e);
    if ((in->roles & ROLE_LIAISON) && !in->unit_id)
        gx_field(e, "unit_id", "单位专管员必须指定所属单位");
    sec_policy pol;
    if (e->code == GX_OK && policy_load(d, &pol, e))
        return -1;
    if (e->code == GX_OK)
        password_check(&pol, in->username, in->password, "password", e);
    if (e->code == GX_OK && in->unit_id)
        unit_exists(d, in->unit_id, e);
    if (e->code != GX_OK)
        return -1;

    char *hash = password_hash(in->password); /* slow: outside the write lock */
    int64_t now = gx_now();
    if (db_begin(d)) {
        free(hash);
        return db_fail(d, e);
    }
    int64_t id = 0;
    db_res *r = db_queryv(d,
                          "INSERT INTO users (username, display_name, password_hash, roles, unit_id, "
                          "must_change_password, created_at, updated_at, password_changed_at) "
                          "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                          DS(in->username), DS(in->display_name), DS(hash), DI(in->roles),
                          in->unit_id ? DI(in->unit_id) : DN, DI(now), DI(now), DI(now));
    free(hash);
    if (!r || db_next(r) != 1) {
        int dup = db_errcode(d) == DB_ECONSTRAINT;
        db_done(r);
        if (dup) {
            db_rollback(d);
            gx_field(e, "username", "用户名已存在");
            e->code = GX_ECONFLICT;
            snprintf(e->message, sizeof e->message, "用户名已存在");
            return -1;
        }
        return db_fail(d, e);
    }
    id = db_int(r, 0);
    db_done(r);
    if (user_get(d, a, id, out, e)) {
        db_rollback(d);
        return -1;
    }
    json_t *after = user_json(out);
    int rc = audit_append(d, who, "user.create", "user", id, NULL, after);
    json_decref(after);
    if (rc || db_commit(d))
        return db_fail(d, e);
    return 0;
}

/* Load the target of an administrator's change, inside the transaction. */
static int load_target(db *d, arena *a, int64_t id, int64_t version, gx_user *u, gx_err *e)
{
    if (user_get(d, a, id, u, e))
        return -1;
    if (u->roles & ROLES_ADMIN3)
        return gx_fail(e, GX_EFORBIDDEN, "三员账户只能由运维人员在服务器命令行维护");
    if (u->version != version)
        return gx_fail(e, GX_EVERSION, NULL);
    return 0;
}

int users_update(db *d, arena *a, const audit_actor *who, int64_t id, const user_patch *p, gx_user *out, gx_err *e)
{
    if (p->has_roles) {
        if (p->roles & ROLES_ADMIN3)
            gx_field(e, "roles", "三员角色只能由运维人员在服务器命令行授予");
        else
            roles_check(p->roles, "roles", e);
    }
    if (p->has_unit && p->unit_id && e->code == GX_OK)
        unit_exists(d, p->unit_id, e);
    if (e->code != GX_OK)
        return -1;
    if (db_begin(d))
        return db_fail(d, e);
    gx_user cur;
    if (load_target(d, a, id, p->version, &cur, e)) {
        db_rollback(d);
        return -1;
    }
    uint32_t roles = p->has_roles ? p->roles : cur.roles;
    int64_t unit = p->has_unit ? p->unit_id : cur.unit_id;
    if ((roles & ROLE_LIAISON) && !unit) {
        db_rollback(d);
        gx_field(e, "unit_id", "单位专管员必须指定所属单位");
        return -1;
    }
    int disabled = p->disabled >= 0 ? p->disabled : cur.disabled;
    const char *name = p->display_name ? p->display_name : cur.display_name;
    if (db_execv(d,
                 "UPDATE users SET display_name = ?, roles = ?, unit_id = ?, disabled = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND version = ?",
                 DS(name), DI(roles), unit ? DI(unit) : DN, DI(disabled), DI(gx_now()), DI(id), DI(p->version)) != 1)
        return db_fail(d, e);
    if (disabled && !cur.disabled && session_end_user(d, id, NULL))
        return db_fail(d, e);
    if (user_get(d, a, id, out, e)) {
        db_rollback(d);
        return -1;
    }
    json_t *before = user_json(&cur), *after = user_json(out);
    int rc = audit_append(d, who, "user.update", "user", id, before, after);
    json_decref(before);
    json_decref(after);
    if (rc || db_commit(d))
        return db_fail(d, e);
    return 0;
}

int users_reset_password(db *d, arena *a, const audit_actor *who, int64_t id, int64_t version, const char *password,
                         gx_user *out, gx_err *e)
{
    gx_user cur;
    if (user_get(d, a, id, &cur, e))
        return -1;
    sec_policy pol;
    if (policy_load(d, &pol, e) || password_check(&pol, cur.username, password, "password", e))
        return -1;
    char *hash = password_hash(password);
    if (db_begin(d)) {
        free(hash);
        return db_fail(d, e);
    }
    if (load_target(d, a, id, version, &cur, e)) {
        free(hash);
        db_rollback(d);
        return -1;
    }
    int64_t now = gx_now();
    int64_t n = db_execv(d,
                         "UPDATE users SET password_hash = ?, must_change_password = 1, failed_logins = 0, "
                         "locked_until = NULL, password_changed_at = ?, updated_at = ?, version = version + 1 "
                         "WHERE id = ? AND version = ?",
                         DS(hash), DI(now), DI(now), DI(id), DI(version));
    free(hash);
    if (n != 1 || session_end_user(d, id, NULL))
        return db_fail(d, e);
    if (user_get(d, a, id, out, e)) {
        db_rollback(d);
        return -1;
    }
    json_t *before = user_json(&cur), *after = user_json(out);
    int rc = audit_append(d, who, "user.reset_password", "user", id, before, after);
    json_decref(before);
    json_decref(after);
    if (rc || db_commit(d))
        return db_fail(d, e);
    return 0;
}

int user_add_cli(db *d, const char *username, uint32_t roles, int64_t unit_id, const char *password, char *err,
                 size_t errlen)
{
    gx_err e = GX_ERR_INIT;
    sec_policy pol;
    const char *msg = NULL;
    if (!username_ok(username))
        msg = "username must be 3-32 of a-z 0-9 . _ - starting with a letter";
    else if (roles_check(roles, "role", &e))
        msg = "roles: sysadmin, secadmin and auditor are each exclusive (三员分立)";
    else if ((roles & ROLE_LIAISON) && !unit_id)
        msg = "a liaison needs --unit";
    else if (unit_id && unit_exists(d, unit_id, &e))
        msg = "unit does not exist";
    else if (policy_load(d, &pol, &e))
        msg = "cannot read the security policy";
    else if (password_check(&pol, username, password, "password", &e)) {
        const char *m = json_string_value(json_object_get(e.fields, "password"));
        snprintf(err, errlen, "password rejected: %s", m ? m : "?");
        gx_err_clear(&e);
        return -1;
    }
    gx_err_clear(&e);
    if (msg) {
        snprintf(err, errlen, "%s", msg);
        return -1;
    }
    char *hash = password_hash(password);
    int64_t now = gx_now();
    audit_actor who = {0, "cli", "local"};
    arena *a = arena_new();
    int rc = -1;
    if (db_begin(d))
        goto out;
    db_res *r = db_queryv(d,
                          "INSERT INTO users (username, display_name, password_hash, roles, unit_id, "
                          "must_change_password, created_at, updated_at, password_changed_at) "
                          "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
                          DS(username), DS(username), DS(hash), DI(roles), unit_id ? DI(unit_id) : DN, DI(now),
                          DI(now), DI(now));
    if (!r || db_next(r) != 1) {
        snprintf(err, errlen, db_errcode(d) == DB_ECONSTRAINT ? "user %s already exists" : "cannot add user %s: %s",
                 username, db_errmsg(d));
        db_done(r);
        db_rollback(d);
        goto out;
    }
    int64_t id = db_int(r, 0);
    db_done(r);
    gx_user u;
    if (user_get(d, a, id, &u, &e)) {
        db_rollback(d);
        snprintf(err, errlen, "cannot read back the new user");
        goto out;
    }
    json_t *after = user_json(&u);
    int arc = audit_append(d, &who, "user.create", "user", id, NULL, after);
    json_decref(after);
    if (arc || db_commit(d)) {
        db_rollback(d);
        snprintf(err, errlen, "cannot add user: %s", db_errmsg(d));
        goto out;
    }
    rc = 0;
out:
    gx_err_clear(&e);
    arena_free(a);
    free(hash);
    return rc;
}

/* --- unit changes (org's hooks) --- */

/* Accounts bound to a merged unit are bound to the unit it merged into. */
static int units_merged(db *d, const audit_actor *who, int64_t from, int64_t into, const char *date, int64_t now)
{
    (void)who;
    (void)date;
    return db_execv(d, "UPDATE users SET unit_id = ?, updated_at = ?, version = version + 1 WHERE unit_id = ?",
                    DI(into), DI(now), DI(from)) < 0
               ? -1
               : 0;
}

const unit_hooks account_unit_hooks = {"account", units_merged, NULL};
