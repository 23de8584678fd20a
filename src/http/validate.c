#include "validate.h"
#include "../base/util.h"

#include <stdio.h>
#include <string.h>

static const qfield paging[] = {
    {"page", Q_INT, 1, 1000000, "页码，从 1 开始"},
    {"page_size", Q_INT, 1, 200, "每页条数，默认 20"},
    {NULL, 0, 0, 0, NULL},
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

static void check_field(const jfield *f, json_t *v, gx_err *e)
{
    char msg[128];
    switch (f->type) {
    case JF_STR_NULL:
        if (json_is_null(v))
            return;
        /* fall through */
    case JF_STR:
        if (!json_is_string(v)) {
            gx_field(e, f->name, "应为字符串");
            return;
        }
        if (check_string(json_string_value(v), json_string_length(v), f->min, f->max, msg, sizeof msg))
            gx_field(e, f->name, msg);
        return;
    case JF_INT_NULL:
        if (json_is_null(v))
            return;
        /* fall through */
    case JF_INT:
        if (!json_is_integer(v)) {
            gx_field(e, f->name, "应为整数");
            return;
        }
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
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
        if ((int64_t)n < f->min || (int64_t)n > f->max) {
            snprintf(msg, sizeof msg, "应有 %lld 到 %lld 项", (long long)f->min, (long long)f->max);
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

json_t *body_parse(const char *data, size_t len, const jfield *spec, gx_err *e)
{
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
        check_field(f, v, e);
    }
    for (const jfield *f = spec; f->name; f++)
        if (f->required && !json_object_get(o, f->name))
            gx_field(e, f->name, "必填");
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

int query_check(const parsed_uri *u, const qfield *spec, int with_paging, gx_err *e)
{
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
            if ((int64_t)gx_utf8_len(v, strlen(v)) > f->max) {
                snprintf(msg, sizeof msg, "长度不能超过 %lld 个字符", (long long)f->max);
                qerr(e, k, msg);
            }
            break;
        case Q_INT:
            if (gx_parse_i64(v, strlen(v), f->min, f->max, &n)) {
                snprintf(msg, sizeof msg, "应为 %lld 到 %lld 之间的整数", (long long)f->min, (long long)f->max);
                qerr(e, k, msg);
            }
            break;
        case Q_BOOL:
            if (strcmp(v, "true") && strcmp(v, "false"))
                qerr(e, k, "应为 true 或 false");
            break;
        }
    }
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
