/* areas.c - the application's list of business areas and the hooks that
 * connect the plumbing to them. Adding an area is one line in AREAS. */
#include "area.h"
#include "account/account.h"
#include "account/account_http.h"
#include "http/system_http.h"
#include "org/org_http.h"

/* In menu order. */
#define AREAS(X) X(account) X(audit) X(org) X(cadre) X(demo)

#define DECLARE(name) extern const area name##_area;
AREAS(DECLARE)

#define HTTP_OF(name) &name##_area.http,
static const http_area *const http_areas[] = {&system_area, AREAS(HTTP_OF) NULL};

#define AREA_OF(name) &name##_area,
static const area *const all[] = {AREAS(AREA_OF) NULL};

static const http_hooks hooks = {
    .authenticate = account_authenticate,
    .scope = org_request_scope,
    .code_valid = org_code_valid,
    .roles_json = roles_json,
};

static const http_api api = {http_areas, &hooks};

void areas_init(void)
{
    static const unit_hooks *units[sizeof all / sizeof all[0]];
    size_t n = 0;
    for (const area *const *a = all; *a; a++)
        if ((*a)->units)
            units[n++] = (*a)->units;
    units[n] = NULL;
    org_set_unit_hooks(units);
}

const http_api *areas_api(void) { return &api; }
