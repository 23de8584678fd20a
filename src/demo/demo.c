#include "demo.h"
#include "../account/account.h"
#include "../audit/audit.h"
#include "../base/util.h"
#include "../org/org.h"

#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *code, *name, *parent;
} units[] = {
    {"321000", "扬州市", NULL},
    {"321000-ZZB", "中共扬州市委组织部", "321000"},
    {"321000-DX", "中共扬州市委党校", "321000"},
    {"321000-FGW", "扬州市发展和改革委员会", "321000"},
    {"321000-CZJ", "扬州市财政局", "321000"},
    {"321002", "广陵区", "321000"},
    {"321002-ZZB", "中共扬州市广陵区委组织部", "321002"},
    {"321003", "邗江区", "321000"},
};

static const struct {
    const char *username, *name, *role, *unit;
} users[] = {
    {"sysadmin", "王建国（系统管理员）", "sysadmin", NULL},
    {"secadmin", "李安（安全保密管理员）", "secadmin", NULL},
    {"auditor", "赵审（安全审计员）", "auditor", NULL},
    {"orgadmin", "陈明", "orgadmin", "321000-ZZB"},
    {"instadmin", "刘校", "instadmin", "321000-DX"},
    {"liaison", "孙立", "liaison", "321000-FGW"},
    {"advisor", "周班", "advisor", "321000-DX"},
    {"lecturer", "吴教授", "lecturer", "321000-DX"},
    {"trainee", "郑学", "trainee", "321000-FGW"},
};

static int64_t unit_id(db *d, const char *code)
{
    int64_t id = 0;
    if (code && db_scalar(d, "SELECT id FROM units WHERE code = ?", DB_ARGV(DS(code)), &id) != 1)
        return 0;
    return id;
}

int demo_build(db *d, char *err, size_t errlen)
{
    int64_t n = 0;
    if (db_scalar(d, "SELECT COUNT(*) FROM users", NULL, 0, &n) < 0) {
        snprintf(err, errlen, "%s", db_errmsg(d));
        return -1;
    }
    if (n > 0)
        return 1;
    char *hash = password_hash(DEMO_PASSWORD);
    audit_actor who = {0, "cli", "local"};
    int64_t now = gx_now();
    if (db_begin(d))
        goto fail;
    for (size_t i = 0; i < GX_ARRAY_LEN(units); i++) {
        unit_in in = {.code = units[i].code, .name = units[i].name, .parent_id = unit_id(d, units[i].parent),
                      .sort_order = (int)i, .active = 1};
        if (!unit_insert_raw(d, &in, now))
            goto fail;
    }
    for (size_t i = 0; i < GX_ARRAY_LEN(users); i++) {
        int64_t unit = unit_id(d, users[i].unit);
        if (db_execv(d,
                     "INSERT INTO users (username, display_name, password_hash, roles, unit_id, created_at, "
                     "updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     DS(users[i].username), DS(users[i].name), DS(hash), DI(role_bit(users[i].role)),
                     unit ? DI(unit) : DN, DI(now), DI(now), DI(now)) != 1)
            goto fail;
    }
    json_t *after = json_pack("{s:i,s:i}", "units", (int)GX_ARRAY_LEN(units), "users", (int)GX_ARRAY_LEN(users));
    int rc = audit_append(d, &who, "demo.build", "system", 0, NULL, after);
    json_decref(after);
    if (rc || db_commit(d))
        goto fail;
    free(hash);
    return 0;
fail:
    snprintf(err, errlen, "cannot build demo data: %s", db_errmsg(d));
    db_rollback(d);
    free(hash);
    return -1;
}
