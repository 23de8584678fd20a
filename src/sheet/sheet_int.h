/* sheet_int.h - private to src/sheet: the compact sheet being built, the
 * counted allocations of a parse, and the cell-text helpers the readers share
 * (exposed for the unit tests).
 *
 * Storage: all cell text in one buffer (each string NUL-terminated), one
 * 8-byte record per non-empty cell (column, text offset) and one 12-byte
 * record per row (first cell record, number of records, columns). Cells with
 * the same text may point at the same offset (an XLSX shared string is stored
 * once however many cells use it). Empty cells take no space; a row whose
 * record count equals its column count is read by index, any other by binary
 * search on the column. Offsets are 32-bit, so the text is capped below 4 GiB.
 *
 * Memory: every allocation a parse makes (the sheet, scratch buffers, and
 * expat's own) goes through a sheet_mem, which refuses one that would take
 * the bytes held past the budget (over) and reports one the system refuses
 * (oom) instead of dying; the reader then unwinds and the parse fails. */
#ifndef GX_SHEET_INT_H
#define GX_SHEET_INT_H

#include "sheet.h"

#include <stdarg.h>
#include <stdint.h>

typedef struct sheet_mem {
    size_t max;     /* budget: bytes held at once */
    size_t used;    /* bytes held now */
    size_t peak;    /* most bytes held at once */
    size_t count;   /* allocations (and reallocations) asked for */
    size_t fail_at; /* tests: the fail_at-th allocation (1-based) fails as the system's would; 0 never */
    int over;       /* an allocation was refused by the budget */
    int oom;        /* an allocation was refused by the system (or fail_at) */
} sheet_mem;

/* n bytes counted against m; NULL (and m->over or m->oom set) when refused. */
void *sheet_alloc(sheet_mem *m, size_t n);
/* Resize p from old to n bytes; NULL when refused (p is then unchanged). */
void *sheet_realloc(sheet_mem *m, void *p, size_t old, size_t n);
/* Free p, which holds n bytes; m NULL frees without counting. */
void sheet_release(sheet_mem *m, void *p, size_t n);
/* NUL-terminated copy of s, or NULL. */
char *sheet_strdup(sheet_mem *m, const char *s);
/* Fill e for a refused allocation: over the budget, GX_EVALIDATION naming
 * max_memory; refused by the system, GX_EUNAVAIL. Returns -1. */
int sheet_mem_fail(const sheet_mem *m, gx_err *e);

/* sheet_parse with the caller's allocation counter: m->max is the budget
 * (lim->max_memory is ignored), m->peak tells the tests what the parse held
 * at most. On return m->used is what the returned sheet holds (0 on error). */
int sheet_parse_mem(const char *data, size_t len, int format, const sheet_limits *lim, sheet_mem *m, sheet **out,
                    gx_err *e);

/* A growable byte buffer with a cap, counted (a scratch cell, say). */
typedef struct sheet_buf {
    char *data; /* NUL-terminated when not NULL */
    size_t len, alloc, max;
    int toobig; /* an append would have passed max */
} sheet_buf;

/* Results of the builder and buffer functions. */
enum { SHEET_OK = 0, SHEET_EMEM = -1, SHEET_ETEXT = -2, SHEET_ECELLS = -3, SHEET_ETOOBIG = -4 };

/* Append p[0..n) (SHEET_ETOOBIG past max: toobig is set, nothing added). */
int sheet_buf_add(sheet_mem *m, sheet_buf *b, const char *p, size_t n);
void sheet_buf_reset(sheet_buf *b);
void sheet_buf_free(sheet_mem *m, sheet_buf *b);

typedef struct sheet_cellrec {
    uint32_t col, off;
} sheet_cellrec;

typedef struct sheet_rowrec {
    uint32_t first, n, ncols;
} sheet_rowrec;

struct sheet {
    int format;
    const char *encoding; /* static string */
    sheet_mem *mem;       /* the parse's counter while it runs; NULL once handed to the caller */
    char *text;           /* owned */
    size_t tlen, text_alloc, tmax;
    size_t tsum, tsum_max; /* bytes of text the cells hold, shared strings counted per use */
    sheet_cellrec *cells;  /* owned */
    size_t ncells, cells_alloc, cells_max;
    sheet_rowrec *rows; /* owned */
    size_t nrows, rows_alloc;
};

/* Internal ceilings on the caller's limits (32-bit offsets). */
#define SHEET_MAX_TEXT ((size_t)UINT32_MAX - 1)
#define SHEET_MAX_ROWS ((size_t)UINT32_MAX - 2)

/* A new empty sheet counted in m, whose text (stored, and held by cells) may
 * grow to lim->max_text bytes and its cells to lim->max_cells; text_hint is
 * the first allocation. NULL when memory is refused. */
sheet *sheet_new(sheet_mem *m, int format, const char *encoding, size_t text_hint, const sheet_limits *lim);
/* Free a sheet still being built, counting the release in its sheet_mem. */
void sheet_discard(sheet *s);
/* Append an empty row (ncols 0) and make it current. SHEET_OK or SHEET_EMEM. */
int sheet_add_row(sheet *s);
/* Drop the current (last) row, which must hold no cells. */
void sheet_drop_row(sheet *s);
/* Store p[0..n) in the text (CR LF and lone CR become LF) and set *off to
 * its offset and *len to its stored length; no cell yet. SHEET_OK, SHEET_EMEM
 * or SHEET_ETEXT (the stored text would pass max_text). */
int sheet_add_text(sheet *s, const char *p, size_t n, uint32_t *off, uint32_t *len);
/* Append a cell of the current row holding the text stored at off (len
 * bytes): columns strictly increasing. Raises the row's column count to
 * col + 1. SHEET_OK, SHEET_EMEM, SHEET_ECELLS (past max_cells) or
 * SHEET_ETEXT (the cells' text would pass max_text). */
int sheet_add_ref(sheet *s, size_t col, uint32_t off, size_t len);
/* sheet_add_text then sheet_add_ref: p[0..n) already trimmed and non-empty. */
int sheet_add_cell(sheet *s, size_t col, const char *p, size_t n);
/* Fill e for a builder result other than SHEET_OK (never SHEET_ETOOBIG).
 * Returns -1. */
int sheet_build_fail(const sheet *s, int rc, const sheet_limits *lim, gx_err *e);
/* Drop trailing rows without cells. */
void sheet_trim_tail(sheet *s);

/* Trim spaces, tab, CR, LF, U+00A0, U+3000 and U+FEFF from both ends. */
void sheet_trim(const char **p, size_t *n);
/* Fill e (GX_EVALIDATION) with a formatted message and, when row > 0, the
 * "row" member. Returns -1. */
int sheet_fail(gx_err *e, size_t row, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int sheet_vfail(gx_err *e, size_t row, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/* Excel column name of 0-based col ("A", "AB"); out holds 16 bytes. */
void sheet_col_name(size_t col, char out[16]);
/* "64 MB", "32 KB" or "100 字节"; out holds 32 bytes. */
void sheet_size_text(size_t n, char out[32]);

int sheet_csv(const char *data, size_t len, const sheet_limits *lim, sheet_mem *m, sheet **out, gx_err *e);
int sheet_xlsx(const char *data, size_t len, const sheet_limits *lim, sheet_mem *m, sheet **out, gx_err *e);

/* XLSX cell values (cellfmt.c). */
/* 1 when a built-in number format id shows a date. */
int sheet_builtin_date(unsigned id);
/* 1 when a custom format code has date tokens (y, d, or m without h/s)
 * outside quotes, brackets and escapes. */
int sheet_numfmt_is_date(const char *code);
/* Excel serial v[0..n) to "YYYY-MM-DD" in out (11 bytes), 1900 system with
 * its phantom 1900-02-29 (serial 60), or 1904 system. 0 ok; -1 when v is not
 * a number or is outside 1 (0 for 1904) .. 9999-12-31 (keep the text). */
int sheet_serial_date(const char *v, size_t n, int date1904, char out[11]);
/* "1.5E+3" to "1500" in out when the value is an integer of at most 30
 * digits; 0 ok, -1 to keep the text. */
int sheet_expand_exp(const char *v, size_t n, char *out, size_t outsz);
/* Decode OOXML _xHHHH_ escapes in place, dropping control characters other
 * than tab, CR and LF (vertical tab, Word's line break, becomes LF) and DEL.
 * Returns the new length. */
size_t sheet_xstring_decode(char *p, size_t n);

#endif
