/* Fuzz target: XLSX uploads through the sheet reader (src/sheet/xlsx.c).
 *
 * An input starting with "PK" is taken as the whole file (zip layer, entry
 * sizes, inflation caps). Any other input is split at NUL bytes into the
 * worksheet, shared strings and styles XML, which are stored uncompressed in
 * a zip with a fixed workbook, so that mutations reach the XML readers
 * instead of dying in a CRC check. Small limits keep every run bounded. */
#include "../../src/base/util.h"
#include "../../src/sheet/sheet_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static const sheet_limits lim = {1 << 20, 8 << 20, 2000, 64, 4096, 20000, 1 << 20, 32 << 20};

static int space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* what every parsed sheet promises its callers */
static void check_sheet(const sheet *s)
{
    size_t nrows = sheet_nrows(s);
    if (nrows > lim.max_rows)
        __builtin_trap();
    if (nrows && sheet_row_empty(s, nrows - 1))
        __builtin_trap(); /* trailing empty rows are dropped */
    for (size_t r = 0; r < nrows; r++) {
        size_t nc = sheet_ncols(s, r);
        if (nc > lim.max_cols)
            __builtin_trap();
        int empty = 1;
        for (size_t c = 0; c < nc; c++) {
            const char *v = sheet_cell(s, r, c);
            size_t n = strlen(v);
            if (n > lim.max_cell || !gx_utf8_valid(v, n, 1) || (n && (space(v[0]) || space(v[n - 1]))))
                __builtin_trap();
            if (n)
                empty = 0;
        }
        /* an XLSX row is as wide as its last non-empty cell */
        if (empty != sheet_row_empty(s, r) || sheet_cell(s, r, nc)[0] || (nc && !sheet_cell(s, r, nc - 1)[0]))
            __builtin_trap();
    }
}

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
static const char workbook[] =
    "<workbook xmlns:r=\"" NS_REL "\"><workbookPr date1904=\"0\"/><sheets><sheet name=\"a\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"/xl/styles.xml\"/></Relationships>";

static void add(zip_t *za, const char *name, const void *p, size_t n)
{
    zip_int64_t i = zip_file_add(za, name, zip_source_buffer(za, p, n, 0), 0);
    if (i >= 0)
        zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* The parts as a stored zip; caller frees. NULL if libzip fails. */
static char *build(const uint8_t *data, size_t size, size_t *len)
{
    static const char *names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    char *out = NULL;
    if (!src)
        goto done;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_source_free(src);
        goto done;
    }
    add(za, "xl/workbook.xml", workbook, sizeof workbook - 1);
    add(za, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
    size_t at = 0;
    for (size_t k = 0; k < 3 && at <= size; k++) {
        const uint8_t *end = memchr(data + at, 0, size - at);
        size_t n = end ? (size_t)(end - data) - at : size - at;
        add(za, names[k], data + at, n);
        at += n + 1;
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        zip_source_free(src);
        goto done;
    }
    if (zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t sz = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        if (sz > 0) {
            out = malloc((size_t)sz);
            if (zip_source_read(src, out, (zip_uint64_t)sz) != sz) {
                free(out);
                out = NULL;
            }
            *len = (size_t)sz;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
done:
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *zipped = NULL;
    size_t len = size;
    if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
        zipped = build(data, size, &len);
        if (!zipped)
            return 0;
        in = zipped;
    }
    gx_err e = GX_ERR_INIT;
    sheet *s = NULL;
    sheet_mem m = {.max = lim.max_memory};
    int rc = sheet_parse_mem(in, len, SHEET_XLSX, &lim, &m, &s, &e);
    /* what the parse held never passed its budget, and an error releases everything */
    if (m.peak > m.max || (rc && m.used))
        __builtin_trap();
    if (rc == 0) {
        if (sheet_format(s) != SHEET_XLSX || strcmp(sheet_encoding(s), "xlsx") != 0)
            __builtin_trap();
        check_sheet(s);
        sheet_free(s);
    } else if (s || e.code != GX_EVALIDATION || !e.message[0] || !gx_utf8_valid(e.message, strlen(e.message), 1)) {
        __builtin_trap();
    }
    gx_err_clear(&e);
    free(zipped);
    return 0;
}
