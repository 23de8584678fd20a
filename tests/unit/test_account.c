/* src/account: password policy and hashing, roles (三员分立). */
#include "unit.h"
#include "../../src/account/account.h"

#include <stdlib.h>
#include <string.h>

static void password_policy_table(void **state)
{
    (void)state;
    sec_policy p = {.password_min_length = 10};
    static const struct {
        const char *user, *pw;
        int ok;
    } cases[] = {
        {"zhang", "Abcdef#123", 1},
        {"zhang", "Abc#12", 0},            /* short */
        {"zhang", "abcdefghijk", 0},       /* one class */
        {"zhang", "abcdefghij1", 0},       /* two classes */
        {"zhang", "ABCdefghij1", 1},       /* three classes */
        {"zhang", "xxZhang#2026", 0},      /* contains the username, any case */
        {"li", "Li#abcdefgh", 1},          /* usernames under 3 characters are not searched */
        {"wang", "密码密码密码密码A1", 1}, /* CJK counts as a symbol class and by characters */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gx_err e = GX_ERR_INIT;
        int rc = password_check(&p, cases[i].user, cases[i].pw, "pw", &e);
        if ((rc == 0) != cases[i].ok)
            fail_msg("case %zu (%s): got %d", i, cases[i].pw, rc);
        if (!cases[i].ok)
            assert_non_null(json_object_get(e.fields, "pw"));
        gx_err_clear(&e);
    }
    char longpw[200];
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = 0;
    longpw[0] = 'A';
    longpw[1] = '1';
    gx_err e = GX_ERR_INIT;
    assert_int_equal(password_check(&p, "u", longpw, "pw", &e), -1); /* over 128 bytes */
    gx_err_clear(&e);
}

static void password_hash_roundtrip(void **state)
{
    (void)state;
    setenv("GANXUN_SCRYPT_LN", "10", 1);
    char *h = password_hash("Correct#Horse1");
    assert_true(!strncmp(h, "scrypt$10$8$1$", 14));
    assert_true(password_verify("Correct#Horse1", h));
    assert_false(password_verify("Correct#Horse2", h));
    assert_false(password_verify("Correct#Horse1", "garbage"));
    assert_false(password_verify("Correct#Horse1", "scrypt$99$8$1$00$00"));
    char *h2 = password_hash("Correct#Horse1");
    assert_string_not_equal(h, h2); /* salted */
    free(h);
    free(h2);
}

static void roles_separation(void **state)
{
    (void)state;
    static const struct {
        uint32_t mask;
        int ok;
    } cases[] = {
        {ROLE_SYSADMIN, 1},
        {ROLE_AUDITOR, 1},
        {ROLE_ORGADMIN | ROLE_LECTURER, 1},
        {ROLE_SYSADMIN | ROLE_AUDITOR, 0},
        {ROLE_SECADMIN | ROLE_AUDITOR, 0},
        {ROLE_SYSADMIN | ROLE_ORGADMIN, 0},
        {0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gx_err e = GX_ERR_INIT;
        assert_int_equal(roles_check(cases[i].mask, "roles", &e) == 0, cases[i].ok);
        gx_err_clear(&e);
    }
    json_t *a = json_pack("[s,s]", "orgadmin", "trainee");
    gx_err e = GX_ERR_INIT;
    assert_int_equal(roles_parse(a, "roles", &e), ROLE_ORGADMIN | ROLE_TRAINEE);
    json_decref(a);
    a = json_pack("[s]", "root");
    assert_int_equal(roles_parse(a, "roles", &e), 0);
    assert_int_equal(e.code, GX_EVALIDATION);
    gx_err_clear(&e);
    json_decref(a);
    assert_string_equal(role_code(ROLE_LIAISON), "liaison");
    assert_string_equal(role_label(ROLE_AUDITOR), "安全审计员");
}

const struct CMUnitTest account_tests[] = {
    cmocka_unit_test(password_policy_table),
    cmocka_unit_test(password_hash_roundtrip),
    cmocka_unit_test(roles_separation),
};
const size_t account_tests_n = sizeof account_tests / sizeof account_tests[0];
