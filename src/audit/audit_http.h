/* audit_http.h - the auditor's read-only view of the audit log. */
#ifndef GX_AUDIT_HTTP_H
#define GX_AUDIT_HTTP_H

#include "../http/http.h"

extern const qfield audit_query[];

void h_audit_list(req *r);
void h_audit_verify(req *r);

#endif
