/* bench/gen_roster.c - write a roster of N cadres as CSV and .xlsx for the
 * import benchmark: valid, unique ID numbers (division 320102, which the
 * demo city never uses, so every row is a new person); unit codes of the demo city.
 * usage: gen_roster N OUT.csv OUT.xlsx */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static uint64_t s = 42;
static uint64_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static char check(const char *d17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d17[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    long n = strtol(argv[1], NULL, 10);
    static const char *hdr[] = {"姓名", "身份证号", "单位代码", "职务", "职务职级", "任现职级时间", "一把手",
                                "班子成员", "优秀年轻干部", "分管领域", "民族", "政治面貌", "学历", "联系电话", "干部状态"};
    static const char *sur[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱"};
    static const char *giv[] = {"建国", "明", "华", "军", "平", "伟", "强", "磊", "洋", "勇", "艳", "杰", "娟", "秀英"};
    static const char *units[] = {"321000-ZF02", "321000-ZF09", "321000-DW03", "321002-T01", "321003-B07", "321084-T05"};
    static const char *ranks[] = {"县处级正职", "县处级副职", "乡科级正职", "乡科级副职", "一级主任科员", "二级科员"};
    FILE *csv = fopen(argv[2], "w");
    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[3], &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "干部信息");
    const size_t nh = sizeof hdr / sizeof hdr[0];
    for (size_t k = 0; k < nh; k++) {
        fprintf(csv, "%s%s", k ? "," : "", hdr[k]);
        worksheet_write_string(ws, 0, (lxw_col_t)k, hdr[k], NULL);
    }
    fputc('\n', csv);
    for (long i = 0; i < n; i++) {
        char d17[18], id[19], name[32], phone[16];
        /* unique: the row number is spread over the date and sequence digits */
        int year = 1966 + (int)(i % 36), day = 1 + (int)((i / 36) % 28), month = 1 + (int)((i / 1008) % 12);
        int seq = (int)(i / 12096) + 1;
        snprintf(d17, sizeof d17, "320102%04d%02d%02d%03d", year, month, day, seq % 1000);
        memcpy(id, d17, 17);
        id[17] = check(d17);
        id[18] = 0;
        snprintf(name, sizeof name, "%s%s", sur[rnd() % 14], giv[rnd() % 14]);
        snprintf(phone, sizeof phone, "139%08llu", (unsigned long long)(rnd() % 100000000));
        const char *cells[] = {name, id, units[rnd() % 6], "科长", ranks[rnd() % 6], "2020-01-01", "否", "否", "否",
                               "生态环境、招商引资", "汉族", "中共党员", "大学本科", phone, "在职"};
        for (size_t k = 0; k < nh; k++) {
            fprintf(csv, "%s%s", k ? "," : "", cells[k]);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, cells[k], NULL);
        }
        fputc('\n', csv);
    }
    fclose(csv);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
