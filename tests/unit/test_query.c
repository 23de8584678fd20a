/* src/store/query.c: the SQL and arguments a list query is built from, and
 * the same queries run on a real SQLite file (LIKE metacharacters, case,
 * many codes, paging). */
#include "unit.h"
#include "../../src/base/arena.h"
#include "../../src/store/db.h"
#include "../../src/store/migrate.h"
#include "../../src/store/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void builds_conditions(void **state)
{
    (void)state;
    arena *a = arena_new();
    qbuild q;
    q_init(&q, a);
    assert_string_equal(q_sql(&q, "SELECT 1 FROM t", ""), "SELECT 1 FROM t");
    q_andv(&q, "a = ?", DI(1));
    q_and(&q, "b = 1", NULL, 0);
    q_andv(&q, "c BETWEEN ? AND ?", DS("x"), DS("y"));
    assert_string_equal(q_sql(&q, "SELECT 1 FROM t", " ORDER BY a"),
                        "SELECT 1 FROM t WHERE a = ? AND b = 1 AND c BETWEEN ? AND ? ORDER BY a");
    assert_int_equal(q_nargs(&q), 3);
    assert_int_equal(q_args(&q)[0].i, 1);
    assert_string_equal(q_args(&q)[2].s, "y");
    arena_free(a);
}

static void in_lists_and_subqueries(void **state)
{
    (void)state;
    arena *a = arena_new();
    qbuild q;
    q_init(&q, a);
    assert_int_equal(q_in(&q, "x", ""), 0);
    assert_int_equal(q_in(&q, "x", ",,"), 0);
    assert_int_equal(q_in(&q, "x", "a,,b,"), 2);
    q_open(&q, "id IN (SELECT t_id FROM u");
    assert_int_equal(q_in(&q, "u.k", "1"), 1);
    q_andv(&q, "u.s = ?", DS("2"));
    q_close(&q, ")");
    q_open(&q, "id IN (SELECT t_id FROM v");
    q_close(&q, ")");
    assert_string_equal(q_sql(&q, "SELECT", ""),
                        "SELECT WHERE x IN (?, ?) AND id IN (SELECT t_id FROM u WHERE u.k IN (?) AND u.s = ?)"
                        " AND id IN (SELECT t_id FROM v)");
    assert_int_equal(q_nargs(&q), 4);
    assert_string_equal(q_args(&q)[1].s, "b");
    /* no fixed cap on arguments */
    char list[4000] = "";
    for (int i = 0; i < 500; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%sc%d", i ? "," : "", i);
    q_init(&q, a);
    assert_int_equal(q_in(&q, "x", list), 500);
    assert_int_equal(q_nargs(&q), 500);
    assert_string_equal(q_args(&q)[499].s, "c499");
    arena_free(a);
}

static void like_patterns(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const struct {
        enum q_mode mode;
        const char *in, *out;
    } cases[] = {
        {Q_CONTAINS, "abc", "%abc%"},
        {Q_CONTAINS, "50%", "%50\\%%"},
        {Q_CONTAINS, "a_b", "%a\\_b%"},
        {Q_CONTAINS, "c:\\x", "%c:\\\\x%"},
        {Q_PREFIX, "user.", "user.%"},
        {Q_PREFIX, "%_\\", "\\%\\_\\\\%"},
        {Q_CONTAINS, "", "%%"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(q_like_pattern(a, cases[i].mode, cases[i].in), cases[i].out);
    qbuild q;
    q_init(&q, a);
    q_match(&q, Q_CONTAINS, "Ab", "t.x", "t.y", NULL);
    assert_string_equal(q_sql(&q, "", ""),
                        " WHERE (lower(t.x) LIKE lower(?) ESCAPE '\\' OR lower(t.y) LIKE lower(?) ESCAPE '\\')");
    assert_int_equal(q_nargs(&q), 2);
    assert_string_equal(q_args(&q)[1].s, "%Ab%");
    arena_free(a);
}

static int64_t count_matching(db *d, arena *a, enum q_mode mode, const char *text)
{
    qbuild q;
    q_init(&q, a);
    q_match(&q, mode, text, "u.name", "u.code", NULL);
    int64_t n = -1;
    assert_int_equal(q_count(&q, d, "SELECT COUNT(*) FROM units u", &n), 0);
    return n;
}

static void runs_on_sqlite(void **state)
{
    (void)state;
    char dir[] = "/tmp/ganxun-unit-q-XXXXXX", url[256], path[256], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/q.db", dir);
    db *d = db_open(url, err, sizeof err);
    assert_non_null(d);
    assert_true(migrate_run(d, err, sizeof err) >= 1);
    static const char *names[][2] = {{"U1", "百分之50%"}, {"U2", "a_b"}, {"U3", "axb"}, {"U4", "C:\\dir"},
                                     {"U5", "ABC 单位"}, {"U6", "abc 单位"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_true(db_execv(d, "INSERT INTO units (code, name) VALUES (?, ?)", DS(names[i][0]), DS(names[i][1])) == 1);
    arena *a = arena_new();
    assert_int_equal(count_matching(d, a, Q_CONTAINS, "%"), 1);
    assert_int_equal(count_matching(d, a, Q_CONTAINS, "_"), 1);  /* a_b, not axb */
    assert_int_equal(count_matching(d, a, Q_CONTAINS, "\\"), 1);
    assert_int_equal(count_matching(d, a, Q_CONTAINS, "aBc"), 2); /* case folded */
    assert_int_equal(count_matching(d, a, Q_CONTAINS, "u"), 6);   /* codes match too */
    assert_int_equal(count_matching(d, a, Q_PREFIX, "A"), 4);     /* a_b axb ABC abc */
    assert_int_equal(count_matching(d, a, Q_PREFIX, "b"), 0);
    /* many codes and a page */
    char list[8000] = "";
    for (int i = 0; i < 1000; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%sU%d", i ? "," : "", i);
    qbuild q;
    q_init(&q, a);
    assert_int_equal(q_in(&q, "u.code", list), 1000);
    int64_t n = 0;
    assert_int_equal(q_count(&q, d, "SELECT COUNT(*) FROM units u", &n), 0);
    assert_int_equal(n, 6);
    db_res *r = q_page(&q, d, "SELECT u.code FROM units u", "ORDER BY u.code", 2, 4);
    assert_non_null(r);
    assert_int_equal(db_next(r), 1);
    assert_string_equal(db_text(r, 0), "U5");
    assert_int_equal(db_next(r), 1);
    assert_string_equal(db_text(r, 0), "U6");
    assert_int_equal(db_next(r), 0);
    db_done(r);
    assert_int_equal(q_nargs(&q), 1000); /* paging arguments are not kept */
    /* counting stops after max rows */
    static const struct {
        int64_t max, total;
        int more;
    } caps[] = {{1, 1, 1}, {5, 5, 1}, {6, 6, 0}, {100, 6, 0}};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        int more = -1;
        assert_int_equal(q_count_upto(&q, d, "SELECT u.id FROM units u", caps[i].max, &n, &more), 0);
        assert_int_equal(n, caps[i].total);
        assert_int_equal(more, caps[i].more);
    }
    assert_int_equal(q_nargs(&q), 1000);
    arena_free(a);
    db_close(d);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

const struct CMUnitTest query_tests[] = {
    cmocka_unit_test(builds_conditions),
    cmocka_unit_test(in_lists_and_subqueries),
    cmocka_unit_test(like_patterns),
    cmocka_unit_test(runs_on_sqlite),
};
const size_t query_tests_n = sizeof query_tests / sizeof query_tests[0];
