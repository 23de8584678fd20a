// Issue 7 #2: an exact ID-number or phone lookup is an oracle (a masked
// phone leaves 10,000 candidates; a search that matches a full phone tells
// which one exists). The attack: a liaison walks the candidates of one masked
// phone. Now every exact lookup — search, export, import rows registered
// outside the caller's scope, create/update "registered elsewhere" — is
// charged to a per-account budget (the policy's lookup_limit_per_minute),
// audited, and the auditor lists who reached the limit. On both engines.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, PASSWORD } from '../lib/server.mjs';

/** A valid resident ID number (GB 11643). */
function idNumber(div, ymd, seq) {
  const d17 = `${div}${ymd.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return d17 + '10X98765432'[sum % 11];
}

let srv, org, liaison, sec, auditor;

async function login(user) {
  const c = new Client(srv.url);
  await c.login(user, DEMO_PASSWORD);
  return c;
}

/** Wait until the current minute has at least 25 s left, so one test's
 * lookups fall into one budget window. */
async function earlyInMinute() {
  const s = Math.floor(Date.now() / 1000) % 60;
  if (s > 35) await new Promise((r) => setTimeout(r, (61 - s) * 1000));
}

async function setLimit(n) {
  const p = (await sec.get('/api/v1/security/policy')).json;
  const r = await sec.put('/api/v1/security/policy', { ...p, lookup_limit_per_minute: n });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lookup_limit_per_minute, n);
}

before(async () => {
  srv = await startServer({ demo: 300 });
  [org, liaison, sec, auditor] = await Promise.all(['orgadmin', 'liaison', 'secadmin', 'auditor'].map(login));
});

after(async () => { await srv?.stop(); });

describe('exact identifier lookups', () => {
  it('defaults to 30 a minute, set by the security administrator', async () => {
    const p = (await sec.get('/api/v1/security/policy')).json;
    assert.equal(p.lookup_limit_per_minute, 30);
    const bad = await sec.put('/api/v1/security/policy', { ...p, lookup_limit_per_minute: 0 });
    assert.equal(bad.status, 400);
    assert.ok(bad.json.error.fields.lookup_limit_per_minute);
    assert.equal((await org.put('/api/v1/security/policy', { ...p, lookup_limit_per_minute: 1000 })).status, 403);
  });

  it('walking a masked phone stops at the limit; every lookup is audited; the auditor lists the account', async () => {
    await setLimit(5);
    await earlyInMinute();
    // a cadre in the liaison's district, and the candidates of its masked phone
    const target = (await liaison.get('/api/v1/cadres?page_size=1')).json.items[0];
    const [head, tail] = target.phone.split('****');
    const candidates = Array.from({ length: 12 }, (_, i) => `${head}${String(9990 + i).slice(-4)}${tail}`.slice(0, 11));
    const statuses = [];
    for (const phone of candidates) statuses.push((await liaison.get(`/api/v1/cadres?q=${phone}`)).status);
    const ok = statuses.filter((s) => s === 200).length;
    assert.equal(ok, 5, `five lookups answered, the rest refused: ${statuses}`);
    assert.ok(statuses.slice(5).every((s) => s === 429), String(statuses));
    const refused = await liaison.get(`/api/v1/cadres?q=${candidates[0]}`);
    assert.equal(refused.json.error.code, 'too_many_attempts');
    assert.ok(refused.json.error.retry_after > 0 && refused.json.error.retry_after <= 60);
    assert.match(refused.json.error.message, /精确查询/);
    // names and initials are not exact lookups: still answered
    assert.equal((await liaison.get('/api/v1/cadres?q=王')).status, 200);
    assert.equal((await liaison.get('/api/v1/cadres?q=wj')).status, 200);

    const log = (await auditor.get('/api/v1/audit?action=cadre.lookup&actor=liaison&page_size=100')).json.items;
    const charged = log.filter((x) => x.action === 'cadre.lookup');
    assert.equal(charged.length, 5, 'each answered lookup is audited');
    assert.deepEqual([...new Set(charged.map((x) => x.after.kind))], ['phone']);
    assert.ok(charged.every((x) => x.after.where === 'search'));
    assert.ok(!JSON.stringify(log).includes(candidates[0]), 'the audit log does not hold the looked-up numbers');
    assert.equal(log.filter((x) => x.action === 'cadre.lookup_limited').length, 1, 'the first refusal of the minute is audited');
    const hits = await auditor.get('/api/v1/audit/lookup-limits');
    assert.equal(hits.status, 200, hits.text);
    assert.ok(hits.json.items.find((x) => x.actor === 'liaison' && x.times >= 1));
    assert.equal((await org.get('/api/v1/audit/lookup-limits')).status, 403);
    // another account has its own budget
    assert.equal((await org.get(`/api/v1/cadres?q=${candidates[0]}`)).status, 200);
  });

  it('an ID number search, an export and a "registered elsewhere" answer are charged too', async () => {
    await setLimit(3);
    await earlyInMinute();
    const other = await login('orgadmin');
    const outside = (await other.get('/api/v1/cadres?page_size=1&unit_id=' + (await other.get('/api/v1/units?q=邗江区')).json.items[0].id)).json.items[0];
    const theirs = (await other.post(`/api/v1/cadres/${outside.id}/reveal`)).json.id_number;
    // a second liaison of the same district, with a budget of its own
    const district = (await other.get('/api/v1/units?q=广陵区')).json.items.find((u) => u.code === '321002');
    const sys = await login('sysadmin');
    const made = await sys.post('/api/v1/users', { username: 'liaison.b', display_name: '专管员乙', roles: ['liaison'], unit_id: district.id, password: 'First#Passw0rd' });
    assert.equal(made.status, 201, made.text);
    const l2 = new Client(srv.url);
    await l2.login('liaison.b', 'First#Passw0rd');
    assert.equal((await l2.post('/api/v1/auth/password', { old_password: 'First#Passw0rd', new_password: PASSWORD })).status, 200);
    // 1: a search by a full ID number (outside its scope: no rows, but charged)
    assert.equal((await l2.get(`/api/v1/cadres?q=${theirs}`)).json.total, 0);
    // 2: creating a cadre with that number says it is registered elsewhere
    const units = (await l2.get('/api/v1/units?page_size=5')).json.items;
    const dup = await l2.post('/api/v1/cadres', { name: '撞号', id_number: theirs, unit_id: units[1].id, rank_level: '142' });
    assert.equal(dup.status, 409, dup.text);
    // 3: an import dry run whose row is registered outside the scope
    const csv = `姓名,身份证号,单位代码,职务职级\r\n撞号,${theirs},${units[1].code},乡科级副职\r\n`;
    const dry = await l2.req('POST', '/api/v1/cadres/import?dry_run=true', csv, { 'content-type': 'text/csv' });
    assert.equal(dry.status, 200, dry.text);
    assert.match(dry.json.errors[0].message, /管理范围以外/);
    // the budget of 3 is spent: each of these now answers 429 and tells nothing
    assert.equal((await l2.get(`/api/v1/cadres?q=${theirs}`)).status, 429);
    assert.equal((await l2.post('/api/v1/cadres', { name: '撞号', id_number: theirs, unit_id: units[1].id, rank_level: '142' })).status, 429);
    const dry2 = await l2.req('POST', '/api/v1/cadres/import?dry_run=true', csv, { 'content-type': 'text/csv' });
    assert.equal(dry2.status, 429);
    assert.ok(!dry2.text.includes('管理范围以外'));
    const x = await fetch(`${srv.url}/api/v1/cadres/export?q=${theirs}`, { headers: { cookie: l2.cookie } });
    assert.equal(x.status, 429);
    // a new, unregistered number is no lookup: creating it works
    const fresh = await l2.post('/api/v1/cadres', { name: '新人', id_number: idNumber('321002', '1990-01-01', 777), unit_id: units[1].id, rank_level: '142' });
    assert.equal(fresh.status, 201, fresh.text);
    const wheres = (await auditor.get('/api/v1/audit?action=cadre.lookup&page_size=200')).json.items
      .filter((e) => e.action === 'cadre.lookup' && e.after.kind === 'id_number').map((e) => e.after.where);
    for (const w of ['search', 'create', 'import']) assert.ok(wheres.includes(w), `${w} lookups are audited: ${wheres}`);
    await setLimit(30);
  });
});
