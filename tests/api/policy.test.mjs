// The security policy (docs/api.md "Security policy (secadmin)"): read,
// versioned update, ranges, and that new values take effect.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, PASSWORD, BIN } from '../lib/server.mjs';

const CJK = /[\u4e00-\u9fff]/;
const DEFAULTS = { password_min_length: 10, lock_threshold: 5, lock_minutes: 15, session_idle_minutes: 30, session_max_hours: 12, import_max_rows_liaison: 1000, lookup_limit_per_minute: 30 };
const RANGES = {
  password_min_length: [8, 64],
  lock_threshold: [3, 10],
  lock_minutes: [1, 1440],
  session_idle_minutes: [5, 120],
  session_max_hours: [1, 24],
  import_max_rows_liaison: [1, 100000],
  lookup_limit_per_minute: [1, 1000],
};
/** Fields a PUT may leave out (kept as they are), so that older clients keep working. */
const OPTIONAL = new Set(['import_max_rows_liaison', 'lookup_limit_per_minute']);

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `want ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.match(r.json.error.message, CJK);
  if (field !== undefined) {
    assert.ok(r.json.error.fields && Object.hasOwn(r.json.error.fields, field), `fields.${field}: ${r.text}`);
    assert.match(r.json.error.fields[field], CJK);
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe('security policy', () => {
  let srv;
  let sec;
  let admin;

  before(async () => {
    srv = await startServer({
      users: [
        { username: 'sec', role: 'secadmin' },
        { username: 'admin', role: 'sysadmin' },
        { username: 'lockme', role: 'trainee' },
        { username: 'changer', role: 'trainee' },
        { username: 'resettee', role: 'trainee' },
      ],
    });
    sec = new Client(srv.url);
    await sec.login('sec');
    admin = new Client(srv.url);
    await admin.login('admin');
  });

  after(async () => { await srv?.stop(); });

  const get = async () => {
    const r = await sec.get('/api/v1/security/policy');
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const put = async (changes) => sec.put('/api/v1/security/policy', { ...(await get()), ...changes });

  it('GET answers the defaults at version 1', async () => {
    assert.deepEqual(await get(), { ...DEFAULTS, version: 1 });
  });

  it('PUT with the current version: 200 the new policy, version + 1', async () => {
    const r = await sec.put('/api/v1/security/policy', { ...DEFAULTS, lock_minutes: 16, version: 1 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { ...DEFAULTS, lock_minutes: 16, version: 2 });
    assert.deepEqual(await get(), r.json);
  });

  it('PUT with a stale version: 409 version_conflict, nothing changes', async () => {
    const cur = await get();
    assertError(await sec.put('/api/v1/security/policy', { ...DEFAULTS, lock_minutes: 99, version: cur.version - 1 }), 409, 'version_conflict');
    assertError(await sec.put('/api/v1/security/policy', { ...DEFAULTS, lock_minutes: 99, version: cur.version + 1 }), 409, 'version_conflict');
    assert.deepEqual(await get(), cur);
  });

  it('each value outside its range: 400 naming the field, nothing changes', async () => {
    const cur = await get();
    for (const [field, [min, max]] of Object.entries(RANGES)) {
      for (const v of [min - 1, max + 1, 0, -1, 100000]) {
        if (v >= min && v <= max) continue;
        assertError(await sec.put('/api/v1/security/policy', { ...cur, [field]: v }), 400, 'validation', field);
      }
    }
    assert.deepEqual(await get(), cur);
  });

  it('the ends of each range are accepted', async () => {
    const lows = Object.fromEntries(Object.entries(RANGES).map(([k, [lo]]) => [k, lo]));
    const highs = Object.fromEntries(Object.entries(RANGES).map(([k, [, hi]]) => [k, hi]));
    let r = await put(lows);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json, version: 0 }, { ...lows, version: 0 });
    r = await put(highs);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json, version: 0 }, { ...highs, version: 0 });
    r = await put(DEFAULTS);
    assert.equal(r.status, 200, r.text);
  });

  it('bad bodies: a missing field, wrong types, unknown fields, no version', async () => {
    const cur = await get();
    for (const field of Object.keys(RANGES)) {
      const body = { ...cur };
      delete body[field];
      if (!OPTIONAL.has(field)) assertError(await sec.put('/api/v1/security/policy', body), 400, 'validation', field);
      assertError(await sec.put('/api/v1/security/policy', { ...cur, [field]: String(cur[field]) }), 400, 'validation', field);
      assertError(await sec.put('/api/v1/security/policy', { ...cur, [field]: cur[field] + 0.5 }), 400, 'validation', field);
      assertError(await sec.put('/api/v1/security/policy', { ...cur, [field]: null }), 400, 'validation', field);
    }
    const { version, ...noVersion } = cur;
    assert.ok(version);
    assertError(await sec.put('/api/v1/security/policy', noVersion), 400, 'validation', 'version');
    assertError(await sec.put('/api/v1/security/policy', { ...cur, password_max_length: 20 }), 400, 'validation', 'password_max_length');
    assert.deepEqual(await get(), cur);
  });

  describe('a raised password_min_length applies to the next password set', () => {
    let changer;
    before(async () => {
      changer = new Client(srv.url);
      await changer.login('changer'); // a session started before the change
      const r = await put({ password_min_length: 16 });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.password_min_length, 16);
    });
    after(async () => {
      const r = await put({ password_min_length: 10 });
      assert.equal(r.status, 200, r.text);
    });

    it('to accounts created by the sysadmin', async () => {
      const base = { display_name: '长密码', roles: ['trainee'] };
      assertError(await admin.post('/api/v1/users', { ...base, username: 'len.a', password: 'Abcdef#123456' }), 400, 'validation', 'password');
      assertError(await admin.post('/api/v1/users', { ...base, username: 'len.a', password: 'Abcdefg#1234567' }), 400, 'validation', 'password');
      const ok = await admin.post('/api/v1/users', { ...base, username: 'len.a', password: 'Abcdefgh#1234567' });
      assert.equal(ok.status, 201, ok.text);
    });

    it('to a password change', async () => {
      assertError(await changer.post('/api/v1/auth/password', { old_password: PASSWORD, new_password: 'Short#Pass1234' }), 400, 'validation', 'new_password');
      const ok = await changer.post('/api/v1/auth/password', { old_password: PASSWORD, new_password: 'Long#Enough#Pass16' });
      assert.equal(ok.status, 200, ok.text);
    });

    it('to a reset by the sysadmin', async () => {
      const u = (await admin.get('/api/v1/users?q=resettee')).json.items[0];
      assertError(await admin.post(`/api/v1/users/${u.id}/reset-password`, { version: u.version, password: 'Reset#Pass1234' }), 400, 'validation', 'password');
      const ok = await admin.post(`/api/v1/users/${u.id}/reset-password`, { version: u.version, password: 'Reset#Pass123456' });
      assert.equal(ok.status, 200, ok.text);
    });

    it('to accounts added with the CLI', () => {
      const run = (name, pw) => spawnSync(BIN, ['user', 'add', '--username', name, '--role', 'trainee', '--password-stdin'], {
        env: { ...process.env, ...srv.env }, input: pw + '\n', encoding: 'utf8',
      });
      const bad = run('cli.short', 'Abcdef#123456');
      assert.notEqual(bad.status, 0, bad.stdout);
      const good = run('cli.long', 'Abcdefgh#1234567');
      assert.equal(good.status, 0, good.stderr);
    });

    it('existing passwords keep working', async () => {
      await new Client(srv.url).login('admin');
    });
  });

  it('a lowered password_min_length allows shorter passwords', async () => {
    const r = await put({ password_min_length: 8 });
    assert.equal(r.status, 200, r.text);
    try {
      const ok = await admin.post('/api/v1/users', { username: 'len.b', display_name: '短', roles: ['trainee'], password: 'Abc#1234' });
      assert.equal(ok.status, 201, ok.text);
      assertError(await admin.post('/api/v1/users', { username: 'len.c', display_name: '短', roles: ['trainee'], password: 'Ab#1234' }), 400, 'validation', 'password');
    } finally {
      await put({ password_min_length: 10 });
    }
  });

  it('lock_threshold 3 locks after 3 failures, for lock_minutes', async () => {
    const r = await put({ lock_threshold: 3, lock_minutes: 2 });
    assert.equal(r.status, 200, r.text);
    try {
      for (let i = 1; i <= 2; i++) {
        assertError(await new Client(srv.url).post('/api/v1/auth/login', { username: 'lockme', password: `Wrong#Pass${i}00` }), 401, 'invalid_credentials');
      }
      const third = await new Client(srv.url).post('/api/v1/auth/login', { username: 'lockme', password: 'Wrong#Pass300' });
      assertError(third, 423, 'account_locked');
      assert.ok(Math.abs(third.json.error.locked_until - (now() + 120)) <= 30, `locked_until ${third.json.error.locked_until}`);
      assertError(await new Client(srv.url).post('/api/v1/auth/login', { username: 'lockme', password: PASSWORD }), 423, 'account_locked');
    } finally {
      await put({ lock_threshold: 5, lock_minutes: 15 });
    }
  });

  it('the policy is readable and writable only by the secadmin', async () => {
    assertError(await admin.get('/api/v1/security/policy'), 403, 'forbidden');
    assertError(await admin.put('/api/v1/security/policy', { ...DEFAULTS, version: 1 }), 403, 'forbidden');
    assertError(await new Client(srv.url).get('/api/v1/security/policy'), 401, 'unauthenticated');
  });
});
