/* cadres.c - one cadre: checks, storage, create, update, read, history,
 * audited reveal of the identity number and phone. */
#include "cadre.h"
#include "cadre_int.h"
#include "../base/crypto.h"
#include "../base/idcard.h"
#include "../base/pinyin.h"
#include "../base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ID "cadre-id-number"
#define KEY_ID_IDX "cadre-id-number-index"
#define KEY_PHONE "cadre-phone"
#define KEY_PHONE_IDX "cadre-phone-index"

static void put(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int text_len_ok(const char *s, size_t max)
{
    return gx_utf8_valid(s, strlen(s), 0) && gx_utf8_len(s, strlen(s)) <= max;
}

/* Mobile 1[3-9]xxxxxxxxx, or a landline 0xx(x)-xxxxxxx(x) with or without the dash. */
static int phone_normalise(const char *in, char out[24])
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (o >= 20)
                return 0;
            out[o++] = *p;
        } else if (*p != '-' && *p != ' ') {
            return 0;
        }
    }
    out[o] = 0;
    if (o == 11 && out[0] == '1' && out[1] >= '3' && out[1] <= '9')
        return 1;
    return o >= 10 && o <= 12 && out[0] == '0';
}

static void code_field(const codebook *cb, const char *kind, const char *field, const char *v, char *dst, size_t n,
                       int required, gx_err *e, const char *what)
{
    if (!v || !*v) {
        if (required) {
            char msg[96];
            snprintf(msg, sizeof msg, "请填写%s", what);
            gx_field(e, field, msg);
        }
        dst[0] = 0;
        return;
    }
    const char *c = codebook_resolve(cb, kind, v);
    if (!c) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s“%.60s”不在代码表中", what, v);
        gx_field(e, field, msg);
        dst[0] = 0;
        return;
    }
    put(dst, n, c);
}

int cadre_check(const codebook *cb, const cadre_in *in, cadre_rec *rec, gx_err *e)
{
    memset(rec, 0, sizeof *rec);
    const char *today = codebook_today(cb);
    /* name */
    if (!in->name || !*in->name)
        gx_field(e, "name", "请填写姓名");
    else if (!text_len_ok(in->name, 32))
        gx_field(e, "name", "姓名不能超过 32 个字符");
    else {
        put(rec->name, sizeof rec->name, in->name);
        pinyin_initials(rec->name, rec->name_py, sizeof rec->name_py);
    }
    /* ID number, and birth date and gender agreeing with it */
    idcard ic;
    int idrc = in->id_number && *in->id_number ? idcard_parse(in->id_number, strlen(in->id_number), today, &ic) : -1;
    if (idrc == -1)
        gx_field(e, "id_number", "请填写身份证号");
    else if (idrc != IDCARD_OK)
        gx_field(e, "id_number", idcard_error(idrc));
    else {
        put(rec->id_number, sizeof rec->id_number, ic.number);
        put(rec->birth_date, sizeof rec->birth_date, ic.birth_date);
        snprintf(rec->gender, sizeof rec->gender, "%d", ic.gender);
        if (in->birth_date && *in->birth_date && strcmp(in->birth_date, ic.birth_date))
            gx_field(e, "birth_date", date_text_valid(in->birth_date) ? "出生日期与身份证号不一致"
                                                                      : "日期格式应为 YYYY-MM-DD");
        if (in->gender && *in->gender) {
            const char *g = codebook_resolve(cb, "gender", in->gender);
            if (!g)
                gx_field(e, "gender", "性别应为代码 1（男）或 2（女）");
            else if (strcmp(g, rec->gender))
                gx_field(e, "gender", "性别与身份证号不一致");
        }
    }
    code_field(cb, "ethnicity", "ethnicity", in->ethnicity, rec->ethnicity, sizeof rec->ethnicity, 0, e, "民族");
    code_field(cb, "political", "political", in->political, rec->political, sizeof rec->political, 0, e, "政治面貌");
    code_field(cb, "education", "education", in->education, rec->education, sizeof rec->education, 0, e, "学历");
    code_field(cb, "rank_level", "rank_level", in->rank_level, rec->rank_level, sizeof rec->rank_level, 1, e,
               "职务职级");
    code_field(cb, "cadre_status", "status", in->status && *in->status ? in->status : "1", rec->status,
               sizeof rec->status, 1, e, "干部状态");
    if (in->rank_since && *in->rank_since) {
        if (!date_text_valid(in->rank_since))
            gx_field(e, "rank_since", "日期格式应为 YYYY-MM-DD");
        else if (strcmp(in->rank_since, today) > 0)
            gx_field(e, "rank_since", "任现职级时间不能晚于今天");
        else if (rec->birth_date[0] && strcmp(in->rank_since, rec->birth_date) <= 0)
            gx_field(e, "rank_since", "任现职级时间应晚于出生日期");
        else
            put(rec->rank_since, sizeof rec->rank_since, in->rank_since);
    }
    if (in->post && !text_len_ok(in->post, 64))
        gx_field(e, "post", "职务名称不能超过 64 个字符");
    else
        put(rec->post, sizeof rec->post, in->post);
    if (in->expertise && !text_len_ok(in->expertise, 200))
        gx_field(e, "expertise", "专长不能超过 200 个字符");
    else
        put(rec->expertise, sizeof rec->expertise, in->expertise);
    if (in->phone && *in->phone && !phone_normalise(in->phone, rec->phone))
        gx_field(e, "phone", "电话应为 11 位手机号或带区号的固定电话");
    if (in->unit_id <= 0)
        gx_field(e, "unit_id", "请选择所在单位");
    rec->unit_id = in->unit_id;
    rec->top_leader = in->top_leader > 0;
    rec->team_member = in->team_member > 0;
    rec->young_talent = in->young_talent > 0;
    if (in->domains.n > CADRE_MAX_DOMAINS)
        gx_field(e, "domains", "分管领域最多 12 项");
    for (int i = 0; i < in->domains.n && i < CADRE_MAX_DOMAINS; i++) {
        const char *c = codebook_resolve(cb, "domain", in->domains.v[i]);
        if (!c) {
            char msg[160];
            snprintf(msg, sizeof msg, "分管领域“%.60s”不在代码表中", in->domains.v[i]);
            gx_field(e, "domains", msg);
            break;
        }
        int dup = 0;
        for (int k = 0; k < rec->ndomains; k++)
            dup |= !strcmp(rec->domains[k], c);
        if (!dup)
            put(rec->domains[rec->ndomains++], sizeof rec->domains[0], c);
    }
    return e->code == GX_OK ? 0 : -1;
}

/* The masked ID number shows the region (6 digits) only. With what else a
 * role sees without reveal — the birth month and the gender — that leaves
 * 28–31 days × 500 sequence numbers ≥ 14,000 candidates; showing any of the
 * last four digits, or the full birth date, would leave a handful. */
void cadre_mask_id(const char *n, char out[19])
{
    memcpy(out, n, 6);
    memset(out + 6, '*', 12);
    out[18] = 0;
}

void cadre_mask_phone(const char *p, char out[24])
{
    size_t n = strlen(p);
    snprintf(out, 24, "%.3s****%s", p, n > 4 ? p + n - 4 : "");
}

/* Associated data of a sealed field: the record and the field it belongs to. */
static void seal_place(int64_t id, const char *field, char out[64])
{
    snprintf(out, 64, "cadres:%lld:%s", (long long)id, field);
}

static char *seal(const char *label, int64_t id, const char *field, const char *plain)
{
    char aad[64];
    seal_place(id, field, aad);
    return gx_seal(label, aad, plain);
}

int64_t cadre_store(db *d, const cadre_rec *rec, int64_t id, int64_t now)
{
    int update = id != 0;
    if (!update && !(id = db_next_id(d, "cadres")))
        return 0;
    char *id_enc = seal(KEY_ID, id, "id_number", rec->id_number), bidx[33], mask[19];
    if (rec->id_bidx[0])
        memcpy(bidx, rec->id_bidx, sizeof bidx);
    else
        gx_blind_index(KEY_ID_IDX, rec->id_number, bidx);
    char both[2][33];
    gx_blind_indexes(KEY_ID_IDX, rec->id_number, both);
    if (strcmp(both[0], both[1])) {
        /* A key rotation runs: another cadre may hold this number under the
         * old key's index. Then write the index it holds, so that the unique
         * index refuses this row as it would without a rotation. */
        db_res *r = db_queryv(d, "SELECT id_bidx FROM cadres WHERE id_bidx IN (?, ?) AND id <> ?", DS(both[0]),
                              DS(both[1]), DI(id));
        if (r && db_next(r) == 1)
            snprintf(bidx, sizeof bidx, "%s", db_text(r, 0));
        db_done(r);
    }
    cadre_mask_id(rec->id_number, mask);
    char *ph_enc = NULL, ph_bidx[33] = "", ph_mask[24] = "";
    if (rec->phone[0]) {
        ph_enc = seal(KEY_PHONE, id, "phone", rec->phone);
        gx_blind_index(KEY_PHONE_IDX, rec->phone, ph_bidx);
        cadre_mask_phone(rec->phone, ph_mask);
    }
    const char *rs = rec->rank_since[0] ? rec->rank_since : NULL;
    /* Only the birth month is kept in clear (column birth_date, "YYYY-MM"):
     * the full date is in the sealed ID number, and beside the region of the
     * mask it would narrow the number to a few hundred candidates. */
    char month[8];
    snprintf(month, sizeof month, "%.7s", rec->birth_date);
    int ok;
    if (update) {
        ok = db_execv(d,
                      "UPDATE cadres SET name = ?, name_py = ?, gender = ?, birth_date = ?, id_enc = ?, id_bidx = ?, "
                      "id_mask = ?, ethnicity = ?, political = ?, education = ?, unit_id = ?, post = ?, "
                      "rank_level = ?, rank_since = ?, top_leader = ?, team_member = ?, young_talent = ?, "
                      "expertise = ?, phone_enc = ?, phone_bidx = ?, phone_mask = ?, status = ?, updated_at = ?, "
                      "version = version + 1 WHERE id = ?",
                      DS(rec->name), DS(rec->name_py), DS(rec->gender), DS(month), DS(id_enc), DS(bidx),
                      DS(mask), DS(rec->ethnicity), DS(rec->political), DS(rec->education), DI(rec->unit_id),
                      DS(rec->post), DS(rec->rank_level), DSN(rs), DI(rec->top_leader), DI(rec->team_member),
                      DI(rec->young_talent), DS(rec->expertise), DSN(ph_enc), ph_enc ? DS(ph_bidx) : DN,
                      DS(ph_mask), DS(rec->status), DI(now), DI(id)) == 1 &&
             db_execv(d, "DELETE FROM cadre_domains WHERE cadre_id = ?", DI(id)) >= 0;
    } else {
        db_res *r = db_queryv(d,
                              "INSERT INTO cadres (id, name, name_py, gender, birth_date, id_enc, id_bidx, id_mask, "
                              "ethnicity, political, education, unit_id, post, rank_level, rank_since, top_leader, "
                              "team_member, young_talent, expertise, phone_enc, phone_bidx, phone_mask, status, "
                              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                              "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              DI(id), DS(rec->name), DS(rec->name_py), DS(rec->gender), DS(month), DS(id_enc),
                              DS(bidx), DS(mask), DS(rec->ethnicity), DS(rec->political), DS(rec->education),
                              DI(rec->unit_id), DS(rec->post), DS(rec->rank_level), DSN(rs), DI(rec->top_leader),
                              DI(rec->team_member), DI(rec->young_talent), DS(rec->expertise), DSN(ph_enc),
                              ph_enc ? DS(ph_bidx) : DN, DS(ph_mask), DS(rec->status), DI(now), DI(now));
        ok = r && db_next(r) == 1;
        if (ok)
            id = db_int(r, 0);
        db_done(r);
    }
    free(id_enc);
    free(ph_enc);
    for (int i = 0; ok && i < rec->ndomains; i++)
        ok = db_execv(d,
                      "INSERT INTO cadre_domains (cadre_id, domain, rank_level, status, name_py, name, unit_id, "
                      "birth_date, gender, political, top_leader, team_member, young_talent) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      DI(id), DS(rec->domains[i]), DS(rec->rank_level), DS(rec->status), DS(rec->name_py),
                      DS(rec->name), DI(rec->unit_id), DS(month), DS(rec->gender), DS(rec->political),
                      DI(rec->top_leader), DI(rec->team_member), DI(rec->young_talent)) == 1;
    return ok ? id : 0;
}

void cadre_id_bidx(const char *number, char out[33]) { gx_blind_index(KEY_ID_IDX, number, out); }

int64_t cadre_find_by_number(db *d, const char *number)
{
    /* under the active key and, during a rotation, the new one */
    char bidx[2][33];
    gx_blind_indexes(KEY_ID_IDX, number, bidx);
    int64_t id = 0;
    int rc = db_scalar(d, "SELECT id FROM cadres WHERE id_bidx IN (?, ?)", DB_ARGV(DS(bidx[0]), DS(bidx[1])), &id);
    return rc < 0 ? -1 : id;
}

/* Blind indexes of a phone number given in any accepted form; 0 when it is not one. */
int cadre_phone_index(const char *text, char out[2][33])
{
    char p[24];
    if (!phone_normalise(text, p))
        return 0;
    gx_blind_indexes(KEY_PHONE_IDX, p, out);
    return 1;
}

/* Blind indexes of an ID number; 0 when the text is not a valid one. */
int cadre_id_index(const char *text, char out[2][33])
{
    idcard ic;
    if (idcard_parse(text, strlen(text), NULL, &ic) != IDCARD_OK)
        return 0;
    gx_blind_indexes(KEY_ID_IDX, ic.number, out);
    return 1;
}

int cadre_reseal(db *d, int64_t id, const char *id_enc, const char *ph_enc, int alg, int gen)
{
    char aad_id[64], aad_ph[64];
    seal_place(id, "id_number", aad_id);
    seal_place(id, "phone", aad_ph);
    char *num = gx_open(KEY_ID, aad_id, id_enc), *ph = ph_enc ? gx_open(KEY_PHONE, aad_ph, ph_enc) : NULL;
    if (!num || (ph_enc && !ph)) {
        log_error("cadre %lld: sealed %s does not open (another key file, or altered or moved in the database)",
                  (long long)id, num ? "phone" : "id_number");
        free(num);
        free(ph);
        return -2;
    }
    char bidx[33], ph_bidx[33] = "";
    char *new_id = gx_seal_with(alg, gen, KEY_ID, aad_id, num), *new_ph = NULL;
    gx_blind_index_with(alg, gen, KEY_ID_IDX, num, bidx);
    if (ph) {
        new_ph = gx_seal_with(alg, gen, KEY_PHONE, aad_ph, ph);
        gx_blind_index_with(alg, gen, KEY_PHONE_IDX, ph, ph_bidx);
    }
    /* only when the row still holds what was read: a cadre saved meanwhile
     * is already sealed under the new key (or the sweep comes back to it) */
    int64_t n = db_execv(d,
                         "UPDATE cadres SET id_enc = ?, id_bidx = ?, phone_enc = ?, phone_bidx = ? "
                         "WHERE id = ? AND id_enc = ? AND COALESCE(phone_enc, '') = ?",
                         DS(new_id), DS(bidx), DSN(new_ph), new_ph ? DS(ph_bidx) : DN, DI(id), DS(id_enc),
                         DS(ph_enc ? ph_enc : ""));
    free(num);
    free(ph);
    free(new_id);
    free(new_ph);
    return n < 0 ? -1 : n == 0 ? 0 : ph_enc ? 2 : 1;
}

int cadre_load(db *d, const scope *s, const codebook *cb, int64_t id, json_t **out)
{
    db_res *r = s->all ? db_queryv(d,
                                   "SELECT " CADRE_COLS " FROM cadres c JOIN units un ON un.id = c.unit_id "
                                   "WHERE c.id = ?",
                                   DI(id))
                       : db_queryv(d,
                                   "SELECT " CADRE_COLS " FROM cadres c JOIN units un ON un.id = c.unit_id "
                                   "WHERE c.id = ? AND un.path >= ? AND un.path < ?",
                                   DI(id), DS(s->lo), DS(s->hi));
    if (!r)
        return -1;
    int rc = db_next(r);
    if (rc == 1)
        *out = cadre_row_json(r, cb);
    db_done(r);
    if (rc == 1 && cadre_attach_domains(d, out, &id, 1)) {
        json_decref(*out);
        return -1;
    }
    return rc;
}

static int not_found(gx_err *e) { return gx_fail(e, GX_ENOTFOUND, "干部不存在"); }

int cadres_get(db *d, arena *a, const scope *s, int64_t id, json_t **out, gx_err *e)
{
    (void)a;
    codebook *cb = codebook_load(d, e);
    if (!cb)
        return -1;
    int rc = cadre_load(d, s, cb, id, out);
    codebook_free(cb);
    if (rc < 0)
        return db_fail(d, e);
    return rc ? 0 : not_found(e);
}

static int unit_in_scope(db *d, const scope *s, int64_t unit_id, gx_err *e)
{
    int rc = scope_has_unit(d, s, unit_id);
    if (rc < 0)
        return db_fail(d, e);
    if (rc != 1) {
        gx_field(e, "unit_id", rc == 2 ? "该单位已停用或已合并，不能再调入干部" : "单位不存在或不在管理范围内");
        return -1;
    }
    return 0;
}

/* The number is registered to another cadre. That answer is an exact
 * lookup (it tells that a given ID number exists), so it is charged to the
 * caller's budget after the rollback; over the budget the caller gets 429. */
static int id_conflict(db *d, const audit_actor *who, const char *where, gx_err *e)
{
    db_rollback(d);
    if (lookup_charge(d, who, "id_number", where, 1, e))
        return -1;
    gx_fail(e, GX_ECONFLICT, "该身份证号已登记");
    gx_field(e, "id_number", "该身份证号已登记为其他干部");
    e->code = GX_ECONFLICT;
    return -1;
}

int cadres_create(db *d, arena *a, const scope *s, const audit_actor *who, const cadre_in *in, json_t **out,
                  gx_err *e)
{
    (void)a;
    codebook *cb = codebook_load(d, e);
    if (!cb)
        return -1;
    cadre_rec rec;
    int rc = -1;
    if (cadre_check(cb, in, &rec, e))
        goto out;
    if (db_begin(d)) {
        db_fail(d, e);
        goto out;
    }
    if (unit_in_scope(d, s, rec.unit_id, e)) {
        if (db_in_tx(d))
            db_rollback(d);
        goto out;
    }
    int64_t id = cadre_store(d, &rec, 0, gx_now());
    if (!id) {
        if (db_errcode(d) == DB_ECONSTRAINT)
            id_conflict(d, who, "create", e);
        else
            db_fail(d, e);
        goto out;
    }
    if (cadre_load(d, s, cb, id, out) != 1 || audit_append(d, who, "cadre.create", "cadre", id, NULL, *out) ||
        db_commit(d)) {
        db_fail(d, e);
        goto out;
    }
    rc = 0;
out:
    codebook_free(cb);
    return rc;
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

int cadre_record_history(db *d, int64_t id, json_t *before, const cadre_rec *rec, const char *date, int64_t now)
{
    int64_t old_unit = json_integer_value(json_object_get(before, "unit_id"));
    const char *old_rank = jstr(before, "rank_level"), *old_post = jstr(before, "post"), *old_status = jstr(before, "status");
    if (old_unit != rec->unit_id &&
        db_execv(d,
                 "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_unit_id, to_unit_id, from_post, to_post, "
                 "created_at) VALUES (?, 'transfer', ?, ?, ?, ?, ?, ?)",
                 DI(id), DS(date), DI(old_unit), DI(rec->unit_id), DS(old_post), DS(rec->post), DI(now)) != 1)
        return -1;
    if (strcmp(old_rank, rec->rank_level) &&
        db_execv(d,
                 "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_rank, to_rank, from_post, to_post, "
                 "created_at) VALUES (?, 'rank', ?, ?, ?, ?, ?, ?)",
                 DI(id), DS(date), DS(old_rank), DS(rec->rank_level),
                 DS(old_post), DS(rec->post), DI(now)) != 1)
        return -1;
    if (old_unit == rec->unit_id && !strcmp(old_rank, rec->rank_level) && strcmp(old_post, rec->post) &&
        db_execv(d,
                 "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_post, to_post, created_at) "
                 "VALUES (?, 'post', ?, ?, ?, ?)",
                 DI(id), DS(date), DS(old_post), DS(rec->post), DI(now)) != 1)
        return -1;
    if (strcmp(old_status, rec->status) &&
        db_execv(d,
                 "INSERT INTO cadre_history (cadre_id, kind, happened_on, note, created_at) VALUES (?, 'status', ?, ?, ?)",
                 DI(id), DS(date), DS(rec->status), DI(now)) != 1)
        return -1;
    return 0;
}

/* NULL when the value does not open: another key file, or the sealed text
 * altered or moved from another record or field (logged). */
static char *unseal(db *d, const char *field, int64_t id)
{
    int phone = !strcmp(field, "phone");
    db_res *r = db_query(d, phone ? "SELECT phone_enc FROM cadres WHERE id = ?" : "SELECT id_enc FROM cadres WHERE id = ?",
                         DB_ARGV(DI(id)));
    char *v = NULL, aad[64];
    seal_place(id, field, aad);
    if (r && db_next(r) == 1) {
        v = db_isnull(r, 0) ? gx_strdup("") : gx_open(phone ? KEY_PHONE : KEY_ID, aad, db_text(r, 0));
        if (!v)
            log_error("cadre %lld: sealed %s does not open (another key file, or altered or moved in the database)",
                      (long long)id, field);
    }
    db_done(r);
    return v;
}

char *cadre_unseal(db *d, int64_t id, int phone) { return unseal(d, phone ? "phone" : "id_number", id); }

void cadre_overlay(json_t *before, const char *old_id, const char *old_phone, cadre_in *m)
{
#define KEEP(f)                                                                                              \
    if (!m->f)                                                                                               \
    m->f = jstr(before, #f)
    KEEP(name);
    KEEP(ethnicity);
    KEEP(political);
    KEEP(education);
    KEEP(post);
    KEEP(rank_level);
    KEEP(rank_since);
    KEEP(expertise);
    KEEP(status);
#undef KEEP
    if (!m->id_number)
        m->id_number = old_id;
    if (!m->phone)
        m->phone = old_phone;
    if (!m->unit_id)
        m->unit_id = json_integer_value(json_object_get(before, "unit_id"));
    if (m->top_leader < 0)
        m->top_leader = json_is_true(json_object_get(before, "top_leader"));
    if (m->team_member < 0)
        m->team_member = json_is_true(json_object_get(before, "team_member"));
    if (m->young_talent < 0)
        m->young_talent = json_is_true(json_object_get(before, "young_talent"));
    if (!m->domains.set) {
        json_t *doms = json_object_get(before, "domains");
        m->domains.n = 0;
        for (size_t i = 0; i < json_array_size(doms) && i < CADRE_MAX_DOMAINS; i++)
            m->domains.v[m->domains.n++] = json_string_value(json_array_get(doms, i));
    }
    if (m->gender && !*m->gender)
        m->gender = NULL;
}

int cadres_update(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, const cadre_in *in,
                  json_t **out, gx_err *e)
{
    (void)a;
    codebook *cb = codebook_load(d, e);
    if (!cb)
        return -1;
    json_t *before = NULL;
    char *old_id = NULL, *old_phone = NULL;
    int rc = -1;
    if (db_begin(d)) {
        db_fail(d, e);
        goto out;
    }
    int lrc = cadre_load(d, s, cb, id, &before);
    if (lrc < 0) {
        db_fail(d, e);
        goto out;
    }
    if (lrc == 0) {
        db_rollback(d);
        not_found(e);
        goto out;
    }
    if (json_integer_value(json_object_get(before, "version")) != in->version) {
        db_rollback(d);
        gx_fail(e, GX_EVERSION, NULL);
        goto out;
    }
    old_id = unseal(d, "id_number", id);
    old_phone = unseal(d, "phone", id);
    if (!old_id || !old_phone) {
        db_rollback(d);
        gx_fail(e, GX_EINTERNAL, "无法解密该干部的身份证号或电话（密钥文件与数据库不匹配，或密文被篡改、挪动）");
        goto out;
    }
    /* overlay the change on the current record, then check the whole */
    cadre_in m = *in;
    cadre_overlay(before, old_id, old_phone, &m);
    cadre_rec rec;
    if (cadre_check(cb, &m, &rec, e)) {
        db_rollback(d);
        goto out;
    }
    if (rec.unit_id != json_integer_value(json_object_get(before, "unit_id")) && unit_in_scope(d, s, rec.unit_id, e)) {
        if (db_in_tx(d))
            db_rollback(d);
        goto out;
    }
    int64_t now = gx_now();
    /* the date of a change: as given, else the new rank's start date when
     * the rank changes with it, else today */
    const char *date = in->changed_on && *in->changed_on ? in->changed_on
                       : in->rank_since && *in->rank_since && strcmp(rec.rank_level, jstr(before, "rank_level"))
                           ? rec.rank_since
                           : codebook_today(cb);
    if (!cadre_store(d, &rec, id, now)) {
        if (db_errcode(d) == DB_ECONSTRAINT)
            id_conflict(d, who, "update", e);
        else
            db_fail(d, e);
        goto out;
    }
    if (cadre_record_history(d, id, before, &rec, date, now) || cadre_load(d, s, cb, id, out) != 1 ||
        audit_append(d, who, "cadre.update", "cadre", id, before, *out) || db_commit(d)) {
        db_fail(d, e);
        goto out;
    }
    rc = 0;
out:
    json_decref(before);
    free(old_id);
    free(old_phone);
    codebook_free(cb);
    return rc;
}

int cadres_history(db *d, arena *a, const scope *s, int64_t id, json_t **items, gx_err *e)
{
    json_t *c = NULL;
    if (cadres_get(d, a, s, id, &c, e))
        return -1;
    json_decref(c);
    db_res *r = db_queryv(d,
                          "SELECT h.id, h.kind, h.happened_on, h.from_unit_id, fu.name, h.to_unit_id, tu.name, "
                          "h.from_rank, h.to_rank, h.from_post, h.to_post, h.note, h.created_at "
                          "FROM cadre_history h LEFT JOIN units fu ON fu.id = h.from_unit_id "
                          "LEFT JOIN units tu ON tu.id = h.to_unit_id WHERE h.cadre_id = ? "
                          "ORDER BY h.happened_on DESC, h.id DESC",
                          DI(id));
    if (!r)
        return db_fail(d, e);
    *items = json_array();
    int rc;
    while ((rc = db_next(r)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_int(r, 0)));
        json_object_set_new(o, "kind", json_string(db_text(r, 1)));
        json_object_set_new(o, "date", json_string(db_text(r, 2)));
        json_object_set_new(o, "from_unit_id", db_isnull(r, 3) ? json_null() : json_integer(db_int(r, 3)));
        json_object_set_new(o, "from_unit_name", db_isnull(r, 4) ? json_null() : json_string(db_text(r, 4)));
        json_object_set_new(o, "to_unit_id", db_isnull(r, 5) ? json_null() : json_integer(db_int(r, 5)));
        json_object_set_new(o, "to_unit_name", db_isnull(r, 6) ? json_null() : json_string(db_text(r, 6)));
        static const char *names[] = {"from_rank", "to_rank", "from_post", "to_post", "note"};
        for (int k = 0; k < 5; k++)
            json_object_set_new(o, names[k], db_isnull(r, 7 + k) ? json_null() : json_string(db_text(r, 7 + k)));
        json_object_set_new(o, "recorded_at", json_integer(db_int(r, 12)));
        json_array_append_new(*items, o);
    }
    db_done(r);
    if (rc < 0) {
        json_decref(*items);
        return db_fail(d, e);
    }
    return 0;
}

int cadres_reveal(db *d, arena *a, const scope *s, const audit_actor *who, int64_t id, json_t **out, gx_err *e)
{
    json_t *c = NULL;
    if (cadres_get(d, a, s, id, &c, e))
        return -1;
    json_decref(c);
    char *num = unseal(d, "id_number", id), *phone = unseal(d, "phone", id);
    int rc = -1;
    if (!num || !phone) {
        gx_fail(e, GX_EINTERNAL, "无法解密（密钥文件与数据库不匹配，或密文被篡改、挪动）");
        goto out;
    }
    if (db_begin(d)) {
        db_fail(d, e);
        goto out;
    }
    json_t *what = json_pack("{s:[s,s]}", "fields", "id_number", "phone");
    int arc = audit_append(d, who, "cadre.reveal", "cadre", id, NULL, what);
    json_decref(what);
    if (arc || db_commit(d)) {
        db_fail(d, e);
        goto out;
    }
    *out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "id_number", num, "phone", phone);
    rc = 0;
out:
    free(num);
    free(phone);
    return rc;
}

/* --- unit changes (org's hooks) --- */

/* A merged unit's cadres are transferred to the unit it merged into: a
 * history row each (read before the move), then the move, then the copies
 * of unit_id that cadre_domains keeps for its covering indexes. */
static int units_merged(db *d, const audit_actor *who, int64_t from, int64_t into, const char *date, int64_t now)
{
    (void)who;
    return db_execv(d,
                    "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_unit_id, to_unit_id, note, created_at) "
                    "SELECT id, 'transfer', ?, unit_id, ?, ?, ? FROM cadres WHERE unit_id = ?",
                    DS(date), DI(into), DS("单位合并"), DI(now), DI(from)) < 0 ||
                   db_execv(d, "UPDATE cadres SET unit_id = ?, updated_at = ?, version = version + 1 WHERE unit_id = ?",
                            DI(into), DI(now), DI(from)) < 0 ||
                   db_execv(d, "UPDATE cadre_domains SET unit_id = ? WHERE unit_id = ?", DI(into), DI(from)) < 0
               ? -1
               : 0;
}

/* Cadres keep their unit when it moves; nothing keeps the unit's path. */
const unit_hooks cadre_unit_hooks = {"cadre", units_merged, NULL};
