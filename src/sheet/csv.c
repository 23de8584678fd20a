/* csv.c - RFC 4180 CSV in UTF-8 (with or without BOM) or GB18030.
 *
 * Records end at CR LF, LF or a lone CR outside quotes; a quoted field may
 * hold commas, newlines and "" for a quote. Text after a closing quote is
 * kept literally up to the next comma (as Excel does); a quote inside an
 * unquoted field is literal. Every non-empty record must have as many fields
 * as the first one; an empty (or blank) line is kept as an empty row. */
#include "sheet_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_ENCODING "文件编码无法识别：请保存为 UTF-8 或 GB18030 编码的 CSV"

typedef struct csv {
    const char *p;
    size_t n, i;
    size_t row; /* 1-based number of the record being read */
    const sheet_limits *lim;
    sheet_mem *m;
    sheet *s;
    gx_err *e;
    sheet_buf field; /* unquoted text of a quoted field */
} csv;

/* Length of the well-formed UTF-8 multi-byte sequence at s[0..n) (shortest
 * form, no surrogates, at most U+10FFFF); 0 when there is none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xbf;
    size_t k;
    if (c >= 0xc2 && c <= 0xdf) {
        k = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 2;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 3;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (n <= k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t j = 2; j <= k; j++)
        if ((s[j] & 0xc0) != 0x80)
            return 0;
    return k + 1;
}

/* 1 when s[0..n) is well-formed UTF-8; any ASCII byte passes here, control
 * characters are refused per cell. */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t l = utf8_seq(s + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

/* 1 when s looks like UTF-8 with a few damaged bytes rather than another
 * encoding: at least 8 valid multi-byte sequences for each invalid byte.
 * (GB18030 Chinese text has most of its bytes invalid as UTF-8.) Decoding
 * such a file as GB18030 would import mojibake. */
static int utf8_damaged(const unsigned char *s, size_t n)
{
    size_t valid = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t l = utf8_seq(s + i, n - i);
        if (l) {
            valid++;
            i += l;
        } else {
            invalid++;
            i++;
        }
    }
    return valid >= 8 * invalid;
}

/* GB18030 (a superset of GBK and GB2312) to UTF-8 in *out (*cap bytes,
 * counted in m; the caller releases it). 0 ok; 1 when the bytes are not
 * GB18030; SHEET_EMEM when memory is refused. */
static int from_gb18030(sheet_mem *m, const char *in, size_t n, char **out, size_t *cap, size_t *outlen)
{
    *out = NULL;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? SHEET_EMEM : 1;
    size_t c = n * 2 + 16; /* a GB18030 character never grows past 2x */
    char *o = sheet_alloc(m, c);
    if (!o) {
        iconv_close(cd);
        return SHEET_EMEM;
    }
    char *ip = (char *)in, *op = o;
    size_t il = n, ol = c;
    int rc = 0;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
        sheet_release(m, o, c);
        rc = 1;
    } else {
        *out = o;
        *cap = c;
        *outlen = (size_t)(op - o);
    }
    iconv_close(cd);
    return rc;
}

static int fail_cell(csv *c, size_t col, const char *what)
{
    char cn[16];
    sheet_col_name(col, cn);
    return sheet_fail(c->e, c->row, "第 %zu 行 %s 列%s", c->row, cn, what);
}

static int too_long(csv *c, size_t col)
{
    char t[32], what[64];
    sheet_size_text(c->lim->max_cell, t);
    snprintf(what, sizeof what, "的内容过长（超过 %s）", t);
    return fail_cell(c, col, what);
}

static int has_control(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f)
            return 1;
    }
    return 0;
}

/* Append to the quoted field being read; -1 with e filled when too long or
 * out of memory. */
static int add_field(csv *c, size_t col, const char *p, size_t n)
{
    int rc = sheet_buf_add(c->m, &c->field, p, n);
    if (rc == SHEET_ETOOBIG)
        return too_long(c, col);
    return rc ? sheet_mem_fail(c->m, c->e) : 0;
}

static size_t field_end(const char *p, size_t n, size_t i)
{
    while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r')
        i++;
    return i;
}

/* One field starting at c->i; leaves c->i on the comma, line end or end. */
static int read_field(csv *c, size_t col, const char **fp, size_t *fn)
{
    const char *p = c->p;
    size_t n = c->n, i = c->i;
    if (i < n && p[i] == '"') {
        sheet_buf_reset(&c->field);
        if (add_field(c, col, "", 0))
            return -1;
        i++;
        for (;;) {
            const char *q = memchr(p + i, '"', n - i);
            if (!q)
                return sheet_fail(c->e, c->row, "第 %zu 行的引号没有闭合", c->row);
            size_t k = (size_t)(q - p);
            if (add_field(c, col, p + i, k - i))
                return -1;
            if (k + 1 < n && p[k + 1] == '"') {
                if (add_field(c, col, "\"", 1))
                    return -1;
                i = k + 2;
                continue;
            }
            i = k + 1;
            break;
        }
        size_t j = field_end(p, n, i);
        if (add_field(c, col, p + i, j - i))
            return -1;
        c->i = j;
        *fp = c->field.data;
        *fn = c->field.len;
    } else {
        size_t j = field_end(p, n, i);
        *fp = p + i;
        *fn = j - i;
        c->i = j;
    }
    if (*fn > c->lim->max_cell)
        return too_long(c, col);
    if (has_control(*fp, *fn))
        return fail_cell(c, col, "含有不允许的控制字符");
    return 0;
}

static size_t skip_eol(const char *p, size_t n, size_t i)
{
    if (i < n && p[i] == '\r') {
        i++;
        if (i < n && p[i] == '\n')
            i++;
    } else if (i < n && p[i] == '\n') {
        i++;
    }
    return i;
}

static int read_rows(csv *c)
{
    const char *p = c->p;
    size_t n = c->n, header = 0, max_rows = c->lim->max_rows;
    int have_header = 0;
    if (max_rows > SHEET_MAX_ROWS)
        max_rows = SHEET_MAX_ROWS;
    while (c->i < n) {
        c->row++;
        size_t j = c->i;
        while (j < n && (p[j] == ' ' || p[j] == '\t'))
            j++;
        if (j == n || p[j] == '\r' || p[j] == '\n') { /* empty line: an empty row */
            c->i = skip_eol(p, n, j);
            if (c->row <= max_rows && sheet_add_row(c->s))
                return sheet_mem_fail(c->m, c->e);
            continue;
        }
        if (sheet_add_row(c->s))
            return sheet_mem_fail(c->m, c->e);
        size_t col = 0;
        for (;;) {
            if (col >= c->lim->max_cols)
                return sheet_fail(c->e, c->row, "第 %zu 行超过 %zu 列", c->row, c->lim->max_cols);
            const char *f;
            size_t fn;
            if (read_field(c, col, &f, &fn))
                return -1;
            sheet_trim(&f, &fn);
            int rc = fn ? sheet_add_cell(c->s, col, f, fn) : SHEET_OK;
            if (rc)
                return sheet_build_fail(c->s, rc, c->lim, c->e);
            col++;
            if (c->i < n && p[c->i] == ',') {
                c->i++;
                continue;
            }
            c->i = skip_eol(p, n, c->i);
            break;
        }
        if (!have_header) {
            header = col;
            have_header = 1;
        } else if (col != header) {
            return sheet_fail(c->e, c->row, "第 %zu 行有 %zu 列，表头有 %zu 列", c->row, col, header);
        }
        sheet_rowrec *r = &c->s->rows[c->s->nrows - 1];
        r->ncols = (uint32_t)col;
        if (c->row > max_rows) {
            if (r->n)
                return sheet_fail(c->e, 0, "文件超过 %zu 行", max_rows);
            sheet_drop_row(c->s);
        }
    }
    sheet_trim_tail(c->s);
    return 0;
}

int sheet_csv(const char *data, size_t len, const sheet_limits *lim, sheet_mem *m, sheet **out, gx_err *e)
{
    const char *p = data ? data : "";
    size_t n = len;
    const char *enc = "UTF-8";
    char *conv = NULL;
    size_t conv_cap = 0;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
        n -= 3;
        if (!utf8_ok((const unsigned char *)p, n))
            return sheet_fail(e, 0, MSG_ENCODING);
    } else if (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0)) {
        return sheet_fail(e, 0, MSG_ENCODING); /* UTF-16 ("Unicode text") */
    } else if (!utf8_ok((const unsigned char *)p, n)) {
        if (utf8_damaged((const unsigned char *)p, n))
            return sheet_fail(e, 0, MSG_ENCODING);
        size_t cn = 0;
        int rc = from_gb18030(m, p, n, &conv, &conv_cap, &cn);
        if (rc == SHEET_EMEM)
            return sheet_mem_fail(m, e);
        if (rc || !utf8_ok((const unsigned char *)conv, cn)) {
            sheet_release(m, conv, conv_cap);
            return sheet_fail(e, 0, MSG_ENCODING);
        }
        p = conv;
        n = cn;
        enc = "GB18030";
        if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) { /* GB18030 BOM 84 31 95 33 */
            p += 3;
            n -= 3;
        }
    }
    csv c = {.p = p, .n = n, .lim = lim, .m = m, .e = e, .field = {.max = lim->max_cell}};
    int rc = -1;
    c.s = sheet_new(m, SHEET_CSV, enc, n + n / 8, lim);
    if (!c.s)
        sheet_mem_fail(m, e);
    else
        rc = read_rows(&c);
    sheet_buf_free(m, &c.field);
    sheet_release(m, conv, conv_cap);
    if (rc) {
        sheet_discard(c.s);
        return -1;
    }
    *out = c.s;
    return 0;
}
