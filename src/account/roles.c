/* roles.c - role codes, labels, and the 三员分立 rule. */
#include "account.h"

#include <string.h>

static const struct {
    uint32_t bit;
    const char *code;
    const char *label;
} roles[] = {
    {ROLE_SYSADMIN, "sysadmin", "系统管理员"},
    {ROLE_SECADMIN, "secadmin", "安全保密管理员"},
    {ROLE_AUDITOR, "auditor", "安全审计员"},
    {ROLE_ORGADMIN, "orgadmin", "组织部管理员"},
    {ROLE_INSTADMIN, "instadmin", "培训机构管理员"},
    {ROLE_LIAISON, "liaison", "单位专管员"},
    {ROLE_ADVISOR, "advisor", "班主任"},
    {ROLE_LECTURER, "lecturer", "教师"},
    {ROLE_TRAINEE, "trainee", "学员"},
};

#define NROLES (sizeof roles / sizeof roles[0])

uint32_t role_bit(const char *code)
{
    for (size_t i = 0; i < NROLES; i++)
        if (!strcmp(roles[i].code, code))
            return roles[i].bit;
    return 0;
}

const char *role_code(uint32_t bit)
{
    for (size_t i = 0; i < NROLES; i++)
        if (roles[i].bit == bit)
            return roles[i].code;
    return "";
}

const char *role_label(uint32_t bit)
{
    for (size_t i = 0; i < NROLES; i++)
        if (roles[i].bit == bit)
            return roles[i].label;
    return "";
}

json_t *roles_json(uint32_t mask)
{
    json_t *a = json_array();
    for (size_t i = 0; i < NROLES; i++)
        if (mask & roles[i].bit)
            json_array_append_new(a, json_string(roles[i].code));
    return a;
}

int roles_check(uint32_t mask, const char *field, gx_err *e)
{
    if (!mask) {
        gx_field(e, field, "至少选择一个角色");
        return -1;
    }
    uint32_t admin = mask & ROLES_ADMIN3;
    if (admin && (admin & (admin - 1))) {
        gx_field(e, field, "系统管理员、安全保密管理员、安全审计员三员分立，不能由同一账户兼任");
        return -1;
    }
    if (admin && (mask & ROLES_BUSINESS)) {
        gx_field(e, field, "三员账户不能兼任业务角色");
        return -1;
    }
    return 0;
}

uint32_t roles_parse_codes(const char *const *codes, int n, const char *field, gx_err *e)
{
    uint32_t mask = 0;
    for (int i = 0; i < n; i++) {
        uint32_t b = codes[i] ? role_bit(codes[i]) : 0;
        if (!b) {
            gx_field(e, field, "包含未知的角色代码");
            return 0;
        }
        mask |= b;
    }
    if (roles_check(mask, field, e))
        return 0;
    return mask;
}

uint32_t roles_parse(json_t *arr, const char *field, gx_err *e)
{
    const char *codes[32];
    size_t n = json_array_size(arr);
    if (n > 32) {
        gx_field(e, field, "角色过多");
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        codes[i] = json_string_value(json_array_get(arr, i)); /* NULL for a non-string: unknown */
    return roles_parse_codes(codes, (int)n, field, e);
}
