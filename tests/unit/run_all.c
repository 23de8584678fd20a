/* Runs every unit test table in one cmocka group. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
    static struct {
        const struct CMUnitTest *t;
        const size_t *n;
    } tables[] = {{base_tests, &base_tests_n}, {crypto_tests, &crypto_tests_n}, {http_tests, &http_tests_n}, {account_tests, &account_tests_n},
                  {store_tests, &store_tests_n}, {query_tests, &query_tests_n}, {org_tests, &org_tests_n},
                  {sheet_tests, &sheet_tests_n}};
    size_t total = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        total += *tables[i].n;
    struct CMUnitTest *all = calloc(total, sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        for (size_t j = 0; j < *tables[i].n; j++)
            all[k++] = tables[i].t[j];
    int rc = _cmocka_run_group_tests("ganxun", all, total, NULL, NULL);
    free(all);
    return rc;
}
