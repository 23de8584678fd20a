/* src/http: request-target parsing, cookies, body and query checks, routing. */
#include "unit.h"
#include "../../src/area.h"
#include "../../src/http/router.h"

#include <string.h>

static void uri_parse_table(void **state)
{
    (void)state;
    static const struct {
        const char *uri;
        int rc;
        int nsegs;
        const char *seg1; /* second segment, or NULL */
    } cases[] = {
        {"/", PARSE_OK, 0, NULL},
        {"/api/v1/users", PARSE_OK, 3, "v1"},
        {"/api/%76%31", PARSE_OK, 2, "v1"},
        {"/a//b/", PARSE_OK, 2, "b"},
        {"/a/%2F", PARSE_BAD_PATH, 0, NULL},
        {"/a/..", PARSE_BAD_PATH, 0, NULL},
        {"/a/%2e%2e", PARSE_BAD_PATH, 0, NULL},
        {"/a/%zz", PARSE_BAD_PATH, 0, NULL},
        {"/a/%e5", PARSE_BAD_PATH, 0, NULL},
        {"/a/%00", PARSE_BAD_PATH, 0, NULL},
        {"relative", PARSE_BAD_PATH, 0, NULL},
        {"/a#frag", PARSE_BAD_PATH, 0, NULL},
        {"/a?x=%zz", PARSE_BAD_QUERY, 1, NULL},
        {"/a?x=1&x=2", PARSE_BAD_QUERY, 1, NULL},
        {"/a?=1", PARSE_BAD_QUERY, 1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        arena *a = arena_new();
        parsed_uri u;
        int rc = uri_parse(a, cases[i].uri, &u);
        assert_int_equal(rc, cases[i].rc);
        if (rc == PARSE_OK) {
            assert_int_equal(u.nsegs, cases[i].nsegs);
            if (cases[i].seg1)
                assert_string_equal(u.segs[1], cases[i].seg1);
        }
        arena_free(a);
    }
}

static void query_values_decode(void **state)
{
    (void)state;
    arena *a = arena_new();
    parsed_uri u;
    assert_int_equal(uri_parse(a, "/x?q=%E5%BC%A0+%E4%B8%89&page=2&flag", &u), PARSE_OK);
    assert_int_equal(u.nquery, 3);
    assert_string_equal(query_str(&u, "q"), "张 三");
    assert_int_equal(query_int(&u, "page", 1), 2);
    assert_string_equal(query_str(&u, "flag"), "");
    assert_null(query_str(&u, "none"));
    arena_free(a);
}

static void query_check_names_fields(void **state)
{
    (void)state;
    static const qfield spec[] = {{"q", Q_STR, 0, 3, NULL}, {"n", Q_INT, 1, 10, NULL}, {"b", Q_BOOL, 0, 0, NULL},
                                  {0}};
    static const struct {
        const char *uri;
        int ok;
        const char *bad;
    } cases[] = {
        {"/x?q=abc&n=10&b=true&page=1&page_size=200", 1, NULL},
        {"/x?q=abcd", 0, "q"},
        {"/x?n=0", 0, "n"},
        {"/x?n=1.5", 0, "n"},
        {"/x?b=yes", 0, "b"},
        {"/x?page_size=201", 0, "page_size"},
        {"/x?page=0", 0, "page"},
        {"/x?zzz=1", 0, "zzz"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        arena *a = arena_new();
        parsed_uri u;
        assert_int_equal(uri_parse(a, cases[i].uri, &u), PARSE_OK);
        gx_err e = GX_ERR_INIT;
        int rc = query_check(&u, spec, 1, NULL, &e);
        assert_int_equal(rc == 0, cases[i].ok);
        if (!cases[i].ok) {
            assert_int_equal(e.code, GX_EBADQUERY);
            assert_non_null(json_object_get(e.fields, cases[i].bad));
        }
        gx_err_clear(&e);
        arena_free(a);
    }
}

static void cookies(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(cookie_get(a, "gx_session=abc", "gx_session"), "abc");
    assert_string_equal(cookie_get(a, "a=1; gx_session=xyz ; b=2", "gx_session"), "xyz");
    assert_string_equal(cookie_get(a, "gx_session=\"q\"", "gx_session"), "q");
    assert_null(cookie_get(a, "gx_sessionx=abc", "gx_session"));
    assert_null(cookie_get(a, "gx_session=a b", "gx_session"));
    assert_null(cookie_get(a, "gx_session=a,b", "gx_session"));
    assert_null(cookie_get(a, NULL, "gx_session"));
    arena_free(a);
}

static const jfield spec[] = {
    {"name", JF_STR, 1, 1, 4, NULL},
    {"n", JF_INT, 0, 1, 9, NULL},
    {"u", JF_INT_NULL, 0, 1, 9, NULL},
    {"b", JF_BOOL, 0, 0, 0, NULL},
    {"roles", JF_STR_ARRAY, 0, 1, 2, NULL},
    {0},
};

static void body_checks(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        gx_code code;
        const char *field;
    } cases[] = {
        {"{\"name\":\"张三\",\"n\":3,\"u\":null,\"b\":false,\"roles\":[\"a\"]}", GX_OK, NULL},
        {"{\"name\":\"abcde\"}", GX_EVALIDATION, "name"},
        {"{\"name\":\"\"}", GX_EVALIDATION, "name"},
        {"{}", GX_EVALIDATION, "name"},
        {"{\"name\":1}", GX_EVALIDATION, "name"},
        {"{\"name\":\"a\",\"n\":10}", GX_EVALIDATION, "n"},
        {"{\"name\":\"a\",\"n\":1.0}", GX_EVALIDATION, "n"},
        {"{\"name\":\"a\",\"u\":\"1\"}", GX_EVALIDATION, "u"},
        {"{\"name\":\"a\",\"b\":1}", GX_EVALIDATION, "b"},
        {"{\"name\":\"a\",\"roles\":[\"a\",\"b\",\"c\"]}", GX_EVALIDATION, "roles"},
        {"{\"name\":\"a\",\"roles\":[1]}", GX_EVALIDATION, "roles"},
        {"{\"name\":\"a\",\"extra\":1}", GX_EVALIDATION, "extra"},
        {"{\"name\":\"a\\u0000b\"}", GX_EBADJSON, NULL}, /* jansson refuses NUL */
        {"{\"name\":\"a\",\"name\":\"b\"}", GX_EBADJSON, NULL},
        {"[1]", GX_EBADJSON, NULL},
        {"{\"name\":", GX_EBADJSON, NULL},
        {"", GX_EBADJSON, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gx_err e = GX_ERR_INIT;
        json_t *o = body_parse(cases[i].body, strlen(cases[i].body), spec, NULL, &e);
        assert_int_equal(e.code, cases[i].code);
        if (cases[i].code == GX_OK)
            assert_non_null(o);
        else
            assert_null(o);
        if (cases[i].field)
            assert_non_null(json_object_get(e.fields, cases[i].field));
        json_decref(o);
        gx_err_clear(&e);
    }
}

static void routing(void **state)
{
    (void)state;
    static const struct {
        int method;
        const char *uri;
        int rc;
        const char *pattern;
        int64_t id;
    } cases[] = {
        {M_GET, "/api/v1/health", MATCH_OK, "/api/v1/health", 0},
        {M_HEAD, "/api/v1/health", MATCH_OK, "/api/v1/health", 0},
        {M_GET, "/api/v1/users/42", MATCH_OK, "/api/v1/users/{id}", 42},
        {M_POST, "/api/v1/users/42/reset-password", MATCH_OK, "/api/v1/users/{id}/reset-password", 42},
        {M_DELETE, "/api/v1/users/42", MATCH_METHOD, NULL, 0},
        {M_GET, "/api/v1/users/0", MATCH_NONE, NULL, 0},
        {M_GET, "/api/v1/users/007", MATCH_NONE, NULL, 0},
        {M_GET, "/api/v1/users/abc", MATCH_NONE, NULL, 0},
        {M_GET, "/api/v1/users/", MATCH_NONE, NULL, 0},
        {M_GET, "/api/v1/nothing", MATCH_NONE, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        arena *a = arena_new();
        parsed_uri u;
        assert_int_equal(uri_parse(a, cases[i].uri, &u), PARSE_OK);
        const route *rt = NULL;
        int64_t ids[4] = {0};
        int nids = 0;
        char allow[96];
        int rc = router_match(areas_api(), &u, cases[i].method, &rt, ids, &nids, allow, sizeof allow);
        assert_int_equal(rc, cases[i].rc);
        if (rc == MATCH_OK) {
            assert_string_equal(rt->pattern, cases[i].pattern);
            if (cases[i].id)
                assert_true(ids[0] == cases[i].id);
        }
        if (rc == MATCH_METHOD)
            assert_non_null(strstr(allow, "GET"));
        arena_free(a);
    }
}

static void openapi_lists_every_route(void **state)
{
    (void)state;
    size_t len;
    json_t *doc = json_loads(openapi_json(areas_api(), &len), 0, NULL);
    assert_non_null(doc);
    json_t *paths = json_object_get(doc, "paths");
    size_t ops = 0;
    const char *k;
    json_t *v;
    json_object_foreach(paths, k, v) ops += json_object_size(v);
    size_t nroutes = 0;
    for (const http_area *const *ar = areas_api()->areas; *ar; ar++)
        for (const route *rt = (*ar)->routes; rt && rt->pattern; rt++)
            nroutes++;
    assert_int_equal(ops, nroutes);
    /* every route names its response schema, and every schema it names exists */
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    for (const http_area *const *ar = areas_api()->areas; *ar; ar++)
        for (const route *rt = (*ar)->routes; rt && rt->pattern; rt++) {
            assert_non_null(rt->out);
            const char *name = strchr(rt->out, ':') ? strchr(rt->out, ':') + 1 : rt->out;
            if (strcmp(name, "xlsx"))
                assert_non_null(json_object_get(schemas, name));
        }
    json_decref(doc);
}

static void dates_and_times(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int date, datetime;
    } cases[] = {
        {"2026-02-28", 1, 0}, {"2026-02-29", 0, 0}, {"2024-02-29", 1, 0}, {"2026-13-01", 0, 0},
        {"2026-1-01", 0, 0},  {"20260101", 0, 0},   {"2026-01-01 ", 0, 0}, {"", 0, 0},
        {"2026-03-31T09:00:00+08:00", 0, 1}, {"2026-03-31T09:00:00Z", 0, 1}, {"2026-03-31T09:00:00.123+08:00", 0, 1},
        {"2026-03-31T24:00:00+08:00", 0, 0}, {"2026-03-31T09:00:00", 0, 0}, {"2026-03-31T09:00:00+8:00", 0, 0},
        {"2026-02-30T09:00:00Z", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(date_ok(cases[i].s), cases[i].date);
        assert_int_equal(datetime_ok(cases[i].s), cases[i].datetime);
    }
}

typedef struct bound {
    const char *name, *day, *at, *kind, *code;
    int64_t fee, hours, ref, n;
    int flag;
    strlist tags;
} bound;

static int only_a1(void *ctx, const char *kind, const char *code)
{
    (void)ctx;
    return !strcmp(kind, "k") && !strcmp(code, "a1");
}

static void typed_fields_bind(void **state)
{
    (void)state;
    static const char *const kinds[] = {"x", "y", NULL};
    static const jfield tspec[] = {
        {"name", JF_STR, 1, 1, 8, NULL, .at = AT(bound, name)},
        {"day", JF_DATE, 0, 0, 0, NULL, .at = AT(bound, day)},
        {"at", JF_DATETIME | JF_NULL, 0, 0, 0, NULL, .at = AT(bound, at)},
        {"kind", JF_ENUM, 0, 0, 0, NULL, kinds, AT(bound, kind)},
        {"code", JF_CODE, 0, 1, 16, NULL, "k", AT(bound, code)},
        {"fee", JF_MONEY, 0, 0, 100000, NULL, .at = AT(bound, fee)},
        {"hours", JF_HOURS, 0, 0, 10000, NULL, .at = AT(bound, hours)},
        {"ref", JF_ID, 0, 0, 0, NULL, .at = AT(bound, ref)},
        {"flag", JF_BOOL, 0, 0, 0, NULL, .at = AT(bound, flag)},
        {"tags", JF_STR_ARRAY, 0, 0, 4, NULL, .at = AT(bound, tags)},
        {"unbound", JF_INT, 0, 0, 9, NULL},
        {0},
    };
    code_checker cc = {only_a1, NULL};
    gx_err e = GX_ERR_INIT;
    const char *good = "{\"name\":\"甲\",\"day\":\"2026-03-31\",\"at\":null,\"kind\":\"y\",\"code\":\"a1\","
                       "\"fee\":1250,\"hours\":150,\"ref\":7,\"flag\":true,\"tags\":[\"p\",\"q\"],\"unbound\":3}";
    json_t *o = body_parse(good, strlen(good), tspec, &cc, &e);
    assert_non_null(o);
    bound b = {.fee = -1, .n = 42, .flag = -1};
    body_bind(o, tspec, &b);
    assert_string_equal(b.name, "甲");
    assert_string_equal(b.day, "2026-03-31");
    assert_string_equal(b.at, ""); /* null binds "" */
    assert_string_equal(b.kind, "y");
    assert_string_equal(b.code, "a1");
    assert_int_equal(b.fee, 1250);
    assert_int_equal(b.hours, 150);
    assert_int_equal(b.ref, 7);
    assert_int_equal(b.flag, 1);
    assert_int_equal(b.tags.set, 1);
    assert_int_equal(b.tags.n, 2);
    assert_string_equal(b.tags.v[1], "q");
    assert_int_equal(b.n, 42); /* untouched */
    json_decref(o);

    /* every bad field in one answer, the code checked against its list */
    const char *bad = "{\"name\":\"甲\",\"day\":\"2026-02-30\",\"at\":\"9 点\",\"kind\":\"z\",\"code\":\"b2\","
                      "\"fee\":12.5,\"hours\":-1,\"ref\":0}";
    assert_null(body_parse(bad, strlen(bad), tspec, &cc, &e));
    for (const char *const *f = (const char *const[]){"day", "at", "kind", "code", "fee", "hours", "ref", NULL}; *f; f++)
        assert_non_null(json_object_get(e.fields, *f));
    gx_err_clear(&e);

    /* query: typed values bound, codes lists checked one by one */
    static const qfield q[] = {
        {"from", Q_DATE, 0, 0, NULL, .at = AT(bound, day)},
        {"codes", Q_CODES, 0, 2, NULL, "k", AT(bound, code)},
        {"ref", Q_ID, 0, 0, NULL, .at = AT(bound, ref)},
        {"flag", Q_BOOL, 0, 0, NULL, .at = AT(bound, flag)},
        {0},
    };
    arena *a = arena_new();
    parsed_uri u;
    assert_int_equal(uri_parse(a, "/x?from=2026-01-02&codes=a1,a1&ref=9&flag=false", &u), PARSE_OK);
    assert_int_equal(query_check(&u, q, 0, &cc, &e), 0);
    bound qb = {.flag = -1};
    query_bind(&u, q, &qb);
    assert_string_equal(qb.day, "2026-01-02");
    assert_string_equal(qb.code, "a1,a1");
    assert_int_equal(qb.ref, 9);
    assert_int_equal(qb.flag, 0);
    assert_int_equal(uri_parse(a, "/x?from=2026-01-32&codes=a1,b2&ref=0", &u), PARSE_OK);
    assert_int_equal(query_check(&u, q, 0, &cc, &e), -1);
    for (const char *const *f = (const char *const[]){"from", "codes", "ref", NULL}; *f; f++)
        assert_non_null(json_object_get(e.fields, *f));
    gx_err_clear(&e);
    assert_int_equal(uri_parse(a, "/x?codes=a1,a1,a1", &u), PARSE_OK);
    assert_int_equal(query_check(&u, q, 0, &cc, &e), -1); /* more than max codes */
    gx_err_clear(&e);
    arena_free(a);
}

const struct CMUnitTest http_tests[] = {
    cmocka_unit_test(dates_and_times), cmocka_unit_test(typed_fields_bind),
    cmocka_unit_test(uri_parse_table), cmocka_unit_test(query_values_decode), cmocka_unit_test(query_check_names_fields),
    cmocka_unit_test(cookies),         cmocka_unit_test(body_checks),         cmocka_unit_test(routing),
    cmocka_unit_test(openapi_lists_every_route),
};
const size_t http_tests_n = sizeof http_tests / sizeof http_tests[0];
