/* src/base: buffer, arena, number parsing, encodings, UTF-8, errors. */
#include "unit.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/crypto.h"
#include "../../src/base/err.h"
#include "../../src/base/util.h"

#include <string.h>

static void buf_grows_and_caps(void **state)
{
    (void)state;
    buf b = BUF_INIT(10);
    assert_int_equal(buf_puts(&b, "hello"), 0);
    assert_int_equal(buf_printf(&b, "%d", 1234), 0);
    assert_string_equal(b.data, "hello1234");
    assert_int_equal(buf_puts(&b, "xy"), -1); /* 11 > cap 10 */
    assert_true(b.toobig);
    assert_string_equal(b.data, "hello1234");
    size_t n;
    char *p = buf_detach(&b, &n);
    assert_int_equal(n, 9);
    assert_null(b.data);
    free(p);
    buf_free(&b);
}

static void arena_aligns_and_dups(void **state)
{
    (void)state;
    arena *a = arena_new();
    for (int i = 0; i < 1000; i++) {
        char *p = arena_alloc(a, (size_t)i + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    char *big = arena_alloc(a, 100000); /* larger than a block */
    memset(big, 1, 100000);
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    arena_free(a);
}

static void parse_i64_is_strict(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        int64_t v;
    } cases[] = {
        {"0", 1, 0},          {"42", 1, 42},  {"-7", 1, -7},
        {"9223372036854775807", 1, INT64_MAX}, {"9223372036854775808", 0, 0},
        {"", 0, 0},           {"-", 0, 0},    {"1x", 0, 0},
        {" 1", 0, 0},         {"+1", 0, 0},   {"0x10", 0, 0},
        {"123456789012345678901", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = -1;
        int rc = gx_parse_i64(cases[i].s, strlen(cases[i].s), INT64_MIN, INT64_MAX, &v);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok)
            assert_true(v == cases[i].v);
    }
    int64_t v;
    assert_int_equal(gx_parse_i64("5", 1, 1, 4, &v), -1); /* out of range */
}

static void encodings(void **state)
{
    (void)state;
    unsigned char in[] = {0x00, 0xff, 0x10, 0xab};
    char hex[9];
    gx_hex(in, 4, hex);
    assert_string_equal(hex, "00ff10ab");
    unsigned char back[4];
    assert_int_equal(gx_unhex(hex, back, 4), 0);
    assert_memory_equal(in, back, 4);
    assert_int_equal(gx_unhex("zz", back, 1), -1);
    char b64[16];
    gx_b64url((const unsigned char *)"\xfb\xff", 2, b64);
    assert_string_equal(b64, "-_8");
    gx_b64url((const unsigned char *)"abc", 3, b64);
    assert_string_equal(b64, "YWJj");
    char sha[65];
    gx_sha256_hex("abc", 3, sha);
    assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void utf8_validation(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"abc", 1},           {"张三", 1},          {"\xe5\xbc", 0},      /* truncated */
        {"\xc0\xaf", 0},      /* overlong */         {"\xed\xa0\x80", 0}, /* surrogate */
        {"a\x01", 0},         {"\xf4\x90\x80\x80", 0}, /* > U+10FFFF */  {"\xf0\x9f\x98\x80", 1},
        {"\xff", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(gx_utf8_valid(cases[i].s, strlen(cases[i].s), 0), cases[i].ok);
    assert_int_equal(gx_utf8_valid("a\nb", 3, 1), 1);
    assert_int_equal(gx_utf8_valid("a\nb", 3, 0), 0);
    assert_int_equal(gx_utf8_len("张三ab", strlen("张三ab")), 4);
}

static void errors_render(void **state)
{
    (void)state;
    gx_err e = GX_ERR_INIT;
    gx_field(&e, "username", "必填");
    gx_field(&e, "username", "second message ignored");
    assert_int_equal(e.code, GX_EVALIDATION);
    assert_int_equal(gx_err_status(e.code), 400);
    json_t *j = gx_err_json(&e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "validation");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_object_get(j, "error"), "fields"), "username")), "必填");
    json_decref(j);
    gx_err_clear(&e);
    assert_int_equal(gx_err_status(GX_ELOCKED), 423);
    assert_string_equal(gx_err_name(GX_EVERSION), "version_conflict");
}

static void scrypt_known_vector(void **state)
{
    (void)state;
    /* RFC 7914 test vector: P="password", S="NaCl", N=1024, r=8, p=16 */
    unsigned char out[64];
    assert_int_equal(gx_scrypt("password", 8, (const unsigned char *)"NaCl", 4, 10, 8, 16, out, sizeof out), 0);
    char hex[129];
    gx_hex(out, 64, hex);
    assert_string_equal(hex, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                             "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

const struct CMUnitTest base_tests[] = {
    cmocka_unit_test(buf_grows_and_caps), cmocka_unit_test(arena_aligns_and_dups),
    cmocka_unit_test(parse_i64_is_strict), cmocka_unit_test(encodings),
    cmocka_unit_test(utf8_validation),     cmocka_unit_test(errors_render),
    cmocka_unit_test(scrypt_known_vector),
};
const size_t base_tests_n = sizeof base_tests / sizeof base_tests[0];
