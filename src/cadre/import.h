/* import.h - cadre rosters from .xlsx / .csv files.
 *
 * Columns are matched by the template's Chinese headers (or their aliases)
 * or by API field names; codes may be given as codes or Chinese labels.
 * Every row is checked first; any error anywhere means nothing is written
 * (all or nothing). A person already registered (same ID number) is
 * updated, never duplicated. */
#ifndef GX_CADRE_IMPORT_H
#define GX_CADRE_IMPORT_H

#include "cadre.h"

#include <stddef.h>

#define IMPORT_MAX_BYTES ((size_t)64 << 20)
#define IMPORT_MAX_ERRORS 1000

/* Parse, check and (unless dry_run) store. *report (new reference) is
 * {"dry_run","ok","format","encoding","rows","created","updated",
 *  "error_count","errors":[{"row","column","field","message"}]}.
 * Returns 0 when the report stands (dry run, or committed); -1 with e
 * filled when the file is refused, or when a commit found errors (then the
 * report is attached to e as "report"). */
int cadres_import(db *d, arena *a, const scope *s, const audit_actor *who, const char *data, size_t len, int format,
                  int dry_run, json_t **report, gx_err *e);

#endif
