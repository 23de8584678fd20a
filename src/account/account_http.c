/* account_http.c - thin handlers: typed input from the checked JSON, call
 * the module, render the result. */
#include "account_http.h"
#include "users.h"

#include <string.h>

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) json_integer_value(json_object_get((o), (k)))

const jfield login_body[] = {
    {"username", JF_STR, 1, 1, 64, "用户名"},
    {"password", JF_STR, 1, 1, 128, "密码"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield password_body[] = {
    {"old_password", JF_STR, 1, 1, 128, "原密码"},
    {"new_password", JF_STR, 1, 1, 128, "新密码"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield user_create_body[] = {
    {"username", JF_STR, 1, 3, 32, "用户名：小写字母开头，小写字母、数字或 . _ -"},
    {"display_name", JF_STR, 1, 1, 64, "姓名"},
    {"roles", JF_STR_ARRAY, 1, 1, 6, "业务角色代码"},
    {"unit_id", JF_INT_NULL, 0, 1, INT64_MAX, "所属单位（单位专管员必填）"},
    {"password", JF_STR, 1, 1, 128, "初始密码（首次登录须修改）"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield user_patch_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"display_name", JF_STR, 0, 1, 64, "姓名"},
    {"roles", JF_STR_ARRAY, 0, 1, 6, "业务角色代码"},
    {"unit_id", JF_INT_NULL, 0, 1, INT64_MAX, "所属单位"},
    {"disabled", JF_BOOL, 0, 0, 0, "停用"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield user_reset_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"password", JF_STR, 1, 1, 128, "新的初始密码"},
    {NULL, 0, 0, 0, 0, NULL},
};

const jfield policy_body[] = {
    {"version", JF_INT, 1, 1, INT64_MAX, "读取时的版本号"},
    {"password_min_length", JF_INT, 1, 8, 64, "密码最短长度"},
    {"lock_threshold", JF_INT, 1, 3, 10, "连续失败几次锁定"},
    {"lock_minutes", JF_INT, 1, 1, 1440, "锁定分钟数"},
    {"session_idle_minutes", JF_INT, 1, 5, 120, "会话空闲超时（分钟）"},
    {"session_max_hours", JF_INT, 1, 1, 24, "会话最长时长（小时）"},
    {"import_max_rows_liaison", JF_INT, 0, 1, 100000, "单位专管员单次导入最多行数（不填则不变）"},
    {NULL, 0, 0, 0, 0, NULL},
};

const qfield users_query[] = {
    {"q", Q_STR, 0, 64, "用户名或姓名包含"},
    {"role", Q_STR, 0, 16, "角色代码"},
    {"unit_id", Q_INT, 1, INT64_MAX, "所属单位"},
    {"disabled", Q_BOOL, 0, 0, "是否停用"},
    {NULL, 0, 0, 0, NULL},
};

static void reply_user(req *r, int status, const gx_user *u, const char *csrf)
{
    json_t *o = json_object();
    json_object_set_new(o, "user", user_json(u));
    if (csrf)
        json_object_set_new(o, "csrf_token", json_string(csrf));
    reply_json(r, status, o);
}

void h_login(req *r)
{
    gx_err e = GX_ERR_INIT;
    gx_user u;
    char token[44], csrf[44];
    if (auth_login(r->db, r->a, S(r->json, "username"), S(r->json, "password"), r->ip, &u, token, csrf, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_session_cookie(r, token);
    reply_user(r, 200, &u, csrf);
}

void h_logout(req *r)
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

void h_me(req *r) { reply_user(r, 200, &r->sess->user, r->sess->csrf); }

void h_password(req *r)
{
    gx_err e = GX_ERR_INIT;
    gx_user u;
    audit_actor who = req_who(r);
    if (auth_change_password(r->db, r->a, &who, r->sess, S(r->json, "old_password"), S(r->json, "new_password"), &u,
                             &e)) {
        reply_err(r, &e);
        return;
    }
    reply_user(r, 200, &u, NULL);
}

void h_users_list(req *r)
{
    gx_err e = GX_ERR_INIT;
    user_filter f = {0};
    f.q = query_str(&r->uri, "q");
    const char *role = query_str(&r->uri, "role");
    if (role && *role && !(f.role = role_bit(role))) {
        gx_fail(&e, GX_EBADQUERY, NULL);
        e.fields = json_pack("{s:s}", "role", "未知的角色代码");
        reply_err(r, &e);
        return;
    }
    f.unit_id = query_int(&r->uri, "unit_id", 0);
    f.disabled = query_bool(&r->uri, "disabled");
    req_paging(r, &f.page, &f.page_size);
    json_t *items;
    int64_t total;
    if (users_list(r->db, r->a, &f, &items, &total, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_list(r, items, total, f.page, f.page_size);
}

void h_users_create(req *r)
{
    gx_err e = GX_ERR_INIT;
    user_new in = {0};
    in.username = S(r->json, "username");
    in.display_name = S(r->json, "display_name");
    in.roles = roles_parse(json_object_get(r->json, "roles"), "roles", &e);
    in.unit_id = I(r->json, "unit_id");
    in.password = S(r->json, "password");
    gx_user u;
    audit_actor who = req_who(r);
    if (e.code != GX_OK || users_create(r->db, r->a, &who, &in, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201, user_json(&u));
}

void h_users_get(req *r)
{
    gx_err e = GX_ERR_INIT;
    gx_user u;
    if (user_get(r->db, r->a, r->ids[0], &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

void h_users_patch(req *r)
{
    gx_err e = GX_ERR_INIT;
    user_patch p = {.disabled = -1};
    p.version = I(r->json, "version");
    p.display_name = S(r->json, "display_name");
    json_t *roles = json_object_get(r->json, "roles");
    if (roles) {
        p.has_roles = 1;
        p.roles = roles_parse(roles, "roles", &e);
    }
    json_t *unit = json_object_get(r->json, "unit_id");
    if (unit) {
        p.has_unit = 1;
        p.unit_id = json_integer_value(unit); /* null reads as 0: none */
    }
    json_t *dis = json_object_get(r->json, "disabled");
    if (dis)
        p.disabled = json_is_true(dis);
    gx_user u;
    audit_actor who = req_who(r);
    if (e.code != GX_OK || users_update(r->db, r->a, &who, r->ids[0], &p, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

void h_users_reset(req *r)
{
    gx_err e = GX_ERR_INIT;
    gx_user u;
    audit_actor who = req_who(r);
    if (users_reset_password(r->db, r->a, &who, r->ids[0], I(r->json, "version"), S(r->json, "password"), &u, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, user_json(&u));
}

void h_password_rules(req *r)
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

void h_policy_get(req *r)
{
    gx_err e = GX_ERR_INIT;
    sec_policy p;
    if (policy_load(r->db, &p, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, policy_json(&p));
}

void h_policy_put(req *r)
{
    gx_err e = GX_ERR_INIT;
    sec_policy in = {
        .password_min_length = (int)I(r->json, "password_min_length"),
        .lock_threshold = (int)I(r->json, "lock_threshold"),
        .lock_minutes = (int)I(r->json, "lock_minutes"),
        .session_idle_minutes = (int)I(r->json, "session_idle_minutes"),
        .session_max_hours = (int)I(r->json, "session_max_hours"),
        .import_max_rows_liaison = (int)I(r->json, "import_max_rows_liaison"), /* absent: 0, unchanged */
        .version = I(r->json, "version"),
    }, out;
    audit_actor who = req_who(r);
    if (policy_save(r->db, &who, &in, &out, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, policy_json(&out));
}
