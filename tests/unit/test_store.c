/* src/store and src/audit on a real SQLite file: migrations, statements,
 * transactions, constraint errors, the audit hash chain and its tampering. */
#include "unit.h"
#include "../../src/audit/audit.h"
#include "../../src/base/crypto.h"
#include "../../src/store/db.h"
#include "../../src/store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ganxun-unit-XXXXXX";

static db *fresh_db(void)
{
    static int n;
    char url[256], err[256];
    snprintf(url, sizeof url, "sqlite:%s/t%d.db", dir, n++);
    db *d = db_open(url, err, sizeof err);
    assert_non_null(d);
    assert_true(migrate_run(d, err, sizeof err) >= 1);
    return d;
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/key", dir);
    return gx_key_load(path, 1, err, sizeof err);
}

static void migrations_idempotent(void **state)
{
    (void)state;
    db *d = fresh_db();
    char err[256];
    assert_int_equal(migrate_run(d, err, sizeof err), 0);
    assert_int_equal(migrate_current(d), migrate_latest());
    db_close(d);
}

static void statements_and_errors(void **state)
{
    (void)state;
    db *d = fresh_db();
    assert_int_equal(db_kind(d), DB_SQLITE);
    assert_true(db_execv(d, "INSERT INTO units (code, name) VALUES (?, ?)", DS("A"), DS("甲")) == 1);
    /* unique violation is reported as a constraint error */
    assert_true(db_execv(d, "INSERT INTO units (code, name) VALUES (?, ?)", DS("A"), DS("乙")) < 0);
    assert_int_equal(db_errcode(d), DB_ECONSTRAINT);
    /* nested use of the same statement text works (one-off statement) */
    db_res *outer = db_queryv(d, "SELECT code FROM units WHERE code = ?", DS("A"));
    assert_non_null(outer);
    assert_int_equal(db_next(outer), 1);
    db_res *inner = db_queryv(d, "SELECT code FROM units WHERE code = ?", DS("A"));
    assert_non_null(inner);
    assert_int_equal(db_next(inner), 1);
    assert_string_equal(db_text(inner, 0), "A");
    db_done(inner);
    assert_string_equal(db_text(outer, 0), "A");
    db_done(outer);
    /* rollback leaves nothing */
    assert_int_equal(db_begin(d), 0);
    assert_true(db_execv(d, "INSERT INTO units (code, name) VALUES (?, ?)", DS("B"), DS("丙")) == 1);
    db_rollback(d);
    int64_t n = -1;
    assert_int_equal(db_scalar(d, "SELECT COUNT(*) FROM units", NULL, 0, &n), 1);
    assert_true(n == 1);
    /* parameter count mismatch is an error, not a crash */
    assert_true(db_execv(d, "SELECT ?", DI(1), DI(2)) < 0);
    /* ready() cleans up a transaction left open */
    assert_int_equal(db_begin(d), 0);
    assert_int_equal(db_ready(d), 0);
    assert_false(db_in_tx(d));
    db_close(d);
}

static void append(db *d, const char *action)
{
    audit_actor who = {7, "tester", "127.0.0.1"};
    json_t *after = json_pack("{s:s}", "k", action);
    assert_int_equal(db_begin(d), 0);
    assert_int_equal(audit_append(d, &who, action, "thing", 1, NULL, after), 0);
    assert_int_equal(db_commit(d), 0);
    json_decref(after);
}

static void audit_chain_detects_tampering(void **state)
{
    (void)state;
    db *d = fresh_db();
    for (int i = 0; i < 5; i++)
        append(d, "thing.update");
    audit_check c;
    assert_int_equal(audit_verify(d, &c), 0);
    assert_true(c.ok);
    assert_true(c.checked == 5);

    /* the table refuses changes */
    assert_true(db_execv(d, "UPDATE audit_log SET actor = ? WHERE id = ?", DS("x"), DI(3)) < 0);
    assert_true(db_execv(d, "DELETE FROM audit_log WHERE id = ?", DI(3)) < 0);

    /* someone with file access drops the trigger and edits entry 3 */
    assert_int_equal(db_script(d, "DROP TRIGGER audit_log_no_update"), 0);
    assert_true(db_execv(d, "UPDATE audit_log SET after_json = ? WHERE id = ?", DS("{\"k\":\"forged\"}"), DI(3)) == 1);
    assert_int_equal(audit_verify(d, &c), 0);
    assert_false(c.ok);
    assert_true(c.first_bad_id == 3);
    db_close(d);

    /* a deleted entry breaks the sequence */
    d = fresh_db();
    for (int i = 0; i < 4; i++)
        append(d, "thing.update");
    assert_int_equal(db_script(d, "DROP TRIGGER audit_log_no_delete"), 0);
    assert_true(db_execv(d, "DELETE FROM audit_log WHERE id = ?", DI(2)) == 1);
    assert_int_equal(audit_verify(d, &c), 0);
    assert_false(c.ok);
    assert_true(c.first_bad_id == 3);

    /* so does a deleted tail */
    assert_true(db_execv(d, "DELETE FROM audit_log WHERE id = ?", DI(4)) == 1);
    assert_true(db_execv(d, "DELETE FROM audit_log WHERE id = ?", DI(3)) == 1);
    assert_int_equal(audit_verify(d, &c), 0);
    assert_false(c.ok);
    db_close(d);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

const struct CMUnitTest store_tests[] = {
    cmocka_unit_test_setup(migrations_idempotent, setup),
    cmocka_unit_test(statements_and_errors),
    cmocka_unit_test_teardown(audit_chain_detects_tampering, teardown),
};
const size_t store_tests_n = sizeof store_tests / sizeof store_tests[0];
