/* account_http.c - the account area's routes: thin handlers (typed input
 * bound from the checked JSON, call the module, render the result), the
 * authentication hook the server calls for every non-public route, and the
 * area's descriptor. */
#include "account_http.h"
#include "users.h"
#include "../area.h"
#include "../base/util.h"

#include <string.h>

/* --- the hook the application installs (http_hooks.authenticate) --- */

int account_authenticate(req *r)
{
    const char *token = cookie_get(r->a, req_header(r, "Cookie"), "gx_session");
    if (!token)
        return 0;
    session *s = arena_alloc(r->a, sizeof *s);
    int rc = session_lookup(r->db, r->a, token, s);
    if (rc != 1)
        return rc;
    r->sess = s;
    r->user = (principal){
        .id = s->user.id,
        .username = s->user.username,
        .roles = s->user.roles,
        .unit_id = s->user.unit_id,
        .csrf = s->csrf,
        .must_change_password = s->user.must_change_password,
    };
    return 1;
}

/* --- input tables --- */

typedef struct login_in {
    const char *username, *password;
} login_in;

static const jfield login_body[] = {
    {"username", JF_STR, 1, 1, 64, "用户名", .at = AT(login_in, username)},
    {"password", JF_STR, 1, 1, 128, "密码", .at = AT(login_in, password)},
    {0},
};

typedef struct password_in {
    const char *old_password, *new_password;
} password_in;

static const jfield password_body[] = {
    {"old_password", JF_STR, 1, 1, 128, "原密码", .at = AT(password_in, old_password)},
    {"new_password", JF_STR, 1, 1, 128, "新密码", .at = AT(password_in, new_password)},
    {0},
};

/* A user as the API gives it; roles become a mask after binding. */
typedef struct user_in {
    int64_t version;
    const char *username, *display_name, *password;
    strlist roles;
    int64_t unit_id; /* -1: unchanged (PATCH); null binds 0: none */
    int disabled;    /* -1: unchanged */
} user_in;

static const jfield user_create_body[] = {
    {"username", JF_STR, 1, 3, 32, "用户名：小写字母开头，小写字母、数字或 . _ -", .at = AT(user_in, username)},
    {"display_name", JF_STR, 1, 1, 64, "姓名", .at = AT(user_in, display_name)},
    {"roles", JF_STR_ARRAY, 1, 1, 6, "业务角色代码", .at = AT(user_in, roles)},
    {"unit_id", JF_ID | JF_NULL, 0, 1, INT64_MAX, "所属单位（单位专管员必填）", .at = AT(user_in, unit_id)},
    {"password", JF_STR, 1, 1, 128, "初始密码（首次登录须修改）", .at = AT(user_in, password)},
    {0},
};

static const jfield user_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = AT(user_in, version)},
    {"display_name", JF_STR, 0, 1, 64, "姓名", .at = AT(user_in, display_name)},
    {"roles", JF_STR_ARRAY, 0, 1, 6, "业务角色代码", .at = AT(user_in, roles)},
    {"unit_id", JF_ID | JF_NULL, 0, 1, INT64_MAX, "所属单位", .at = AT(user_in, unit_id)},
    {"disabled", JF_BOOL, 0, 0, 0, "停用", .at = AT(user_in, disabled)},
    {0},
};

static const jfield user_reset_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = AT(user_in, version)},
    {"password", JF_STR, 1, 1, 128, "新的初始密码", .at = AT(user_in, password)},
    {0},
};

typedef struct policy_in {
    int64_t version, password_min_length, lock_threshold, lock_minutes, session_idle_minutes, session_max_hours,
        import_max_rows_liaison, lookup_limit_per_minute;
} policy_in;

static const jfield policy_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号", .at = AT(policy_in, version)},
    {"password_min_length", JF_INT, 1, 8, 64, "密码最短长度", .at = AT(policy_in, password_min_length)},
    {"lock_threshold", JF_INT, 1, 3, 10, "连续失败几次锁定", .at = AT(policy_in, lock_threshold)},
    {"lock_minutes", JF_INT, 1, 1, 1440, "锁定分钟数", .at = AT(policy_in, lock_minutes)},
    {"session_idle_minutes", JF_INT, 1, 5, 120, "会话空闲超时（分钟）", .at = AT(policy_in, session_idle_minutes)},
    {"session_max_hours", JF_INT, 1, 1, 24, "会话最长时长（小时）", .at = AT(policy_in, session_max_hours)},
    {"import_max_rows_liaison", JF_INT, 0, 1, 100000, "单位专管员单次导入最多行数（不填则不变）",
     .at = AT(policy_in, import_max_rows_liaison)},
    {"lookup_limit_per_minute", JF_INT, 0, 1, 1000, "每个账户每分钟按身份证号、电话精确查询的次数上限（不填则不变）",
     .at = AT(policy_in, lookup_limit_per_minute)},
    {0},
};

typedef struct users_q {
    const char *q, *role;
    int64_t unit_id;
    int disabled;
} users_q;

static const char *const role_codes[] = {"sysadmin", "secadmin", "auditor", "orgadmin", "instadmin",
                                         "liaison",  "advisor",  "lecturer", "trainee", NULL};

static const qfield users_query[] = {
    {"q", Q_STR, 0, 64, "用户名或姓名包含", .at = AT(users_q, q)},
    {"role", Q_ENUM, 0, 16, "角色代码", role_codes, AT(users_q, role)},
    {"unit_id", Q_ID, 1, INT64_MAX, "所属单位", .at = AT(users_q, unit_id)},
    {"disabled", Q_BOOL, 0, 0, "是否停用", .at = AT(users_q, disabled)},
    {0},
};

/* --- handlers --- */

static void reply_user(req *r, int status, const gx_user *u, const char *csrf)
{
    json_t *o = json_object();
    json_object_set_new(o, "user", user_json(u));
    if (csrf)
        json_object_set_new(o, "csrf_token", json_string(csrf));
    reply_json(r, status, o);
}

static void h_login(req *r)
{
    login_in in = {0};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    gx_user u;
    char token[44], csrf[44];
    if (auth_login(r->db, r->a, in.username, in.password, r->ip, &u, token, csrf, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_session_cookie(r, token);
    reply_user(r, 200, &u, csrf);
}

static void h_logout(req *r)
{
    gx_err e = GX_ERR_INIT;
    audit_actor who = req_who(r);
    if (auth_logout(r->db, &who, r->sess->token_hash, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_session_cookie(r, NULL);
    reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static void h_me(req *r) { reply_user(r, 200, &r->sess->user, r->sess->csrf); }

static void h_password(req *r)
{
    password_in in = {0};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    gx_user u;
    audit_actor who = req_who(r);
    if (auth_change_password(r->db, r->a, &who, r->sess, in.old_password, in.new_password, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_user(r, 200, &u, NULL);
}

static void h_users_list(req *r)
{
    users_q q = {.disabled = -1};
    req_query(r, &q);
    user_filter f = {.q = q.q, .role = q.role ? role_bit(q.role) : 0, .unit_id = q.unit_id, .disabled = q.disabled};
    req_paging(r, &f.page, &f.page_size);
    json_t *items;
    int64_t total;
    gx_err e = GX_ERR_INIT;
    if (users_list(r->db, r->a, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

static void h_users_create(req *r)
{
    user_in in = {0};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    user_new n = {
        .username = in.username,
        .display_name = in.display_name,
        .roles = roles_parse_codes(in.roles.v, in.roles.n, "roles", &e),
        .unit_id = in.unit_id,
        .password = in.password,
    };
    gx_user u;
    audit_actor who = req_who(r);
    if (e.code != GX_OK || users_create(r->db, r->a, &who, &n, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201, user_json(&u));
}

static void h_users_get(req *r)
{
    gx_err e = GX_ERR_INIT;
    gx_user u;
    if (user_get(r->db, r->a, r->ids[0], &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

static void h_users_patch(req *r)
{
    user_in in = {.unit_id = -1, .disabled = -1};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    user_patch p = {
        .version = in.version,
        .display_name = in.display_name,
        .has_roles = in.roles.set,
        .roles = in.roles.set ? roles_parse_codes(in.roles.v, in.roles.n, "roles", &e) : 0,
        .has_unit = in.unit_id >= 0,
        .unit_id = in.unit_id > 0 ? in.unit_id : 0, /* null: none */
        .disabled = in.disabled,
    };
    gx_user u;
    audit_actor who = req_who(r);
    if (e.code != GX_OK || users_update(r->db, r->a, &who, r->ids[0], &p, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

static void h_users_reset(req *r)
{
    user_in in = {0};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    gx_user u;
    audit_actor who = req_who(r);
    if (users_reset_password(r->db, r->a, &who, r->ids[0], in.version, in.password, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

static void h_password_rules(req *r)
{
    gx_err e = GX_ERR_INIT;
    sec_policy p;
    if (policy_load(r->db, &p, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:i,s:i,s:i,s:b}", "min_length", p.password_min_length, "max_bytes", 128, "min_classes", 3,
                         "no_username", 1));
}

static void h_policy_get(req *r)
{
    gx_err e = GX_ERR_INIT;
    sec_policy p;
    if (policy_load(r->db, &p, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, policy_json(&p));
}

static void h_policy_put(req *r)
{
    policy_in in = {0};
    req_body(r, &in);
    gx_err e = GX_ERR_INIT;
    sec_policy p = {
        .password_min_length = (int)in.password_min_length,
        .lock_threshold = (int)in.lock_threshold,
        .lock_minutes = (int)in.lock_minutes,
        .session_idle_minutes = (int)in.session_idle_minutes,
        .session_max_hours = (int)in.session_max_hours,
        .import_max_rows_liaison = (int)in.import_max_rows_liaison, /* absent: 0, unchanged */
        .lookup_limit_per_minute = (int)in.lookup_limit_per_minute, /* absent: 0, unchanged */
        .version = in.version,
    }, out;
    audit_actor who = req_who(r);
    if (policy_save(r->db, &who, &p, &out, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, policy_json(&out));
}

/* --- the area --- */

static const char schemas[] = JSON_TEXT({
    "User": {"type": "object", "additionalProperties": false,
             "required": ["id", "username", "display_name", "roles", "unit_id", "unit_name", "disabled",
                          "must_change_password", "locked_until", "last_login_at", "previous_login_at", "created_at",
                          "version"],
             "properties": {
                 "id": {"type": "integer"}, "username": {"type": "string"}, "display_name": {"type": "string"},
                 "roles": {"type": "array", "items": {"type": "string",
                           "enum": ["sysadmin", "secadmin", "auditor", "orgadmin", "instadmin", "liaison",
                                    "advisor", "lecturer", "trainee"]}},
                 "unit_id": {"type": ["integer", "null"]}, "unit_name": {"type": ["string", "null"]},
                 "disabled": {"type": "boolean"}, "must_change_password": {"type": "boolean"},
                 "locked_until": {"type": ["integer", "null"], "description": "Unix seconds while locked"},
                 "last_login_at": {"type": ["integer", "null"]},
                 "previous_login_at": {"type": ["integer", "null"], "description": "the login before this one"},
                 "created_at": {"type": "integer"}, "version": {"type": "integer"}}},
    "SessionUser": {"type": "object", "additionalProperties": false, "required": ["user"],
                    "properties": {"user": {"$ref": "#/components/schemas/User"},
                                   "csrf_token": {"type": "string", "description": "send as X-CSRF-Token on writes"}}},
    "Ok": {"type": "object", "additionalProperties": false, "required": ["ok"],
           "properties": {"ok": {"type": "boolean"}}},
    "PasswordRules": {"type": "object", "additionalProperties": false,
                      "required": ["min_length", "max_bytes", "min_classes", "no_username"],
                      "properties": {"min_length": {"type": "integer"}, "max_bytes": {"type": "integer"},
                                     "min_classes": {"type": "integer"}, "no_username": {"type": "boolean"}}},
    "SecurityPolicy": {"type": "object", "additionalProperties": false,
                       "required": ["password_min_length", "lock_threshold", "lock_minutes", "session_idle_minutes",
                                    "session_max_hours", "import_max_rows_liaison", "lookup_limit_per_minute", "version"],
                       "properties": {"password_min_length": {"type": "integer"},
                                      "lock_threshold": {"type": "integer"}, "lock_minutes": {"type": "integer"},
                                      "session_idle_minutes": {"type": "integer"},
                                      "session_max_hours": {"type": "integer"},
                                      "import_max_rows_liaison": {"type": "integer",
                                                                  "description": "most rows a liaison may import at once"},
                                      "lookup_limit_per_minute": {"type": "integer",
                                                                  "description": "exact ID-number / phone lookups per account and minute"},
                                      "version": {"type": "integer"}}}
});

static const char *const audit_actions[] = {"auth.login",      "auth.login_failed", "auth.locked",
                                            "auth.throttled",  "auth.logout",       "auth.password",
                                            "auth.password_failed", "user.create",  "user.update",
                                            "user.reset_password",  "security.policy", NULL};

#define ANY 0u

static const route routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response, out */
    {M_POST, "/api/v1/auth/login", ANY, R_PUBLIC | R_NO_CSRF, h_login, login_body, NULL, 0, "auth", "登录", "user, csrf_token; sets the gx_session cookie", "SessionUser"},
    {M_POST, "/api/v1/auth/logout", ANY, R_PWCHANGE, h_logout, NULL, NULL, 0, "auth", "退出登录", "ok", "Ok"},
    {M_GET, "/api/v1/auth/me", ANY, R_PWCHANGE, h_me, NULL, NULL, 0, "auth", "当前用户与防伪令牌", "user, csrf_token", "SessionUser"},
    {M_GET, "/api/v1/auth/password-rules", ANY, R_PWCHANGE, h_password_rules, NULL, NULL, 0, "auth", "密码规则（供修改密码页显示）", "min_length, max_bytes, min_classes, no_username", "PasswordRules"},
    {M_POST, "/api/v1/auth/password", ANY, R_PWCHANGE, h_password, password_body, NULL, 0, "auth", "修改本人密码", "user", "SessionUser"},

    {M_GET, "/api/v1/users", ROLE_SYSADMIN, R_LIST, h_users_list, NULL, users_query, 0, "users", "用户列表", "list of User", "list:User"},
    {M_POST, "/api/v1/users", ROLE_SYSADMIN, R_CREATED, h_users_create, user_create_body, NULL, 0, "users", "新建用户", "User (201)", "User"},
    {M_GET, "/api/v1/users/{id}", ROLE_SYSADMIN, 0, h_users_get, NULL, NULL, 0, "users", "查看用户", "User", "User"},
    {M_PATCH, "/api/v1/users/{id}", ROLE_SYSADMIN, 0, h_users_patch, user_patch_body, NULL, 0, "users", "修改用户（姓名、角色、单位、停用）", "User", "User"},
    {M_POST, "/api/v1/users/{id}/reset-password", ROLE_SYSADMIN, 0, h_users_reset, user_reset_body, NULL, 0, "users", "重置密码并解锁", "User", "User"},

    {M_GET, "/api/v1/security/policy", ROLE_SECADMIN, 0, h_policy_get, NULL, NULL, 0, "security", "安全策略", "policy", "SecurityPolicy"},
    {M_PUT, "/api/v1/security/policy", ROLE_SECADMIN, 0, h_policy_put, policy_body, NULL, 0, "security", "修改安全策略", "policy", "SecurityPolicy"},
    {0},
};

extern const unit_hooks account_unit_hooks; /* users.c */

const area account_area = {{"account", routes, schemas, audit_actions}, &account_unit_hooks};
