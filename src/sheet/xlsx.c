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
 * DOCTYPE or entity declaration.
 *
 * Memory: shared strings go straight into the sheet's text, once, and a
 * t="s" cell points at its string. Every allocation (expat's through its
 * memory suite) is counted in the parse's sheet_mem. libzip cannot be given
 * an allocator, so its share is bounded before it opens the file: a zip whose
 * central directory declares more than MAX_ENTRIES entries or MAX_CDIR bytes
 * is refused. */
#include "sheet_int.h"

#include <expat.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#define MSG_INVALID "文件不是有效的 Excel（.xlsx）文件"
#define MSG_BOMB "文件解压后过大"
#define MSG_ENTITY "文件包含不允许的 XML 实体声明"
#define MSG_ENCRYPTED "文件已加密，请取消密码后再导入"

#define CHUNK 65536
#define MAX_PATH_LEN 512
#define MAX_XF 65536         /* Excel allows 64000 cell formats */
#define MAX_FMT_ID 65536     /* custom number format ids are small (164 and up) */
#define SS_TOO_LONG UINT32_MAX
#define MAX_ENTRIES 10000           /* an .xlsx has a few dozen */
#define MAX_CDIR ((size_t)4 << 20)  /* bytes of central directory */
#define MAX_EOCD 4                  /* end records libzip would try, each reading its directory */
#define MAX_DEPTH 64                /* elements open at once; a worksheet needs about 8 */
#define MAX_XML_BLOCK ((size_t)1 << 20) /* one expat allocation: its buffer holds a whole tag */

typedef struct sstr {
    uint32_t off, len; /* into the sheet's text; len SS_TOO_LONG when over max_cell */
} sstr;

typedef struct xlsx {
    zip_t *za;
    const sheet_limits *lim;
    sheet_mem *m;
    gx_err *e;
    size_t budget; /* bytes still allowed to inflate */
    XML_Parser xp; /* parser of the entry being read */
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    size_t depth; /* elements open */
    const char *entry;
    int failed; /* e filled by a handler */
    int entity;     /* DOCTYPE or entity declaration seen */
    int token_big;  /* expat asked for a block over MAX_XML_BLOCK */
    sheet_buf cell; /* text being collected (cap max_cell) */
    int collect;

    /* workbook and relationships */
    int date1904;
    char *sheet_rid, *sheet_target, *sst_target, *styles_target;

    /* shared strings */
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

/* e from a builder result (or a refused allocation: SHEET_EMEM) */
static void fail_rc(xlsx *x, int rc)
{
    if (x->failed)
        return;
    if (rc == SHEET_EMEM || !x->s)
        sheet_mem_fail(x->m, x->e);
    else
        sheet_build_fail(x->s, rc, x->lim, x->e);
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
    /* over the cap: toobig, checked at the end */
    if (x->collect && !x->failed && sheet_buf_add(x->m, &x->cell, s, (size_t)len) == SHEET_EMEM)
        fail_rc(x, SHEET_EMEM);
}

/* expat's allocations, counted in the parse's sheet_mem. Its memory suite
 * has no context argument, so read_xml names the reader in a thread-local
 * for the time it runs the parser (a parse never leaves its thread). Each
 * block carries its size in front. A block over MAX_XML_BLOCK is refused:
 * expat's buffer must hold a whole tag, and expat 2.5 scans a pending tag
 * again for every chunk fed, so a tag of 200 MB took minutes of CPU. */
static _Thread_local xlsx *xml_x;
#define XHDR ((size_t)16)
_Static_assert(alignof(max_align_t) <= XHDR, "expat blocks stay aligned");

static int xml_block_ok(size_t n)
{
    if (n <= MAX_XML_BLOCK)
        return 1;
    xml_x->token_big = 1;
    return 0;
}

static void *XMLCALL xml_malloc(size_t n)
{
    if (!xml_block_ok(n))
        return NULL;
    char *b = sheet_alloc(xml_x->m, n + XHDR);
    if (!b)
        return NULL;
    memcpy(b, &(size_t){n + XHDR}, sizeof(size_t));
    return b + XHDR;
}

static void XMLCALL xml_free(void *p)
{
    if (!p)
        return;
    char *b = (char *)p - XHDR;
    size_t n;
    memcpy(&n, b, sizeof n);
    sheet_release(xml_x->m, b, n);
}

static void *XMLCALL xml_realloc(void *p, size_t n)
{
    if (!p)
        return xml_malloc(n);
    if (!xml_block_ok(n))
        return NULL;
    char *b = (char *)p - XHDR;
    size_t old;
    memcpy(&old, b, sizeof old);
    b = sheet_realloc(xml_x->m, b, old, n + XHDR);
    if (!b)
        return NULL;
    memcpy(b, &(size_t){n + XHDR}, sizeof(size_t));
    return b + XHDR;
}

static const XML_Memory_Handling_Suite xml_suite = {xml_malloc, xml_realloc, xml_free};

static void fail_token_big(xlsx *x)
{
    char t[32];
    sheet_size_text(MAX_XML_BLOCK, t);
    sheet_fail(x->e, 0, "%s（%s 的 XML 标记过长，超过 %s）", MSG_INVALID, x->entry, t);
}

/* libzip's error, as e: out of memory is the server's problem (GX_EUNAVAIL),
 * anything else a damaged file. */
static int zip_fail(xlsx *x, zip_error_t *ze, const char *fmt, const char *name)
{
    int code = zip_error_code_zip(ze);
    if (code == ZIP_ER_MEMORY || (code == ZIP_ER_ZLIB && zip_error_code_system(ze) == Z_MEM_ERROR)) {
        x->m->oom = 1;
        return sheet_mem_fail(x->m, x->e);
    }
    return sheet_fail(x->e, 0, fmt, MSG_INVALID, name);
}

/* Every element passes here: expat keeps each open one, so nesting is
 * capped before it costs memory. */
static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (++x->depth > MAX_DEPTH) {
        fail(x, 0, "%s（%s 的 XML 嵌套超过 %d 层）", MSG_INVALID, x->entry, MAX_DEPTH);
        return;
    }
    x->start(ud, name, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    x->depth--;
    x->end(ud, name);
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
        return zip_fail(x, zip_get_error(x->za), "%s（%s 无法解压）", name);
    xlsx *outer = xml_x;
    xml_x = x;
    int rc = -1;
    XML_Parser p = XML_ParserCreate_MM(NULL, &xml_suite, NULL);
    if (!p) {
        sheet_mem_fail(x->m, x->e);
        goto out;
    }
    XML_SetUserData(p, x);
    x->start = start;
    x->end = end;
    x->depth = 0;
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    x->xp = p;
    x->entry = name;
    x->collect = 0;
    for (;;) {
        void *b = XML_GetBuffer(p, CHUNK);
        if (!b) {
            if (x->failed)
                ;
            else if (x->token_big)
                fail_token_big(x);
            else if (XML_GetErrorCode(p) == XML_ERROR_NO_MEMORY)
                sheet_mem_fail(x->m, x->e);
            else
                sheet_fail(x->e, 0, "%s（%s 的 XML 格式错误：%s）", MSG_INVALID, name,
                           XML_ErrorString(XML_GetErrorCode(p)));
            goto out;
        }
        zip_int64_t got = zip_fread(zf, b, CHUNK);
        if (got < 0) {
            zip_fail(x, zip_file_get_error(zf), "%s（%s 的压缩数据已损坏）", name);
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
            else if (x->token_big)
                fail_token_big(x);
            else if (XML_GetErrorCode(p) == XML_ERROR_NO_MEMORY)
                sheet_mem_fail(x->m, x->e);
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
    if (p)
        XML_ParserFree(p);
    xml_x = outer;
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
        if (v && !(x->sheet_rid = sheet_strdup(x->m, v)))
            fail_rc(x, SHEET_EMEM);
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* Target relative to xl/ (or absolute from the package root) to a zip entry
 * name, with "." and ".." resolved (counted in m); NULL when it leaves the
 * package, or when memory is refused (m->over or m->oom set). */
static char *resolve(sheet_mem *m, const char *target)
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
    return sheet_strdup(m, out);
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
    if (slot && !*slot && !(*slot = resolve(x->m, target)) && (x->m->over || x->m->oom))
        fail_rc(x, SHEET_EMEM);
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
        sheet_buf_reset(&x->cell);
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
            /* a string no cell can use is no use: as many as there may be cells */
            if (x->nss >= x->s->cells_max) {
                fail(x, 0, "文件的共享字符串过多（超过 %zu 个）", x->s->cells_max);
                return;
            }
            size_t a = x->ss_alloc ? x->ss_alloc * 2 : 1024;
            if (a > x->s->cells_max)
                a = x->s->cells_max;
            sstr *ss = sheet_realloc(x->m, x->ss, x->ss_alloc * sizeof *x->ss, a * sizeof *x->ss);
            if (!ss) {
                fail_rc(x, SHEET_EMEM);
                return;
            }
            x->ss = ss;
            x->ss_alloc = a;
        }
        sstr *ss = &x->ss[x->nss++];
        *ss = (sstr){0, SS_TOO_LONG};
        if (x->cell.toobig)
            return;
        const char *p = x->cell.data ? x->cell.data : "";
        size_t len = x->cell.data ? sheet_xstring_decode(x->cell.data, x->cell.len) : 0;
        sheet_trim(&p, &len);
        /* stored once in the sheet's text; the cells using it point there */
        int rc = sheet_add_text(x->s, p, len, &ss->off, &ss->len);
        if (rc)
            fail_rc(x, rc);
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
            size_t a = x->xf_alloc ? x->xf_alloc * 2 : 64;
            unsigned char *d = sheet_realloc(x->m, x->xf_date, x->xf_alloc, a);
            if (!d) {
                fail_rc(x, SHEET_EMEM);
                return;
            }
            x->xf_date = d;
            x->xf_alloc = a;
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
        sheet_buf_reset(&x->cell);
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
    const sstr *shared = NULL;
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
        shared = &x->ss[i]; /* stored trimmed */
        n = shared->len;
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
    if (!shared)
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
    while (x->s->nrows < x->row) {
        if (sheet_add_row(x->s)) {
            fail_rc(x, SHEET_EMEM);
            return;
        }
    }
    int rc = shared ? sheet_add_ref(x->s, x->col, shared->off, n) : sheet_add_cell(x->s, x->col, p, n);
    if (rc)
        fail_rc(x, rc);
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

static uint64_t le(const char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

/* 1 when libzip opening the file could cost more than a little memory or
 * time: every end-of-central-directory record it might try (any "PK\5\6" in
 * the last 64 KiB + 22 bytes, and the zip64 record a locator before it points
 * at) is read for the entries and directory bytes it declares, and libzip
 * reads each candidate's whole directory (about 300 bytes an entry). */
static int zip_too_big(const char *d, size_t len)
{
    if (len < 22)
        return 0;
    size_t from = len - 22 > 65535 ? len - 22 - 65535 : 0, found = 0;
    for (size_t i = len - 22 + 1; i-- > from;) {
        if (memcmp(d + i, "PK\5\6", 4) != 0)
            continue;
        if (++found > MAX_EOCD)
            return 1;
        uint64_t entries = le(d + i + 10, 2), disk = le(d + i + 8, 2), cdir = le(d + i + 12, 4);
        if (i >= 20 && memcmp(d + i - 20, "PK\6\7", 4) == 0) {
            uint64_t at = le(d + i - 20 + 8, 8);
            if (at <= len && len - at >= 56 && memcmp(d + at, "PK\6\6", 4) == 0) {
                uint64_t e64 = le(d + at + 32, 8), d64 = le(d + at + 24, 8), c64 = le(d + at + 40, 8);
                entries = entries > e64 ? entries : e64;
                disk = disk > d64 ? disk : d64;
                cdir = cdir > c64 ? cdir : c64;
            }
        }
        if (entries > MAX_ENTRIES || disk > MAX_ENTRIES || cdir > MAX_CDIR)
            return 1;
    }
    return 0;
}

int sheet_xlsx(const char *data, size_t len, const sheet_limits *lim, sheet_mem *m, sheet **out, gx_err *e)
{
    xlsx x = {.lim = lim, .m = m, .e = e};
    x.budget = lim->max_uncompressed;
    x.max_rows = lim->max_rows < SHEET_MAX_ROWS ? lim->max_rows : SHEET_MAX_ROWS;
    x.cell = (sheet_buf){.max = lim->max_cell};
    int rc = -1;

    if (zip_too_big(data, len)) {
        sheet_fail(e, 0, "%s（压缩包内的文件过多）", MSG_INVALID);
        goto out;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) {
        x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!x.za)
            zip_source_free(src);
    }
    if (!x.za)
        zip_fail(&x, &ze, "%s%s", "");
    zip_error_fini(&ze);
    if (!x.za)
        goto out;
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
    /* the shared strings are stored in the sheet's text, so it comes first */
    if (!(x.s = sheet_new(m, SHEET_XLSX, "xlsx", (size_t)1 << 20, lim))) {
        sheet_mem_fail(m, e);
        goto out;
    }
    if (read_optional(&x, x.sst_target, "xl/sharedStrings.xml", sst_start, sst_end))
        goto out;
    if (!(x.date_fmt = sheet_alloc(m, MAX_FMT_ID / 8))) {
        sheet_mem_fail(m, e);
        goto out;
    }
    memset(x.date_fmt, 0, MAX_FMT_ID / 8);
    if (read_optional(&x, x.styles_target, "xl/styles.xml", styles_start, styles_end))
        goto out;
    if (read_xml(&x, x.sheet_target, ws_start, ws_end))
        goto out;
    sheet_trim_tail(x.s);
    *out = x.s;
    x.s = NULL;
    rc = 0;
out:
    if (x.za)
        zip_discard(x.za);
    sheet_discard(x.s);
    sheet_buf_free(m, &x.cell);
    sheet_release(m, x.ss, x.ss_alloc * sizeof *x.ss);
    sheet_release(m, x.date_fmt, MAX_FMT_ID / 8);
    sheet_release(m, x.xf_date, x.xf_alloc);
    sheet_release(m, x.sheet_rid, x.sheet_rid ? strlen(x.sheet_rid) + 1 : 0);
    sheet_release(m, x.sheet_target, x.sheet_target ? strlen(x.sheet_target) + 1 : 0);
    sheet_release(m, x.sst_target, x.sst_target ? strlen(x.sst_target) + 1 : 0);
    sheet_release(m, x.styles_target, x.styles_target ? strlen(x.styles_target) + 1 : 0);
    return rc;
}
