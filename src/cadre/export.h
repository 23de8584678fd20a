/* export.h - cadre rosters as .xlsx (libxlsxwriter), and the import
 * template. The column table here is shared with the importer, so the
 * template, the export and the import always agree on headers. */
#ifndef GX_CADRE_EXPORT_H
#define GX_CADRE_EXPORT_H

#include "cadre.h"

#include <stddef.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct cadre_column {
    const char *field;  /* API field name */
    const char *header; /* Chinese header of the template */
    const char *alias;  /* another accepted header, or NULL */
    const char *kind;   /* code list, or NULL */
    int required;
    const char *hint;   /* shown in the template's notes */
} cadre_column;

/* Positions in cadre_columns (the importer reads cells by these). */
enum {
    CC_NAME, CC_ID_NUMBER, CC_GENDER, CC_BIRTH_DATE, CC_UNIT_CODE, CC_POST, CC_RANK_LEVEL, CC_RANK_SINCE,
    CC_TOP_LEADER, CC_TEAM_MEMBER, CC_YOUNG_TALENT, CC_DOMAINS, CC_ETHNICITY, CC_POLITICAL, CC_EDUCATION,
    CC_EXPERTISE, CC_PHONE, CC_STATUS, CC_COUNT
};

extern const cadre_column cadre_columns[];
extern const size_t cadre_ncolumns;

/* The matching rows as a workbook (malloc'd bytes, length in *len); the
 * export is audited (cadre.export, with the filter and the count). NULL with
 * e filled on failure. ID numbers and phones stay masked. */
char *cadres_export_xlsx(db *d, arena *a, const scope *s, const audit_actor *who, const cadre_filter *f, size_t *len,
                         gx_err *e);

/* The import template: headers, one example row, and a sheet with every
 * code list. */
char *cadres_template_xlsx(db *d, size_t *len, gx_err *e);

#endif
