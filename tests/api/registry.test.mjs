// Registry: units, cadres, scope, search, import and export — black box, on
// the backend GANXUN_TEST_DB names (both run in `make test`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client, DEMO_PASSWORD, BACKEND } from '../lib/server.mjs';
import { xlsx, zip, sheetXml } from '../lib/xlsx.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A valid resident ID number (GB 11643) for a division, birth date and sequence. */
export function idNumber(div, ymd, seq) {
  const d17 = `${div}${ymd.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return d17 + '10X98765432'[sum % 11];
}

/** GB18030 bytes of a string, via iconv (glibc). */
function gb18030(text) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
}

let srv;
let org; // orgadmin client
let units; // code -> unit
let seq = 100;
const nextId = (div = '321002', ymd = '1985-06-15') => idNumber(div, ymd, seq++);

async function login(user) {
  const c = new Client(srv.url);
  await c.login(user, DEMO_PASSWORD);
  return c;
}

async function count(c, query = '') {
  const r = await c.get(`/api/v1/cadres?page_size=1${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

before(async () => {
  srv = await startServer({ demo: 300 });
  org = await login('orgadmin');
  const r = await org.get('/api/v1/units?page_size=200');
  const r2 = await org.get('/api/v1/units?page_size=200&page=2');
  units = Object.fromEntries([...r.json.items, ...r2.json.items].map((u) => [u.code, u]));
  assert.ok(units['321002'] && units['321003'] && units['321000-ZF02'], 'demo city units');
});

after(async () => { await srv?.stop(); });

describe('code lists', () => {
  it('serves every list with codes and Chinese labels', async () => {
    const r = await org.get('/api/v1/codes');
    assert.equal(r.status, 200);
    for (const k of ['gender', 'political', 'ethnicity', 'education', 'rank_level', 'unit_type', 'domain', 'cadre_status'])
      assert.ok(r.json[k].length > 1, k);
    assert.ok(r.json.rank_level.find((x) => x.code === '131' && x.label === '县处级正职'));
    assert.ok(r.json.rank_level.find((x) => x.label === '四级调研员'));
    assert.equal((await org.get('/api/v1/codes?kind=political')).json.political[0].label, '中共党员');
    assert.equal((await org.get('/api/v1/codes?kind=nope')).status, 404);
  });

  it('lets the organisation department manage domains and unit types, not the national standards', async () => {
    const add = await org.put('/api/v1/codes', { kind: 'domain', code: 'data_gov', label: '数据治理' });
    assert.equal(add.status, 200, add.text);
    assert.ok((await org.get('/api/v1/codes?kind=domain')).json.domain.find((x) => x.code === 'data_gov'));
    const off = await org.put('/api/v1/codes', { kind: 'domain', code: 'data_gov', label: '数据治理', active: false });
    assert.equal(off.json.active, false);
    assert.ok(!(await org.get('/api/v1/codes?kind=domain')).json.domain.find((x) => x.code === 'data_gov'));
    const std = await org.put('/api/v1/codes', { kind: 'political', code: '99', label: '新党派' });
    assert.equal(std.status, 400);
    assert.ok(std.json.error.fields.kind);
    const dupLabel = await org.put('/api/v1/codes', { kind: 'domain', code: 'eco2', label: '生态环境' });
    assert.equal(dupLabel.status, 409);
    const liaison = await login('liaison');
    assert.equal((await liaison.put('/api/v1/codes', { kind: 'domain', code: 'x', label: 'x' })).status, 403);
  });
});

describe('unit tree', () => {
  it('builds the tree with cadre counts that add up', async () => {
    const r = await org.get('/api/v1/units/tree');
    assert.equal(r.status, 200);
    const root = r.json.items.find((u) => u.code === '321000');
    const sum = (n) => n.cadre_count + n.children.reduce((s, k) => s + sum(k), 0);
    assert.equal(root.cadre_total, sum(root));
    const inService = await count(org, '&status=1');
    assert.equal(root.cadre_total, inService);
    const names = root.children.map((u) => u.name);
    for (const county of ['广陵区', '邗江区', '江都区', '宝应县', '仪征市', '高邮市']) assert.ok(names.includes(county), county);
  });

  it('creates, edits, moves and merges units, and validates them', async () => {
    const bad = await org.post('/api/v1/units', { code: '', name: '', parent_id: 'x' });
    assert.equal(bad.status, 400);
    for (const f of ['code', 'name', 'parent_id']) assert.ok(bad.json.error.fields[f], f);
    const typed = await org.post('/api/v1/units', { code: 'bad code!', name: '测试', type: 'zzz', division_code: '12', parent_id: units['321002'].id });
    assert.equal(typed.status, 400);
    for (const f of ['code', 'type', 'division_code']) assert.ok(typed.json.error.fields[f], f);

    const a = await org.post('/api/v1/units', { code: 'T-A', name: '测试甲', parent_id: units['321002'].id, type: 'town', division_code: '321002' });
    assert.equal(a.status, 201, a.text);
    const dup = await org.post('/api/v1/units', { code: 'T-A', name: '重复', parent_id: units['321002'].id });
    assert.equal(dup.status, 409);
    assert.ok(dup.json.error.fields.code);
    const b = await org.post('/api/v1/units', { code: 'T-B', name: '测试乙', parent_id: a.json.id });
    assert.equal(b.status, 201);

    const e1 = await org.patch(`/api/v1/units/${a.json.id}`, { version: 1, short_name: '甲' });
    assert.equal(e1.status, 200);
    assert.equal(e1.json.version, 2);
    const stale = await org.patch(`/api/v1/units/${a.json.id}`, { version: 1, short_name: '乙' });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.error.code, 'version_conflict');

    // a unit cannot move under itself or its descendants
    const loop = await org.post(`/api/v1/units/${a.json.id}/move`, { version: 2, parent_id: b.json.id });
    assert.equal(loop.status, 400);
    const mv = await org.post(`/api/v1/units/${a.json.id}/move`, { version: 2, parent_id: units['321003'].id });
    assert.equal(mv.status, 200, mv.text);
    assert.equal(mv.json.parent_id, units['321003'].id);
    // the child moved with it
    const within = await org.get(`/api/v1/units?within=${units['321003'].id}&page_size=200`);
    assert.ok(within.json.items.find((u) => u.id === b.json.id));

    // a cadre in B, then merge B into 邗江区's first town: cadre follows, history kept
    const town = Object.values(units).find((u) => u.code === '321003-T01');
    const c = await org.post('/api/v1/cadres', { name: '合并人', id_number: nextId(), unit_id: b.json.id, rank_level: '142', domains: ['safety'] });
    assert.equal(c.status, 201, c.text);
    // an account bound to B (the account area's unit hook moves it)
    const sys = await login('sysadmin');
    const acct = await sys.post('/api/v1/users', { username: 'merge.liaison', display_name: '合并专管员', roles: ['liaison'], unit_id: b.json.id, password: 'Merge#Passw0rd!' });
    assert.equal(acct.status, 201, acct.text);
    const bNow = await org.get(`/api/v1/units/${b.json.id}`);
    assert.equal(bNow.json.cadre_count, 1);
    const m = await org.post(`/api/v1/units/${b.json.id}/merge`, { version: bNow.json.version, into_id: town.id, date: '2026-10-01' });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.active, false);
    assert.equal(m.json.merged_into, town.id);
    const moved = await org.get(`/api/v1/cadres/${c.json.id}`);
    assert.equal(moved.json.unit_id, town.id);
    const acctNow = await sys.get(`/api/v1/users/${acct.json.id}`);
    assert.equal(acctNow.json.unit_id, town.id, 'accounts follow the merge');
    assert.equal(acctNow.json.version, acct.json.version + 1);
    const byDomain = await org.get(`/api/v1/cadres?domain=safety&unit_id=${town.id}&subtree=false`);
    assert.ok(byDomain.json.items.find((x) => x.id === c.json.id), 'domain lists follow the merge');
    // a merged unit takes nothing new
    const intoMerged = await org.post('/api/v1/cadres', { name: '不能进', id_number: nextId(), unit_id: b.json.id, rank_level: '142' });
    assert.equal(intoMerged.status, 400);
    assert.match(intoMerged.json.error.fields.unit_id, /已停用或已合并/);
    const under = await org.post('/api/v1/units', { code: 'T-C', name: '挂不上', parent_id: b.json.id });
    assert.equal(under.status, 400);
    const self = await org.post(`/api/v1/units/${town.id}/merge`, { version: town.version, into_id: town.id });
    assert.equal(self.status, 400);
    assert.match(self.json.error.fields.into_id, /本单位/);
    const selfMove = await org.post(`/api/v1/units/${town.id}/move`, { version: town.version, parent_id: town.id });
    assert.equal(selfMove.status, 400);
    assert.match(selfMove.json.error.fields.parent_id, /本单位/);
    const h = await org.get(`/api/v1/cadres/${c.json.id}/history`);
    const t = h.json.items.find((x) => x.kind === 'transfer');
    assert.equal(t.from_unit_id, b.json.id);
    assert.equal(t.date, '2026-10-01');
    assert.equal(t.from_unit_name, '测试乙');
  });
});

describe('cadre records', () => {
  it('validates every field with Chinese messages naming the field', async () => {
    const r = await org.post('/api/v1/cadres', {
      name: '某某', id_number: '321002198001010019', unit_id: units['321002'].id, rank_level: '999',
      phone: '12345', domains: ['nope'], political: '99', rank_since: '2030-01-01',
    });
    assert.equal(r.status, 400);
    const f = r.json.error.fields;
    for (const k of ['id_number', 'rank_level', 'phone', 'domains', 'political', 'rank_since']) assert.ok(f[k], k);
    const typed = await org.post('/api/v1/cadres', { name: '', unit_id: 'x', top_leader: 'yes', domains: 'a', extra: 1 });
    assert.equal(typed.status, 400);
    for (const k of ['name', 'unit_id', 'top_leader', 'domains', 'extra']) assert.ok(typed.json.error.fields[k], k);
    assert.match(f.id_number, /校验位/);

    const id = nextId('321002', '1980-01-01');
    const mismatch = await org.post('/api/v1/cadres', {
      name: '某', id_number: id, birth_date: '1981-01-01', gender: id[16] % 2 ? '2' : '1', unit_id: units['321002'].id, rank_level: '131',
    });
    assert.equal(mismatch.status, 400);
    assert.ok(mismatch.json.error.fields.birth_date && mismatch.json.error.fields.gender);
    const missing = await org.post('/api/v1/cadres', { name: '某' });
    assert.equal(missing.status, 400);
    for (const k of ['id_number', 'rank_level', 'unit_id']) assert.ok(missing.json.error.fields[k], k);
  });

  it('stores the ID number and phone encrypted, shows them masked, reveals them audited', async () => {
    const id = nextId('321003', '1990-03-04');
    const r = await org.post('/api/v1/cadres', {
      name: '王建华', id_number: id.toLowerCase(), unit_id: units['321003'].id, rank_level: '县处级副职',
      phone: '138-1234-5678', domains: ['ecology', '招商引资'], top_leader: true, political: '中共党员', status: '1',
    });
    assert.equal(r.status, 201, r.text);
    const c = r.json;
    assert.equal(c.id_number, `${id.slice(0, 6)}************`);
    assert.equal(c.phone, '138****5678');
    assert.equal(c.birth_month, '1990-03');
    assert.equal(c.gender, Number(id[16]) % 2 ? '1' : '2');
    assert.equal(c.rank_level, '132');
    assert.deepEqual(c.domains.sort(), ['ecology', 'investment']);
    assert.equal(c.political, '01');
    assert.equal(typeof c.age, 'number');
    // nothing readable in the database file
    if (BACKEND === 'sqlite') {
      const dbfile = srv.env.GANXUN_DB.slice('sqlite:'.length);
      const dump = execFileSync('sqlite3', [dbfile, `SELECT * FROM cadres WHERE id = ${c.id}`], { encoding: 'utf8' });
      assert.ok(!dump.includes(id) && !dump.includes('13812345678'));
    }
    const dup = await org.post('/api/v1/cadres', { name: '重复', id_number: id, unit_id: units['321003'].id, rank_level: '131' });
    assert.equal(dup.status, 409);
    assert.ok(dup.json.error.fields.id_number);

    const rev = await org.post(`/api/v1/cadres/${c.id}/reveal`);
    assert.equal(rev.status, 200);
    assert.equal(rev.json.id_number, id);
    assert.equal(rev.json.phone, '13812345678');
    const noCsrf = await org.post(`/api/v1/cadres/${c.id}/reveal`, undefined, { 'x-csrf-token': 'nope' });
    assert.equal(noCsrf.status, 403);
    // the reveal is in the audit log
    const aud = new Client(srv.url);
    await aud.login('auditor', DEMO_PASSWORD);
    const log = await aud.get(`/api/v1/audit?action=cadre.reveal&entity_id=${c.id}`);
    assert.equal(log.json.total, 1);
    assert.equal(log.json.items[0].actor, 'orgadmin');
    // no audit entry carries an ID number or phone in clear text
    const all = await aud.get('/api/v1/audit?entity=cadre&page_size=200');
    assert.ok(!all.text.includes(id) && !all.text.includes('13812345678'));
  });

  it('records transfers and promotions in the history; stale versions conflict', async () => {
    const r = await org.post('/api/v1/cadres', { name: '调动人', id_number: nextId(), unit_id: units['321002'].id, rank_level: '142', post: '副科长' });
    const id = r.json.id;
    const p = await org.patch(`/api/v1/cadres/${id}`, { version: 1, unit_id: units['321003'].id, rank_level: '141', post: '科长', changed_on: '2026-09-01' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.version, 2);
    const stale = await org.patch(`/api/v1/cadres/${id}`, { version: 1, post: '又改' });
    assert.equal(stale.status, 409);
    assert.equal((await org.get(`/api/v1/cadres/${id}`)).json.post, '科长');
    const h = (await org.get(`/api/v1/cadres/${id}/history`)).json.items;
    const tr = h.find((x) => x.kind === 'transfer');
    assert.equal(tr.from_unit_id, units['321002'].id);
    assert.equal(tr.to_unit_id, units['321003'].id);
    assert.equal(tr.date, '2026-09-01');
    const rk = h.find((x) => x.kind === 'rank');
    assert.equal(rk.from_rank, '142');
    assert.equal(rk.to_rank, '141');
    // a patch keeps what it does not name (domains, phone, flags)
    const q = await org.patch(`/api/v1/cadres/${id}`, { version: 2, expertise: '经济' });
    assert.equal(q.status, 200);
    assert.equal(q.json.unit_id, units['321003'].id);
  });

  it('derives age and young-cadre eligibility from the configured limits', async () => {
    const young = await org.post('/api/v1/cadres', { name: '青年', id_number: nextId('321002', '2000-01-01'), unit_id: units['321002'].id, rank_level: '142' });
    assert.equal(young.json.young_eligible, true); // 乡科级副职 limit 30
    const old = await org.post('/api/v1/cadres', { name: '资深', id_number: nextId('321002', '1970-01-01'), unit_id: units['321002'].id, rank_level: '142' });
    assert.equal(old.json.young_eligible, false);
  });

  it('changes the limits as data with effective dates, keeping the old rule', async () => {
    const lim = await org.get('/api/v1/young-age-limits');
    const cur = lim.json.items.find((x) => x.rank_level === '142' && x.effective_to === null);
    assert.equal(cur.max_age, 30);
    const bad = await org.post('/api/v1/young-age-limits', { rank_level: '999', max_age: 30, effective_from: '2020-13-01' });
    assert.equal(bad.status, 400);
    for (const f of ['rank_level', 'effective_from']) assert.ok(bad.json.error.fields[f], f);
    const range = await org.post('/api/v1/young-age-limits', { rank_level: '142', max_age: 10, effective_from: '2020-01-01' });
    assert.ok(range.json.error.fields.max_age);
    const early = await org.post('/api/v1/young-age-limits', { rank_level: '142', max_age: 25, effective_from: '1999-01-01' });
    assert.equal(early.status, 400);
    const r = await org.post('/api/v1/young-age-limits', { rank_level: '142', max_age: 25, effective_from: '2020-01-01' });
    assert.equal(r.status, 201, r.text);
    const all = (await org.get('/api/v1/young-age-limits')).json.items.filter((x) => x.rank_level === '142');
    assert.deepEqual(all.map((x) => [x.max_age, x.effective_from, x.effective_to]), [[30, '2000-01-01', '2020-01-01'], [25, '2020-01-01', null]]);
    const c = await org.post('/api/v1/cadres', { name: '规则', id_number: nextId('321002', '1999-06-01'), unit_id: units['321002'].id, rank_level: '142' });
    assert.equal(c.json.young_eligible, false); // 27 > 25 under the new rule
    const liaison = await login('liaison');
    assert.equal((await liaison.post('/api/v1/young-age-limits', { rank_level: '142', max_age: 20, effective_from: '2021-01-01' })).status, 403);
  });
});

describe('search and lists', () => {
  let target;
  before(async () => {
    const r = await org.post('/api/v1/cadres', {
      name: '欧阳明远', id_number: nextId('321084', '1988-08-08'), unit_id: units['321084'].id, rank_level: '141',
      phone: '13900001234', domains: ['petition'], young_talent: true, team_member: true,
    });
    assert.equal(r.status, 201, r.text);
    target = r.json;
  });

  it('finds by name prefix, pinyin initials, ID number and phone', async () => {
    const ids = async (q) => (await org.get(`/api/v1/cadres?q=${encodeURIComponent(q)}&page_size=200`)).json.items.map((c) => c.id);
    assert.ok((await ids('欧阳明')).includes(target.id));
    assert.ok((await ids('oym')).includes(target.id));
    assert.ok((await ids('OYMY')).includes(target.id));
    const rev = await org.post(`/api/v1/cadres/${target.id}/reveal`);
    assert.deepEqual(await ids(rev.json.id_number), [target.id]);
    assert.deepEqual(await ids('139-0000-1234'), [target.id]);
    assert.ok(!(await ids('欧阳明远X')).includes(target.id));
  });

  it('filters by unit subtree, rank, flags, domain, age, status and paginates', async () => {
    const base = `/api/v1/cadres?unit_id=${units['321084'].id}`;
    const sub = await org.get(`${base}&page_size=200`);
    const own = await org.get(`${base}&subtree=false&page_size=200`);
    assert.ok(sub.json.total >= own.json.total);
    assert.ok(own.json.items.every((c) => c.unit_id === units['321084'].id));
    const f = await org.get(`${base}&rank_level=141,142&young_talent=true&team_member=true&domain=petition&age_min=30&age_max=45&status=1`);
    assert.ok(f.json.items.find((c) => c.id === target.id));
    assert.ok(f.json.items.every((c) => ['141', '142'].includes(c.rank_level) && c.young_talent && c.age >= 30 && c.age <= 45));
    // domain-only lists take a shortcut through cadre_domains: same answers as the general path
    const county = units['321084'].id;
    for (const q of ['domain=ecology', 'domain=ecology,investment&rank_level=141,142&status=1', 'domain=petition&order=desc',
      `domain=petition&unit_id=${county}`, `domain=ecology,petition&unit_id=${county}&subtree=false`]) {
      const fast = await org.get(`/api/v1/cadres?${q}&page_size=200`);
      const general = await org.get(`/api/v1/cadres?${q}&page_size=200&age_min=0`);
      assert.equal(fast.status, 200, fast.text);
      assert.equal(fast.json.total, general.json.total, q);
      assert.deepEqual(fast.json.items.map((c) => c.id), general.json.items.map((c) => c.id), q);
      if (!q.includes('subtree=false')) assert.ok(fast.json.total > 0, q);
    }
    // and for a liaison, within its scope
    const li = await login('liaison');
    const lf = await li.get('/api/v1/cadres?domain=ecology,investment&page_size=200');
    const lg = await li.get('/api/v1/cadres?domain=ecology,investment&page_size=200&age_min=0');
    assert.equal(lf.json.total, lg.json.total);
    assert.deepEqual(lf.json.items.map((c) => c.id), lg.json.items.map((c) => c.id));
    const none = await org.get(`${base}&age_min=80`);
    assert.equal(none.json.total, 0);
    // pagination covers every row exactly once
    const total = await count(org);
    const seen = new Set();
    for (let p = 1; p <= Math.ceil(total / 200); p++) {
      const r = await org.get(`/api/v1/cadres?page=${p}&page_size=200&sort=birth_date`);
      r.json.items.forEach((c) => seen.add(c.id));
    }
    assert.equal(seen.size, total);
    const sorted = (await org.get('/api/v1/cadres?sort=birth_date&order=desc&page_size=50')).json.items.map((c) => c.birth_month);
    assert.deepEqual(sorted, [...sorted].sort().reverse());
    for (const bad of ['sort=salary', 'order=up', 'age_min=50&age_max=40', 'rank_level=' + Array(101).fill('131').join(','), 'page_size=500', 'unknown=1'])
      assert.equal((await org.get(`/api/v1/cadres?${bad}`)).status, 400, bad);
  });
});

describe('liaison scope', () => {
  let liaison, inside, outside;
  before(async () => {
    liaison = await login('liaison'); // bound to 广陵区
    inside = (await org.post('/api/v1/cadres', { name: '区内人', id_number: nextId(), unit_id: units['321002-T01'].id, rank_level: '142' })).json;
    outside = (await org.post('/api/v1/cadres', { name: '区外人', id_number: nextId('321003'), unit_id: units['321003'].id, rank_level: '142' })).json;
  });

  it('sees only its subtree, and another unit\'s records do not exist for it', async () => {
    const tree = await liaison.get('/api/v1/units/tree');
    assert.equal(tree.json.items.length, 1);
    assert.equal(tree.json.items[0].code, '321002');
    assert.equal((await liaison.get(`/api/v1/cadres/${inside.id}`)).status, 200);
    for (const path of [`/api/v1/cadres/${outside.id}`, `/api/v1/cadres/${outside.id}/history`, `/api/v1/units/${units['321003'].id}`]) {
      const r = await liaison.get(path);
      assert.equal(r.status, 404, path);
      assert.ok(!r.text.includes('区外人'));
    }
    assert.equal((await liaison.post(`/api/v1/cadres/${outside.id}/reveal`)).status, 404);
    assert.equal((await liaison.patch(`/api/v1/cadres/${outside.id}`, { version: 1, post: 'x' })).status, 404);
    // every id it might guess
    for (let id = 1; id <= 40; id++) {
      const r = await liaison.get(`/api/v1/cadres/${id}`);
      if (r.status === 200) {
        const u = r.json.unit_id;
        assert.ok(tree.text.includes(`"id":${u},`), `cadre ${id} of unit ${u} outside the subtree`);
      } else assert.equal(r.status, 404);
    }
    const list = await liaison.get('/api/v1/cadres?page_size=200&q=区');
    assert.ok(list.json.items.every((c) => c.name !== '区外人'));
    assert.ok((await liaison.get(`/api/v1/cadres?unit_id=${units['321003'].id}`)).json.total === 0);
    // cannot create or move into another subtree
    const c = await liaison.post('/api/v1/cadres', { name: '越界', id_number: nextId(), unit_id: units['321003'].id, rank_level: '142' });
    assert.equal(c.status, 400);
    assert.ok(c.json.error.fields.unit_id);
    const mv = await liaison.patch(`/api/v1/cadres/${inside.id}`, { version: inside.version, unit_id: units['321003'].id });
    assert.equal(mv.status, 400);
    const u = await liaison.post('/api/v1/units', { code: 'L-1', name: '越界单位', parent_id: units['321003'].id });
    assert.equal(u.status, 400);
    // its own unit, the root of its scope, is the organisation department's to rename, close or merge
    const root = (await liaison.get(`/api/v1/units/${units['321002'].id}`)).json;
    for (const change of [{ name: '广陵区改名' }, { code: 'X-321002' }, { active: false }]) {
      const r = await liaison.patch(`/api/v1/units/${root.id}`, { version: root.version, ...change });
      assert.equal(r.status, 403, JSON.stringify(change));
    }
    const mergeRoot = await liaison.post(`/api/v1/units/${root.id}/merge`, { version: root.version, into_id: units['321002-T01'].id });
    assert.equal(mergeRoot.status, 403);
    assert.equal((await liaison.get(`/api/v1/units/${root.id}`)).json.version, root.version, 'nothing changed');
    // a unit below it is its own to edit
    const below = (await liaison.get(`/api/v1/units/${units['321002-T01'].id}`)).json;
    const ok = await liaison.patch(`/api/v1/units/${below.id}`, { version: below.version, short_name: '一镇' });
    assert.equal(ok.status, 200, ok.text);
    // other roles have no access to cadres at all
    const trainee = await login('trainee');
    assert.equal((await trainee.get('/api/v1/cadres')).status, 403);
    const sys = await login('sysadmin');
    assert.equal((await sys.get(`/api/v1/cadres/${inside.id}`)).status, 403);
  });
});

describe('data scope is deny-by-default', () => {
  it('gives each role only what its rule says, and nothing to a role without one', async () => {
    const town = units['321002-T01'];
    // roles with a rule: the organisation department and the account administrators see every unit
    for (const user of ['orgadmin', 'sysadmin', 'secadmin']) {
      const c = await login(user);
      const r = await c.get('/api/v1/units?page_size=1');
      assert.equal(r.status, 200, user);
      assert.ok(r.json.total > 200, `${user} sees the whole tree`);
      assert.equal((await c.get(`/api/v1/units/${town.id}`)).status, 200, user);
    }
    // roles without a rule see no unit at all: an empty list and 404 for any id
    for (const user of ['auditor', 'instadmin', 'advisor', 'lecturer', 'trainee']) {
      const c = await login(user);
      const r = await c.get('/api/v1/units?page_size=200');
      assert.equal(r.status, 200, user);
      assert.equal(r.json.total, 0, `${user} sees no unit`);
      assert.deepEqual(r.json.items, []);
      assert.equal((await c.get(`/api/v1/units/${town.id}`)).status, 404, user);
      assert.equal((await c.get(`/api/v1/units?within=${units['321002'].id}`)).json.total, 0, user);
    }
  });
});

describe('import and export', () => {
  const header = ['姓名', '身份证号', '单位代码', '职务职级', '分管领域', '一把手', '联系电话'];
  const row = (name, id, unit = '321002-T02', rank = '乡科级副职') => [name, id, unit, rank, '生态环境、招商引资', '否', '13700001111'];
  const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
  const imp = (body, type, dry) => org.req('POST', `/api/v1/cadres/import?dry_run=${dry}`, body, { 'content-type': type });

  it('serves the template and exports the list as .xlsx', async () => {
    const t = await fetch(`${srv.url}/api/v1/cadres/import-template`, { headers: { cookie: org.cookie } });
    assert.equal(t.status, 200);
    assert.equal(t.headers.get('content-type'), XLSX);
    const buf = Buffer.from(await t.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    // the template imports (its example row names a unit of the demo city)
    const x = await fetch(`${srv.url}/api/v1/cadres/export?rank_level=141`, { headers: { cookie: org.cookie } });
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-disposition'), /attachment; .*filename\*=UTF-8''/);
    assert.equal(Buffer.from(await x.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  });

  it('dry-runs with every bad row named, then imports all or nothing, and updates on re-import', async () => {
    const good1 = nextId(), good2 = nextId();
    const rows = [header, row('导入甲', good1), row('导入乙', good2), ['导入丙', '321002198001010019', '321000-NONE', '外星级', '太空', '也许', '1'], row('导入丁', good1)];
    const before = await count(org);
    const dry = await imp(csv(rows), 'text/csv', true);
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.ok, false);
    const byRow = (n) => dry.json.errors.filter((e) => e.row === n).map((e) => e.field);
    assert.deepEqual(byRow(4).sort(), ['domains', 'id_number', 'phone', 'rank_level', 'top_leader', 'unit_code'].sort());
    assert.ok(dry.json.errors.find((e) => e.row === 5 && /重复/.test(e.message) && e.column === '身份证号'));
    assert.equal(dry.json.created, 2, 'a dry run counts the rows that are fine');
    const commitBad = await imp(csv(rows), 'text/csv', false);
    assert.equal(commitBad.status, 400);
    assert.ok(commitBad.json.error.report.error_count >= 5);
    const rowsSeen = commitBad.json.error.report.errors.map((e) => e.row);
    assert.deepEqual(rowsSeen, [...rowsSeen].sort((a, b) => a - b), 'errors in the file\'s row order');
    assert.equal(await count(org), before, 'nothing written');

    const ok = [header, row('导入甲', good1), row('导入乙', good2)];
    const d2 = await imp(csv(ok), 'text/csv', true);
    assert.deepEqual([d2.json.ok, d2.json.created, d2.json.updated], [true, 2, 0]);
    assert.equal(await count(org), before, 'a dry run writes nothing');
    const c1 = await imp(csv(ok), 'text/csv', false);
    assert.deepEqual([c1.json.ok, c1.json.created, c1.json.updated], [true, 2, 0]);
    assert.equal(await count(org), before + 2);
    // re-import: same people updated, never duplicated
    ok[1][3] = '乡科级正职';
    const c2 = await imp(csv(ok), 'text/csv', false);
    assert.deepEqual([c2.json.created, c2.json.updated], [0, 2]);
    assert.equal(await count(org), before + 2);
    const found = (await org.get(`/api/v1/cadres?q=${good1}`)).json.items[0];
    assert.equal(found.rank_level, '141');
    assert.deepEqual(found.domains.sort(), ['ecology', 'investment']);
    assert.ok((await org.get(`/api/v1/cadres/${found.id}/history`)).json.items.find((h) => h.kind === 'rank'));
  });

  it('reads GB18030 CSV, API field names, unit_id and codes', async () => {
    const id = nextId();
    const text = csv([['name', 'id_number', 'unit_id', 'rank_level', 'political'], ['编码人', id, String(units['321002-T03'].id), '142', '01']]);
    const r = await imp(gb18030(text), 'text/csv', false);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.encoding, 'GB18030');
    assert.equal(r.json.created, 1);
    const c = (await org.get(`/api/v1/cadres?q=${id}`)).json.items[0];
    assert.equal(c.name, '编码人');
    assert.equal(c.unit_id, units['321002-T03'].id);
  });

  it('reads .xlsx uploads, raw and multipart', async () => {
    const id = nextId();
    const book = xlsx([header, row('表格人', id)]);
    const r = await imp(book, XLSX, false);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.format, r.json.created], ['xlsx', 1]);
    const fd = new FormData();
    fd.append('file', new Blob([xlsx([header, row('表格人', id)])]), '名册.xlsx');
    const m = await fetch(`${srv.url}/api/v1/cadres/import?dry_run=true`, { method: 'POST', body: fd, headers: { cookie: org.cookie, 'x-csrf-token': org.csrf } });
    const mj = await m.json();
    assert.equal(m.status, 200, JSON.stringify(mj));
    assert.deepEqual([mj.ok, mj.updated], [true, 1]);
  });

  it('refuses hostile files cleanly and writes nothing', async () => {
    const before = await count(org);
    const entity = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
    const cases = [
      ['renamed text file', Buffer.from('this is not a spreadsheet at all'), XLSX],
      ['old .xls (OLE)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), XLSX],
      ['zip without a workbook', zip([{ name: 'hello.txt', data: 'hi' }]), XLSX],
      ['zip bomb (declared size)', zip([...Object.entries({ 'xl/workbook.xml': '<workbook/>' }).map(([name, data]) => ({ name, data })),
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1 << 20), deflate: true, declaredSize: 0xfffffff0 }]), XLSX],
      ['XML entity bomb', xlsx([header], { 'xl/worksheets/sheet1.xml': sheetXml([header, row('&lol2;', nextId())], { doctype: entity }).replace('&amp;lol2;', '&lol2;') }), XLSX],
      ['ragged CSV', Buffer.from('姓名,身份证号,单位代码,职务职级\n甲,1,2\n'), 'text/csv'],
      ['broken encoding', Buffer.from([0xd5, 0xc5, 0xff, 0xfe, 0x0a, 0x80, 0x81, 0x0a]), 'text/csv'],
      ['empty file', Buffer.alloc(0), 'text/csv'],
      ['header only', Buffer.from(header.join(',') + '\n'), 'text/csv'],
    ];
    for (const [what, body, type] of cases) {
      for (const dry of [true, false]) {
        const r = await imp(body, type, dry);
        assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
        assert.ok(/[\u4e00-\u9fff]/.test(r.json.error.message), `${what}: Chinese message`);
      }
    }
    assert.equal((await imp('{}', 'application/json', true)).status, 415);
    // over the size cap (64 MiB): refused from Content-Length before reading
    const big = await org.req('POST', '/api/v1/cadres/import?dry_run=true', Buffer.alloc(65 << 20, 0x41), { 'content-type': 'text/csv' });
    assert.equal(big.status, 413);
    assert.equal(await count(org), before);
    assert.equal((await org.get('/api/v1/health')).status, 200);
  });

  it('refuses amplification files with a clear message, and keeps answering (issue 7 #3)', async () => {
    const ws = (body) => '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      `<sheetData>${body}</sheetData></worksheet>`;
    // one 32 KiB shared string used by 80,000 cells: 2.5 GiB of text from a few KB
    const refs = `<row r="1">${'<c t="s"><v>0</v></c>'.repeat(20)}</row>`.repeat(4000);
    let n = 0;
    const rows = refs.replace(/<row r="1">/g, () => `<row r="${++n}">`);
    const shared = xlsx([], {
      'xl/sharedStrings.xml': `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'干部教育培训'.repeat(1820)}</t></si></sst>`,
      'xl/worksheets/sheet1.xml': ws(rows),
    });
    assert.ok(shared.length < 64 * 1024, `${shared.length} bytes`);
    const deep = xlsx([], { 'xl/worksheets/sheet1.xml': ws('<a>'.repeat(300000) + '</a>'.repeat(300000)) });
    const cases = [
      ['32 KiB shared string x 80,000', shared, /文件的文字内容过多（超过 64 MB）/],
      ['300,000 nested elements', deep, /XML 嵌套超过 64 层/],
    ];
    const before = await count(org);
    for (const [what, body, msg] of cases) {
      // four at once, as in the report
      const rs = await Promise.all([1, 2, 3, 4].map(() => imp(body, XLSX, true)));
      for (const r of rs) {
        assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
        assert.match(r.json.error.message, msg, what);
      }
    }
    assert.equal((await org.get('/api/v1/health')).status, 200);
    // and a normal file still imports
    const ok = await imp(Buffer.from(header.join(',') + '\n' + row('王五', nextId()).join(',') + '\n'), 'text/csv', true);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(await count(org), before);
  });
});
