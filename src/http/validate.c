#include "validate.h"
#include "../base/idcard.h"
#include "../base/util.h"

#include <ctype.h>

#include <stdio.h>
#include <string.h>

static const qfield paging[] = {
    {"page", Q_INT, 1, 1000000, "页码，从 1 开始"},
    {"page_size", Q_INT, 1, 200, "每页条数，默认 20"},
    {0},
};

static int check_string(const char *s, size_t len, int64_t min, int64_t max, char *msg, size_t n)
{
    if (!gx_utf8_valid(s, len, 1) || memchr(s, 0, len)) {
        snprintf(msg, n, "包含非法字符");
        return -1;
    }
    size_t chars = gx_utf8_len(s, len);
    if ((int64_t)chars < min || (int64_t)chars > max) {
        if (min == max)
            snprintf(msg, n, "长度应为 %lld 个字符", (long long)min);
        else if (min <= 0)
            snprintf(msg, n, "长度不能超过 %lld 个字符", (long long)max);
        else
            snprintf(msg, n, "长度应在 %lld 到 %lld 个字符之间", (long long)min, (long long)max);
        return -1;
    }
    return 0;
}

int date_ok(const char *s)
{
    int y, m, d;
    char tail;
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
           y >= 1 && date_valid(y, m, d);
}

int datetime_ok(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM) */
    size_t n = strlen(s);
    if (n < 20 || n > 35 || (s[10] != 'T' && s[10] != 't'))
        return 0;
    char date[11];
    memcpy(date, s, 10);
    date[10] = 0;
    if (!date_ok(date))
        return 0;
    const char *t = s + 11;
    for (int i = 0; i < 8; i++)
        if (i == 2 || i == 5 ? t[i] != ':' : !isdigit((unsigned char)t[i]))
            return 0;
    int hh = (t[0] - '0') * 10 + (t[1] - '0'), mi = (t[3] - '0') * 10 + (t[4] - '0'),
        ss = (t[6] - '0') * 10 + (t[7] - '0');
    if (hh > 23 || mi > 59 || ss > 60)
        return 0;
    const char *z = t + 8;
    if (*z == '.') {
        z++;
        if (!isdigit((unsigned char)*z))
            return 0;
        while (isdigit((unsigned char)*z))
            z++;
    }
    if ((*z == 'Z' || *z == 'z') && !z[1])
        return 1;
    if ((*z != '+' && *z != '-') || strlen(z) != 6 || z[3] != ':' || !isdigit((unsigned char)z[1]) ||
        !isdigit((unsigned char)z[2]) || !isdigit((unsigned char)z[4]) || !isdigit((unsigned char)z[5]))
        return 0;
    return (z[1] - '0') * 10 + (z[2] - '0') <= 23 && (z[4] - '0') * 10 + (z[5] - '0') <= 59;
}

static int in_values(const void *ext, const char *v)
{
    for (const char *const *p = ext; p && *p; p++)
        if (!strcmp(*p, v))
            return 1;
    return 0;
}

static void enum_msg(const void *ext, char *msg, size_t n)
{
    size_t o = (size_t)snprintf(msg, n, "应为 ");
    for (const char *const *p = ext; p && *p && o < n; p++)
        o += (size_t)snprintf(msg + o, n - o, "%s%s", p == ext ? "" : "、", *p);
    if (o >= n)
        snprintf(msg, n, "不是允许的取值");
}

/* One code against its list: 1 in it, 0 not, -1 could not check (noted in
 * *failed). Without a checker every code of valid form passes. */
static int code_in_list(const code_checker *cc, const void *kind, const char *code, int *failed)
{
    if (!cc || !cc->check)
        return 1;
    int rc = cc->check(cc->ctx, kind, code);
    if (rc < 0)
        *failed = 1;
    return rc != 0;
}

static void check_field(const jfield *f, json_t *v, const code_checker *cc, int *failed, gx_err *e)
{
    char msg[256];
    if ((f->type & JF_NULL) && json_is_null(v))
        return;
    int t = JF_BASE(f->type);
    switch (t) {
    case JF_STR:
    case JF_DATE:
    case JF_DATETIME:
    case JF_ENUM:
    case JF_CODE:
        if (!json_is_string(v)) {
            gx_field(e, f->name, "应为字符串");
            return;
        }
        if (t == JF_DATE && !date_ok(json_string_value(v)))
            gx_field(e, f->name, "日期格式应为 YYYY-MM-DD");
        else if (t == JF_DATETIME && !datetime_ok(json_string_value(v)))
            gx_field(e, f->name, "时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00");
        else if (t == JF_ENUM && !in_values(f->ext, json_string_value(v))) {
            enum_msg(f->ext, msg, sizeof msg);
            gx_field(e, f->name, msg);
        } else if ((t == JF_STR || t == JF_CODE) &&
                   check_string(json_string_value(v), json_string_length(v), f->min, f->max, msg, sizeof msg))
            gx_field(e, f->name, msg);
        else if (t == JF_CODE && *json_string_value(v) && !code_in_list(cc, f->ext, json_string_value(v), failed))
            gx_field(e, f->name, "不在代码表中");
        return;
    case JF_INT:
    case JF_MONEY:
    case JF_HOURS:
    case JF_ID:
        if (!json_is_integer(v)) {
            gx_field(e, f->name, t == JF_MONEY ? "应为整数（单位：分）" : t == JF_HOURS ? "应为整数（单位：0.01 学时）" : "应为整数");
            return;
        }
        if (json_integer_value(v) < (t == JF_ID ? 1 : f->min) || json_integer_value(v) > (t == JF_ID ? INT64_MAX : f->max)) {
            if (t == JF_ID)
                snprintf(msg, sizeof msg, "应为正整数编号");
            else
                snprintf(msg, sizeof msg, "应在 %lld 到 %lld 之间", (long long)f->min, (long long)f->max);
            gx_field(e, f->name, msg);
        }
        return;
    case JF_BOOL:
        if (!json_is_boolean(v))
            gx_field(e, f->name, "应为 true 或 false");
        return;
    case JF_STR_ARRAY: {
        if (!json_is_array(v)) {
            gx_field(e, f->name, "应为字符串数组");
            return;
        }
        size_t n = json_array_size(v);
        int64_t max = f->max < STRLIST_MAX ? f->max : STRLIST_MAX;
        if ((int64_t)n < f->min || (int64_t)n > max) {
            snprintf(msg, sizeof msg, "应有 %lld 到 %lld 项", (long long)f->min, (long long)max);
            gx_field(e, f->name, msg);
            return;
        }
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (!json_is_string(x) ||
                check_string(json_string_value(x), json_string_length(x), 1, 64, msg, sizeof msg)) {
                gx_field(e, f->name, "每一项应为 1 到 64 个字符的字符串");
                return;
            }
        }
        return;
    }
    }
}

json_t *body_parse(const char *data, size_t len, const jfield *spec, const code_checker *cc, gx_err *e)
{
    int failed = 0;
    json_error_t je;
    json_t *o = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        if (o)
            gx_fail(e, GX_EBADJSON, "请求体应为 JSON 对象");
        else {
            char msg[200];
            snprintf(msg, sizeof msg, "请求体不是合法的 JSON（第 %d 行第 %d 列）", je.line, je.column);
            gx_fail(e, GX_EBADJSON, msg);
        }
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const jfield *f = spec;
        while (f->name && strcmp(f->name, key))
            f++;
        if (!f->name) {
            /* Keys come from outside: only name them when they are sane. */
            if (gx_utf8_valid(key, strlen(key), 0) && strlen(key) <= 64)
                gx_field(e, key, "未知字段");
            else
                gx_fail(e, GX_EVALIDATION, "请求包含未知字段");
            continue;
        }
        check_field(f, v, cc, &failed, e);
    }
    for (const jfield *f = spec; f->name; f++)
        if (f->required && !json_object_get(o, f->name))
            gx_field(e, f->name, "必填");
    if (failed)
        gx_fail(e, GX_EUNAVAIL, NULL);
    if (e->code != GX_OK) {
        if (e->code == GX_EVALIDATION && !e->message[0])
            gx_fail(e, GX_EVALIDATION, NULL);
        json_decref(o);
        return NULL;
    }
    return o;
}

static const qfield *find_q(const qfield *spec, const char *name)
{
    for (; spec && spec->name; spec++)
        if (!strcmp(spec->name, name))
            return spec;
    return NULL;
}

static void qerr(gx_err *e, const char *name, const char *msg)
{
    if (e->code == GX_OK)
        gx_fail(e, GX_EBADQUERY, NULL);
    if (!e->fields)
        e->fields = json_object();
    json_object_set_new(e->fields, name, json_string(msg));
}

int query_check(const parsed_uri *u, const qfield *spec, int with_paging, const code_checker *cc, gx_err *e)
{
    int failed = 0;
    char msg[128];
    for (int i = 0; i < u->nquery; i++) {
        const char *k = u->query[i].key, *v = u->query[i].val;
        const qfield *f = find_q(spec, k);
        if (!f && with_paging)
            f = find_q(paging, k);
        if (!f) {
            qerr(e, strlen(k) <= 64 ? k : "?", "未知参数");
            continue;
        }
        int64_t n;
        switch (f->type) {
        case Q_STR:
        case Q_CODE:
            if ((int64_t)gx_utf8_len(v, strlen(v)) > (f->type == Q_CODE ? 32 : f->max)) {
                snprintf(msg, sizeof msg, "长度不能超过 %lld 个字符", (long long)(f->type == Q_CODE ? 32 : f->max));
                qerr(e, k, msg);
            } else if (f->type == Q_CODE && *v && !code_in_list(cc, f->ext, v, &failed)) {
                qerr(e, k, "不在代码表中");
            }
            break;
        case Q_CODES: {
            int64_t count = 1;
            size_t run = 0;
            int bad = !*v;
            for (const char *p = v; *p; p++) {
                if (*p == ',') {
                    bad |= run == 0;
                    count++;
                    run = 0;
                } else {
                    run++;
                    bad |= run > 32;
                }
            }
            bad |= run == 0;
            if (bad) {
                qerr(e, k, "应为逗号分隔的代码，每个不超过 32 个字符");
            } else if (count > f->max) {
                snprintf(msg, sizeof msg, "最多 %lld 个代码，用逗号分隔", (long long)f->max);
                qerr(e, k, msg);
            } else {
                char one[40];
                for (const char *p = v; *p;) {
                    size_t len = strcspn(p, ",");
                    snprintf(one, sizeof one, "%.*s", (int)len, p);
                    if (!code_in_list(cc, f->ext, one, &failed)) {
                        snprintf(msg, sizeof msg, "代码 %.32s 不在代码表中", one);
                        qerr(e, k, msg);
                        break;
                    }
                    p += len + (p[len] == ',');
                }
            }
            break;
        }
        case Q_INT:
        case Q_ID:
            if (gx_parse_i64(v, strlen(v), f->type == Q_ID ? 1 : f->min, f->type == Q_ID ? INT64_MAX : f->max, &n)) {
                if (f->type == Q_ID)
                    snprintf(msg, sizeof msg, "应为正整数编号");
                else
                    snprintf(msg, sizeof msg, "应为 %lld 到 %lld 之间的整数", (long long)f->min, (long long)f->max);
                qerr(e, k, msg);
            }
            break;
        case Q_BOOL:
            if (strcmp(v, "true") && strcmp(v, "false"))
                qerr(e, k, "应为 true 或 false");
            break;
        case Q_DATE:
            if (!date_ok(v))
                qerr(e, k, "日期格式应为 YYYY-MM-DD");
            break;
        case Q_ENUM:
            if (!in_values(f->ext, v)) {
                enum_msg(f->ext, msg, sizeof msg);
                qerr(e, k, msg);
            }
            break;
        }
    }
    if (failed)
        gx_fail(e, GX_EUNAVAIL, NULL);
    return e->code == GX_OK ? 0 : -1;
}

const char *query_str(const parsed_uri *u, const char *name)
{
    for (int i = 0; i < u->nquery; i++)
        if (!strcmp(u->query[i].key, name))
            return u->query[i].val;
    return NULL;
}

int64_t query_int(const parsed_uri *u, const char *name, int64_t dflt)
{
    const char *v = query_str(u, name);
    int64_t n;
    if (!v || gx_parse_i64(v, strlen(v), INT64_MIN, INT64_MAX, &n))
        return dflt;
    return n;
}

int query_bool(const parsed_uri *u, const char *name)
{
    const char *v = query_str(u, name);
    if (!v)
        return -1;
    return !strcmp(v, "true");
}

void body_bind(json_t *o, const jfield *spec, void *out)
{
    for (const jfield *f = spec; f && f->name; f++) {
        json_t *v = json_object_get(o, f->name);
        if (!f->at || !v)
            continue;
        char *m = (char *)out + f->at - 1;
        switch (JF_BASE(f->type)) {
        case JF_STR:
        case JF_DATE:
        case JF_DATETIME:
        case JF_ENUM:
        case JF_CODE:
            *(const char **)(void *)m = json_is_null(v) ? "" : json_string_value(v);
            break;
        case JF_INT:
        case JF_MONEY:
        case JF_HOURS:
        case JF_ID:
            *(int64_t *)(void *)m = json_is_null(v) ? 0 : json_integer_value(v);
            break;
        case JF_BOOL:
            *(int *)(void *)m = json_is_true(v);
            break;
        case JF_STR_ARRAY: {
            strlist *l = (strlist *)(void *)m;
            l->set = 1;
            l->n = 0;
            for (size_t i = 0; i < json_array_size(v) && l->n < STRLIST_MAX; i++)
                l->v[l->n++] = json_string_value(json_array_get(v, i));
            break;
        }
        }
    }
}

void query_bind(const parsed_uri *u, const qfield *spec, void *out)
{
    for (const qfield *f = spec; f && f->name; f++) {
        const char *v = query_str(u, f->name);
        if (!f->at || !v)
            continue;
        char *m = (char *)out + f->at - 1;
        switch (f->type) {
        case Q_INT:
        case Q_ID:
            *(int64_t *)(void *)m = query_int(u, f->name, 0);
            break;
        case Q_BOOL:
            *(int *)(void *)m = !strcmp(v, "true");
            break;
        default:
            *(const char **)(void *)m = v;
            break;
        }
    }
}
