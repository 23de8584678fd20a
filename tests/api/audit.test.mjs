// The audit log (docs/api.md "Audit log (auditor)"): what writes record,
// filters, newest-first order, the hash chain check through the API and
// the CLI, and tampering done directly in the database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { startServer, Client, PASSWORD, BACKEND, BIN } from '../lib/server.mjs';

const CJK = /[\u4e00-\u9fff]/;
const ENTRY_KEYS = ['action', 'actor', 'actor_id', 'after', 'at', 'before', 'entity', 'entity_id', 'id', 'ip'];
const INIT = 'Init#Pass123';
const RESET = 'Reset#Pass456';
const WRONG = 'Wrong#Guess789';

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `want ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.match(r.json.error.message, CJK);
  if (field !== undefined) assert.ok(r.json.error.fields && Object.hasOwn(r.json.error.fields, field), `fields.${field}: ${r.text}`);
}

/** Run SQL directly on the test database; returns {status, stdout, stderr}. */
function sql(srv, stmt) {
  const r = BACKEND === 'postgresql'
    ? spawnSync('psql', [srv.env.GANXUN_DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', stmt], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', srv.env.GANXUN_DB.replace(/^sqlite:/, ''), stmt], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}
function sqlOk(srv, stmt) {
  const r = sql(srv, stmt);
  assert.equal(r.status, 0, `SQL failed: ${stmt}\n${r.stderr}`);
  return r.stdout.trim();
}

function cliVerify(srv) {
  return spawnSync(BIN, ['audit', 'verify'], { env: { ...process.env, ...srv.env }, encoding: 'utf8' });
}

const now = () => Math.floor(Date.now() / 1000);

describe('audit log', () => {
  let srv;
  let admin;
  let sec;
  let aud;
  let target;
  let t0;
  let t1;

  before(async () => {
    t0 = now();
    srv = await startServer({
      users: [
        { username: 'admin', role: 'sysadmin' },
        { username: 'sec', role: 'secadmin' },
        { username: 'aud', role: 'auditor' },
        { username: 'locky', role: 'trainee' },
        { username: 'changer', role: 'trainee' },
      ],
    });
    admin = new Client(srv.url);
    await admin.login('admin');
    let r = await admin.post('/api/v1/users', { username: 'target', display_name: '甲', roles: ['trainee'], password: INIT });
    assert.equal(r.status, 201, r.text);
    target = r.json;
    r = await admin.patch(`/api/v1/users/${target.id}`, { version: 1, display_name: '乙' });
    assert.equal(r.status, 200, r.text);
    r = await admin.post(`/api/v1/users/${target.id}/reset-password`, { version: 2, password: RESET });
    assert.equal(r.status, 200, r.text);
    sec = new Client(srv.url);
    await sec.login('sec');
    const pol = (await sec.get('/api/v1/security/policy')).json;
    r = await sec.put('/api/v1/security/policy', { ...pol, lock_minutes: 20 });
    assert.equal(r.status, 200, r.text);
    r = await new Client(srv.url).post('/api/v1/auth/login', { username: 'target', password: WRONG });
    assert.equal(r.status, 401);
    r = await new Client(srv.url).post('/api/v1/auth/login', { username: 'ghost', password: WRONG });
    assert.equal(r.status, 401);
    // A lockout, a password change and a logout.
    for (let i = 0; i < 5; i++) await new Client(srv.url).post('/api/v1/auth/login', { username: 'locky', password: WRONG });
    const ch = new Client(srv.url);
    await ch.login('changer');
    r = await ch.post('/api/v1/auth/password', { old_password: PASSWORD, new_password: 'Changed#Pass42' });
    assert.equal(r.status, 200, r.text);
    r = await ch.post('/api/v1/auth/logout');
    assert.equal(r.status, 200, r.text);
    // Without --trust-proxy, client-supplied address headers are ignored.
    await new Client(srv.url).login('admin', PASSWORD);
    r = await new Client(srv.url).post('/api/v1/auth/login', { username: 'admin', password: PASSWORD }, { 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '7.7.7.7' });
    assert.equal(r.status, 200, r.text);
    aud = new Client(srv.url);
    await aud.login('aud');
    t1 = now();
  });

  after(async () => { await srv?.stop(); });

  async function all() {
    const r = await aud.get('/api/v1/audit?page_size=200');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, r.json.total, 'fits one page');
    return r.json.items;
  }
  const find = (items, action, pred = () => true) => {
    const e = items.find((x) => x.action === action && pred(x));
    assert.ok(e, `entry ${action} in ${items.map((x) => x.action)}`);
    return e;
  };

  describe('entries', () => {
    it('are listed newest first, in the list shape, with the documented fields', async () => {
      const r = await aud.get('/api/v1/audit?page_size=200');
      assert.deepEqual(Object.keys(r.json).sort(), ['items', 'page', 'page_size', 'total']);
      const items = r.json.items;
      assert.ok(items.length >= 10, `${items.length} entries`);
      for (const e of items) {
        assert.deepEqual(Object.keys(e).sort(), ENTRY_KEYS);
        assert.ok(Number.isInteger(e.id) && Number.isInteger(e.at));
        assert.ok(e.at >= t0 - 2 && e.at <= t1 + 2, `at ${e.at}`);
        assert.ok(e.before === null || typeof e.before === 'object');
        assert.ok(e.after === null || typeof e.after === 'object');
      }
      for (let i = 1; i < items.length; i++) {
        assert.ok(items[i - 1].id > items[i].id, 'ids descend');
        assert.ok(items[i - 1].at >= items[i].at, 'times do not increase');
      }
    });

    it('every write through the API is recorded with actor, address, action, entity and before/after', async () => {
      const items = await all();
      const adminId = (await aud.get('/api/v1/audit?action=auth.login&actor=admin')).json.items[0]?.actor_id;
      assert.ok(Number.isInteger(adminId), 'auth.login of admin has actor_id');

      const login = find(items, 'auth.login', (e) => e.actor === 'admin');
      assert.equal(login.ip, '127.0.0.1');
      assert.equal(login.entity, 'user');
      assert.equal(login.entity_id, adminId);

      const create = find(items, 'user.create', (e) => e.entity_id === target.id);
      assert.equal(create.actor, 'admin');
      assert.equal(create.actor_id, adminId);
      assert.equal(create.ip, '127.0.0.1');
      assert.equal(create.entity, 'user');
      assert.equal(create.before, null);
      assert.equal(create.after.username, 'target');
      assert.equal(create.after.display_name, '甲');

      const update = find(items, 'user.update', (e) => e.entity_id === target.id);
      assert.equal(update.actor, 'admin');
      assert.equal(update.ip, '127.0.0.1');
      assert.equal(update.before.display_name, '甲');
      assert.equal(update.after.display_name, '乙');
      assert.equal(update.before.version, 1);
      assert.equal(update.after.version, 2);

      const reset = find(items, 'user.reset_password', (e) => e.entity_id === target.id);
      assert.equal(reset.actor, 'admin');
      assert.equal(reset.ip, '127.0.0.1');
      assert.equal(reset.after.must_change_password, true);

      const policy = find(items, 'security.policy');
      assert.equal(policy.actor, 'sec');
      assert.equal(policy.ip, '127.0.0.1');
      assert.equal(policy.before.lock_minutes, 15);
      assert.equal(policy.after.lock_minutes, 20);

      const failed = find(items, 'auth.login_failed', (e) => e.entity_id === target.id);
      assert.equal(failed.ip, '127.0.0.1');
      assert.equal(failed.entity, 'user');
      assert.ok(items.filter((e) => e.action === 'auth.login_failed').length >= 2, 'the unknown user too');

      const lock = find(items, 'auth.locked');
      assert.equal(lock.entity, 'user');
      assert.ok(Number.isInteger(lock.entity_id));
      const pw = find(items, 'auth.password', (e) => e.actor === 'changer');
      assert.equal(pw.entity_id, pw.actor_id);
      const out = find(items, 'auth.logout', (e) => e.actor === 'changer');
      assert.ok(out.id > pw.id);
      // Every action docs/api.md lists has been seen.
      for (const a of ['auth.login', 'auth.login_failed', 'auth.locked', 'auth.logout', 'auth.password',
        'user.create', 'user.update', 'user.reset_password', 'security.policy']) {
        assert.ok(items.some((e) => e.action === a), `action ${a}`);
      }

      // In the order they happened.
      assert.ok(create.id < update.id && update.id < reset.id && reset.id < policy.id && policy.id < failed.id);
      // Every entry made through HTTP carries the client address.
      for (const e of items.filter((x) => x.actor !== 'cli')) assert.equal(e.ip, '127.0.0.1', JSON.stringify(e));
    });

    it('no password, hash or session token anywhere in the log', async () => {
      const r = await aud.get('/api/v1/audit?page_size=200');
      for (const secret of ['scrypt', INIT, RESET, WRONG, PASSWORD, 'Changed#Pass42', '6.6.6.6', '7.7.7.7', admin.csrf, admin.cookie.slice('gx_session='.length)]) {
        assert.ok(!r.text.includes(secret), `audit log contains ${secret.slice(0, 12)}…`);
      }
      for (const e of r.json.items) {
        for (const side of [e.before, e.after]) {
          if (!side) continue;
          for (const k of Object.keys(side)) assert.doesNotMatch(k, /^password$|hash|token|csrf|salt/i, `${e.action} has ${k}`);
        }
      }
    });

    it('reading the log writes nothing', async () => {
      const n = (await aud.get('/api/v1/audit')).json.total;
      await aud.get('/api/v1/audit/verify');
      await aud.get('/api/v1/audit?action=user.');
      assert.equal((await aud.get('/api/v1/audit')).json.total, n);
    });
  });

  describe('filters', () => {
    it('actor matches the username exactly', async () => {
      const items = await all();
      const r = (await aud.get('/api/v1/audit?actor=admin&page_size=200')).json;
      assert.ok(r.total >= 4);
      assert.ok(r.items.every((e) => e.actor === 'admin'));
      assert.equal(r.total, items.filter((e) => e.actor === 'admin').length);
      assert.equal((await aud.get('/api/v1/audit?actor=adm')).json.total, 0);
      assert.equal((await aud.get('/api/v1/audit?actor=admin2')).json.total, 0);
    });

    it('action is a prefix', async () => {
      const items = await all();
      const r = (await aud.get('/api/v1/audit?action=user.&page_size=200')).json;
      assert.ok(r.items.every((e) => e.action.startsWith('user.')));
      assert.equal(r.total, items.filter((e) => e.action.startsWith('user.')).length);
      for (const a of ['user.create', 'user.update', 'user.reset_password']) assert.ok(r.items.some((e) => e.action === a), a);
      const exact = (await aud.get('/api/v1/audit?action=user.update')).json;
      assert.ok(exact.total >= 1 && exact.items.every((e) => e.action === 'user.update'));
      const auth = (await aud.get('/api/v1/audit?action=auth.&page_size=200')).json;
      assert.ok(auth.items.some((e) => e.action === 'auth.login') && auth.items.some((e) => e.action === 'auth.login_failed'));
      assert.ok(auth.items.every((e) => e.action.startsWith('auth.')));
      // LIKE wildcards are literal.
      assert.equal((await aud.get('/api/v1/audit?action=%25')).json.total, 0);
      assert.equal((await aud.get('/api/v1/audit?action=user_')).json.total, 0);
      assert.equal((await aud.get('/api/v1/audit?action=ser.')).json.total, 0);
    });

    it('entity and entity_id', async () => {
      const items = await all();
      const r = (await aud.get(`/api/v1/audit?entity=user&entity_id=${target.id}&page_size=200`)).json;
      const want = items.filter((e) => e.entity === 'user' && e.entity_id === target.id);
      assert.deepEqual(r.items.map((e) => e.id), want.map((e) => e.id));
      for (const a of ['user.create', 'user.update', 'user.reset_password', 'auth.login_failed']) assert.ok(r.items.some((e) => e.action === a), a);
      const policy = find(items, 'security.policy');
      const p = (await aud.get(`/api/v1/audit?entity=${encodeURIComponent(policy.entity)}`)).json;
      assert.ok(p.items.some((e) => e.id === policy.id));
      assert.ok(p.items.every((e) => e.entity === policy.entity));
      assert.equal((await aud.get('/api/v1/audit?entity=nothing')).json.total, 0);
    });

    it('from and to are inclusive epoch seconds', async () => {
      const items = await all();
      const update = find(items, 'user.update');
      const r = (await aud.get(`/api/v1/audit?from=${update.at}&to=${update.at}&page_size=200`)).json;
      assert.ok(r.items.some((e) => e.id === update.id));
      assert.ok(r.items.every((e) => e.at === update.at));
      assert.equal(r.total, items.filter((e) => e.at === update.at).length);
      const later = (await aud.get(`/api/v1/audit?from=${update.at + 1}&page_size=200`)).json;
      assert.equal(later.total, items.filter((e) => e.at > update.at).length);
      assert.equal((await aud.get(`/api/v1/audit?from=${now() + 3600}`)).json.total, 0);
      assert.equal((await aud.get(`/api/v1/audit?to=${t0 - 60}`)).json.total, 0);
      assert.equal((await aud.get(`/api/v1/audit?from=${t1 + 10}&to=${t0 - 10}`)).json.total, 0);
    });

    it('combined filters and pages', async () => {
      const items = await all();
      const r = (await aud.get(`/api/v1/audit?actor=admin&action=user.&entity_id=${target.id}`)).json;
      assert.deepEqual(r.items.map((e) => e.action), ['user.reset_password', 'user.update', 'user.create']);
      const p2 = (await aud.get('/api/v1/audit?page_size=3&page=2')).json;
      assert.deepEqual(p2.items.map((e) => e.id), items.slice(3, 6).map((e) => e.id));
      assert.equal(p2.total, items.length);
    });

    it('bad filters: 400 bad_query naming the parameter', async () => {
      assertError(await aud.get('/api/v1/audit?from=yesterday'), 400, 'bad_query', 'from');
      assertError(await aud.get('/api/v1/audit?to=1.5'), 400, 'bad_query', 'to');
      assertError(await aud.get('/api/v1/audit?entity_id=x'), 400, 'bad_query', 'entity_id');
      assertError(await aud.get('/api/v1/audit?user=admin'), 400, 'bad_query', 'user');
      assertError(await aud.get('/api/v1/audit?actor=a&actor=b'), 400, 'bad_query', 'actor');
    });
  });

  describe('integrity', () => {
    it('GET /audit/verify: ok with every entry checked', async () => {
      const total = (await aud.get('/api/v1/audit')).json.total;
      const r = await aud.get('/api/v1/audit/verify');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { ok: true, checked: total });
    });

    it('`ganxun audit verify` exits 0', () => {
      const r = cliVerify(srv);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /intact|ok/i);
    });

    it('the database refuses UPDATE and DELETE on audit_log', () => {
      const id = sqlOk(srv, 'SELECT MIN(id) FROM audit_log');
      const u = sql(srv, `UPDATE audit_log SET actor = 'mallory' WHERE id = ${id}`);
      assert.notEqual(u.status, 0, 'UPDATE refused');
      assert.match(u.stderr, /append-only/);
      const d = sql(srv, `DELETE FROM audit_log WHERE id = ${id}`);
      assert.notEqual(d.status, 0, 'DELETE refused');
      assert.equal(sqlOk(srv, `SELECT actor FROM audit_log WHERE id = ${id}`), 'cli');
    });

    it('there is no route to change or delete entries', async () => {
      const n = (await aud.get('/api/v1/audit')).json.total;
      const id = (await aud.get('/api/v1/audit')).json.items[0].id;
      for (const m of ['PUT', 'PATCH', 'DELETE', 'POST']) {
        for (const p of ['/api/v1/audit', `/api/v1/audit/${id}`, '/api/v1/audit/verify']) {
          const r = await aud.req(m, p, m === 'DELETE' ? undefined : { action: 'x' });
          assert.ok(r.status === 405 || r.status === 404, `${m} ${p}: ${r.status}`);
        }
      }
      assert.equal((await aud.get('/api/v1/audit')).json.total, n);
    });

    describe('tampering in the database is detected', () => {
      let update;
      before(async () => {
        update = find(await all(), 'user.update', (e) => e.entity_id === target.id);
        sqlOk(srv, BACKEND === 'postgresql'
          ? 'ALTER TABLE audit_log DISABLE TRIGGER USER'
          : 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
      });

      it('a changed after_json: ok false, first_bad_id is that entry; the CLI exits 1', async () => {
        sqlOk(srv, `UPDATE audit_log SET after_json = REPLACE(after_json, '乙', '丙') WHERE id = ${update.id}`);
        const e = (await aud.get(`/api/v1/audit?action=user.update&entity_id=${target.id}`)).json.items[0];
        assert.equal(e.after.display_name, '丙', 'the edit took');
        const r = await aud.get('/api/v1/audit/verify');
        assert.equal(r.status, 200);
        assert.equal(r.json.ok, false, r.text);
        assert.equal(r.json.first_bad_id, update.id);
        assert.equal(typeof r.json.reason, 'string');
        assert.match(r.json.reason, CJK);
        assert.ok(Number.isInteger(r.json.checked));
        const c = cliVerify(srv);
        assert.equal(c.status, 1, c.stdout + c.stderr);
        assert.match(c.stdout + c.stderr, new RegExp(`\\b${update.id}\\b`));
      });

      it('changing it back makes the chain whole again', async () => {
        sqlOk(srv, `UPDATE audit_log SET after_json = REPLACE(after_json, '丙', '乙') WHERE id = ${update.id}`);
        assert.equal((await aud.get('/api/v1/audit/verify')).json.ok, true);
        assert.equal(cliVerify(srv).status, 0);
      });

      it('other edited columns are detected too (actor, at, ip, before_json)', async () => {
        const edits = [
          ["actor = 'mallory'", "actor = 'admin'"],
          ['at = at + 1', 'at = at - 1'],
          ["ip = '10.0.0.1'", "ip = '127.0.0.1'"],
          ["before_json = REPLACE(before_json, '甲', '丁')", "before_json = REPLACE(before_json, '丁', '甲')"],
        ];
        for (const [bad, good] of edits) {
          sqlOk(srv, `UPDATE audit_log SET ${bad} WHERE id = ${update.id}`);
          const r = (await aud.get('/api/v1/audit/verify')).json;
          assert.equal(r.ok, false, bad);
          assert.equal(r.first_bad_id, update.id, bad);
          sqlOk(srv, `UPDATE audit_log SET ${good} WHERE id = ${update.id}`);
          assert.equal((await aud.get('/api/v1/audit/verify')).json.ok, true, `after undoing ${bad}`);
        }
      });

      it('a deleted entry in the middle: ok false at the gap; the CLI exits 1', async () => {
        sqlOk(srv, `CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE id = ${update.id}`);
        sqlOk(srv, `DELETE FROM audit_log WHERE id = ${update.id}`);
        const r = (await aud.get('/api/v1/audit/verify')).json;
        assert.equal(r.ok, false);
        assert.ok(r.first_bad_id === update.id || r.first_bad_id === update.id + 1, `first_bad_id ${r.first_bad_id} near ${update.id}`);
        assert.equal(cliVerify(srv).status, 1);
        sqlOk(srv, 'INSERT INTO audit_log SELECT * FROM audit_saved; DROP TABLE audit_saved');
        assert.equal((await aud.get('/api/v1/audit/verify')).json.ok, true, 'restored');
      });

      it('a cut tail (the newest entry deleted): ok false', async () => {
        const last = (await aud.get('/api/v1/audit?page_size=1')).json.items[0];
        sqlOk(srv, `DELETE FROM audit_log WHERE id = ${last.id}`);
        const r = (await aud.get('/api/v1/audit/verify')).json;
        assert.equal(r.ok, false);
        assert.equal(r.first_bad_id, last.id);
        assert.equal(cliVerify(srv).status, 1);
      });
    });
  });
});

describe('audit addresses behind a proxy (--trust-proxy)', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--trust-proxy'], users: [{ username: 'aud', role: 'auditor' }, { username: 'bob', role: 'trainee' }] });
  });
  after(async () => { await srv?.stop(); });

  it('records X-Real-IP, else the last X-Forwarded-For hop', async () => {
    await new Client(srv.url).post('/api/v1/auth/login', { username: 'bob', password: PASSWORD }, { 'x-real-ip': '10.1.2.3' });
    await new Client(srv.url).post('/api/v1/auth/login', { username: 'bob', password: WRONG }, { 'x-forwarded-for': '1.1.1.1, 10.9.8.7' });
    const aud = new Client(srv.url);
    await aud.login('aud');
    const items = (await aud.get('/api/v1/audit?actor=bob')).json.items;
    assert.equal(items.find((e) => e.action === 'auth.login')?.ip, '10.1.2.3');
    assert.equal(items.find((e) => e.action === 'auth.login_failed')?.ip, '10.9.8.7');
  });
});

// Issue 7 #6: after dropping the triggers, deleting the newest rows and
// rewriting audit_head, the log used to verify as intact (and deleting every
// row gave "intact: 0 entries"). The head now carries an HMAC under the key,
// and the server copies it to a checkpoint file beside the key file.
describe('cutting the end off the log', () => {
  let srv;
  let aud;
  const ckptFile = () => join(srv.dir, 'ganxun.checkpoints');
  const ckptLines = () => (existsSync(ckptFile()) ? readFileSync(ckptFile(), 'utf8').split('\n').filter(Boolean) : []);
  const head = () => {
    const [seq, hash, mac] = sqlOk(srv, 'SELECT seq, hash, mac FROM audit_head').split('|');
    return { seq: Number(seq), hash, mac };
  };
  async function logins(n) {
    for (let i = 0; i < n; i++) await new Client(srv.url).login('bob');
  }
  /** Delete the entries after k (kept aside for restore()) and set the head. */
  function cut(k, h) {
    sqlOk(srv, `CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE id > ${k}`);
    sqlOk(srv, `CREATE TABLE head_saved AS SELECT * FROM audit_head`);
    sqlOk(srv, `DELETE FROM audit_log WHERE id > ${k}`);
    sqlOk(srv, `UPDATE audit_head SET seq = ${h.seq}, hash = '${h.hash}', mac = '${h.mac}'`);
  }
  async function restore() {
    sqlOk(srv, 'INSERT INTO audit_log SELECT * FROM audit_saved; DROP TABLE audit_saved');
    sqlOk(srv, 'DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM head_saved; DROP TABLE head_saved');
    const r = await aud.get('/api/v1/audit/verify');
    assert.equal(r.json.ok, true, `restored: ${r.text}`);
  }

  before(async () => {
    srv = await startServer({ users: [{ username: 'aud', role: 'auditor' }, { username: 'bob', role: 'trainee' }] });
    aud = new Client(srv.url);
    await aud.login('aud');
    await logins(3);
    sqlOk(srv, BACKEND === 'postgresql'
      ? 'ALTER TABLE audit_log DISABLE TRIGGER USER'
      : 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  });
  after(async () => { await srv?.stop(); });

  it('the server checkpoints the head at start, into a 0600 file beside the key', async () => {
    for (let i = 0; i < 50 && !ckptLines().length; i++) await new Promise((r) => setTimeout(r, 100));
    const lines = ckptLines();
    assert.ok(lines.length >= 1, 'a checkpoint line');
    assert.match(lines.at(-1), /^v1 \d+ \d+ [0-9a-f]{64} [0-9a-f]{64}$/);
    assert.equal(statSync(ckptFile()).mode & 0o777, 0o600);
    // `audit checkpoint` pins the head now; a second call has nothing new.
    await logins(1);
    assert.match(srv.cli(['audit', 'checkpoint']), /written/);
    assert.match(srv.cli(['audit', 'checkpoint']), /already/);
    const [, , seq, hash] = ckptLines().at(-1).split(' ');
    assert.deepEqual([Number(seq), hash], [head().seq, head().hash]);
  });

  it('last rows deleted and the head rewritten to the new last row (no key): ok false', async () => {
    const h = head();
    const k = h.seq - 2;
    const hashK = sqlOk(srv, `SELECT hash FROM audit_log WHERE id = ${k}`);
    cut(k, { seq: k, hash: hashK, mac: h.mac });
    const r = (await aud.get('/api/v1/audit/verify')).json;
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(r.first_bad_id, k + 1);
    assert.match(r.reason, CJK);
    const c = cliVerify(srv);
    assert.equal(c.status, 1, c.stdout + c.stderr);
    assert.match(c.stdout, new RegExp(`BROKEN at entry ${k + 1}\\b`));
    // The head code cannot be forged without the key: an empty one does not pass either.
    sqlOk(srv, "UPDATE audit_head SET mac = ''");
    assert.equal((await aud.get('/api/v1/audit/verify')).json.ok, false);
    await restore();
  });

  it('an older head restored from a copy of the database: the checkpoint reports the cut tail', async () => {
    const old = head(); // what an attacker saw in an earlier copy (backup) of the database
    await logins(3);
    srv.cli(['audit', 'checkpoint']);
    const now = head();
    assert.equal(now.seq, old.seq + 3);
    cut(old.seq, old);
    const r = (await aud.get('/api/v1/audit/verify')).json;
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(r.first_bad_id, old.seq + 1);
    assert.match(r.reason, new RegExp(`${now.seq}`));
    const c = cliVerify(srv);
    assert.equal(c.status, 1, c.stdout + c.stderr);
    assert.match(c.stdout, new RegExp(`BROKEN at entry ${old.seq + 1}\\b`));
    // The server notices too: it refuses to checkpoint a head behind the last checkpoint.
    const cp = spawnSync(BIN, ['audit', 'checkpoint'], { env: { ...process.env, ...srv.env }, encoding: 'utf8' });
    assert.equal(cp.status, 1);
    assert.match(cp.stderr, /tail cut/);
    await restore();
  });

  it('every row deleted and the head reset to empty: ok false (was "intact: 0 entries")', async () => {
    const h = head();
    cut(0, { seq: 0, hash: '0'.repeat(64), mac: '' });
    const r = (await aud.get('/api/v1/audit/verify')).json;
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(r.first_bad_id, 1);
    assert.equal(cliVerify(srv).status, 1);
    await restore();
    assert.equal(head().seq, h.seq);
  });

  it('a chain rewritten with the key after a checkpoint: reported at the checkpointed entry', async () => {
    // Stand-in for an attacker holding the key who re-signs the chain from entry k on: an authenticated
    // checkpoint line (made here with the key) that holds another hash for entry k than the chain now has.
    const master = Buffer.from(readFileSync(srv.env.GANXUN_KEY_FILE, 'utf8').trim(), 'hex');
    const sub = createHmac('sha256', master).update('audit-head').digest();
    const k = head().seq - 1;
    const other = 'ab'.repeat(32);
    const mac = createHmac('sha256', sub).update(`audit-head|${k}|${other}`).digest('hex');
    const lines = ckptLines();
    writeFileSync(ckptFile(), lines.concat(`v1 ${Math.floor(Date.now() / 1000)} ${k} ${other} ${mac}`).join('\n') + '\n');
    const r = (await aud.get('/api/v1/audit/verify')).json;
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(r.first_bad_id, k);
    assert.equal(cliVerify(srv).status, 1);
    // A line that does not authenticate (written without the key) is ignored, with a warning.
    writeFileSync(ckptFile(), lines.concat(`v1 1 ${k} ${other} ${'cd'.repeat(32)}`).join('\n') + '\n');
    const c = cliVerify(srv);
    assert.equal(c.status, 0, c.stdout);
    assert.match(c.stdout, /do not authenticate/);
    writeFileSync(ckptFile(), lines.join('\n') + '\n');
  });

  it('a log from before heads were authenticated is sealed by its first checkpoint, and only then', async () => {
    const h = head();
    const saved = readFileSync(ckptFile());
    sqlOk(srv, "UPDATE audit_head SET mac = ''"); // as migrated from an older version
    // With checkpoints on file, an empty code is a rewritten head: not sealed, reported.
    const refused = spawnSync(BIN, ['audit', 'checkpoint'], { env: { ...process.env, ...srv.env }, encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /does not authenticate/);
    assert.equal(head().mac, '');
    // A log never checkpointed (the upgrade): the first checkpoint seals it.
    unlinkSync(ckptFile());
    assert.match(srv.cli(['audit', 'checkpoint']), /written/);
    assert.equal(head().mac, h.mac);
    assert.equal(cliVerify(srv).status, 0);
    writeFileSync(ckptFile(), saved);
  });

  it('the server writes a last checkpoint at shutdown', async () => {
    const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--threads', '1'], {
      env: { ...process.env, ...srv.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise((res, rej) => {
      let out = '';
      proc.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.:]+)/); if (m) res(m[1]); });
      proc.on('exit', (code) => rej(new Error(`exited ${code}`)));
    });
    // Wait for its start checkpoint, then write an entry it has not checkpointed yet.
    await new Promise((r) => setTimeout(r, 300));
    await new Client(url).login('bob');
    const exited = new Promise((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    const [, , seq, hash] = ckptLines().at(-1).split(' ');
    assert.deepEqual([Number(seq), hash], [head().seq, head().hash]);
    assert.equal(cliVerify(srv).status, 0);
  });
});
