/* city.c - a Yangzhou-like city for demonstrations and benchmarks: the
 * municipal Party and government departments, the six county-level areas
 * with their own departments, towns and streets, and N cadres with a rank
 * pyramid, flags, domains of responsibility and a change history.
 * Deterministic for a given seed (only the encryption nonces differ). */
#include "demo.h"
#include "../base/idcard.h"
#include "../base/pinyin.h"
#include "../base/util.h"
#include "../cadre/cadre.h"
#include "../org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{ /* splitmix64 */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int pick(rng *r, int n) { return (int)(next(r) % (uint64_t)n); }
static int chance(rng *r, int per_mille) { return pick(r, 1000) < per_mille; }

static const char *city_party[] = {"市委办公室", "市纪委监委", "市委组织部", "市委宣传部", "市委统战部",
                                   "市委政法委", "市委政策研究室", "市委网信办", "市委编办", "市直机关工委",
                                   "市委老干部局", "市委党史办"};
static const char *city_gov[] = {"市政府办公室", "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局",
                                 "市公安局", "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局",
                                 "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市城市管理局",
                                 "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文化广电和旅游局",
                                 "市卫生健康委员会", "市退役军人事务局", "市应急管理局", "市审计局", "市国资委",
                                 "市市场监督管理局", "市统计局", "市医疗保障局", "市信访局", "市行政审批局",
                                 "市数据局", "市地方金融监督管理局"};
static const char *city_npc[] = {"市人大常委会办公室", "市政协办公室"};
static const char *city_mass[] = {"市总工会", "共青团扬州市委", "市妇联", "市科协", "市文联", "市侨联", "市残联"};
static const char *city_judicial[] = {"市中级人民法院", "市人民检察院"};
static const char *city_inst[] = {"市广播电视总台", "市公共资源交易中心", "市住房公积金管理中心", "市第一人民医院"};
static const char *city_soe[] = {"扬州城建国有资产控股（集团）有限公司", "扬州市交通产业集团有限责任公司",
                                 "扬州市绿色产业投资发展控股（集团）有限责任公司", "扬州文化旅游发展集团有限公司"};
static const char *county_depts[] = {"委办公室", "纪委监委", "委组织部", "委宣传部", "委统战部", "委政法委",
                                     "政府办公室", "发展和改革委员会", "教育局", "财政局", "农业农村局", "自然资源和规划局",
                                     "生态环境局", "住房和城乡建设局", "卫生健康委员会", "应急管理局", "审计局",
                                     "市场监督管理局"};

static const struct {
    const char *name, *division;
    int city; /* 市 (county-level city) or 区/县 */
    const char *towns;
} counties[] = {
    {"广陵区", "321002", 0, "汶河街道 东关街道 文峰街道 曲江街道 湾头镇 李典镇 头桥镇 沙头镇 杭集镇"},
    {"邗江区", "321003", 0, "蒋王街道 邗上街道 汊河街道 双桥街道 甘泉街道 西湖街道 瓜洲镇 杨寿镇 方巷镇 槐泗镇 公道镇"},
    {"江都区", "321012", 0, "仙女镇 小纪镇 武坚镇 樊川镇 真武镇 宜陵镇 丁沟镇 郭村镇 邵伯镇 丁伙镇 大桥镇 吴桥镇 浦头镇"},
    {"宝应县", "321023", 0, "安宜镇 范水镇 夏集镇 柳堡镇 广洋湖镇 鲁垛镇 小官庄镇 望直港镇 曹甸镇 西安丰镇 山阳镇 黄塍镇 射阳湖镇 泾河镇"},
    {"仪征市", "321081", 1, "真州镇 青山镇 新集镇 新城镇 马集镇 刘集镇 陈集镇 大仪镇 月塘镇"},
    {"高邮市", "321084", 1, "高邮街道 马棚街道 卸甲镇 龙虬镇 汤庄镇 三垛镇 甘垛镇 临泽镇 界首镇 周山镇 送桥镇 菱塘回族乡 车逻镇"},
};

static const char *surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
                                 "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
                                 "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
                                 "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
                                 "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
                                 "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
                                 "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔",
                                 "欧阳", "单"};
static const char given[] = "建国明华军平伟强磊洋勇艳杰娟涛超秀英敏静丽芳玲燕霞红梅兰凤晓东海波宁俊峰斌浩亮志刚"
                            "辉鹏飞文博宇轩晨阳雪琳婷颖慧佳欣怡思雨涵子晗一诺梓睿嘉懿瑞祥永春新民立清宏伟德"
                            "福贵荣昌盛泽远卫彬健鑫松柏云逸凡";

/* rank levels with their share (per mille) and age bands */
static const struct {
    const char *code;
    int share, age_lo, age_hi;
} ranks[] = {
    {"121", 2, 48, 59},  {"122", 8, 44, 59},  {"131", 35, 40, 59}, {"132", 75, 35, 58},
    {"Z21", 20, 45, 59}, {"Z22", 25, 43, 59}, {"Z23", 25, 40, 59}, {"Z24", 30, 38, 59},
    {"141", 150, 32, 57}, {"142", 190, 28, 55}, {"Z31", 50, 40, 59}, {"Z32", 60, 36, 59},
    {"Z33", 60, 32, 58},  {"Z34", 70, 28, 56},  {"Z41", 90, 24, 50}, {"Z42", 110, 22, 40},
};
static const char *domains[] = {"ideology", "ecology", "finance_risk", "petition", "investment", "projects",
                                "emergency", "rural", "urban", "education", "health", "safety",
                                "rule_of_law", "party_building", "economy", "culture_tourism", "technology", "social"};
static const char *posts_lead[] = {"主任", "局长", "书记", "部长", "镇长", "主席", "院长", "总经理"};
static const char *posts_dep[] = {"副主任", "副局长", "副书记", "副部长", "副镇长", "副主席", "副院长", "副总经理"};
static const char *posts_staff[] = {"科长", "副科长", "办公室主任", "综合科科员", "业务科科员", "四级主任科员",
                                    "一级科员", "二级科员"};

typedef struct cunit {
    int64_t id;
    int weight; /* relative size */
    const char *division;
    int level;  /* 1 municipal department, 2 county department, 3 town */
} cunit;

typedef struct city {
    db *d;
    rng r;
    int64_t now;
    cunit *units;
    size_t nunits, cap;
    int total_weight;
    int seq;
} city;

static int64_t add_unit(city *c, const char *code, const char *name, int64_t parent, const char *type,
                        const char *division, int weight, int level)
{
    unit_in in = {.code = code, .name = name, .short_name = "", .parent_id = parent, .type = type,
                  .division_code = division, .sort_order = c->seq++, .active = 1};
    int64_t id = unit_insert_raw(c->d, &in, c->now);
    if (id && weight) {
        if (c->nunits == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 256;
            c->units = gx_realloc(c->units, c->cap * sizeof *c->units);
        }
        c->units[c->nunits++] = (cunit){id, weight, division, level};
        c->total_weight += weight;
    }
    return id;
}

static int build_units(city *c)
{
    char code[64], name[160];
    int64_t root = add_unit(c, "321000", "扬州市", 0, "county", "321000", 0, 0);
    if (!root)
        return -1;
    static const struct {
        const char **names;
        size_t n;
        const char *type, *prefix;
        int weight;
    } groups[] = {
        {city_party, GX_ARRAY_LEN(city_party), "party", "DW", 60},
        {city_gov, GX_ARRAY_LEN(city_gov), "gov", "ZF", 70},
        {city_npc, GX_ARRAY_LEN(city_npc), "npc_cppcc", "RD", 40},
        {city_mass, GX_ARRAY_LEN(city_mass), "mass", "QT", 20},
        {city_judicial, GX_ARRAY_LEN(city_judicial), "judicial", "FJ", 90},
        {city_inst, GX_ARRAY_LEN(city_inst), "institution", "SY", 50},
        {city_soe, GX_ARRAY_LEN(city_soe), "soe", "GQ", 60},
    };
    for (size_t g = 0; g < GX_ARRAY_LEN(groups); g++)
        for (size_t i = 0; i < groups[g].n; i++) {
            snprintf(code, sizeof code, "321000-%s%02zu", groups[g].prefix, i + 1);
            snprintf(name, sizeof name, "%s%s", strncmp(groups[g].names[i], "市", 3) ? "" : "扬州", groups[g].names[i]);
            if (!add_unit(c, code, name, root, groups[g].type, "321000", groups[g].weight, 1))
                return -1;
        }
    int64_t school = add_unit(c, "321000-DX", "中共扬州市委党校", root, "school", "321000", 30, 1);
    if (!school)
        return -1;
    for (size_t k = 0; k < GX_ARRAY_LEN(counties); k++) {
        int64_t cid = add_unit(c, counties[k].division, counties[k].name, root, "county", counties[k].division, 0, 0);
        if (!cid)
            return -1;
        /* 宝应县 + 委组织部 = 宝应县委组织部; 宝应县 + 应急管理局 = 宝应县应急管理局 */
        for (size_t i = 0; i < GX_ARRAY_LEN(county_depts); i++) {
            snprintf(code, sizeof code, "%s-B%02zu", counties[k].division, i + 1);
            snprintf(name, sizeof name, "%s%s", counties[k].name, county_depts[i]);
            const char *type = i < 6 ? "party" : "gov";
            if (!add_unit(c, code, name, cid, type, counties[k].division, 35, 2))
                return -1;
        }
        char towns[512];
        snprintf(towns, sizeof towns, "%s", counties[k].towns);
        int t = 0;
        for (char *save = NULL, *tok = strtok_r(towns, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
            snprintf(code, sizeof code, "%s-T%02d", counties[k].division, ++t);
            if (!add_unit(c, code, tok, cid, "town", counties[k].division, 45, 3))
                return -1;
        }
    }
    return 0;
}

/* A unit drawn by size. */
static const cunit *draw_unit(city *c)
{
    int x = pick(&c->r, c->total_weight);
    for (size_t i = 0; i < c->nunits; i++) {
        x -= c->units[i].weight;
        if (x < 0)
            return &c->units[i];
    }
    return &c->units[c->nunits - 1];
}

static int draw_rank(city *c)
{
    int x = pick(&c->r, 1000);
    for (size_t i = 0; i < GX_ARRAY_LEN(ranks); i++) {
        x -= ranks[i].share;
        if (x < 0)
            return (int)i;
    }
    return (int)GX_ARRAY_LEN(ranks) - 1;
}

/* A unique, valid ID number: division + birth date + per-(division, date, sex) sequence. */
typedef struct seqmap {
    uint32_t *keys;
    uint16_t *vals;
    size_t cap;
} seqmap;

static int next_seq(seqmap *m, uint32_t key)
{
    size_t i = (key * 2654435761u) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    return m->vals[i]++;
}

static int add_cadre(city *c, seqmap *seqs, const char *today, int64_t *out_id)
{
    rng *r = &c->r;
    const cunit *u = draw_unit(c);
    int rk = draw_rank(c);
    /* no bureau-level posts in towns; mostly section-level there */
    if (u->level == 3 && rk < 4)
        rk = 8 + pick(r, 2);
    int age = ranks[rk].age_lo + pick(r, ranks[rk].age_hi - ranks[rk].age_lo + 1);
    int year = date_year(today) - age, month = 1 + pick(r, 12), day = 1 + pick(r, 28);
    int male = chance(r, 620);
    uint32_t area = (uint32_t)((u->division[4] - '0') * 10 + (u->division[5] - '0')); /* distinct in this city */
    uint32_t key = ((((uint32_t)(year - 1900) * 416 + (uint32_t)month * 32 + (uint32_t)day) * 2 + (uint32_t)male) * 100) +
                   area + 1;
    int s = next_seq(seqs, key);
    if (s >= 499)
        return 1; /* bucket full: skip this draw */
    char d17[18], num[19];
    snprintf(d17, sizeof d17, "%.6s%04d%02d%02d%03d", u->division, year, month, day, 2 * s + (male ? 1 : 2));
    memcpy(num, d17, 17);
    num[17] = idcard_check_char(d17);
    num[18] = 0;
    cadre_rec rec;
    memset(&rec, 0, sizeof rec);
    const char *sur = surnames[pick(r, (int)GX_ARRAY_LEN(surnames))];
    size_t ng = (sizeof given - 1) / 3;
    int g1 = pick(r, (int)ng), g2 = pick(r, (int)ng);
    if (chance(r, 250))
        snprintf(rec.name, sizeof rec.name, "%s%.3s", sur, given + 3 * g1);
    else
        snprintf(rec.name, sizeof rec.name, "%s%.3s%.3s", sur, given + 3 * g1, given + 3 * g2);
    pinyin_initials(rec.name, rec.name_py, sizeof rec.name_py);
    snprintf(rec.gender, sizeof rec.gender, "%d", male ? 1 : 2);
    snprintf(rec.birth_date, sizeof rec.birth_date, "%04d-%02d-%02d", year, month, day);
    memcpy(rec.id_number, num, sizeof num);
    snprintf(rec.ethnicity, sizeof rec.ethnicity, "%s", chance(r, 985) ? "01" : "03");
    snprintf(rec.political, sizeof rec.political, "%s", chance(r, 900) ? "01" : (chance(r, 500) ? "13" : "05"));
    static const char *edu[] = {"11", "14", "14", "21", "21", "21", "21", "31"};
    snprintf(rec.education, sizeof rec.education, "%s", edu[pick(r, 8)]);
    snprintf(rec.rank_level, sizeof rec.rank_level, "%s", ranks[rk].code);
    int since = year + 22 + pick(r, age - 21 > 1 ? age - 21 : 1);
    if (since > date_year(today))
        since = date_year(today);
    snprintf(rec.rank_since, sizeof rec.rank_since, "%04d-%02d-01", since, 1 + pick(r, 12));
    if (strcmp(rec.rank_since, today) > 0)
        snprintf(rec.rank_since, sizeof rec.rank_since, "%.4s-01-01", today);
    int leader = rk < 4 || rk == 8 || rk == 9 || rk == 2 || rk == 3;
    const char *post = rk == 0 || rk == 2 || rk == 8 ? posts_lead[pick(r, 8)]
                       : rk == 1 || rk == 3 || rk == 9 ? posts_dep[pick(r, 8)]
                                                       : posts_staff[pick(r, 8)];
    snprintf(rec.post, sizeof rec.post, "%s", post);
    rec.unit_id = u->id;
    rec.top_leader = (rk == 0 || rk == 2 || rk == 8) && chance(r, 25); /* about one per unit and a half */
    rec.team_member = leader && chance(r, 600);
    int lim = rk <= 3 ? (rk % 2 ? 35 : 40) : (rk == 8 ? 32 : rk == 9 ? 30 : -1);
    rec.young_talent = lim > 0 && age <= lim && chance(r, 350);
    if (leader) {
        int nd = 1 + pick(r, 3);
        for (int i = 0; i < nd; i++) {
            const char *dm = domains[pick(r, (int)GX_ARRAY_LEN(domains))];
            int dup = 0;
            for (int k = 0; k < rec.ndomains; k++)
                dup |= !strcmp(rec.domains[k], dm);
            if (!dup)
                snprintf(rec.domains[rec.ndomains++], sizeof rec.domains[0], "%s", dm);
        }
    }
    snprintf(rec.phone, sizeof rec.phone, "1%c%09llu", "3456789"[pick(r, 7)],
             (unsigned long long)(next(r) % 1000000000ull));
    int st = pick(r, 1000);
    snprintf(rec.status, sizeof rec.status, "%s", st < 950 ? "1" : st < 970 ? "2" : st < 995 ? "3" : "4");
    int64_t id = cadre_store(c->d, &rec, 0, c->now);
    if (!id)
        return -1;
    *out_id = id;
    /* history: an earlier transfer for some, the promotion to the current rank for leaders */
    if (chance(r, 400)) {
        const cunit *from = draw_unit(c);
        char date[11];
        snprintf(date, sizeof date, "%04d-%02d-15", since > year + 23 ? since - 1 : since, 1 + pick(r, 12));
        if (db_execv(c->d,
                     "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_unit_id, to_unit_id, created_at) "
                     "VALUES (?, 'transfer', ?, ?, ?, ?)",
                     DI(id), DS(date), DI(from->id), DI(u->id), DI(c->now)) != 1)
            return -1;
    }
    if (leader && rk + 1 < (int)GX_ARRAY_LEN(ranks) &&
        db_execv(c->d,
                 "INSERT INTO cadre_history (cadre_id, kind, happened_on, from_rank, to_rank, to_post, created_at) "
                 "VALUES (?, 'rank', ?, ?, ?, ?, ?)",
                 DI(id), DS(rec.rank_since), DS(ranks[rk + 1].code), DS(rec.rank_level), DS(rec.post), DI(c->now)) != 1)
        return -1;
    return 0;
}

int demo_city(db *d, int64_t ncadres, uint64_t seed, char *err, size_t errlen)
{
    city c = {.d = d, .r = {seed}, .now = gx_now()};
    char today[11];
    gx_today(today);
    seqmap seqs = {0};
    seqs.cap = 1;
    while (seqs.cap < 4 * 200000)
        seqs.cap <<= 1;
    seqs.keys = gx_calloc(seqs.cap, sizeof *seqs.keys);
    seqs.vals = gx_calloc(seqs.cap, sizeof *seqs.vals);
    int rc = -1;
    /* Secondary indexes are rebuilt once at the end: sorting a million keys
     * beats a million random B-tree inserts into each of them. Their
     * definitions are read from the database, so they always match the
     * migrations. The unique index on ID numbers is rebuilt too: its
     * rebuild fails if the generator ever produced a duplicate. */
    char *defs[32];
    size_t ndefs = 0;
    char sql[160];
    int big = ncadres >= 50000;
    if (db_kind(d) == DB_SQLITE)
        db_script(d, "PRAGMA cache_size=-262144");
    if (db_begin(d) || build_units(&c) || db_commit(d))
        goto fail;
    if (big) {
        db_res *r = db_kind(d) == DB_PG
                        ? db_queryv(d,
                                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (?, ?, ?) "
                                    "AND indexname NOT LIKE '%pkey'",
                                    DS("cadres"), DS("cadre_domains"), DS("cadre_history"))
                        : db_queryv(d,
                                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                    "AND tbl_name IN (?, ?, ?)",
                                    DS("cadres"), DS("cadre_domains"), DS("cadre_history"));
        if (!r)
            goto fail;
        char *names[32];
        while (ndefs < 32 && db_next(r) == 1) {
            names[ndefs] = gx_strdup(db_text(r, 0));
            defs[ndefs++] = gx_strdup(db_text(r, 1));
        }
        db_done(r);
        int bad = 0;
        for (size_t i = 0; i < ndefs; i++) {
            snprintf(sql, sizeof sql, "DROP INDEX %s", names[i]);
            bad |= db_script(d, sql);
            free(names[i]);
        }
        if (bad)
            goto fail;
    }
    int64_t made = 0, tries = 0;
    while (made < ncadres) {
        if (db_begin(d))
            goto fail;
        int64_t batch_end = made + 20000 < ncadres ? made + 20000 : ncadres;
        while (made < batch_end) {
            int64_t id;
            int x = add_cadre(&c, &seqs, today, &id);
            if (x < 0)
                goto fail;
            if (x == 0)
                made++;
            if (++tries > 4 * ncadres + 1000) {
                snprintf(err, errlen, "cannot draw unique ID numbers");
                db_rollback(d);
                goto out;
            }
        }
        if (db_commit(d))
            goto fail;
    }
    for (size_t i = 0; i < ndefs; i++)
        if (db_script(d, defs[i]))
            goto fail;
    /* On PostgreSQL, VACUUM also marks the new pages all-visible, so counts
     * can run index-only at once rather than after autovacuum gets there. */
    if (db_script(d, db_kind(d) == DB_PG ? "VACUUM ANALYZE" : "ANALYZE"))
        goto fail;
    rc = 0;
    goto out;
fail:
    snprintf(err, errlen, "cannot build the demo city: %s", db_errmsg(d));
    if (db_in_tx(d))
        db_rollback(d);
out:
    for (size_t i = 0; i < ndefs; i++)
        free(defs[i]);
    free(c.units);
    free(seqs.keys);
    free(seqs.vals);
    return rc;
}
