#include "demo.h"
#include "../area.h"
#include "../account/account.h"
#include "../audit/audit.h"
#include "../base/util.h"

#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *username, *name, *role, *unit;
} users[] = {
    {"sysadmin", "王建国（系统管理员）", "sysadmin", NULL},
    {"secadmin", "李安（安全保密管理员）", "secadmin", NULL},
    {"auditor", "赵审（安全审计员）", "auditor", NULL},
    {"orgadmin", "陈明", "orgadmin", "321000-DW03"},  /* 市委组织部 */
    {"instadmin", "刘校", "instadmin", "321000-DX"},  /* 市委党校 */
    {"liaison", "孙立", "liaison", "321002"},         /* 广陵区 */
    {"advisor", "周班", "advisor", "321000-DX"},
    {"lecturer", "吴教授", "lecturer", "321000-DX"},
    {"trainee", "郑学", "trainee", "321000-ZF02"},    /* 市发展和改革委员会 */
};

static int64_t unit_id(db *d, const char *code)
{
    int64_t id = 0;
    if (code && db_scalar(d, "SELECT id FROM units WHERE code = ?", DB_ARGV(DS(code)), &id) != 1)
        return 0;
    return id;
}

int demo_build(db *d, int64_t ncadres, uint64_t seed, char *err, size_t errlen)
{
    int64_t n = 0;
    if (db_scalar(d, "SELECT COUNT(*) FROM users", NULL, 0, &n) < 0) {
        snprintf(err, errlen, "%s", db_errmsg(d));
        return -1;
    }
    if (n > 0)
        return 1;
    if (demo_city(d, ncadres, seed, err, errlen))
        return -1;
    char *hash = password_hash(DEMO_PASSWORD);
    audit_actor who = {0, "cli", "local"};
    int64_t now = gx_now();
    if (db_begin(d))
        goto fail;
    for (size_t i = 0; i < GX_ARRAY_LEN(users); i++) {
        int64_t unit = unit_id(d, users[i].unit);
        if (db_execv(d,
                     "INSERT INTO users (username, display_name, password_hash, roles, unit_id, created_at, "
                     "updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     DS(users[i].username), DS(users[i].name), DS(hash), DI(role_bit(users[i].role)),
                     unit ? DI(unit) : DN, DI(now), DI(now), DI(now)) != 1)
            goto fail;
    }
    json_t *after = json_pack("{s:I,s:I,s:i}", "cadres", (json_int_t)ncadres, "seed", (json_int_t)seed, "users",
                              (int)GX_ARRAY_LEN(users));
    int rc = audit_append(d, &who, "demo.build", "system", 0, NULL, after);
    json_decref(after);
    if (rc || db_commit(d))
        goto fail;
    free(hash);
    return 0;
fail:
    snprintf(err, errlen, "cannot build demo data: %s", db_errmsg(d));
    if (db_in_tx(d))
        db_rollback(d);
    free(hash);
    return -1;
}

/* The demo has no routes; it declares the audit action it writes. */
static const char *const audit_actions[] = {"demo.build", NULL};
const area demo_area = {{"demo", NULL, NULL, audit_actions}, NULL};
