/* xlsx.c - the first worksheet of an .xlsx, read from memory with libzip and
 * streamed through expat.
 *
 * Entries read, in order: xl/workbook.xml (first <sheet r:id>, date1904),
 * xl/_rels/workbook.xml.rels (that sheet's target, the shared strings and
 * styles targets), the shared strings, the styles (which cell formats show
 * dates) and the worksheet. Every entry's declared size is checked against
 * what is left of max_uncompressed before it is opened, and the bytes
 * actually inflated are counted while reading, stopping at the cap or past
 * the declared size, whichever comes first. Each XML parser refuses any
 * DOCTYPE or entity declaration. */
#include "sheet_int.h"
#include "../base/buf.h"
#include "../base/util.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MSG_INVALID "文件不是有效的 Excel（.xlsx）文件"
#define MSG_BOMB "文件解压后过大"
#define MSG_ENTITY "文件包含不允许的 XML 实体声明"
#define MSG_ENCRYPTED "文件已加密，请取消密码后再导入"

#define CHUNK 65536
#define MAX_PATH_LEN 512
#define MAX_XF 65536         /* Excel allows 64000 cell formats */
#define MAX_FMT_ID 65536     /* custom number format ids are small (164 and up) */
#define SS_TOO_LONG UINT32_MAX

typedef struct sstr {
    uint32_t off, len; /* into xlsx.sst; len SS_TOO_LONG when over max_cell */
} sstr;

typedef struct xlsx {
    zip_t *za;
    const sheet_limits *lim;
    gx_err *e;
    size_t budget; /* bytes still allowed to inflate */
    XML_Parser xp; /* parser of the entry being read */
    const char *entry;
    int failed; /* e filled by a handler */
    int entity; /* DOCTYPE or entity declaration seen */
    buf cell;   /* text being collected (cap max_cell) */
    int collect;

    /* workbook and relationships */
    int date1904;
    char *sheet_rid, *sheet_target, *sst_target, *styles_target;

    /* shared strings */
    buf sst;
    sstr *ss;
    size_t nss, ss_alloc;
    int in_si, in_rph;

    /* styles */
    unsigned char *date_fmt; /* bitmap over custom numFmtId < MAX_FMT_ID */
    unsigned char *xf_date;  /* per cellXfs index: 1 when a date format */
    size_t nxf, xf_alloc;
    int in_numfmts, in_cellxfs;

    /* worksheet */
    sheet *s;
    size_t max_rows;
    int in_data, in_row, in_c, in_is;
    size_t row, lastrow;  /* current and previous row numbers (1-based) */
    size_t col, nextcol;  /* current cell's column, lowest allowed next column */
    size_t style;
    char type; /* n s S(str) i(inlineStr) b e d */
} xlsx;

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Strict decimal of at most 9 digits; -1 when bad. */
static long small_num(const char *s)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 9)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void stop(xlsx *x)
{
    x->failed = 1;
    XML_StopParser(x->xp, XML_FALSE);
}

static void fail(xlsx *x, size_t row, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(xlsx *x, size_t row, const char *fmt, ...)
{
    if (x->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    sheet_vfail(x->e, row, fmt, ap);
    va_end(ap);
    stop(x);
}

static void fail_cell(xlsx *x, const char *what)
{
    char cn[16];
    sheet_col_name(x->col, cn);
    fail(x, x->row, "第 %zu 行 %s 列%s", x->row, cn, what);
}

static void fail_too_long(xlsx *x)
{
    char t[32], what[64];
    sheet_size_text(x->lim->max_cell, t);
    snprintf(what, sizeof what, "的内容过长（超过 %s）", t);
    fail_cell(x, what);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    xlsx *x = ud;
    x->entity = 1;
    XML_StopParser(x->xp, XML_FALSE);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                              const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid, (void)notation;
    xlsx *x = ud;
    x->entity = 1;
    XML_StopParser(x->xp, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (x->collect && !x->failed)
        buf_append(&x->cell, s, (size_t)len); /* over the cap: toobig, checked at the end */
}

/* Read one zip entry through an XML parser with the given handlers. */
static int read_xml(xlsx *x, const char *name, XML_StartElementHandler start, XML_EndElementHandler end)
{
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return sheet_fail(x->e, 0, MSG_INVALID);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
        return sheet_fail(x->e, 0, MSG_INVALID);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return sheet_fail(x->e, 0, MSG_ENCRYPTED);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > x->budget)
        return sheet_fail(x->e, 0, MSG_BOMB);
    /* an entry may not inflate past its declared size either (libzip does not check) */
    zip_uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : x->budget, inflated = 0;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return sheet_fail(x->e, 0, "%s（%s 无法解压）", MSG_INVALID, name);
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p)
        gx_die("out of memory");
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    x->xp = p;
    x->entry = name;
    x->collect = 0;
    int rc = -1;
    for (;;) {
        void *b = XML_GetBuffer(p, CHUNK);
        if (!b)
            gx_die("out of memory");
        zip_int64_t got = zip_fread(zf, b, CHUNK);
        if (got < 0) {
            sheet_fail(x->e, 0, "%s（%s 的压缩数据已损坏）", MSG_INVALID, name);
            goto out;
        }
        inflated += (zip_uint64_t)got;
        if ((zip_uint64_t)got > x->budget || inflated > declared) {
            sheet_fail(x->e, 0, MSG_BOMB);
            goto out;
        }
        x->budget -= (size_t)got;
        if (XML_ParseBuffer(p, (int)got, got == 0) != XML_STATUS_OK) {
            if (x->failed)
                ;
            else if (x->entity)
                sheet_fail(x->e, 0, MSG_ENTITY);
            else
                sheet_fail(x->e, 0, "%s（%s 的 XML 格式错误：%s）", MSG_INVALID, name,
                           XML_ErrorString(XML_GetErrorCode(p)));
            goto out;
        }
        if (x->failed)
            goto out;
        if (got == 0)
            break;
    }
    rc = 0;
out:
    XML_ParserFree(p);
    zip_fclose(zf);
    x->xp = NULL;
    return rc;
}

/* --- workbook and relationships ----------------------------------------- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (strcmp(n, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(n, "sheet") == 0 && !x->sheet_rid) {
        const char *v = attr(atts, "id");
        if (v)
            x->sheet_rid = gx_strdup(v);
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* Target relative to xl/ (or absolute from the package root) to a zip entry
 * name, with "." and ".." resolved; NULL when it leaves the package. */
static char *resolve(const char *target)
{
    char in[MAX_PATH_LEN], out[MAX_PATH_LEN];
    int n = snprintf(in, sizeof in, "%s%s", target[0] == '/' ? "" : "xl/", target);
    if (n < 0 || (size_t)n >= sizeof in)
        return NULL;
    size_t o = 0;
    for (char *seg = in; seg;) {
        char *slash = strchr(seg, '/');
        if (slash)
            *slash = 0;
        if (strcmp(seg, "..") == 0) {
            if (o == 0)
                return NULL;
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else if (*seg && strcmp(seg, ".") != 0) {
            if (o)
                out[o++] = '/';
            size_t l = strlen(seg);
            memcpy(out + o, seg, l);
            o += l;
        }
        seg = slash ? slash + 1 : NULL;
    }
    if (o == 0)
        return NULL;
    out[o] = 0;
    return gx_strdup(out);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (x->failed || strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!target || !type || (mode && strcmp(mode, "External") == 0))
        return;
    char **slot = NULL;
    if (id && x->sheet_rid && strcmp(id, x->sheet_rid) == 0)
        slot = &x->sheet_target;
    else if (ends_with(type, "/sharedStrings"))
        slot = &x->sst_target;
    else if (ends_with(type, "/styles"))
        slot = &x->styles_target;
    if (slot && !*slot)
        *slot = resolve(target);
}

/* --- shared strings ---------------------------------------------------- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        x->in_si = 1;
        x->in_rph = 0;
        buf_reset(&x->cell);
    } else if (x->in_si && strcmp(n, "rPh") == 0) {
        x->in_rph = 1; /* phonetic guide: not part of the text */
    } else if (x->in_si && !x->in_rph && strcmp(n, "t") == 0) {
        x->collect = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (strcmp(n, "t") == 0) {
        x->collect = 0;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 0;
    } else if (strcmp(n, "si") == 0 && x->in_si) {
        x->in_si = 0;
        if (x->nss == x->ss_alloc) {
            x->ss_alloc = x->ss_alloc ? x->ss_alloc * 2 : 1024;
            x->ss = gx_realloc(x->ss, x->ss_alloc * sizeof *x->ss);
        }
        sstr *ss = &x->ss[x->nss++];
        ss->off = (uint32_t)x->sst.len;
        ss->len = SS_TOO_LONG;
        if (x->cell.toobig)
            return;
        const char *p = x->cell.data ? x->cell.data : "";
        size_t len = x->cell.data ? sheet_xstring_decode(x->cell.data, x->cell.len) : 0;
        sheet_trim(&p, &len);
        /* the shared strings never outgrow the inflated bytes, which the budget caps below 4 GiB */
        buf_append(&x->sst, p, len);
        buf_putc(&x->sst, 0);
        ss->len = (uint32_t)len;
    }
}

/* --- styles -------------------------------------------------------------- */

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (strcmp(n, "numFmts") == 0) {
        x->in_numfmts = 1;
    } else if (strcmp(n, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (x->in_numfmts && strcmp(n, "numFmt") == 0) {
        long id = small_num(attr(atts, "numFmtId"));
        const char *code = attr(atts, "formatCode");
        if (id >= 0 && id < MAX_FMT_ID && code && sheet_numfmt_is_date(code))
            x->date_fmt[id / 8] |= (unsigned char)(1u << (id % 8));
    } else if (x->in_cellxfs && strcmp(n, "xf") == 0 && x->nxf < MAX_XF) {
        long id = small_num(attr(atts, "numFmtId"));
        int date = 0;
        if (id >= 0 && id < MAX_FMT_ID)
            date = sheet_builtin_date((unsigned)id) || (x->date_fmt[id / 8] >> (id % 8) & 1);
        if (x->nxf == x->xf_alloc) {
            x->xf_alloc = x->xf_alloc ? x->xf_alloc * 2 : 64;
            x->xf_date = gx_realloc(x->xf_date, x->xf_alloc);
        }
        x->xf_date[x->nxf++] = (unsigned char)date;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "numFmts") == 0)
        x->in_numfmts = 0;
    else if (strcmp(n, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* --- worksheet ----------------------------------------------------------- */

/* Column of a reference like "AB12" (the row part is ignored: the <row>
 * element says which row); -1 when malformed. */
static long ref_col(const char *r)
{
    long c = 0;
    size_t i = 0;
    for (; (r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z'); i++) {
        if (i >= 3)
            return -1;
        c = c * 26 + ((r[i] | 0x20) - 'a' + 1);
    }
    if (i == 0)
        return -1;
    size_t j = i;
    for (; r[j] >= '0' && r[j] <= '9'; j++)
        if (j - i >= 7)
            return -1;
    if (j == i || r[j])
        return -1;
    return c - 1;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (x->failed)
        return;
    const char *n = local(name);
    if (!x->in_data) {
        if (strcmp(n, "sheetData") == 0)
            x->in_data = 1;
        return;
    }
    if (x->in_c) {
        if (strcmp(n, "v") == 0) {
            x->collect = 1;
        } else if (strcmp(n, "is") == 0) {
            x->in_is = 1;
        } else if (x->in_is && strcmp(n, "rPh") == 0) {
            x->in_is = 2; /* phonetic guide */
        } else if (x->in_is == 1 && strcmp(n, "t") == 0) {
            x->collect = 1;
        }
    } else if (x->in_row && strcmp(n, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        long col = r ? ref_col(r) : (long)x->nextcol;
        if (col < 0) {
            fail(x, x->row, "%s（第 %zu 行有无效的单元格引用）", MSG_INVALID, x->row);
            return;
        }
        if ((size_t)col < x->nextcol) {
            fail(x, x->row, "%s（第 %zu 行的单元格顺序错误）", MSG_INVALID, x->row);
            return;
        }
        x->col = (size_t)col;
        x->nextcol = x->col + 1;
        x->type = 'n';
        if (t) {
            if (strcmp(t, "s") == 0)
                x->type = 's';
            else if (strcmp(t, "str") == 0)
                x->type = 'S';
            else if (strcmp(t, "inlineStr") == 0)
                x->type = 'i';
            else if (strcmp(t, "b") == 0)
                x->type = 'b';
            else if (strcmp(t, "e") == 0)
                x->type = 'e';
            else if (strcmp(t, "d") == 0)
                x->type = 'd';
        }
        long st = small_num(s);
        x->style = st < 0 ? 0 : (size_t)st;
        buf_reset(&x->cell);
        x->in_c = 1;
        x->in_is = 0;
    } else if (!x->in_row && strcmp(n, "row") == 0) {
        const char *r = attr(atts, "r");
        long rn = r ? small_num(r) : (long)x->lastrow + 1;
        if (rn <= 0) {
            fail(x, 0, "%s（行号无效）", MSG_INVALID);
            return;
        }
        if ((size_t)rn <= x->lastrow) {
            fail(x, (size_t)rn, "%s（第 %ld 行出现在第 %zu 行之后）", MSG_INVALID, rn, x->lastrow);
            return;
        }
        x->row = x->lastrow = (size_t)rn;
        x->nextcol = 0;
        x->in_row = 1;
    }
}

static int is_date_style(const xlsx *x) { return x->style < x->nxf && x->xf_date[x->style]; }

static void emit_cell(xlsx *x)
{
    if (x->cell.toobig) {
        fail_too_long(x);
        return;
    }
    char *v = x->cell.data ? x->cell.data : (char *)"";
    size_t n = x->cell.len;
    const char *p = v;
    char tmp[64];
    switch (x->type) {
    case 's': {
        if (n == 0)
            return;
        long i = small_num(v);
        if (i < 0 || (size_t)i >= x->nss) {
            fail_cell(x, "引用了不存在的共享字符串");
            return;
        }
        if (x->ss[i].len == SS_TOO_LONG) {
            fail_too_long(x);
            return;
        }
        p = x->sst.data + x->ss[i].off;
        n = x->ss[i].len;
        break;
    }
    case 'b':
        if (n == 1 && (v[0] == '0' || v[0] == '1')) {
            p = v[0] == '1' ? "TRUE" : "FALSE";
            n = strlen(p);
            break;
        }
        n = sheet_xstring_decode(v, n);
        break;
    case 'd':
        n = sheet_xstring_decode(v, n);
        if (n >= 10 && v[4] == '-' && v[7] == '-' && (n == 10 || v[10] == 'T'))
            n = 10; /* ISO 8601: keep the date */
        break;
    case 'n':
        if (n && is_date_style(x) && sheet_serial_date(v, n, x->date1904, tmp) == 0) {
            p = tmp;
            n = 10;
        } else if (n && sheet_expand_exp(v, n, tmp, sizeof tmp) == 0) {
            p = tmp;
            n = strlen(tmp);
        } else {
            n = sheet_xstring_decode(v, n);
        }
        break;
    default: /* str, inlineStr, e */
        n = sheet_xstring_decode(v, n);
        break;
    }
    sheet_trim(&p, &n);
    if (!n)
        return;
    if (x->col >= x->lim->max_cols) {
        fail(x, x->row, "第 %zu 行超过 %zu 列", x->row, x->lim->max_cols);
        return;
    }
    if (x->row > x->max_rows) {
        fail(x, 0, "文件超过 %zu 行", x->max_rows);
        return;
    }
    while (x->s->nrows < x->row)
        sheet_add_row(x->s);
    if (sheet_add_cell(x->s, x->col, p, n))
        fail(x, 0, MSG_BOMB);
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (x->failed || !x->in_data)
        return;
    const char *n = local(name);
    if (x->in_c) {
        if (strcmp(n, "c") == 0) {
            x->collect = 0;
            x->in_c = 0;
            emit_cell(x);
        } else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
            x->collect = 0;
        } else if (strcmp(n, "rPh") == 0 && x->in_is == 2) {
            x->in_is = 1;
        } else if (strcmp(n, "is") == 0) {
            x->in_is = 0;
        }
    } else if (strcmp(n, "row") == 0) {
        x->in_row = 0;
    } else if (strcmp(n, "sheetData") == 0) {
        x->in_data = 0;
    }
}

/* --- the whole file -------------------------------------------------------- */

static int read_optional(xlsx *x, const char *target, const char *fallback, XML_StartElementHandler start,
                         XML_EndElementHandler end)
{
    const char *name = target ? target : fallback;
    if (zip_name_locate(x->za, name, ZIP_FL_NOCASE) < 0)
        return 0;
    return read_xml(x, name, start, end);
}

int sheet_xlsx(const char *data, size_t len, const sheet_limits *lim, sheet **out, gx_err *e)
{
    xlsx x = {.lim = lim, .e = e};
    x.budget = lim->max_uncompressed < SHEET_MAX_TEXT ? lim->max_uncompressed : SHEET_MAX_TEXT;
    x.max_rows = lim->max_rows < SHEET_MAX_ROWS ? lim->max_rows : SHEET_MAX_ROWS;
    x.cell = (buf)BUF_INIT(lim->max_cell);
    x.sst = (buf)BUF_INIT(SHEET_MAX_TEXT);
    int rc = -1;

    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) {
        x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!x.za)
            zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (!x.za) {
        sheet_fail(e, 0, MSG_INVALID);
        goto out;
    }
    if (zip_name_locate(x.za, "xl/workbook.xml", ZIP_FL_NOCASE) < 0) {
        sheet_fail(e, 0, MSG_INVALID);
        goto out;
    }
    if (read_xml(&x, "xl/workbook.xml", wb_start, no_end))
        goto out;
    if (!x.sheet_rid) {
        sheet_fail(e, 0, "%s（找不到工作表）", MSG_INVALID);
        goto out;
    }
    if (read_xml(&x, "xl/_rels/workbook.xml.rels", rels_start, no_end))
        goto out;
    if (!x.sheet_target || zip_name_locate(x.za, x.sheet_target, ZIP_FL_NOCASE) < 0) {
        sheet_fail(e, 0, "%s（找不到工作表）", MSG_INVALID);
        goto out;
    }
    if (read_optional(&x, x.sst_target, "xl/sharedStrings.xml", sst_start, sst_end))
        goto out;
    x.date_fmt = gx_calloc(MAX_FMT_ID / 8, 1);
    if (read_optional(&x, x.styles_target, "xl/styles.xml", styles_start, styles_end))
        goto out;
    x.s = sheet_new(SHEET_XLSX, "xlsx", (size_t)1 << 20, x.budget);
    if (read_xml(&x, x.sheet_target, ws_start, ws_end))
        goto out;
    sheet_trim_tail(x.s);
    *out = x.s;
    x.s = NULL;
    rc = 0;
out:
    if (x.za)
        zip_discard(x.za);
    sheet_free(x.s);
    buf_free(&x.cell);
    buf_free(&x.sst);
    free(x.ss);
    free(x.date_fmt);
    free(x.xf_date);
    free(x.sheet_rid);
    free(x.sheet_target);
    free(x.sst_target);
    free(x.styles_target);
    return rc;
}
