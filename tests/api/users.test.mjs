// User accounts (docs/api.md "Users (sysadmin)" and "Roles"): create, list
// with filters, get, patch with versions, reset password, and 三员分立.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, PASSWORD, BIN } from '../lib/server.mjs';

const CJK = /[\u4e00-\u9fff]/;
const USER_KEYS = ['id', 'username', 'display_name', 'roles', 'unit_id', 'unit_name', 'disabled',
  'must_change_password', 'locked_until', 'last_login_at', 'created_at', 'version'];
const INIT = 'Init#Pass123';

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `want ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.match(r.json.error.message, CJK, `Chinese message: ${r.text}`);
  if (field !== undefined) {
    assert.ok(r.json.error.fields && Object.hasOwn(r.json.error.fields, field), `fields.${field}: ${r.text}`);
    assert.match(r.json.error.fields[field], CJK);
  }
}

function assertUser(u) {
  for (const k of USER_KEYS) assert.ok(Object.hasOwn(u, k), `User.${k} missing: ${JSON.stringify(u)}`);
  for (const k of Object.keys(u)) assert.doesNotMatch(k, /hash|secret|token|salt|^password$/i, `User leaks ${k}`);
  assert.doesNotMatch(JSON.stringify(u), /scrypt\$/);
}

const now = () => Math.floor(Date.now() / 1000);
const sorted = (a) => [...a].sort();

describe('user accounts', () => {
  let srv;
  let admin;
  let sec;
  let aud;
  let org;
  let stu;
  let units;

  before(async () => {
    srv = await startServer({
      demo: true, // units to assign
      users: [
        { username: 'admin', role: 'sysadmin' },
        { username: 'sec', role: 'secadmin' },
        { username: 'aud', role: 'auditor' },
        { username: 'org', role: 'orgadmin' },
        { username: 'stu', role: 'trainee' },
        { username: 'resetme', role: 'trainee' },
      ],
    });
    [admin, sec, aud, org, stu] = [new Client(srv.url), new Client(srv.url), new Client(srv.url), new Client(srv.url), new Client(srv.url)];
    await admin.login('admin');
    await sec.login('sec');
    await aud.login('aud');
    await org.login('org');
    await stu.login('stu');
    units = (await admin.get('/api/v1/units?page_size=200')).json.items;
    assert.ok(units.length >= 2, 'demo units');
  });

  after(async () => { await srv?.stop(); });

  async function byName(name) {
    const r = await admin.get('/api/v1/users?page_size=200&q=' + encodeURIComponent(name));
    assert.equal(r.status, 200, r.text);
    const u = r.json.items.find((x) => x.username === name);
    assert.ok(u, `user ${name} listed`);
    return u;
  }

  async function allUsers() {
    const r = await admin.get('/api/v1/users?page_size=200');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, r.json.total, 'fits one page');
    return r.json.items;
  }

  const create = (body) => admin.post('/api/v1/users', { display_name: '某人', roles: ['trainee'], password: INIT, ...body });

  describe('create', () => {
    it('201 with the User; the account must change its password', async () => {
      const t0 = now();
      const r = await create({ username: 'zhang.san', display_name: '张三' });
      assert.equal(r.status, 201, r.text);
      assertUser(r.json);
      assert.equal(r.json.username, 'zhang.san');
      assert.equal(r.json.display_name, '张三');
      assert.deepEqual(r.json.roles, ['trainee']);
      assert.equal(r.json.unit_id, null);
      assert.equal(r.json.unit_name, null);
      assert.equal(r.json.disabled, false);
      assert.equal(r.json.must_change_password, true);
      assert.equal(r.json.locked_until, null);
      assert.equal(r.json.last_login_at, null);
      assert.equal(r.json.version, 1);
      assert.ok(r.json.created_at >= t0 - 2 && r.json.created_at <= now() + 2);
      const g = await admin.get(`/api/v1/users/${r.json.id}`);
      assert.equal(g.status, 200);
      assert.deepEqual(g.json, r.json);
    });

    it('with a unit and several roles', async () => {
      const unit = units[1];
      const r = await create({ username: 'li.lian', display_name: '李联', roles: ['liaison', 'lecturer'], unit_id: unit.id });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.unit_id, unit.id);
      assert.equal(r.json.unit_name, unit.name);
      assert.deepEqual(sorted(r.json.roles), ['lecturer', 'liaison']);
    });

    it('usernames at the edges of the pattern are accepted', async () => {
      for (const u of ['abc', 'a' + 'b'.repeat(31), 'a.b_c-d9']) {
        const r = await create({ username: u });
        assert.equal(r.status, 201, `${u}: ${r.text}`);
      }
    });

    it('a taken username: 409 conflict with fields.username, nothing created', async () => {
      const before = (await allUsers()).length;
      assertError(await create({ username: 'zhang.san' }), 409, 'conflict', 'username');
      assertError(await create({ username: 'admin' }), 409, 'conflict', 'username'); // added with the CLI
      assertError(await create({ username: 'sysadmin' }), 409, 'conflict', 'username'); // demo account
      assert.equal((await allUsers()).length, before);
    });

    it('a username outside the pattern: 400 fields.username', async () => {
      for (const u of ['ab', 'a'.repeat(33), '1abc', '_abc', '.abc', 'Abc', 'abC', 'ab c', 'ab!c', 'ab/c', '张三', 'zhang@x', '']) {
        assertError(await create({ username: u }), 400, 'validation', 'username');
      }
    });

    it('a liaison without a unit: 400 fields.unit_id', async () => {
      assertError(await create({ username: 'lia.nounit', roles: ['liaison'] }), 400, 'validation', 'unit_id');
      assertError(await create({ username: 'lia.nounit', roles: ['liaison'], unit_id: null }), 400, 'validation', 'unit_id');
    });

    it('an unknown unit: 400 fields.unit_id', async () => {
      assertError(await create({ username: 'no.unit', unit_id: 987654 }), 400, 'validation', 'unit_id');
      assertError(await create({ username: 'no.unit', unit_id: 0 }), 400, 'validation', 'unit_id');
    });

    it('administrator roles through the API: 400 fields.roles, nothing created', async () => {
      for (const roles of [['sysadmin'], ['secadmin'], ['auditor'], ['trainee', 'auditor'], ['sysadmin', 'secadmin']]) {
        assertError(await create({ username: 'would.be', roles }), 400, 'validation', 'roles');
      }
      assert.equal((await admin.get('/api/v1/users?q=would.be')).json.total, 0);
    });

    it('unknown or no roles: 400 fields.roles', async () => {
      for (const roles of [['king'], ['Trainee'], [], ['trainee', 'king'], [''], [1]]) {
        assertError(await create({ username: 'bad.role', roles }), 400, 'validation', 'roles');
      }
    });

    it('a password against the policy: 400 fields.password', async () => {
      for (const pw of ['Short#1', 'alllowercase1', 'Xy#1weak.pw99']) {
        assertError(await create({ username: 'weak.pw', password: pw }), 400, 'validation', 'password');
      }
    });

    it('missing fields are named', async () => {
      const r = await admin.post('/api/v1/users', { username: 'x.missing' });
      assertError(r, 400, 'validation');
      for (const f of ['display_name', 'roles', 'password']) assert.ok(Object.hasOwn(r.json.error.fields, f), `fields.${f}`);
    });
  });

  describe('list', () => {
    let unitC;
    before(async () => {
      unitC = units[2];
      assert.equal((await create({ username: 'qtest.a', display_name: '测试甲一' })).status, 201);
      assert.equal((await create({ username: 'qtest.b', display_name: '测试甲二', roles: ['lecturer'] })).status, 201);
      assert.equal((await create({ username: 'qtest.c', display_name: '测试乙', unit_id: unitC.id })).status, 201);
    });

    it('is a list of User ordered by id', async () => {
      const r = await admin.get('/api/v1/users');
      assert.equal(r.status, 200);
      assert.deepEqual(sorted(Object.keys(r.json)), ['items', 'page', 'page_size', 'total']);
      assert.equal(r.json.page, 1);
      assert.equal(r.json.page_size, 20);
      assert.ok(r.json.total > 20, `total ${r.json.total}`);
      assert.equal(r.json.items.length, 20);
      r.json.items.forEach(assertUser);
      const ids = r.json.items.map((u) => u.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      assert.doesNotMatch(r.text, /scrypt/);
    });

    it('q matches a substring of the username', async () => {
      const r = await admin.get('/api/v1/users?q=qtest');
      assert.equal(r.json.total, 3);
      assert.deepEqual(r.json.items.map((u) => u.username), ['qtest.a', 'qtest.b', 'qtest.c']);
      const mid = await admin.get('/api/v1/users?q=test.b');
      assert.deepEqual(mid.json.items.map((u) => u.username), ['qtest.b']);
      assert.equal(mid.json.total, 1);
    });

    it('q matches a substring of the display name, in Chinese', async () => {
      const r = await admin.get('/api/v1/users?q=' + encodeURIComponent('甲'));
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.items.map((u) => u.username), ['qtest.a', 'qtest.b']);
      assert.equal(r.json.total, 2);
      const r2 = await admin.get('/api/v1/users?q=' + encodeURIComponent('测试乙'));
      assert.deepEqual(r2.json.items.map((u) => u.username), ['qtest.c']);
    });

    it('q ignores letter case, the same on every database', async () => {
      // docs/api.md does not say; a search box is case-insensitive, and SQLite's LIKE is,
      // so PostgreSQL must answer the same.
      const r = await admin.get('/api/v1/users?q=QTEST.B');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.items.map((u) => u.username), ['qtest.b']);
    });

    it('q treats % and _ literally', async () => {
      const all = await allUsers();
      const pct = await admin.get('/api/v1/users?q=%25');
      assert.equal(pct.json.total, all.filter((u) => (u.username + u.display_name).includes('%')).length);
      const us = await admin.get('/api/v1/users?q=_');
      const want = all.filter((u) => u.username.includes('_') || u.display_name.includes('_')).map((u) => u.username);
      assert.ok(want.length >= 1 && want.length < all.length);
      assert.deepEqual(us.json.items.map((u) => u.username), want);
    });

    it('role filters by role', async () => {
      const all = await allUsers();
      const r = await admin.get('/api/v1/users?role=lecturer&page_size=200');
      assert.equal(r.status, 200);
      const want = all.filter((u) => u.roles.includes('lecturer')).map((u) => u.username);
      assert.ok(want.includes('qtest.b') && want.includes('li.lian'));
      assert.deepEqual(r.json.items.map((u) => u.username), want);
      assert.equal(r.json.total, want.length);
      const both = await admin.get('/api/v1/users?q=qtest&role=trainee');
      assert.deepEqual(both.json.items.map((u) => u.username), ['qtest.a', 'qtest.c']);
      assertError(await admin.get('/api/v1/users?role=king'), 400, 'bad_query', 'role');
    });

    it('unit_id filters by unit', async () => {
      const r = await admin.get(`/api/v1/users?unit_id=${unitC.id}&page_size=200`);
      assert.equal(r.status, 200);
      assert.ok(r.json.items.some((u) => u.username === 'qtest.c'));
      for (const u of r.json.items) assert.equal(u.unit_id, unitC.id);
      assertError(await admin.get('/api/v1/users?unit_id=abc'), 400, 'bad_query', 'unit_id');
    });

    it('disabled filters by state', async () => {
      const c = await byName('qtest.c');
      const p = await admin.patch(`/api/v1/users/${c.id}`, { version: c.version, disabled: true });
      assert.equal(p.status, 200, p.text);
      const all = await allUsers();
      const t = (await admin.get('/api/v1/users?disabled=true&page_size=200')).json;
      const f = (await admin.get('/api/v1/users?disabled=false&page_size=200')).json;
      assert.ok(t.items.some((u) => u.username === 'qtest.c'));
      assert.ok(!f.items.some((u) => u.username === 'qtest.c'));
      assert.ok(t.items.every((u) => u.disabled === true));
      assert.ok(f.items.every((u) => u.disabled === false));
      assert.equal(t.total + f.total, all.length);
      assert.equal(t.total, all.filter((u) => u.disabled).length);
      assertError(await admin.get('/api/v1/users?disabled=yes'), 400, 'bad_query', 'disabled');
    });

    it('pages: total is the count of all matches; pages join up in id order', async () => {
      const p1 = (await admin.get('/api/v1/users?q=qtest&page_size=2')).json;
      const p2 = (await admin.get('/api/v1/users?q=qtest&page_size=2&page=2')).json;
      const p3 = (await admin.get('/api/v1/users?q=qtest&page_size=2&page=3')).json;
      assert.deepEqual([p1.total, p2.total, p3.total], [3, 3, 3]);
      assert.deepEqual([p1.page, p2.page, p3.page], [1, 2, 3]);
      assert.equal(p1.page_size, 2);
      assert.deepEqual([...p1.items, ...p2.items].map((u) => u.username), ['qtest.a', 'qtest.b', 'qtest.c']);
      assert.deepEqual(p3.items, []);
      const all = await allUsers();
      const w1 = (await admin.get('/api/v1/users?page_size=7&page=2')).json;
      assert.deepEqual(w1.items.map((u) => u.id), all.slice(7, 14).map((u) => u.id));
      assert.equal(w1.total, all.length);
    });
  });

  describe('get and patch', () => {
    let u;
    before(async () => {
      const r = await create({ username: 'patch.me', display_name: '旧名' });
      assert.equal(r.status, 201);
      u = r.json;
    });

    it('GET of a missing id: 404 not_found', async () => {
      assertError(await admin.get('/api/v1/users/987654'), 404, 'not_found');
      assertError(await admin.patch('/api/v1/users/987654', { version: 1, display_name: 'x' }), 404, 'not_found');
      assertError(await admin.post('/api/v1/users/987654/reset-password', { version: 1, password: 'Other#Pass123' }), 404, 'not_found');
    });

    it('a change with the current version: 200, version + 1', async () => {
      const r = await admin.patch(`/api/v1/users/${u.id}`, { version: 1, display_name: '新名' });
      assert.equal(r.status, 200, r.text);
      assertUser(r.json);
      assert.equal(r.json.display_name, '新名');
      assert.equal(r.json.version, 2);
      assert.equal(r.json.username, 'patch.me');
      assert.deepEqual(r.json.roles, ['trainee']);
      assert.deepEqual((await admin.get(`/api/v1/users/${u.id}`)).json, r.json);
    });

    it('a stale version: 409 version_conflict and nothing changes', async () => {
      const r = await admin.patch(`/api/v1/users/${u.id}`, { version: 1, display_name: '冲突', disabled: true });
      assertError(r, 409, 'version_conflict');
      const g = (await admin.get(`/api/v1/users/${u.id}`)).json;
      assert.equal(g.display_name, '新名');
      assert.equal(g.disabled, false);
      assert.equal(g.version, 2);
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: 3, display_name: '未来' }), 409, 'version_conflict');
    });

    it('roles and unit can change; the liaison rule holds', async () => {
      let cur = (await admin.get(`/api/v1/users/${u.id}`)).json;
      let r = await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, roles: ['lecturer', 'advisor'] });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(sorted(r.json.roles), ['advisor', 'lecturer']);
      cur = r.json;
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, roles: ['liaison'] }), 400, 'validation', 'unit_id');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, unit_id: 987654 }), 400, 'validation', 'unit_id');
      r = await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, roles: ['liaison'], unit_id: units[1].id });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.unit_id, units[1].id);
      assert.equal(r.json.unit_name, units[1].name);
      cur = r.json;
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, unit_id: null }), 400, 'validation', 'unit_id');
      r = await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, roles: ['trainee'], unit_id: null });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.unit_id, null);
      assert.equal(r.json.unit_name, null);
    });

    it('administrator or unknown roles: 400 fields.roles', async () => {
      const cur = (await admin.get(`/api/v1/users/${u.id}`)).json;
      for (const roles of [['sysadmin'], ['auditor'], ['secadmin'], ['trainee', 'secadmin'], ['king'], []]) {
        assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, roles }), 400, 'validation', 'roles');
      }
      assert.deepEqual((await admin.get(`/api/v1/users/${u.id}`)).json, cur);
    });

    it('bad bodies: no version, unknown fields (no password or username change through PATCH)', async () => {
      const cur = (await admin.get(`/api/v1/users/${u.id}`)).json;
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { display_name: 'x' }), 400, 'validation', 'version');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: 'x' }), 400, 'validation', 'version');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, password: 'New#Passw0rd1' }), 400, 'validation', 'password');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, username: 'renamed' }), 400, 'validation', 'username');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, must_change_password: false }), 400, 'validation', 'must_change_password');
      assertError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, disabled: 'yes' }), 400, 'validation', 'disabled');
      assert.deepEqual((await admin.get(`/api/v1/users/${u.id}`)).json, cur);
    });

    it('accounts holding sysadmin, secadmin or auditor cannot be changed through the API: 403', async () => {
      for (const name of ['admin', 'sec', 'aud', 'sysadmin', 'auditor']) {
        const t = await byName(name);
        assertError(await admin.patch(`/api/v1/users/${t.id}`, { version: t.version, display_name: '改名' }), 403, 'forbidden');
        assertError(await admin.patch(`/api/v1/users/${t.id}`, { version: t.version, disabled: true }), 403, 'forbidden');
        assertError(await admin.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version, password: 'Other#Pass123' }), 403, 'forbidden');
        assert.deepEqual(await byName(name), t, `${name} unchanged`);
      }
      // They still log in with their own password.
      await new Client(srv.url).login('sec');
      await new Client(srv.url).login('admin');
    });
  });

  describe('reset-password', () => {
    it('sets a new password, ends the sessions, forces a change', async () => {
      const s = new Client(srv.url);
      await s.login('resetme');
      const t = await byName('resetme');
      assert.equal(t.must_change_password, false);
      const r = await admin.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version, password: 'Reset#Pass123' });
      assert.equal(r.status, 200, r.text);
      assertUser(r.json);
      assert.equal(r.json.must_change_password, true);
      assert.equal(r.json.version, t.version + 1);
      assertError(await s.get('/api/v1/auth/me'), 401, 'unauthenticated');
      assertError(await new Client(srv.url).post('/api/v1/auth/login', { username: 'resetme', password: PASSWORD }), 401, 'invalid_credentials');
      const c = new Client(srv.url);
      const l = await c.login('resetme', 'Reset#Pass123');
      assert.equal(l.json.user.must_change_password, true);
      assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
    });

    it('a stale version: 409; a weak password: 400 fields.password; nothing changes', async () => {
      const t = await byName('resetme');
      assertError(await admin.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version - 1, password: 'Other#Pass123' }), 409, 'version_conflict');
      assertError(await admin.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version, password: 'short' }), 400, 'validation', 'password');
      assertError(await admin.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version, password: 'Ab#1resetme9' }), 400, 'validation', 'password');
      assertError(await admin.post(`/api/v1/users/${t.id}/reset-password`, { password: 'Other#Pass123' }), 400, 'validation', 'version');
      assert.deepEqual(await byName('resetme'), t);
      await new Client(srv.url).login('resetme', 'Reset#Pass123');
    });
  });

  describe('三员分立: each administrator only does their own job', () => {
    const policy = { password_min_length: 10, lock_threshold: 5, lock_minutes: 15, session_idle_minutes: 30, session_max_hours: 12, version: 1 };

    async function userRoutes(c) {
      const t = await byName('zhang.san');
      return [
        () => c.get('/api/v1/users'),
        () => c.get(`/api/v1/users/${t.id}`),
        () => c.post('/api/v1/users', { username: 'sneaky', display_name: '越权', roles: ['trainee'], password: INIT }),
        () => c.patch(`/api/v1/users/${t.id}`, { version: t.version, display_name: '越权' }),
        () => c.post(`/api/v1/users/${t.id}/reset-password`, { version: t.version, password: 'Sneaky#Pass123' }),
      ];
    }
    const auditRoutes = (c) => [() => c.get('/api/v1/audit'), () => c.get('/api/v1/audit/verify')];
    const policyRoutes = (c) => [() => c.get('/api/v1/security/policy'), () => c.put('/api/v1/security/policy', policy)];

    async function allForbidden(c, routes, what) {
      for (const f of routes) {
        const r = await f();
        assertError(r, 403, 'forbidden');
      }
      assert.ok(routes.length > 0, what);
    }

    it('sysadmin: no audit log, no security policy', async () => {
      await allForbidden(admin, [...auditRoutes(admin), ...policyRoutes(admin)], 'sysadmin');
    });

    it('secadmin: no account management, no audit log', async () => {
      await allForbidden(sec, [...(await userRoutes(sec)), ...auditRoutes(sec)], 'secadmin');
      assert.equal((await sec.get('/api/v1/security/policy')).status, 200, 'but the policy');
    });

    it('auditor: no account management, no policy', async () => {
      await allForbidden(aud, [...(await userRoutes(aud)), ...policyRoutes(aud)], 'auditor');
      assert.equal((await aud.get('/api/v1/audit')).status, 200, 'but the audit log');
    });

    it('business roles (orgadmin, trainee): none of the three', async () => {
      for (const c of [org, stu]) {
        await allForbidden(c, [...(await userRoutes(c)), ...auditRoutes(c), ...policyRoutes(c)], 'business');
      }
    });

    it('nothing was changed by the refused requests', async () => {
      assert.equal((await admin.get('/api/v1/users?q=sneaky')).json.total, 0);
      assert.equal((await byName('zhang.san')).display_name, '张三');
      assert.equal((await sec.get('/api/v1/security/policy')).json.version, 1);
    });

    it('the CLI refuses to combine sysadmin, secadmin or auditor with another role', () => {
      for (const roles of ['sysadmin,trainee', 'sysadmin,secadmin', 'auditor,orgadmin', 'secadmin,auditor', 'sysadmin,sysadmin,lecturer']) {
        const r = spawnSync(BIN, ['user', 'add', '--username', 'combo.user', '--role', roles, '--password-stdin'], {
          env: { ...process.env, ...srv.env }, input: PASSWORD + '\n', encoding: 'utf8',
        });
        assert.notEqual(r.status, 0, `${roles}: exit ${r.status} ${r.stdout}`);
        assert.ok(r.stderr.length > 0, 'says why');
      }
      // A single administrator role is fine.
      const ok = spawnSync(BIN, ['user', 'add', '--username', 'combo.user', '--role', 'auditor', '--password-stdin'], {
        env: { ...process.env, ...srv.env }, input: PASSWORD + '\n', encoding: 'utf8',
      });
      assert.equal(ok.status, 0, ok.stderr);
    });

    it('and only one account came of it, with one role', async () => {
      const u = await byName('combo.user');
      assert.deepEqual(u.roles, ['auditor']);
      assert.equal((await admin.get('/api/v1/users?q=combo.user')).json.total, 1);
    });
  });
});
