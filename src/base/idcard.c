#include "idcard.h"

#include <string.h>

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char checks[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char idcard_check_char(const char *d17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d17[i] - '0') * weights[i];
    return checks[sum % 11];
}

int date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

int date_text_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return y >= 1900 && date_valid(y, (s[5] - '0') * 10 + (s[6] - '0'), (s[8] - '0') * 10 + (s[9] - '0'));
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int date_year(const char *date) { return num(date, 4); }

int age_on(const char *birth, const char *today)
{
    int age = num(today, 4) - num(birth, 4);
    if (strcmp(today + 5, birth + 5) < 0) /* birthday not reached this year ("MM-DD" compare) */
        age--;
    return age;
}

int idcard_parse(const char *s, size_t n, const char *today, idcard *out)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n != 18)
        return IDCARD_LENGTH;
    char v[19];
    for (size_t i = 0; i < 18; i++) {
        char c = s[i];
        if (i == 17 && (c == 'x' || c == 'X'))
            c = 'X';
        else if (c < '0' || c > '9')
            return IDCARD_CHARS;
        v[i] = c;
    }
    v[18] = 0;
    int y = (v[6] - '0') * 1000 + (v[7] - '0') * 100 + (v[8] - '0') * 10 + (v[9] - '0');
    int m = (v[10] - '0') * 10 + (v[11] - '0');
    int d = (v[12] - '0') * 10 + (v[13] - '0');
    if (y < 1900 || !date_valid(y, m, d))
        return IDCARD_DATE;
    char birth[11] = {v[6], v[7], v[8], v[9], '-', v[10], v[11], '-', v[12], v[13], 0};
    if (today && strcmp(birth, today) > 0)
        return IDCARD_DATE;
    if (idcard_check_char(v) != v[17])
        return IDCARD_CHECK;
    if (out) {
        memcpy(out->number, v, sizeof v);
        memcpy(out->birth_date, birth, sizeof birth);
        out->gender = ((v[16] - '0') % 2) ? 1 : 2;
    }
    return IDCARD_OK;
}

const char *idcard_error(int rc)
{
    switch (rc) {
    case IDCARD_OK: return "";
    case IDCARD_LENGTH: return "身份证号应为 18 位";
    case IDCARD_CHARS: return "身份证号应为 17 位数字加 1 位数字或 X";
    case IDCARD_DATE: return "身份证号中的出生日期无效";
    default: return "身份证号校验位错误";
    }
}
