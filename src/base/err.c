#include "err.h"

#include <stdio.h>
#include <string.h>

static const struct {
    int status;
    const char *name;
    const char *message;
} table[GX_ECODE_COUNT] = {
    [GX_OK] = {200, "ok", "成功"},
    [GX_EBADJSON] = {400, "bad_json", "请求体不是合法的 JSON 对象"},
    [GX_EVALIDATION] = {400, "validation", "请求数据有误，请检查标出的字段"},
    [GX_EBADQUERY] = {400, "bad_query", "查询参数有误"},
    [GX_EBADREQ] = {400, "bad_request", "请求格式有误"},
    [GX_EUNAUTH] = {401, "unauthenticated", "未登录或会话已过期，请重新登录"},
    [GX_ECREDS] = {401, "invalid_credentials", "用户名或密码错误"},
    [GX_EFORBIDDEN] = {403, "forbidden", "无权执行此操作"},
    [GX_ECSRF] = {403, "csrf", "请求缺少有效的防伪令牌，请刷新页面后重试"},
    [GX_EPWCHANGE] = {403, "password_change_required", "请先修改初始密码"},
    [GX_EDISABLED] = {403, "account_disabled", "账户已停用，请联系系统管理员"},
    [GX_ENOTFOUND] = {404, "not_found", "资源不存在"},
    [GX_EMETHOD] = {405, "method_not_allowed", "不支持该请求方法"},
    [GX_EVERSION] = {409, "version_conflict", "记录已被他人修改，请刷新后重试"},
    [GX_ECONFLICT] = {409, "conflict", "数据与已有记录冲突"},
    [GX_ETOOLARGE] = {413, "too_large", "请求体过大"},
    [GX_EMEDIA] = {415, "unsupported_media_type", "请求体类型应为 application/json"},
    [GX_ELOCKED] = {423, "account_locked", "账户已锁定"},
    [GX_ETHROTTLED] = {429, "too_many_attempts", "失败次数过多，请稍后再试"},
    [GX_EUNAVAIL] = {503, "unavailable", "数据库暂时不可用，请稍后重试"},
    [GX_EINTERNAL] = {500, "internal", "服务器内部错误"},
};

int gx_fail(gx_err *e, gx_code code, const char *msg)
{
    e->code = code;
    snprintf(e->message, sizeof e->message, "%s", msg ? msg : table[code].message);
    return -1;
}

void gx_field(gx_err *e, const char *field, const char *msg)
{
    if (e->code == GX_OK)
        gx_fail(e, GX_EVALIDATION, NULL);
    if (!e->fields)
        e->fields = json_object();
    if (!json_object_get(e->fields, field))
        json_object_set_new(e->fields, field, json_string(msg));
}

void gx_extra(gx_err *e, const char *key, json_t *v)
{
    if (!e->extra)
        e->extra = json_object();
    json_object_set_new(e->extra, key, v);
}

void gx_err_clear(gx_err *e)
{
    json_decref(e->fields);
    json_decref(e->extra);
    e->fields = e->extra = NULL;
    e->code = GX_OK;
    e->message[0] = 0;
}

int gx_err_status(gx_code code) { return table[code].status; }
const char *gx_err_name(gx_code code) { return table[code].name; }

json_t *gx_err_json(const gx_err *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(table[e->code].name));
    json_object_set_new(o, "message", json_string(e->message[0] ? e->message : table[e->code].message));
    if (e->fields)
        json_object_set(o, "fields", e->fields);
    if (e->extra)
        json_object_update(o, e->extra);
    json_t *r = json_object();
    json_object_set_new(r, "error", o);
    return r;
}
