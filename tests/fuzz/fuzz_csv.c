/* Fuzz target: CSV uploads through the sheet reader (src/sheet/csv.c):
 * encoding detection (UTF-8, BOM, GB18030), quoting, row and cell limits.
 * Small limits keep every run fast and bounded. */
#include "../../src/base/util.h"
#include "../../src/sheet/sheet_int.h"

#include <stdint.h>
#include <string.h>

static const sheet_limits lim = {1 << 20, 8 << 20, 2000, 64, 4096, 20000, 1 << 20, 32 << 20};

static int space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* what every parsed sheet promises its callers */
static void check_sheet(const sheet *s)
{
    size_t nrows = sheet_nrows(s), header = 0;
    if (nrows > lim.max_rows)
        __builtin_trap();
    if (nrows && sheet_row_empty(s, nrows - 1))
        __builtin_trap(); /* trailing empty rows are dropped */
    for (size_t r = 0; r < nrows; r++) {
        size_t nc = sheet_ncols(s, r);
        if (nc > lim.max_cols)
            __builtin_trap();
        if (sheet_format(s) == SHEET_CSV && nc) { /* every non-empty line as wide as the first */
            if (!header)
                header = nc;
            else if (nc != header)
                __builtin_trap();
        }
        int empty = 1;
        for (size_t c = 0; c < nc; c++) {
            const char *v = sheet_cell(s, r, c);
            size_t n = strlen(v);
            if (n > lim.max_cell || !gx_utf8_valid(v, n, 1) || (n && (space(v[0]) || space(v[n - 1]))))
                __builtin_trap();
            if (n)
                empty = 0;
        }
        if (empty != sheet_row_empty(s, r) || sheet_cell(s, r, nc)[0])
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gx_err e = GX_ERR_INIT;
    sheet *s = NULL;
    sheet_mem m = {.max = lim.max_memory};
    int rc = sheet_parse_mem((const char *)data, size, SHEET_CSV, &lim, &m, &s, &e);
    /* what the parse held never passed its budget, and an error releases everything */
    if (m.peak > m.max || (rc && m.used))
        __builtin_trap();
    if (rc == 0) {
        const char *enc = sheet_encoding(s);
        if (sheet_format(s) == SHEET_CSV && strcmp(enc, "UTF-8") != 0 && strcmp(enc, "GB18030") != 0)
            __builtin_trap();
        check_sheet(s);
        sheet_free(s);
    } else if (s || e.code != GX_EVALIDATION || !e.message[0] || !gx_utf8_valid(e.message, strlen(e.message), 1)) {
        __builtin_trap();
    }
    gx_err_clear(&e);
    return 0;
}
