/* src/base: buffer, arena, number parsing, encodings, UTF-8, errors. */
#include "unit.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/crypto.h"
#include "../../src/base/err.h"
#include "../../src/base/idcard.h"
#include "../../src/base/pinyin.h"
#include "../../src/base/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void idcard_table(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        const char *birth;
        int gender;
    } cases[] = {
        {"11010519491231002X", IDCARD_OK, "1949-12-31", 2},
        {"11010519491231002x", IDCARD_OK, "1949-12-31", 2},
        {" 440524188001010014 ", IDCARD_DATE, NULL, 0}, /* before 1900 */
        {"321002198001010011", IDCARD_OK, "1980-01-01", 1},
        {"321002198001010019", IDCARD_CHECK, NULL, 0},
        {"321002198002300017", IDCARD_DATE, NULL, 0},   /* 30 February */
        {"32100219800101001", IDCARD_LENGTH, NULL, 0},
        {"3210021980010100191", IDCARD_LENGTH, NULL, 0},
        {"32100219800101001Y", IDCARD_CHARS, NULL, 0},
        {"3210021980010X0019", IDCARD_CHARS, NULL, 0},
        {"321002203001010015", IDCARD_DATE, NULL, 0},   /* in the future */
        {"321002200002290019", IDCARD_OK, "2000-02-29", 1}, /* leap day */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idcard c;
        int rc = idcard_parse(cases[i].s, strlen(cases[i].s), "2026-11-28", &c);
        if (rc != cases[i].rc)
            fail_msg("case %zu %s: got %d want %d", i, cases[i].s, rc, cases[i].rc);
        if (rc == IDCARD_OK) {
            assert_string_equal(c.birth_date, cases[i].birth);
            assert_int_equal(c.gender, cases[i].gender);
            assert_int_equal(c.number[17], cases[i].s[17] == 'x' ? 'X' : cases[i].s[17]);
        }
        assert_true(rc == IDCARD_OK || *idcard_error(rc));
    }
}

static void pinyin_initials_table(void **state)
{
    (void)state;
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"张三", "zs"},     {"欧阳修", "oyx"}, {"单雄信", "sxx"}, /* surname 单 = shan */
        {"曾国藩", "zgf"},  {"李Ming 2", "lming2"}, {"买买提·艾力", "mmtal"},
        {"", ""},           {"爱", "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        pinyin_initials(cases[i].name, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    char tiny[3];
    pinyin_initials("张三丰", tiny, sizeof tiny);
    assert_string_equal(tiny, "zs");
}

static void seal_and_blind_index(void **state)
{
    (void)state;
    char path[] = "/tmp/ganxun-key-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    char err[256];
    assert_int_equal(gx_key_load(path, 1, err, sizeof err), 0);
    char *s1 = gx_seal("pii", "cadres:1:id_number", "32100219800101001X");
    char *s2 = gx_seal("pii", "cadres:1:id_number", "32100219800101001X");
    assert_string_not_equal(s1, s2); /* random nonce */
    assert_memory_equal(s1, "g2:", 3);
    char *p = gx_open("pii", "cadres:1:id_number", s1);
    assert_string_equal(p, "32100219800101001X");
    free(p);
    assert_null(gx_open("other", "cadres:1:id_number", s1)); /* wrong key */
    assert_null(gx_open("pii", "cadres:2:id_number", s1));   /* moved to another record */
    assert_null(gx_open("pii", "cadres:1:phone", s1));       /* or another field */
    /* g1 (sealed without associated data, which GCM treats like empty
     * associated data) still opens, wherever it is */
    char *s0 = gx_seal("pii", "", "13812345678");
    s0[1] = '1';
    p = gx_open("pii", "cadres:9:phone", s0);
    assert_string_equal(p, "13812345678");
    free(p);
    s0[1] = '3';
    assert_null(gx_open("pii", "", s0)); /* unknown version */
    free(s0);
    s1[10] = s1[10] == 'a' ? 'b' : 'a';
    assert_null(gx_open("pii", "cadres:1:id_number", s1)); /* tampered */
    assert_null(gx_open("pii", "", "garbage"));
    char b1[33], b2[33], b3[33];
    gx_blind_index("idx", "abc", b1);
    gx_blind_index("idx", "abc", b2);
    gx_blind_index("idx", "abd", b3);
    assert_string_equal(b1, b2);
    assert_string_not_equal(b1, b3);
    free(s1);
    free(s2);
    unlink(path);
}

const struct CMUnitTest base_tests[] = {
    cmocka_unit_test(idcard_table), cmocka_unit_test(pinyin_initials_table), cmocka_unit_test(seal_and_blind_index),
    cmocka_unit_test(buf_grows_and_caps), cmocka_unit_test(arena_aligns_and_dups),
    cmocka_unit_test(parse_i64_is_strict), cmocka_unit_test(encodings),
    cmocka_unit_test(utf8_validation),     cmocka_unit_test(errors_render),
    cmocka_unit_test(scrypt_known_vector),
};
const size_t base_tests_n = sizeof base_tests / sizeof base_tests[0];
