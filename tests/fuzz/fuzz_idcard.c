/* Fuzz target: the resident ID number validator (src/base/idcard.c). */
#include "../../src/base/idcard.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idcard c;
    int rc = idcard_parse((const char *)data, size, "2026-11-28", &c);
    if (rc == IDCARD_OK) {
        /* an accepted number is 17 digits + check, its check char recomputes,
         * and its birth date is a real date not after today */
        for (int i = 0; i < 17; i++)
            if (c.number[i] < '0' || c.number[i] > '9')
                __builtin_trap();
        if (idcard_check_char(c.number) != c.number[17] || strcmp(c.birth_date, "2026-11-28") > 0)
            __builtin_trap();
        if (idcard_parse(c.number, 18, "2026-11-28", NULL) != IDCARD_OK)
            __builtin_trap(); /* normalised form is accepted again */
    }
    return 0;
}
