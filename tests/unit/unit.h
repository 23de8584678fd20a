/* unit.h - shared by the unit test files: each file exports a table of
 * cmocka tests, run_all.c runs them in one group. */
#ifndef GX_UNIT_H
#define GX_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>


extern const struct CMUnitTest base_tests[];
extern const size_t base_tests_n;
extern const struct CMUnitTest crypto_tests[];
extern const size_t crypto_tests_n;
extern const struct CMUnitTest http_tests[];
extern const size_t http_tests_n;
extern const struct CMUnitTest account_tests[];
extern const size_t account_tests_n;
extern const struct CMUnitTest store_tests[];
extern const size_t store_tests_n;
extern const struct CMUnitTest org_tests[];
extern const size_t org_tests_n;
extern const struct CMUnitTest query_tests[];
extern const size_t query_tests_n;
extern const struct CMUnitTest sheet_tests[];
extern const size_t sheet_tests_n;

#endif
