/* migrations.c - the schema, as an ordered list of migrations.
 *
 * Write SQL that both engines accept; these tokens are replaced per backend:
 *   {{PK}}   an auto-assigned 64-bit integer primary key
 *   {{C}}    byte-wise collation (COLLATE "C" on PostgreSQL; SQLite's default), so that
 *            prefix searches on text can use an index range on both engines
 * Anything that truly differs goes into the sqlite/pg parts of a migration.
 * Never edit a migration that has shipped: add a new one. */
#include "migrate.h"
#include "db_impl.h"
#include "../base/buf.h"
#include "../base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct migration {
    int version;
    const char *name;
    const char *common;
    const char *sqlite; /* may be NULL */
    const char *pg;     /* may be NULL */
} migration;

static const migration migrations[] = {
    {
        1,
        "platform: units, users, sessions, security policy, audit log",
        "CREATE TABLE units ("
        "  id {{PK}},"
        "  code TEXT NOT NULL UNIQUE,"
        "  name TEXT NOT NULL,"
        "  parent_id BIGINT REFERENCES units(id),"
        "  sort_order INTEGER NOT NULL DEFAULT 0,"
        "  version BIGINT NOT NULL DEFAULT 1"
        ");"
        "CREATE INDEX units_parent ON units(parent_id);"
        "CREATE TABLE users ("
        "  id {{PK}},"
        "  username TEXT NOT NULL UNIQUE,"
        "  display_name TEXT NOT NULL,"
        "  password_hash TEXT NOT NULL,"
        "  roles BIGINT NOT NULL,"
        "  unit_id BIGINT REFERENCES units(id),"
        "  disabled INTEGER NOT NULL DEFAULT 0,"
        "  must_change_password INTEGER NOT NULL DEFAULT 0,"
        "  failed_logins INTEGER NOT NULL DEFAULT 0,"
        "  locked_until BIGINT,"
        "  last_login_at BIGINT,"
        "  password_changed_at BIGINT,"
        "  created_at BIGINT NOT NULL,"
        "  updated_at BIGINT NOT NULL,"
        "  version BIGINT NOT NULL DEFAULT 1"
        ");"
        "CREATE INDEX users_unit ON users(unit_id);"
        "CREATE TABLE sessions ("
        "  token_hash TEXT PRIMARY KEY,"
        "  user_id BIGINT NOT NULL REFERENCES users(id),"
        "  csrf TEXT NOT NULL,"
        "  ip TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  last_seen BIGINT NOT NULL,"
        "  idle_seconds BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL"
        ");"
        "CREATE INDEX sessions_user ON sessions(user_id);"
        "CREATE INDEX sessions_expiry ON sessions(expires_at);"
        "CREATE TABLE security_policy ("
        "  id INTEGER PRIMARY KEY,"
        "  password_min_length INTEGER NOT NULL,"
        "  lock_threshold INTEGER NOT NULL,"
        "  lock_minutes INTEGER NOT NULL,"
        "  session_idle_minutes INTEGER NOT NULL,"
        "  session_max_hours INTEGER NOT NULL,"
        "  version BIGINT NOT NULL DEFAULT 1"
        ");"
        "INSERT INTO security_policy VALUES (1, 10, 5, 15, 30, 12, 1);"
        "CREATE TABLE audit_log ("
        "  id BIGINT PRIMARY KEY,"
        "  at BIGINT NOT NULL,"
        "  actor_id BIGINT,"
        "  actor TEXT NOT NULL,"
        "  ip TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  entity TEXT NOT NULL,"
        "  entity_id BIGINT,"
        "  before_json TEXT,"
        "  after_json TEXT,"
        "  prev_hash TEXT NOT NULL,"
        "  hash TEXT NOT NULL"
        ");"
        "CREATE INDEX audit_at ON audit_log(at);"
        "CREATE INDEX audit_actor ON audit_log(actor, id);"
        "CREATE INDEX audit_action ON audit_log(action, id);"
        "CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);"
        "CREATE TABLE audit_head ("
        "  id INTEGER PRIMARY KEY,"
        "  seq BIGINT NOT NULL,"
        "  hash TEXT NOT NULL"
        ");"
        "INSERT INTO audit_head VALUES (1, 0, "
        "'0000000000000000000000000000000000000000000000000000000000000000');",
        /* SQLite: the audit log is append-only */
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
        /* PostgreSQL: the same */
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;"
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();",
    },
    {
        2,
        "registry: code lists, unit tree, cadres, their domains and history, young-cadre age limits",
        "ALTER TABLE users ADD COLUMN previous_login_at BIGINT;"
        "CREATE TABLE code_items ("
        "  kind TEXT NOT NULL,"
        "  code TEXT NOT NULL,"
        "  label TEXT NOT NULL,"
        "  sort_order INTEGER NOT NULL DEFAULT 0,"
        "  active INTEGER NOT NULL DEFAULT 1,"
        "  PRIMARY KEY (kind, code)"
        ");"
        "CREATE UNIQUE INDEX code_items_label ON code_items(kind, label);"
        "ALTER TABLE units ADD COLUMN short_name TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE units ADD COLUMN type TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE units ADD COLUMN division_code TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE units ADD COLUMN active INTEGER NOT NULL DEFAULT 1;"
        "ALTER TABLE units ADD COLUMN path TEXT {{C}} NOT NULL DEFAULT '';"
        "ALTER TABLE units ADD COLUMN merged_into BIGINT REFERENCES units(id);"
        "ALTER TABLE units ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;"
        "WITH RECURSIVE t(id, path) AS ("
        "  SELECT id, '/' || CAST(id AS TEXT) || '/' FROM units WHERE parent_id IS NULL"
        "  UNION ALL SELECT u.id, t.path || CAST(u.id AS TEXT) || '/' FROM units u JOIN t ON u.parent_id = t.id)"
        "UPDATE units SET path = (SELECT path FROM t WHERE t.id = units.id);"
        "CREATE INDEX units_path ON units(path);"
        "CREATE TABLE cadres ("
        "  id {{PK}},"
        "  name TEXT {{C}} NOT NULL,"
        "  name_py TEXT {{C}} NOT NULL,"
        "  gender TEXT NOT NULL,"
        "  birth_date TEXT NOT NULL,"
        "  id_enc TEXT NOT NULL,"
        "  id_bidx TEXT NOT NULL,"
        "  id_mask TEXT NOT NULL,"
        "  ethnicity TEXT NOT NULL DEFAULT '',"
        "  political TEXT NOT NULL DEFAULT '',"
        "  education TEXT NOT NULL DEFAULT '',"
        "  unit_id BIGINT NOT NULL REFERENCES units(id),"
        "  post TEXT NOT NULL DEFAULT '',"
        "  rank_level TEXT NOT NULL,"
        "  rank_since TEXT,"
        "  top_leader INTEGER NOT NULL DEFAULT 0,"
        "  team_member INTEGER NOT NULL DEFAULT 0,"
        "  young_talent INTEGER NOT NULL DEFAULT 0,"
        "  expertise TEXT NOT NULL DEFAULT '',"
        "  phone_enc TEXT,"
        "  phone_bidx TEXT,"
        "  phone_mask TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT '1',"
        "  created_at BIGINT NOT NULL,"
        "  updated_at BIGINT NOT NULL,"
        "  version BIGINT NOT NULL DEFAULT 1"
        ");"
        "CREATE UNIQUE INDEX cadres_id_bidx ON cadres(id_bidx);"
        "CREATE INDEX cadres_unit_name ON cadres(unit_id, name, name_py);"
        "CREATE INDEX cadres_name ON cadres(name);"
        "CREATE INDEX cadres_unit_py ON cadres(unit_id, name_py, name);"
        "CREATE INDEX cadres_py ON cadres(name_py, name);"
        "CREATE INDEX cadres_phone ON cadres(phone_bidx);"
        "CREATE INDEX cadres_rank ON cadres(rank_level, status, birth_date, name_py, name);"
        "CREATE INDEX cadres_young ON cadres(status, birth_date, name_py) WHERE young_talent = 1;"
        "CREATE INDEX cadres_top ON cadres(status, unit_id, name_py) WHERE top_leader = 1;"
        "CREATE INDEX cadres_team ON cadres(status, unit_id, name_py) WHERE team_member = 1;"
        "CREATE INDEX cadres_birth ON cadres(birth_date);"
        "CREATE INDEX cadres_status_unit ON cadres(status, unit_id);"
        /* unit_id, rank_level, status and the name sort keys are copies of the
         * cadre's (cadre_store writes them all; a unit merge moves unit_id),
         * so a domain filter's count and page come from one index range */
        "CREATE TABLE cadre_domains ("
        "  cadre_id BIGINT NOT NULL REFERENCES cadres(id),"
        "  domain TEXT NOT NULL,"
        "  rank_level TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT '',"
        "  name_py TEXT {{C}} NOT NULL DEFAULT '',"
        "  name TEXT {{C}} NOT NULL DEFAULT '',"
        "  unit_id BIGINT NOT NULL DEFAULT 0,"
        "  PRIMARY KEY (cadre_id, domain)"
        ");"
        "CREATE INDEX cadre_domains_domain ON cadre_domains(domain, rank_level, status, name_py, name, cadre_id, unit_id);"
        "CREATE TABLE cadre_history ("
        "  id {{PK}},"
        "  cadre_id BIGINT NOT NULL REFERENCES cadres(id),"
        "  kind TEXT NOT NULL,"
        "  happened_on TEXT NOT NULL,"
        "  from_unit_id BIGINT REFERENCES units(id),"
        "  to_unit_id BIGINT REFERENCES units(id),"
        "  from_rank TEXT,"
        "  to_rank TEXT,"
        "  from_post TEXT,"
        "  to_post TEXT,"
        "  note TEXT NOT NULL DEFAULT '',"
        "  created_at BIGINT NOT NULL"
        ");"
        "CREATE INDEX cadre_history_cadre ON cadre_history(cadre_id, happened_on);"
        "CREATE TABLE young_age_limits ("
        "  id {{PK}},"
        "  rank_level TEXT NOT NULL,"
        "  max_age INTEGER NOT NULL,"
        "  effective_from TEXT NOT NULL,"
        "  effective_to TEXT"
        ");"
        "INSERT INTO young_age_limits (rank_level, max_age, effective_from) VALUES"
        "  ('121', 45, '2000-01-01'), ('122', 42, '2000-01-01'), ('131', 40, '2000-01-01'),"
        "  ('132', 35, '2000-01-01'), ('141', 32, '2000-01-01'), ('142', 30, '2000-01-01');"
        "INSERT INTO code_items (kind, code, label, sort_order) VALUES"
        "  ('gender', '0', '未知的性别', 0), ('gender', '1', '男', 1), ('gender', '2', '女', 2), ('gender', '9', '未说明的性别', 3),"
        "  ('political', '01', '中共党员', 0), ('political', '02', '中共预备党员', 1), ('political', '03', '共青团员', 2), ('political', '04', '民革党员', 3),"
        "  ('political', '05', '民盟盟员', 4), ('political', '06', '民建会员', 5), ('political', '07', '民进会员', 6), ('political', '08', '农工党党员', 7),"
        "  ('political', '09', '致公党党员', 8), ('political', '10', '九三学社社员', 9), ('political', '11', '台盟盟员', 10), ('political', '12', '无党派人士', 11),"
        "  ('political', '13', '群众', 12), ('ethnicity', '01', '汉族', 0), ('ethnicity', '02', '蒙古族', 1), ('ethnicity', '03', '回族', 2),"
        "  ('ethnicity', '04', '藏族', 3), ('ethnicity', '05', '维吾尔族', 4), ('ethnicity', '06', '苗族', 5), ('ethnicity', '07', '彝族', 6),"
        "  ('ethnicity', '08', '壮族', 7), ('ethnicity', '09', '布依族', 8), ('ethnicity', '10', '朝鲜族', 9), ('ethnicity', '11', '满族', 10),"
        "  ('ethnicity', '12', '侗族', 11), ('ethnicity', '13', '瑶族', 12), ('ethnicity', '14', '白族', 13), ('ethnicity', '15', '土家族', 14),"
        "  ('ethnicity', '16', '哈尼族', 15), ('ethnicity', '17', '哈萨克族', 16), ('ethnicity', '18', '傣族', 17), ('ethnicity', '19', '黎族', 18),"
        "  ('ethnicity', '20', '傈僳族', 19), ('ethnicity', '21', '佤族', 20), ('ethnicity', '22', '畲族', 21), ('ethnicity', '23', '高山族', 22),"
        "  ('ethnicity', '24', '拉祜族', 23), ('ethnicity', '25', '水族', 24), ('ethnicity', '26', '东乡族', 25), ('ethnicity', '27', '纳西族', 26),"
        "  ('ethnicity', '28', '景颇族', 27), ('ethnicity', '29', '柯尔克孜族', 28), ('ethnicity', '30', '土族', 29), ('ethnicity', '31', '达斡尔族', 30),"
        "  ('ethnicity', '32', '仫佬族', 31), ('ethnicity', '33', '羌族', 32), ('ethnicity', '34', '布朗族', 33), ('ethnicity', '35', '撒拉族', 34),"
        "  ('ethnicity', '36', '毛南族', 35), ('ethnicity', '37', '仡佬族', 36), ('ethnicity', '38', '锡伯族', 37), ('ethnicity', '39', '阿昌族', 38),"
        "  ('ethnicity', '40', '普米族', 39), ('ethnicity', '41', '塔吉克族', 40), ('ethnicity', '42', '怒族', 41), ('ethnicity', '43', '乌孜别克族', 42),"
        "  ('ethnicity', '44', '俄罗斯族', 43), ('ethnicity', '45', '鄂温克族', 44), ('ethnicity', '46', '德昂族', 45), ('ethnicity', '47', '保安族', 46),"
        "  ('ethnicity', '48', '裕固族', 47), ('ethnicity', '49', '京族', 48), ('ethnicity', '50', '塔塔尔族', 49), ('ethnicity', '51', '独龙族', 50),"
        "  ('ethnicity', '52', '鄂伦春族', 51), ('ethnicity', '53', '赫哲族', 52), ('ethnicity', '54', '门巴族', 53), ('ethnicity', '55', '珞巴族', 54),"
        "  ('ethnicity', '56', '基诺族', 55), ('ethnicity', '97', '其他', 56), ('ethnicity', '98', '外国血统中国籍人士', 57), ('education', '11', '博士研究生', 0),"
        "  ('education', '14', '硕士研究生', 1), ('education', '21', '大学本科', 2), ('education', '31', '大学专科', 3), ('education', '41', '中等专科', 4),"
        "  ('education', '61', '高中', 5), ('education', '71', '初中及以下', 6), ('rank_level', '121', '厅局级正职', 0), ('rank_level', '122', '厅局级副职', 1),"
        "  ('rank_level', '131', '县处级正职', 2), ('rank_level', '132', '县处级副职', 3), ('rank_level', '141', '乡科级正职', 4), ('rank_level', '142', '乡科级副职', 5),"
        "  ('rank_level', '150', '科员级', 6), ('rank_level', '160', '办事员级', 7), ('rank_level', '199', '未定职', 8), ('rank_level', 'Z11', '一级巡视员', 9),"
        "  ('rank_level', 'Z12', '二级巡视员', 10), ('rank_level', 'Z21', '一级调研员', 11), ('rank_level', 'Z22', '二级调研员', 12), ('rank_level', 'Z23', '三级调研员', 13),"
        "  ('rank_level', 'Z24', '四级调研员', 14), ('rank_level', 'Z31', '一级主任科员', 15), ('rank_level', 'Z32', '二级主任科员', 16), ('rank_level', 'Z33', '三级主任科员', 17),"
        "  ('rank_level', 'Z34', '四级主任科员', 18), ('rank_level', 'Z41', '一级科员', 19), ('rank_level', 'Z42', '二级科员', 20), ('unit_type', 'party', '党委部门', 0),"
        "  ('unit_type', 'gov', '政府部门', 1), ('unit_type', 'npc_cppcc', '人大政协', 2), ('unit_type', 'mass', '群团', 3), ('unit_type', 'judicial', '法检机关', 4),"
        "  ('unit_type', 'institution', '事业单位', 5), ('unit_type', 'soe', '国有企业', 6), ('unit_type', 'school', '高校和党校', 7), ('unit_type', 'county', '县(市、区)', 8),"
        "  ('unit_type', 'town', '乡镇(街道)', 9), ('unit_type', 'other', '其他', 10), ('domain', 'ideology', '意识形态', 0), ('domain', 'ecology', '生态环境', 1),"
        "  ('domain', 'finance_risk', '金融风险', 2), ('domain', 'petition', '信访矛盾', 3), ('domain', 'investment', '招商引资', 4), ('domain', 'projects', '项目建设', 5),"
        "  ('domain', 'emergency', '处置突发事件', 6), ('domain', 'rural', '乡村振兴', 7), ('domain', 'urban', '城市建设管理', 8), ('domain', 'education', '教育', 9),"
        "  ('domain', 'health', '卫生健康', 10), ('domain', 'safety', '安全生产', 11), ('domain', 'rule_of_law', '法治建设', 12), ('domain', 'party_building', '党的建设', 13),"
        "  ('domain', 'economy', '经济发展', 14), ('domain', 'culture_tourism', '文化旅游', 15), ('domain', 'technology', '科技创新', 16), ('domain', 'social', '民生保障', 17),"
        "  ('cadre_status', '1', '在职', 0), ('cadre_status', '2', '调出', 1), ('cadre_status', '3', '退休', 2), ('cadre_status', '4', '去世', 3);",
        NULL,
        NULL,
    },
    {
        3,
        "list shapes: cadre_domains copies the filtered columns; (domain, unit) and (gender, political) indexes",
        /* A domain filter with a flag, an age bound, gender or political
         * status is then counted and paged on cadre_domains' covering index
         * alone, like the domain filters before it (cadre_store writes the
         * copies). The index keeps its old leading columns. */
        "ALTER TABLE cadre_domains ADD COLUMN gender TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE cadre_domains ADD COLUMN political TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE cadre_domains ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE cadre_domains ADD COLUMN top_leader INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE cadre_domains ADD COLUMN team_member INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE cadre_domains ADD COLUMN young_talent INTEGER NOT NULL DEFAULT 0;"
        "UPDATE cadre_domains SET gender = c.gender, political = c.political, birth_date = c.birth_date,"
        "  top_leader = c.top_leader, team_member = c.team_member, young_talent = c.young_talent"
        "  FROM cadres c WHERE c.id = cadre_domains.cadre_id;"
        "DROP INDEX cadre_domains_domain;"
        "CREATE INDEX cadre_domains_domain ON cadre_domains(domain, rank_level, status, name_py, name, cadre_id,"
        "  unit_id, birth_date, gender, political, top_leader, team_member, young_talent);"
        /* a domain list limited to a unit, a subtree or a liaison's scope
         * probes each of its units instead of scanning the whole domain */
        "CREATE INDEX cadre_domains_unit ON cadre_domains(unit_id, domain, status, rank_level, name_py, name, cadre_id);"
        /* gender and political status alone match most people: counted on
         * this index, and paged on it in name order */
        "CREATE INDEX cadres_gender_political ON cadres(gender, political, name_py, name, id);",
        NULL,
        NULL,
    },
    {
        4,
        "security hardening: authenticated audit head, unknown-username lockout, per-address login throttle, "
        "liaison import row limit",
        /* HMAC of (seq, hash) under a key derived from the master key: a head
         * rewritten without the key no longer verifies ('' until the first
         * append after this migration; audit.c seals it once). */
        "ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';"
        /* failed logins of usernames that have no account, counted and
         * locked like an account's (users.failed_logins, users.locked_until) */
        "CREATE TABLE login_unknown ("
        "  username TEXT PRIMARY KEY,"
        "  failed_logins INTEGER NOT NULL DEFAULT 0,"
        "  locked_until BIGINT"
        ");"
        "CREATE INDEX login_unknown_lock ON login_unknown(locked_until);"
        /* failed password attempts per client address (account/throttle.c) */
        "CREATE TABLE login_throttle ("
        "  ip TEXT PRIMARY KEY,"
        "  window_start BIGINT NOT NULL,"
        "  failures INTEGER NOT NULL DEFAULT 0,"
        "  strikes INTEGER NOT NULL DEFAULT 0,"
        "  blocked_until BIGINT NOT NULL DEFAULT 0,"
        "  last_failure BIGINT NOT NULL"
        ");"
        "CREATE INDEX login_throttle_last ON login_throttle(last_failure);"
        /* the most rows a unit liaison may import at once (cadre/import.c) */
        "ALTER TABLE security_policy ADD COLUMN import_max_rows_liaison INTEGER NOT NULL DEFAULT 1000;",
        NULL,
        NULL,
    },
    {
        5,
        "exact identifier lookups: a budget per account and minute, its limit in the security policy",
        /* lookups.c: one row per account, the minute (Unix time / 60) and
         * how many exact ID-number / phone lookups it has made in it */
        "CREATE TABLE lookup_budget ("
        "  user_id BIGINT PRIMARY KEY,"
        "  minute BIGINT NOT NULL,"
        "  used INTEGER NOT NULL"
        ");"
        "ALTER TABLE security_policy ADD COLUMN lookup_limit_per_minute INTEGER NOT NULL DEFAULT 30;",
        NULL,
        NULL,
    },
    {
        6,
        "masks that really hide: the birth month only in clear, the ID number masked to its region",
        /* Beside the region and the last four digits of the old mask, a clear
         * birth date left one candidate for the ID number (issue 7 #1). The
         * full date stays in the sealed ID number. Audit entries written
         * before this migration keep the form they were written in. */
        "UPDATE cadres SET birth_date = substr(birth_date, 1, 7), id_mask = substr(id_mask, 1, 6) || '************';"
        "UPDATE cadre_domains SET birth_date = substr(birth_date, 1, 7);",
        NULL,
        NULL,
    },
    {
        7,
        "personal data encryption: algorithm (AES or SM) and key generation, key rotation progress",
        /* cadre/rekey.c: one row. algorithm is chosen at the first start
         * ('aes' or 'sm'; NULL until then); a rotation sets next_algorithm
         * and next_generation, moves cursor (the last cadre id re-sealed)
         * and counts resealed, then makes next the active state */
        "CREATE TABLE crypto_state ("
        "  id INTEGER PRIMARY KEY CHECK (id = 1),"
        "  algorithm TEXT,"
        "  generation INTEGER NOT NULL DEFAULT 1,"
        "  next_algorithm TEXT,"
        "  next_generation INTEGER,"
        "  cursor BIGINT NOT NULL DEFAULT 0,"
        "  resealed BIGINT NOT NULL DEFAULT 0,"
        "  started_at BIGINT,"
        /* the audit chain's MAC, fixed with the chain's first entry:
         * 'hmac-sha256' or 'hmac-sm3' (NULL until chosen) */
        "  audit_mac TEXT"
        ");"
        "INSERT INTO crypto_state (id) VALUES (1);",
        NULL,
        NULL,
    },
};

int migrate_latest(void) { return migrations[GX_ARRAY_LEN(migrations) - 1].version; }

static char *expand(const char *sql, int kind)
{
    buf b = BUF_INIT((size_t)16 << 20);
    const char *pk = kind == DB_PG ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                                   : "INTEGER PRIMARY KEY";
    while (*sql) {
        if (!strncmp(sql, "{{PK}}", 6)) {
            buf_puts(&b, pk);
            sql += 6;
        } else if (!strncmp(sql, "{{C}}", 5)) {
            buf_puts(&b, kind == DB_PG ? "COLLATE \"C\"" : "");
            sql += 5;
        } else {
            buf_putc(&b, *sql++);
        }
    }
    return buf_detach(&b, NULL);
}

static const char create_meta[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "  version INTEGER PRIMARY KEY,"
                                   "  name TEXT NOT NULL,"
                                   "  applied_at BIGINT NOT NULL)";

int migrate_current(db *d)
{
    if (db_script(d, create_meta))
        return -1;
    int64_t v = 0;
    if (db_scalar(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v) < 0)
        return -1;
    return (int)v;
}

int migrate_run(db *d, char *err, size_t errlen)
{
    if (db_script(d, create_meta)) {
        snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(d));
        return -1;
    }
    if (db_begin(d)) {
        snprintf(err, errlen, "cannot begin: %s", db_errmsg(d));
        return -1;
    }
    int applied = 0;
    if (db_kind(d) == DB_PG && db_script(d, "SELECT pg_advisory_xact_lock(7207001)"))
        goto fail;
    int64_t cur = 0;
    if (db_scalar(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &cur) < 0)
        goto fail;
    if (cur > migrate_latest()) {
        db_rollback(d);
        snprintf(err, errlen, "database schema version %lld is newer than this binary knows (%d)",
                 (long long)cur, migrate_latest());
        return -1;
    }
    for (size_t i = 0; i < GX_ARRAY_LEN(migrations); i++) {
        const migration *m = &migrations[i];
        if (m->version <= cur)
            continue;
        const char *parts[] = {m->common, db_kind(d) == DB_PG ? m->pg : m->sqlite};
        for (size_t j = 0; j < 2; j++) {
            if (!parts[j])
                continue;
            char *sql = expand(parts[j], db_kind(d));
            int rc = db_script(d, sql);
            free(sql);
            if (rc) {
                snprintf(err, errlen, "migration %d (%s) failed: %s", m->version, m->name, db_errmsg(d));
                db_rollback(d);
                return -1;
            }
        }
        if (db_execv(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     DI(m->version), DS(m->name), DI(gx_now())) < 0)
            goto fail;
        applied++;
    }
    if (db_commit(d)) {
        snprintf(err, errlen, "cannot commit migrations: %s", db_errmsg(d));
        return -1;
    }
    return applied;
fail:
    snprintf(err, errlen, "migration failed: %s", db_errmsg(d));
    db_rollback(d);
    return -1;
}
