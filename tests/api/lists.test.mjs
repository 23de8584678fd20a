// List queries (src/store/query.c): many codes in a cadre search, LIKE
// metacharacters taken literally, and case-insensitive text filters in the
// users, units and audit lists — the same answers on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

const RANKS = ['121', '122', '131', '132', '141', '142', '150', '160', '199', 'Z11', 'Z12', 'Z21', 'Z22', 'Z23', 'Z24',
  'Z31', 'Z32', 'Z33', 'Z34', 'Z41', 'Z42'];
const DOMAINS = ['ideology', 'ecology', 'finance_risk', 'petition', 'investment', 'projects', 'emergency', 'rural', 'urban',
  'education', 'health', 'safety', 'rule_of_law', 'party_building', 'economy', 'culture_tourism', 'technology', 'social'];

/** n codes taken round-robin from list, comma-separated. */
const codes = (list, n) => Array.from({ length: n }, (_, i) => list[i % list.length]).join(',');

let srv;
const clients = {};

async function login(user) {
  const c = new Client(srv.url);
  await c.login(user, DEMO_PASSWORD);
  return c;
}

async function list(c, path) {
  const r = await c.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

before(async () => {
  // past the cadre list's count limit (10,000), and past it by a fifth in the statistics, so that the
  // unfiltered list takes the engine's row estimate instead of counting
  srv = await startServer({ demo: 12500 });
  for (const u of ['orgadmin', 'sysadmin', 'auditor']) clients[u] = await login(u);
});
after(async () => { await srv?.stop(); });

describe('cadre search with many codes', () => {
  it('answers 100 rank codes with domain codes, on either search path', async () => {
    const org = clients.orgadmin;
    const rank100 = codes(RANKS, 100);
    assert.ok(rank100.length <= 400);
    const dom = codes(DOMAINS, 36); // every domain twice, within the 400-character parameter
    // every cadre has one of the ranks, so the rank list changes nothing
    const withDomain = (await list(org, `/api/v1/cadres?domain=${DOMAINS.join(',')}&status=2&page_size=1`)).total;
    assert.ok(withDomain > 0 && withDomain < 10000);
    // cadre_domains' path (domains, ranks, name order) and the general path (sorted by birth date)
    const fast = await list(org, `/api/v1/cadres?rank_level=${rank100}&domain=${dom}&status=2&page_size=5`);
    const general = await list(org, `/api/v1/cadres?rank_level=${rank100}&domain=${dom}&status=2&sort=birth_date&page_size=5`);
    assert.equal(fast.total, withDomain);
    assert.equal(general.total, withDomain);
    assert.equal(fast.items.length, 5);
    // ranks alone: everyone (of a status, to stay under the count limit)
    const all = (await list(org, '/api/v1/cadres?status=3&page_size=1')).total;
    assert.equal((await list(org, `/api/v1/cadres?rank_level=${rank100}&status=3&page_size=1`)).total, all);
    // a subset of ranks, repeated: the same as listing it once
    const two = (await list(org, '/api/v1/cadres?rank_level=131,132&page_size=1')).total;
    assert.equal((await list(org, `/api/v1/cadres?rank_level=${codes(['131', '132'], 100)}&page_size=1`)).total, two);
    // with the other filters too (flags, age, gender): still an answer, never a 500
    const mixed = await org.get(`/api/v1/cadres?rank_level=${rank100}&domain=${dom}&status=1&gender=2&age_max=60&young_talent=false&page=2`);
    assert.equal(mixed.status, 200, mixed.text);
  });

  it('refuses a code list longer than the parameter allows, naming the field', async () => {
    const r = await clients.orgadmin.get(`/api/v1/cadres?rank_level=${codes(RANKS, 101)}`);
    assert.equal(r.status, 400, r.text);
    assert.ok(Object.hasOwn(r.json.error.fields ?? {}, 'rank_level'), r.text);
    const d = await clients.orgadmin.get(`/api/v1/cadres?domain=${codes(DOMAINS, 60)}`);
    assert.equal(d.status, 400, d.text);
    assert.ok(Object.hasOwn(d.json.error.fields ?? {}, 'domain'), d.text);
  });
});

describe('cadre list totals', () => {
  it('counts exactly up to 10,000 matches, then says "more than 10,000"', async () => {
    const org = clients.orgadmin;
    const all = await list(org, '/api/v1/cadres?page_size=5');
    assert.equal(all.total, 10000);
    assert.equal(all.total_exact, false);
    assert.equal(all.items.length, 5);
    // the domain path too
    const dom = await list(org, `/api/v1/cadres?domain=${DOMAINS.join(',')}&page_size=5`);
    assert.ok(dom.total <= 10000);
    assert.equal(dom.total_exact, dom.total < 10000);
    const some = await list(org, '/api/v1/cadres?rank_level=131&page_size=5');
    assert.ok(some.total > 0 && some.total < 10000);
    assert.equal(some.total_exact, true);
    // a page past the counted ones still answers
    const far = await list(org, '/api/v1/cadres?page=501&page_size=20');
    assert.equal(far.items.length, 20);
  });
});

describe('text filters', () => {
  const q = (s) => encodeURIComponent(s);

  it('users: % _ and \\ are literal, case does not matter', async () => {
    const admin = clients.sysadmin;
    const mk = async (username, display_name) => {
      const r = await admin.post('/api/v1/users', { username, display_name, roles: ['trainee'], password: 'Init#Pass123' });
      assert.equal(r.status, 201, r.text);
    };
    await mk('lq.pct', '百分之百%达标');
    await mk('lq.under', 'Under_Score');
    await mk('lq.undex', 'UnderXScore');
    await mk('lq.slash', 'Back\\Slash');
    const names = async (text) => (await list(admin, `/api/v1/users?q=${q(text)}&page_size=100`)).items.map((u) => u.username).sort();
    assert.deepEqual(await names('%'), ['lq.pct']);
    assert.deepEqual(await names('r_s'), ['lq.under']);
    assert.deepEqual(await names('\\'), ['lq.slash']);
    assert.deepEqual(await names('UNDERXSCORE'), ['lq.undex']);
    assert.deepEqual(await names('under'), ['lq.under', 'lq.undex']);
    assert.deepEqual(await names('LQ.P'), ['lq.pct']); // usernames too
    const page = await list(admin, `/api/v1/users?q=${q('LQ.')}&page_size=3`);
    assert.equal(page.total, 4);
    assert.equal(page.items.length, 3);
  });

  it('units: % _ and \\ are literal, case does not matter in names and codes', async () => {
    const org = clients.orgadmin;
    const top = (await list(org, '/api/v1/units?page_size=1')).items[0];
    const mk = async (code, name) => {
      const r = await org.post('/api/v1/units', { code, name, parent_id: top.id, type: 'other' });
      assert.equal(r.status, 201, r.text);
    };
    await mk('LQ-Pct', '完成率100%办公室');
    await mk('LQ-Und', 'Work_Group');
    await mk('LQ-Unx', 'WorkXGroup');
    await mk('LQ-Bsl', 'Back\\Office');
    const codesOf = async (text) => (await list(org, `/api/v1/units?q=${q(text)}&page_size=100`)).items.map((u) => u.code).sort();
    assert.deepEqual(await codesOf('%'), ['LQ-Pct']);
    assert.deepEqual(await codesOf('k_g'), ['LQ-Und']);
    assert.deepEqual(await codesOf('\\'), ['LQ-Bsl']);
    assert.deepEqual(await codesOf('workxgroup'), ['LQ-Unx']);
    assert.deepEqual(await codesOf('lq-'), ['LQ-Bsl', 'LQ-Pct', 'LQ-Und', 'LQ-Unx']);
    assert.deepEqual(await codesOf('lq-pct'), ['LQ-Pct']);
  });

  it('audit: the action prefix is literal and case-insensitive', async () => {
    const aud = clients.auditor;
    const lower = await list(aud, '/api/v1/audit?action=user.&page_size=100');
    assert.ok(lower.total >= 4, JSON.stringify(lower).slice(0, 200)); // the users made above
    assert.ok(lower.items.every((e) => e.action.startsWith('user.')));
    const upper = await list(aud, '/api/v1/audit?action=USER.&page_size=100');
    assert.equal(upper.total, lower.total);
    assert.deepEqual(upper.items.map((e) => e.id), lower.items.map((e) => e.id));
    // _ and % are not wildcards: no action has them
    assert.equal((await list(aud, '/api/v1/audit?action=user_')).total, 0);
    assert.equal((await list(aud, `/api/v1/audit?action=${q('%')}`)).total, 0);
    assert.equal((await list(aud, `/api/v1/audit?action=${q('\\')}`)).total, 0);
    // paging keeps the total
    const p2 = await list(aud, '/api/v1/audit?action=user.&page=2&page_size=1');
    assert.equal(p2.total, lower.total);
    assert.equal(p2.items[0].id, lower.items[1].id);
  });
});
