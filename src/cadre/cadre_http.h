/* cadre_http.h - HTTP handlers of cadre records. */
#ifndef GX_CADRE_HTTP_H
#define GX_CADRE_HTTP_H

#include "../http/http.h"

extern const jfield cadre_create_body[], cadre_patch_body[], young_limit_body[];
extern const qfield cadres_query[], import_query[];

void h_cadres_list(req *r);
void h_cadres_create(req *r);
void h_cadres_get(req *r);
void h_cadres_patch(req *r);
void h_cadres_history(req *r);
void h_cadres_reveal(req *r);
void h_cadres_export(req *r);
void h_cadres_template(req *r);
void h_cadres_import(req *r);
void h_young_limits_list(req *r);
void h_young_limits_add(req *r);

#endif
