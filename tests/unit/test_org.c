/* src/org: the unit hooks every area registers. A merge calls each hook
 * inside its own transaction, and a hook that fails undoes the whole merge
 * (the unit stays active, no other area's rows moved). */
#include "unit.h"
#include "../../src/base/crypto.h"
#include "../../src/org/org.h"
#include "../../src/store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ganxun-org-XXXXXX";
static int calls, fail_next;
static int64_t seen_from, seen_into, seen_moved;

static int merged(db *d, const audit_actor *who, int64_t from, int64_t into, const char *date, int64_t now)
{
    (void)who;
    (void)date;
    (void)now;
    calls++;
    seen_from = from;
    seen_into = into;
    assert_true(db_in_tx(d)); /* inside the merge's transaction */
    return fail_next ? -1 : 0;
}

static int moved(db *d, const audit_actor *who, int64_t id, int64_t old_parent, int64_t new_parent, int64_t now)
{
    (void)who;
    (void)old_parent;
    (void)new_parent;
    (void)now;
    assert_true(db_in_tx(d));
    seen_moved = id;
    return 0;
}

static const unit_hooks probe = {"probe", merged, moved};
static const unit_hooks *const probes[] = {&probe, NULL};

static void hooks_run_inside_the_transaction(void **state)
{
    (void)state;
    char url[256], err[256], key[256];
    assert_non_null(mkdtemp(dir));
    snprintf(key, sizeof key, "%s/key", dir);
    assert_int_equal(gx_key_load(key, 1, err, sizeof err), 0);
    snprintf(url, sizeof url, "sqlite:%s/org.db", dir);
    db *d = db_open(url, err, sizeof err);
    assert_non_null(d);
    assert_true(migrate_run(d, err, sizeof err) >= 1);
    org_set_unit_hooks(probes);

    assert_int_equal(db_begin(d), 0);
    unit_in top = {.code = "T", .name = "顶层", .active = 1};
    int64_t root = unit_insert_raw(d, &top, 1);
    unit_in ua = {.code = "A", .name = "甲", .parent_id = root, .active = 1};
    unit_in ub = {.code = "B", .name = "乙", .parent_id = root, .active = 1};
    int64_t a = unit_insert_raw(d, &ua, 1), b = unit_insert_raw(d, &ub, 1);
    assert_int_equal(db_commit(d), 0);

    arena *ar = arena_new();
    scope all = {.all = 1};
    audit_actor who = {0, "unit-test", "-"};
    json_t *out = NULL;
    gx_err e = GX_ERR_INIT;

    /* a failing hook: the merge is refused and nothing changed */
    fail_next = 1;
    assert_int_equal(units_merge(d, ar, &all, &who, a, 1, b, "2026-01-01", &out, &e), -1);
    assert_int_equal(calls, 1);
    assert_false(db_in_tx(d));
    int64_t active = 0;
    assert_int_equal(db_scalar(d, "SELECT active FROM units WHERE id = ?", DB_ARGV(DI(a)), &active), 1);
    assert_int_equal(active, 1);
    gx_err_clear(&e);

    /* then it succeeds, and the hook saw which units */
    fail_next = 0;
    assert_int_equal(units_merge(d, ar, &all, &who, a, 1, b, "2026-01-01", &out, &e), 0);
    assert_int_equal(calls, 2);
    assert_int_equal(seen_from, a);
    assert_int_equal(seen_into, b);
    json_decref(out);

    /* a move tells the hooks too */
    unit_in uc = {.code = "C", .name = "丙", .parent_id = root, .active = 1};
    assert_int_equal(db_begin(d), 0);
    int64_t c = unit_insert_raw(d, &uc, 1);
    assert_int_equal(db_commit(d), 0);
    assert_int_equal(units_move(d, ar, &all, &who, c, 1, b, &out, &e), 0);
    assert_int_equal(seen_moved, c);
    json_decref(out);

    org_set_unit_hooks(NULL);
    arena_free(ar);
    db_close(d);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

const struct CMUnitTest org_tests[] = {
    cmocka_unit_test(hooks_run_inside_the_transaction),
};
const size_t org_tests_n = sizeof org_tests / sizeof org_tests[0];
