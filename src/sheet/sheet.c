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
    .max_cells = 4000000,
    .max_text = (size_t)64 << 20,
    .max_memory = (size_t)256 << 20,
};

static const char ole_magic[8] = {'\xd0', '\xcf', '\x11', '\xe0', '\xa1', '\xb1', '\x1a', '\xe1'};
/* the stream an encrypted OOXML file keeps inside its OLE container, UTF-16LE */
static const char encrypted_stream[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

int sheet_parse(const char *data, size_t len, int format, const sheet_limits *lim, sheet **out, gx_err *e)
{
    if (!lim)
        lim = &sheet_default_limits;
    sheet_mem m = {.max = lim->max_memory};
    return sheet_parse_mem(data, len, format, lim, &m, out, e);
}

int sheet_parse_mem(const char *data, size_t len, int format, const sheet_limits *lim, sheet_mem *m, sheet **out,
                    gx_err *e)
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
    int rc;
    if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
        ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6)))
        rc = sheet_xlsx(data, len, lim, m, out, e);
    else if (format == SHEET_XLSX)
        return sheet_fail(e, 0, "文件不是有效的 Excel（.xlsx）文件");
    else
        rc = sheet_csv(data, len, lim, m, out, e);
    if (rc == 0) {
        (*out)->mem = NULL; /* the caller's now; sheet_free does not count */
    } else if (m->oom || m->over) {
        /* a refused allocation, whatever a library made of it (expat may
         * call it a syntax error, libzip a damaged file) */
        gx_err_clear(e);
        sheet_mem_fail(m, e);
    }
    return rc;
}

/* --- counted allocation ---------------------------------------------------- */

static int counted(sheet_mem *m, size_t grow)
{
    if (grow > m->max - m->used) {
        m->over = 1;
        return 0;
    }
    m->count++;
    if (m->fail_at && m->count == m->fail_at) {
        m->oom = 1;
        return 0;
    }
    return 1;
}

static void held(sheet_mem *m, size_t less, size_t more)
{
    m->used = m->used - less + more;
    if (m->used > m->peak)
        m->peak = m->used;
}

void *sheet_alloc(sheet_mem *m, size_t n)
{
    if (!counted(m, n))
        return NULL;
    void *p = malloc(n ? n : 1);
    if (!p) {
        m->oom = 1;
        return NULL;
    }
    held(m, 0, n);
    return p;
}

void *sheet_realloc(sheet_mem *m, void *p, size_t old, size_t n)
{
    if (!counted(m, n > old ? n - old : 0))
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        m->oom = 1;
        return NULL;
    }
    held(m, old, n);
    return q;
}

void sheet_release(sheet_mem *m, void *p, size_t n)
{
    if (!p)
        return;
    free(p);
    if (m)
        m->used -= n;
}

char *sheet_strdup(sheet_mem *m, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sheet_alloc(m, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int sheet_mem_fail(const sheet_mem *m, gx_err *e)
{
    if (!m->over || m->oom)
        return gx_fail(e, GX_EUNAVAIL, "服务器资源不足，请稍后重试");
    char t[32];
    sheet_size_text(m->max, t);
    return sheet_fail(e, 0, "文件过于复杂，读取所需内存超过 %s", t);
}

int sheet_buf_add(sheet_mem *m, sheet_buf *b, const char *p, size_t n)
{
    if (b->toobig || n > b->max - b->len) {
        b->toobig = 1;
        return SHEET_ETOOBIG;
    }
    if (b->len + n + 1 > b->alloc) {
        size_t a = b->alloc ? b->alloc : 256;
        while (a < b->len + n + 1)
            a *= 2;
        char *d = sheet_realloc(m, b->data, b->alloc, a);
        if (!d)
            return SHEET_EMEM;
        b->data = d;
        b->alloc = a;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return SHEET_OK;
}

void sheet_buf_reset(sheet_buf *b)
{
    b->len = 0;
    b->toobig = 0;
    if (b->data)
        b->data[0] = 0;
}

void sheet_buf_free(sheet_mem *m, sheet_buf *b)
{
    sheet_release(m, b->data, b->alloc);
    b->data = NULL;
    b->len = b->alloc = 0;
    b->toobig = 0;
}

/* --- building --------------------------------------------------------- */

sheet *sheet_new(sheet_mem *m, int format, const char *encoding, size_t text_hint, const sheet_limits *lim)
{
    sheet *s = sheet_alloc(m, sizeof *s);
    if (!s)
        return NULL;
    *s = (sheet){.format = format, .encoding = encoding, .mem = m};
    s->tmax = lim->max_text < SHEET_MAX_TEXT ? lim->max_text : SHEET_MAX_TEXT;
    s->tsum_max = s->tmax;
    s->cells_max = lim->max_cells < UINT32_MAX ? lim->max_cells : UINT32_MAX;
    size_t a = text_hint < 4096 ? 4096 : text_hint;
    if (a > s->tmax + 1)
        a = s->tmax + 1;
    if (!(s->text = sheet_alloc(m, a))) {
        sheet_release(m, s, sizeof *s);
        return NULL;
    }
    s->text_alloc = a;
    return s;
}

void sheet_discard(sheet *s)
{
    if (!s)
        return;
    sheet_mem *m = s->mem;
    sheet_release(m, s->text, s->text_alloc);
    sheet_release(m, s->cells, s->cells_alloc * sizeof *s->cells);
    sheet_release(m, s->rows, s->rows_alloc * sizeof *s->rows);
    sheet_release(m, s, sizeof *s);
}

int sheet_add_row(sheet *s)
{
    if (s->nrows == s->rows_alloc) {
        size_t a = s->rows_alloc ? s->rows_alloc * 2 : 256;
        sheet_rowrec *r = sheet_realloc(s->mem, s->rows, s->rows_alloc * sizeof *s->rows, a * sizeof *s->rows);
        if (!r)
            return SHEET_EMEM;
        s->rows = r;
        s->rows_alloc = a;
    }
    s->rows[s->nrows++] = (sheet_rowrec){(uint32_t)s->ncells, 0, 0};
    return SHEET_OK;
}

void sheet_drop_row(sheet *s)
{
    if (s->nrows)
        s->nrows--;
}

static inline int add_text(sheet *s, const char *p, size_t n, uint32_t *off, uint32_t *len)
{
    if (n + 1 > s->tmax - s->tlen)
        return SHEET_ETEXT;
    if (s->tlen + n + 1 > s->text_alloc) {
        size_t a = s->text_alloc;
        while (a < s->tlen + n + 1)
            a = a > s->tmax / 2 ? s->tmax + 1 : a * 2;
        char *t = sheet_realloc(s->mem, s->text, s->text_alloc, a);
        if (!t)
            return SHEET_EMEM;
        s->text = t;
        s->text_alloc = a;
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
    *off = (uint32_t)s->tlen;
    *len = (uint32_t)n;
    s->tlen += n + 1;
    return SHEET_OK;
}

static inline int add_ref(sheet *s, size_t col, uint32_t off, size_t len)
{
    if (len > s->tsum_max - s->tsum)
        return SHEET_ETEXT;
    if (s->ncells >= s->cells_max)
        return SHEET_ECELLS;
    if (s->ncells == s->cells_alloc) {
        size_t a = s->cells_alloc ? s->cells_alloc * 2 : 1024;
        if (a > s->cells_max)
            a = s->cells_max;
        sheet_cellrec *c = sheet_realloc(s->mem, s->cells, s->cells_alloc * sizeof *s->cells, a * sizeof *s->cells);
        if (!c)
            return SHEET_EMEM;
        s->cells = c;
        s->cells_alloc = a;
    }
    s->tsum += len;
    s->cells[s->ncells++] = (sheet_cellrec){(uint32_t)col, off};
    sheet_rowrec *r = &s->rows[s->nrows - 1];
    r->n++;
    if (r->ncols < col + 1)
        r->ncols = (uint32_t)(col + 1);
    return SHEET_OK;
}

int sheet_add_text(sheet *s, const char *p, size_t n, uint32_t *off, uint32_t *len)
{
    return add_text(s, p, n, off, len);
}

int sheet_add_ref(sheet *s, size_t col, uint32_t off, size_t len) { return add_ref(s, col, off, len); }

int sheet_add_cell(sheet *s, size_t col, const char *p, size_t n)
{
    uint32_t off, len;
    int rc = add_text(s, p, n, &off, &len);
    return rc ? rc : add_ref(s, col, off, len);
}

int sheet_build_fail(const sheet *s, int rc, const sheet_limits *lim, gx_err *e)
{
    char t[32];
    switch (rc) {
    case SHEET_ETEXT:
        sheet_size_text(lim->max_text, t);
        return sheet_fail(e, 0, "文件的文字内容过多（超过 %s）", t);
    case SHEET_ECELLS:
        return sheet_fail(e, 0, "文件的单元格过多（超过 %zu 个）", s->cells_max);
    default:
        return sheet_mem_fail(s->mem, e);
    }
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
    if (s->mem) { /* still being built */
        sheet_discard(s);
        return;
    }
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
