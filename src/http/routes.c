/* routes.c - the map of the API. Every route the server answers is one row
 * here; the OpenAPI document is generated from this table, and a test
 * checks that the two agree. Order does not matter. */
#include "router.h"
#include "system_http.h"
#include "../account/account_http.h"
#include "../audit/audit_http.h"
#include "../cadre/cadre_http.h"
#include "../org/org_http.h"

#define ANY 0u
#define REG (ROLE_ORGADMIN | ROLE_LIAISON)

const route gx_routes[] = {
    /* method, pattern, roles, flags, handler, body, query, body_max, tag, summary, response */
    {M_GET, "/api/v1/health", ANY, R_PUBLIC | R_NODB, h_health, NULL, NULL, 0, "system", "健康检查", "status, db, version"},
    {M_GET, "/api/v1/openapi.json", ANY, R_PUBLIC | R_NODB, h_openapi, NULL, NULL, 0, "system", "OpenAPI 3.1 接口描述", "OpenAPI document"},

    {M_POST, "/api/v1/auth/login", ANY, R_PUBLIC | R_NO_CSRF, h_login, login_body, NULL, 0, "auth", "登录", "user, csrf_token; sets the gx_session cookie"},
    {M_POST, "/api/v1/auth/logout", ANY, R_PWCHANGE, h_logout, NULL, NULL, 0, "auth", "退出登录", "ok"},
    {M_GET, "/api/v1/auth/me", ANY, R_PWCHANGE, h_me, NULL, NULL, 0, "auth", "当前用户与防伪令牌", "user, csrf_token"},
    {M_GET, "/api/v1/auth/password-rules", ANY, R_PWCHANGE, h_password_rules, NULL, NULL, 0, "auth", "密码规则（供修改密码页显示）", "min_length, max_bytes, min_classes, no_username"},
    {M_POST, "/api/v1/auth/password", ANY, R_PWCHANGE, h_password, password_body, NULL, 0, "auth", "修改本人密码", "user"},

    {M_GET, "/api/v1/users", ROLE_SYSADMIN, R_LIST, h_users_list, NULL, users_query, 0, "users", "用户列表", "list of User"},
    {M_POST, "/api/v1/users", ROLE_SYSADMIN, R_CREATED, h_users_create, user_create_body, NULL, 0, "users", "新建用户", "User (201)"},
    {M_GET, "/api/v1/users/{id}", ROLE_SYSADMIN, 0, h_users_get, NULL, NULL, 0, "users", "查看用户", "User"},
    {M_PATCH, "/api/v1/users/{id}", ROLE_SYSADMIN, 0, h_users_patch, user_patch_body, NULL, 0, "users", "修改用户（姓名、角色、单位、停用）", "User"},
    {M_POST, "/api/v1/users/{id}/reset-password", ROLE_SYSADMIN, 0, h_users_reset, user_reset_body, NULL, 0, "users", "重置密码并解锁", "User"},

    {M_GET, "/api/v1/units", ANY, R_LIST, h_units_list, NULL, units_query, 0, "units", "单位列表（专管员仅本单位及下级）", "list of Unit"},
    {M_GET, "/api/v1/units/tree", REG, 0, h_units_tree, NULL, NULL, 0, "units", "单位树及在职干部人数", "items: nested Unit with children, cadre_count, cadre_total"},
    {M_POST, "/api/v1/units", REG, R_CREATED, h_units_create, unit_create_body, NULL, 0, "units", "新建单位", "Unit (201)"},
    {M_GET, "/api/v1/units/{id}", ANY, 0, h_units_get, NULL, NULL, 0, "units", "查看单位", "Unit with cadre_count"},
    {M_PATCH, "/api/v1/units/{id}", REG, 0, h_units_patch, unit_patch_body, NULL, 0, "units", "修改单位", "Unit"},
    {M_POST, "/api/v1/units/{id}/move", REG, 0, h_units_move, unit_move_body, NULL, 0, "units", "移动单位（下级单位和干部随之移动）", "Unit"},
    {M_POST, "/api/v1/units/{id}/merge", REG, 0, h_units_merge, unit_merge_body, NULL, 0, "units", "合并单位（干部、下级单位、账户并入目标单位）", "the merged (now inactive) Unit"},
    {M_PUT, "/api/v1/codes", ROLE_ORGADMIN, 0, h_codes_put, code_put_body, NULL, 0, "units", "新增或修改可维护代码（分管领域、单位类型）", "the item"},
    {M_GET, "/api/v1/codes", ANY, 0, h_codes, NULL, codes_query, 0, "units", "代码表（性别、政治面貌、民族、学历、职级、单位类型、分管领域、干部状态）", "{kind: [{code,label}]}"},

    {M_GET, "/api/v1/cadres", REG, R_LIST, h_cadres_list, NULL, cadres_query, 0, "cadres", "干部列表与查询（专管员仅本单位及下级）", "list of Cadre (ID number and phone masked)"},
    {M_POST, "/api/v1/cadres", REG, R_CREATED, h_cadres_create, cadre_create_body, NULL, 0, "cadres", "新增干部", "Cadre (201)"},
    {M_GET, "/api/v1/cadres/export", REG, 0, h_cadres_export, NULL, cadres_query, 0, "cadres", "导出查询结果为 .xlsx", "xlsx workbook"},
    {M_POST, "/api/v1/cadres/import", REG, 0, h_cadres_import, NULL, import_query, (size_t)64 << 20, "cadres", "导入干部（.xlsx/.csv，先检查后全部导入，按身份证号更新）", "report: rows, created, updated, errors[{row,column,field,message}]"},
    {M_GET, "/api/v1/cadres/import-template", REG, 0, h_cadres_template, NULL, NULL, 0, "cadres", "下载导入模板（.xlsx）", "xlsx workbook"},
    {M_GET, "/api/v1/cadres/{id}", REG, 0, h_cadres_get, NULL, NULL, 0, "cadres", "查看干部", "Cadre"},
    {M_PATCH, "/api/v1/cadres/{id}", REG, 0, h_cadres_patch, cadre_patch_body, NULL, 0, "cadres", "修改干部（调动、晋升记入履历）", "Cadre"},
    {M_GET, "/api/v1/cadres/{id}/history", REG, 0, h_cadres_history, NULL, NULL, 0, "cadres", "干部任职履历（调动、职级变化）", "items"},
    {M_POST, "/api/v1/cadres/{id}/reveal", REG, 0, h_cadres_reveal, NULL, NULL, 0, "cadres", "查看完整身份证号和电话（记入审计日志）", "id_number, phone"},
    {M_GET, "/api/v1/young-age-limits", REG, 0, h_young_limits_list, NULL, NULL, 0, "cadres", "优秀年轻干部年龄上限（按职级，含生效日期）", "items"},
    {M_POST, "/api/v1/young-age-limits", ROLE_ORGADMIN, R_CREATED, h_young_limits_add, young_limit_body, NULL, 0, "cadres", "新增年龄上限规则（自生效日起取代现行规则）", "the rule (201)"},

    {M_GET, "/api/v1/security/policy", ROLE_SECADMIN, 0, h_policy_get, NULL, NULL, 0, "security", "安全策略", "policy"},
    {M_PUT, "/api/v1/security/policy", ROLE_SECADMIN, 0, h_policy_put, policy_body, NULL, 0, "security", "修改安全策略", "policy"},

    {M_GET, "/api/v1/audit", ROLE_AUDITOR, R_LIST, h_audit_list, NULL, audit_query, 0, "audit", "审计日志", "list of entries, newest first"},
    {M_GET, "/api/v1/audit/verify", ROLE_AUDITOR, 0, h_audit_verify, NULL, NULL, 0, "audit", "校验审计日志哈希链", "ok, checked[, first_bad_id, reason]"},
};

const size_t gx_nroutes = sizeof gx_routes / sizeof gx_routes[0];
