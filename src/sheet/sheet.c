/* sheet.c - the entry point (size checks, sniffing), the compact storage
 * and its accessors. */
#include "sheet_int.h"
#include "../base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sheet_limits sheet_default_limits = {
    .max_file = (size_t)64 << 20,
    .max_uncompressed = (size_t)512 << 20,
    .max_rows = 1000000,
    .max_cols = 256,
    .max_cell = (size_t)32 << 10,
};

static const char ole_magic[8] = {'\xd0', '\xcf', '\x11', '\xe0', '\xa1', '\xb1', '\x1a', '\xe1'};
/* the stream an encrypted OOXML file keeps inside its OLE container, UTF-16LE */
static const char encrypted_stream[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

int sheet_parse(const char *data, size_t len, int format, const sheet_limits *lim, sheet **out, gx_err *e)
{
    *out = NULL;
    if (!lim)
        lim = &sheet_default_limits;
    if (!data)
        len = 0;
    if (len > lim->max_file) {
        char t[32];
        sheet_size_text(lim->max_file, t);
        return sheet_fail(e, 0, "文件过大（超过 %s）", t);
    }
    if (len >= sizeof ole_magic && memcmp(data, ole_magic, sizeof ole_magic) == 0) {
        if (memmem(data, len, encrypted_stream, sizeof encrypted_stream - 1))
            return sheet_fail(e, 0, "文件已加密，请取消密码后再导入");
        return sheet_fail(e, 0, "请将 .xls 文件另存为 .xlsx 后再导入");
    }
    if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
        ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6)))
        return sheet_xlsx(data, len, lim, out, e);
    if (format == SHEET_XLSX)
        return sheet_fail(e, 0, "文件不是有效的 Excel（.xlsx）文件");
    return sheet_csv(data, len, lim, out, e);
}

/* --- building --------------------------------------------------------- */

sheet *sheet_new(int format, const char *encoding, size_t text_hint, size_t text_max)
{
    sheet *s = gx_calloc(1, sizeof *s);
    s->format = format;
    s->encoding = encoding;
    s->tmax = text_max < SHEET_MAX_TEXT ? text_max : SHEET_MAX_TEXT;
    s->text_alloc = text_hint < 4096 ? 4096 : text_hint;
    if (s->text_alloc > s->tmax + 1)
        s->text_alloc = s->tmax + 1;
    s->text = gx_malloc(s->text_alloc);
    return s;
}

void sheet_add_row(sheet *s)
{
    if (s->nrows == s->rows_alloc) {
        s->rows_alloc = s->rows_alloc ? s->rows_alloc * 2 : 256;
        s->rows = gx_realloc(s->rows, s->rows_alloc * sizeof *s->rows);
    }
    s->rows[s->nrows++] = (sheet_rowrec){(uint32_t)s->ncells, 0, 0};
}

void sheet_drop_row(sheet *s)
{
    if (s->nrows)
        s->nrows--;
}

int sheet_add_cell(sheet *s, size_t col, const char *p, size_t n)
{
    if (n + 1 > s->tmax - s->tlen)
        return -1;
    if (s->tlen + n + 1 > s->text_alloc) {
        size_t a = s->text_alloc;
        while (a < s->tlen + n + 1)
            a = a > s->tmax / 2 ? s->tmax + 1 : a * 2;
        s->text = gx_realloc(s->text, a);
        s->text_alloc = a;
    }
    if (s->ncells == s->cells_alloc) {
        s->cells_alloc = s->cells_alloc ? s->cells_alloc * 2 : 1024;
        s->cells = gx_realloc(s->cells, s->cells_alloc * sizeof *s->cells);
    }
    char *d = s->text + s->tlen;
    if (!memchr(p, '\r', n)) {
        memcpy(d, p, n);
    } else {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '\r') {
                d[o++] = '\n';
                if (i + 1 < n && p[i + 1] == '\n')
                    i++;
            } else {
                d[o++] = p[i];
            }
        }
        n = o;
    }
    d[n] = 0;
    s->cells[s->ncells++] = (sheet_cellrec){(uint32_t)col, (uint32_t)s->tlen};
    s->tlen += n + 1;
    sheet_rowrec *r = &s->rows[s->nrows - 1];
    r->n++;
    if (r->ncols < col + 1)
        r->ncols = (uint32_t)(col + 1);
    return 0;
}

void sheet_trim_tail(sheet *s)
{
    while (s->nrows && s->rows[s->nrows - 1].n == 0)
        s->nrows--;
}

/* --- reading ---------------------------------------------------------- */

size_t sheet_nrows(const sheet *s) { return s->nrows; }

size_t sheet_ncols(const sheet *s, size_t row) { return row < s->nrows ? s->rows[row].ncols : 0; }

const char *sheet_cell(const sheet *s, size_t row, size_t col)
{
    if (row >= s->nrows || col >= s->rows[row].ncols)
        return "";
    const sheet_rowrec *r = &s->rows[row];
    const sheet_cellrec *c = s->cells + r->first;
    if (r->n == r->ncols)
        return s->text + c[col].off;
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && c[lo].col == col ? s->text + c[lo].off : "";
}

int sheet_row_empty(const sheet *s, size_t row) { return row >= s->nrows || s->rows[row].n == 0; }

int sheet_format(const sheet *s) { return s->format; }

const char *sheet_encoding(const sheet *s) { return s->encoding; }

void sheet_free(sheet *s)
{
    if (!s)
        return;
    free(s->text);
    free(s->cells);
    free(s->rows);
    free(s);
}

/* --- shared helpers --------------------------------------------------- */

void sheet_trim(const char **pp, size_t *np)
{
    const unsigned char *p = (const unsigned char *)*pp;
    size_t n = *np;
    for (;;) {
        if (n && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')) {
            p++, n--;
        } else if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {
            p += 2, n -= 2;
        } else if (n >= 3 && ((p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) ||
                              (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))) {
            p += 3, n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) {
            n--;
        } else if (n >= 2 && p[n - 2] == 0xc2 && p[n - 1] == 0xa0) {
            n -= 2;
        } else if (n >= 3 && ((p[n - 3] == 0xe3 && p[n - 2] == 0x80 && p[n - 1] == 0x80) ||
                              (p[n - 3] == 0xef && p[n - 2] == 0xbb && p[n - 1] == 0xbf))) {
            n -= 3;
        } else {
            break;
        }
    }
    *pp = (const char *)p;
    *np = n;
}

int sheet_vfail(gx_err *e, size_t row, const char *fmt, va_list ap)
{
    char msg[sizeof e->message];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n >= (int)sizeof msg) { /* cut at a character boundary */
        size_t l = sizeof msg - 1;
        while (l > 0 && ((unsigned char)msg[l] & 0xc0) == 0x80)
            l--;
        msg[l] = 0;
    }
    gx_fail(e, GX_EVALIDATION, msg);
    if (row)
        gx_extra(e, "row", json_integer((json_int_t)row));
    return -1;
}

int sheet_fail(gx_err *e, size_t row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sheet_vfail(e, row, fmt, ap);
    va_end(ap);
    return -1;
}

void sheet_col_name(size_t col, char out[16])
{
    char tmp[16];
    size_t k = 0;
    col++;
    while (col && k < sizeof tmp - 1) {
        col--;
        tmp[k++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (size_t i = 0; i < k; i++)
        out[i] = tmp[k - 1 - i];
    out[k] = 0;
}

void sheet_size_text(size_t n, char out[32])
{
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(out, 32, "%zu MB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, 32, "%zu KB", n >> 10);
    else
        snprintf(out, 32, "%zu 字节", n);
}
