// Issue 7 #10, the smaller points: the export's audit entry records its filters; database, WAL, backup,
// key and checkpoint files are private (0600); sealed values are bound to their record and field
// (AES-GCM associated data), and values sealed before still open; a per-import row limit for liaisons.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { startServer, Client, DEMO_PASSWORD, BACKEND, BIN } from '../lib/server.mjs';

let srv;
let org;
let aud;

async function login(user) {
  const c = new Client(srv.url);
  await c.login(user, DEMO_PASSWORD);
  return c;
}

/** Run SQL directly on the test database. */
function sql(stmt) {
  const r = BACKEND === 'postgresql'
    ? spawnSync('psql', [srv.env.GANXUN_DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', stmt], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', srv.env.GANXUN_DB.replace(/^sqlite:/, ''), stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, `SQL failed: ${stmt}\n${r.stderr}`);
  return r.stdout.trim();
}

const run = (args) => spawnSync(BIN, args, { env: { ...process.env, ...srv.env }, encoding: 'utf8' });
const mode = (p) => statSync(p).mode & 0o777;

before(async () => {
  srv = await startServer({ demo: 60 });
  org = await login('orgadmin');
  aud = await login('auditor');
});
after(async () => { await srv?.stop(); });

describe('the export audit entry records the filters', () => {
  it('every filter by its API name; an ID number searched for is masked', async () => {
    const c = (await org.get('/api/v1/cadres?page_size=1')).json.items[0];
    const number = (await org.post(`/api/v1/cadres/${c.id}/reveal`)).json.id_number;
    const q = `q=${number}&rank_level=141,142&young_talent=false&age_min=20&unit_id=${c.unit_id}&subtree=true&sort=birth_date&order=desc`;
    const x = await fetch(`${srv.url}/api/v1/cadres/export?${q}`, { headers: { cookie: org.cookie } });
    assert.equal(x.status, 200);
    await x.arrayBuffer();
    const e = (await aud.get('/api/v1/audit?action=cadre.export')).json.items[0];
    assert.deepEqual(e.after.filters, {
      q: `${number.slice(0, 6)}************`, rank_level: '141,142', young_talent: false, age_min: 20,
      unit_id: c.unit_id, subtree: true, sort: 'birth_date', order: 'desc',
    });
    assert.ok(Number.isInteger(e.after.rows));
    assert.ok(!JSON.stringify(e).includes(number), 'no full ID number in the log');
    // A phone is masked too; a name prefix is kept.
    for (const [query, want] of [['q=13812345678', '138****5678'], [`q=${encodeURIComponent('王')}`, '王']]) {
      await (await fetch(`${srv.url}/api/v1/cadres/export?${query}`, { headers: { cookie: org.cookie } })).arrayBuffer();
      assert.deepEqual((await aud.get('/api/v1/audit?action=cadre.export')).json.items[0].after.filters, { q: want });
    }
  });
});

describe('files are created for the owner only (0600)', () => {
  it('the key and the checkpoint file', async () => {
    const ck = join(srv.dir, 'ganxun.checkpoints');
    for (let i = 0; i < 50 && !existsSync(ck); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(mode(srv.env.GANXUN_KEY_FILE), 0o600);
    assert.equal(mode(ck), 0o600);
  });

  if (BACKEND === 'sqlite') {
    it('the database, its WAL and shared-memory files, and backups', () => {
      const db = srv.env.GANXUN_DB.replace(/^sqlite:/, '');
      for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(f), 0o600, f);
      const out = join(srv.dir, 'backup.db');
      const r = run(['backup', '--out', out]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(mode(out), 0o600);
    });

    it('a database left readable by others is made 0600 when opened', () => {
      const out = join(srv.dir, 'old.db');
      assert.equal(run(['backup', '--out', out]).status, 0);
      chmodSync(out, 0o644);
      const r = spawnSync(BIN, ['audit', 'verify'], { env: { ...process.env, ...srv.env, GANXUN_DB: `sqlite:${out}` }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(mode(out), 0o600);
      assert.match(r.stderr, /readable by others/);
    });
  }
});

describe('sealed values are bound to their record and field', () => {
  let a;
  let b;
  let plainA;
  let plainB;
  before(async () => {
    const items = (await org.get('/api/v1/cadres?page_size=50')).json.items.filter((c) => c.phone);
    [a, b] = items;
    plainA = (await org.post(`/api/v1/cadres/${a.id}/reveal`)).json;
    plainB = (await org.post(`/api/v1/cadres/${b.id}/reveal`)).json;
    assert.notEqual(plainA.phone, plainB.phone);
    assert.match(sql(`SELECT id_enc FROM cadres WHERE id = ${a.id}`), /^g2:/);
  });

  it('a phone moved to another cadre in the database no longer opens there (was: revealed as theirs)', async () => {
    const saved = sql(`SELECT phone_enc FROM cadres WHERE id = ${a.id}`);
    sql(`UPDATE cadres SET phone_enc = (SELECT phone_enc FROM cadres WHERE id = ${b.id}) WHERE id = ${a.id}`);
    const r = await org.post(`/api/v1/cadres/${a.id}/reveal`);
    assert.equal(r.status, 500, r.text);
    assert.ok(!r.text.includes(plainB.phone), 'B\'s phone is not shown as A\'s');
    sql(`UPDATE cadres SET phone_enc = '${saved}' WHERE id = ${a.id}`);
    assert.deepEqual((await org.post(`/api/v1/cadres/${a.id}/reveal`)).json, plainA);
  });

  it('an ID number moved into the phone field of the same record does not open either', async () => {
    const saved = sql(`SELECT phone_enc FROM cadres WHERE id = ${a.id}`);
    sql(`UPDATE cadres SET phone_enc = id_enc WHERE id = ${a.id}`);
    assert.equal((await org.post(`/api/v1/cadres/${a.id}/reveal`)).status, 500);
    sql(`UPDATE cadres SET phone_enc = '${saved}' WHERE id = ${a.id}`);
  });

  it('a value sealed before (g1:, without associated data) still opens, and is re-sealed on the next update', async () => {
    const master = Buffer.from(readFileSync(srv.env.GANXUN_KEY_FILE, 'utf8').trim(), 'hex');
    const key = createHmac('sha256', master).update('cadre-phone').digest();
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const ct = Buffer.concat([cipher.update('13900001234'), cipher.final()]);
    const g1 = 'g1:' + Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('hex');
    sql(`UPDATE cadres SET phone_enc = '${g1}' WHERE id = ${b.id}`);
    assert.equal((await org.post(`/api/v1/cadres/${b.id}/reveal`)).json.phone, '13900001234');
    const cur = (await org.get(`/api/v1/cadres/${b.id}`)).json;
    const r = await org.patch(`/api/v1/cadres/${b.id}`, { version: cur.version, expertise: '财务' });
    assert.equal(r.status, 200, r.text);
    assert.match(sql(`SELECT phone_enc FROM cadres WHERE id = ${b.id}`), /^g2:/);
    assert.equal((await org.post(`/api/v1/cadres/${b.id}/reveal`)).json.phone, '13900001234');
  });
});

describe('a per-import row limit for liaisons (security policy)', () => {
  let sec;
  let liaison;
  let n = 500;
  const idNumber = (seq) => {
    const d17 = `321002199001${String(10 + (seq % 18)).padStart(2, '0')}${String(seq).padStart(3, '0')}`.slice(0, 17);
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...d17].reduce((s, ch, i) => s + Number(ch) * w[i], 0);
    return d17 + '10X98765432'[sum % 11];
  };
  const csv = (rows) => ['姓名,身份证号,单位代码,职务职级', ...Array.from({ length: rows }, () => `限额人,${idNumber(n++)},321002,乡科级副职`)].join('\r\n') + '\r\n';
  const imp = (c, rows, dry) => c.req('POST', `/api/v1/cadres/import?dry_run=${dry}`, csv(rows), { 'content-type': 'text/csv' });

  before(async () => {
    sec = await login('secadmin');
    liaison = await login('liaison');
  });

  it('defaults to 1000; the security administrator sets it; a PUT without it keeps it', async () => {
    const p = (await sec.get('/api/v1/security/policy')).json;
    assert.equal(p.import_max_rows_liaison, 1000);
    let r = await sec.put('/api/v1/security/policy', { ...p, import_max_rows_liaison: 3 });
    assert.equal(r.status, 200, r.text);
    const { import_max_rows_liaison: _, ...rest } = r.json;
    r = await sec.put('/api/v1/security/policy', { ...rest, lock_minutes: 16 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.import_max_rows_liaison, 3);
    const bad = await sec.put('/api/v1/security/policy', { ...r.json, import_max_rows_liaison: 0 });
    assert.equal(bad.status, 400);
    assert.ok(bad.json.error.fields.import_max_rows_liaison);
  });

  it('a liaison\'s file over the limit is refused, dry run or not, and nothing is written', async () => {
    const before = (await liaison.get('/api/v1/cadres?page_size=1')).json.total;
    for (const dry of [true, false]) {
      const r = await imp(liaison, 4, dry);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'validation');
      assert.match(r.json.error.message, /3/);
      assert.equal(r.json.error.max_rows, 3);
    }
    assert.equal((await liaison.get('/api/v1/cadres?page_size=1')).json.total, before);
    const ok = await imp(liaison, 3, false);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.created, 3);
  });

  it('the organisation department is not limited', async () => {
    const r = await imp(org, 4, false);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.created, 4);
  });
});
