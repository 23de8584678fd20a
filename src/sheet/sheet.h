/* sheet.h - reads an uploaded spreadsheet (.xlsx, or .csv in UTF-8 or
 * GB18030) into rows of UTF-8 text cells.
 *
 * Owns: the whole parsed sheet. sheet_parse never keeps a pointer into the
 * caller's data; the returned sheet owns all its text and is released with
 * sheet_free. Strings from sheet_cell live until sheet_free.
 *
 * Rows are numbered as the user sees them in Excel: row i (0-based) here is
 * row i + 1 there, so a CSV empty line or a skipped XLSX row is kept as an
 * empty row (sheet_row_empty). Trailing empty rows are dropped. Every cell is
 * valid UTF-8 without NUL or control characters other than tab and LF (CR LF
 * and lone CR inside a cell become LF), trimmed of surrounding spaces.
 *
 * Hostile input (zip bombs, entity bombs, ragged or binary CSV, too many rows,
 * columns, cells or bytes of text, or a file needing more memory than
 * max_memory) is refused with GX_EVALIDATION and a Chinese message; see
 * docs/modules/sheet.md. Every allocation of a parse is counted against
 * max_memory, and one the system refuses fails the parse with GX_EUNAVAIL
 * (503) instead of ending the process. */
#ifndef GX_SHEET_H
#define GX_SHEET_H

#include "../base/err.h"

#include <stddef.h>

typedef struct sheet sheet;

typedef struct sheet_limits {
    size_t max_file;         /* bytes of the input file */
    size_t max_uncompressed; /* total bytes inflated from a zip (and of cell text from an xlsx) */
    size_t max_rows;         /* up to the last non-empty row */
    size_t max_cols;         /* fields of a CSV row / up to the last non-empty XLSX cell */
    size_t max_cell;         /* bytes of one cell in UTF-8, before trimming */
    size_t max_cells;        /* non-empty cells in the whole sheet */
    size_t max_text;         /* bytes of cell text, a shared string counted once per cell using it */
    size_t max_memory;       /* bytes the parse may hold allocated at once (see docs/modules/sheet.md) */
} sheet_limits;

/* 64 MiB, 512 MiB, 1,000,000 rows, 256 columns, 32 KiB per cell,
 * 4,000,000 cells, 64 MiB of text, 256 MiB of memory. */
extern const sheet_limits sheet_default_limits;

enum sheet_format { SHEET_CSV = 1, SHEET_XLSX };

/* Parse data[0..len). format 0 sniffs; the content decides in any case: a zip
 * ("PK\3\4") is read as xlsx, an OLE file (.xls or an encrypted xlsx) is
 * refused, anything else is CSV unless format is SHEET_XLSX (then refused).
 * lim NULL means sheet_default_limits. 0 ok (*out set, caller frees it with
 * sheet_free); -1 with e filled: GX_EVALIDATION and a Chinese message naming
 * the problem, and where it concerns one row, its 1-based number in the
 * message and in the "row" member (gx_extra); or GX_EUNAVAIL when the system
 * is out of memory. */
int sheet_parse(const char *data, size_t len, int format, const sheet_limits *lim, sheet **out, gx_err *e);

size_t sheet_nrows(const sheet *s);                     /* including the header row */
size_t sheet_ncols(const sheet *s, size_t row);         /* 0 for an empty line / skipped row */
const char *sheet_cell(const sheet *s, size_t row, size_t col); /* "" when absent or empty */
int sheet_row_empty(const sheet *s, size_t row);        /* 1 when every cell of the row is empty */
int sheet_format(const sheet *s);                       /* SHEET_CSV or SHEET_XLSX */
const char *sheet_encoding(const sheet *s);             /* "UTF-8", "GB18030" or "xlsx" */
void sheet_free(sheet *s);

#endif
