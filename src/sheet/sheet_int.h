/* sheet_int.h - private to src/sheet: the compact sheet being built, and the
 * cell-text helpers the readers share (exposed for the unit tests).
 *
 * Storage: all cell text in one buffer (each cell NUL-terminated), one 8-byte
 * record per non-empty cell (column, text offset) and one 12-byte record per
 * row (first cell record, number of records, columns). Empty cells take no
 * space; a row whose record count equals its column count is read by index,
 * any other by binary search on the column. Offsets are 32-bit, so the text
 * is capped below 4 GiB. */
#ifndef GX_SHEET_INT_H
#define GX_SHEET_INT_H

#include "sheet.h"

#include <stdarg.h>
#include <stdint.h>

typedef struct sheet_cellrec {
    uint32_t col, off;
} sheet_cellrec;

typedef struct sheet_rowrec {
    uint32_t first, n, ncols;
} sheet_rowrec;

struct sheet {
    int format;
    const char *encoding; /* static string */
    char *text;           /* owned */
    size_t tlen, text_alloc, tmax;
    sheet_cellrec *cells; /* owned */
    size_t ncells, cells_alloc;
    sheet_rowrec *rows; /* owned */
    size_t nrows, rows_alloc;
};

/* Internal ceilings on the caller's limits (32-bit offsets). */
#define SHEET_MAX_TEXT ((size_t)UINT32_MAX - 1)
#define SHEET_MAX_ROWS ((size_t)UINT32_MAX - 2)

/* A new empty sheet whose text may grow to text_max bytes (clamped to
 * SHEET_MAX_TEXT); text_hint is the first allocation. */
sheet *sheet_new(int format, const char *encoding, size_t text_hint, size_t text_max);
/* Append an empty row (ncols 0) and make it current. */
void sheet_add_row(sheet *s);
/* Drop the current (last) row, which must hold no cells. */
void sheet_drop_row(sheet *s);
/* Append a cell of the current row: p[0..n) already trimmed and non-empty,
 * columns strictly increasing. CR LF and lone CR become LF. Raises the row's
 * column count to col + 1. 0 ok, -1 when the text would pass text_max. */
int sheet_add_cell(sheet *s, size_t col, const char *p, size_t n);
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

int sheet_csv(const char *data, size_t len, const sheet_limits *lim, sheet **out, gx_err *e);
int sheet_xlsx(const char *data, size_t len, const sheet_limits *lim, sheet **out, gx_err *e);

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
