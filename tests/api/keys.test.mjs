// National cryptography and key rotation (src/base/crypto.c, src/cadre/rekey.c,
// docs/security.md): a database created with --crypto sm seals with SM4/SM3
// and refuses a process that says otherwise; `ganxun key rotate` re-seals
// every value under a new key while the server keeps answering (exact
// ID-number search finds cadres on both sides of the rotation, reveal opens
// both), survives being killed and being stopped by --max-batches, resumes,
// and is audited. Run for both algorithms.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, Client, BIN, DEMO_PASSWORD } from '../lib/server.mjs';

const CADRES = 300;

for (const alg of ['sm', 'aes']) {
  describe(`key rotation (${alg})`, () => {
    let srv, org, aud;
    const people = []; // {id, id_number, phone}

    function run(args, extra = {}) {
      return spawnSync(BIN, args, { env: { ...process.env, ...srv.env, ...extra }, encoding: 'utf8', timeout: 60000 });
    }
    function status() {
      const r = run(['key', 'status']);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    }
    /** Every check a reader makes: found by exact ID number, revealed right. */
    async function readAll() {
      for (const p of people) {
        const s = await org.get(`/api/v1/cadres?q=${p.id_number}&page_size=5`);
        assert.equal(s.status, 200, s.text);
        assert.deepEqual(s.json.items.map((c) => c.id), [p.id], `search for cadre ${p.id}`);
        const ph = await org.get(`/api/v1/cadres?q=${p.phone}&page_size=50`);
        assert.ok(ph.json.items.some((c) => c.id === p.id), `phone search for cadre ${p.id}`);
        const r = await org.post(`/api/v1/cadres/${p.id}/reveal`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.id_number, p.id_number);
        assert.equal(r.json.phone, p.phone);
      }
    }

    before(async () => {
      process.env.GANXUN_CRYPTO = alg; // the migrate and demo of startServer, and the server
      try {
        srv = await startServer({ demo: CADRES });
      } finally {
        delete process.env.GANXUN_CRYPTO;
      }
      srv.env.GANXUN_CRYPTO = alg;
      org = new Client(srv.url);
      await org.login('orgadmin', DEMO_PASSWORD);
      aud = new Client(srv.url);
      await aud.login('auditor', DEMO_PASSWORD);
      const sec = new Client(srv.url);
      await sec.login('secadmin', DEMO_PASSWORD);
      const p = (await sec.get('/api/v1/security/policy')).json;
      assert.equal((await sec.put('/api/v1/security/policy', { ...p, lookup_limit_per_minute: 1000 })).status, 200);
      const ids = [];
      for (let page = 1; ids.length < CADRES; page++) {
        const l = await org.get(`/api/v1/cadres?page=${page}&page_size=100`);
        if (!l.json.items.length) break;
        ids.push(...l.json.items.map((c) => c.id));
      }
      ids.sort((a, b) => a - b);
      // cadres at the start, the middle and the end of the id order
      for (const id of [ids[0], ids[1], ids[Math.floor(ids.length / 2)], ids[ids.length - 2], ids[ids.length - 1]]) {
        const r = await org.post(`/api/v1/cadres/${id}/reveal`);
        assert.equal(r.status, 200, r.text);
        people.push({ id, id_number: r.json.id_number, phone: r.json.phone });
      }
    });
    after(() => srv?.stop());

    it(`the database records ${alg} and refuses a process that says otherwise`, () => {
      const s = status();
      assert.match(s, new RegExp(`^algorithm: ${alg} .*key generation 1$`, 'm'));
      assert.match(s, new RegExp(`values under ${alg} generation 1: ${2 * CADRES}`));
      assert.match(s, alg === 'sm' ? /audit chain: HMAC-SM3/ : /audit chain: HMAC-SHA256/);
      const other = alg === 'sm' ? 'aes' : 'sm';
      const r = run(['key', 'status'], { GANXUN_CRYPTO: other });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, new RegExp(`seals personal data with ${alg}; --crypto \\(GANXUN_CRYPTO\\) says ${other}`));
      const bad = run(['--crypto', 'des', 'key', 'status']);
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /unknown algorithm/);
    });

    it('a rotation killed midway and one stopped by --max-batches resume; readers keep answering', async () => {
      await readAll();
      // 1. killed: SIGKILL once the first batches are committed
      const newKey = join(srv.dir, 'new.key');
      writeFileSync(newKey, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
      const child = spawn(BIN, ['key', 'rotate', '--new-key-file', newKey, '--batch', '10', '--pause', '300'], {
        env: { ...process.env, ...srv.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      await new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error('no progress: ' + out)), 20000);
        child.stdout.on('data', (d) => {
          out += d;
          if ((out.match(/re-sealed up to/g) || []).length >= 2) { clearTimeout(t); res(); }
        });
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      assert.match(out, /rotation started: \w+ generation 1 -> \w+ generation 2/);
      let s = status();
      assert.match(s, /rotation under way to \w+ generation 2: after cadre \d+/);
      assert.match(s, /values under \w+ generation 2: \d+/);
      assert.match(s, /values under \w+ generation 1: \d+/);
      // half rotated: every reader still finds and opens everything
      await readAll();
      // a duplicate ID number is refused whichever key indexes the holder
      for (const p of [people[0], people[people.length - 1]]) {
        const c = (await org.get(`/api/v1/cadres/${p.id}`)).json;
        const dup = await org.post('/api/v1/cadres', { name: '重复', id_number: p.id_number, unit_id: c.unit_id, rank_level: c.rank_level });
        assert.equal(dup.status, 409, `duplicate of cadre ${p.id}: ${dup.text}`);
      }
      // 2. stopped by --max-batches: exit status 3, progress kept
      const stop = run(['key', 'rotate', '--batch', '10', '--max-batches', '3']);
      assert.equal(stop.status, 3, stop.stderr);
      assert.match(stop.stdout, /resuming the rotation to \w+ generation 2 after cadre \d+/);
      assert.match(stop.stdout, /stopped after 3 batches/);
      // 3. resumed to the end while readers keep asking
      const done = new Promise((res) => {
        const c = spawn(BIN, ['key', 'rotate', '--batch', '20', '--pause', '30'], { env: { ...process.env, ...srv.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let o = '', e = '';
        c.stdout.on('data', (d) => { o += d; });
        c.stderr.on('data', (d) => { e += d; });
        c.once('exit', (code) => res({ code, o, e }));
      });
      let finished = null, rounds = 0;
      done.then((r) => { finished = r; });
      while (!finished) {
        await readAll(); // 10 exact lookups a round: paced to stay within the budget of 1,000 a minute
        rounds++;
        await new Promise((r) => setTimeout(r, 150));
      }
      assert.equal(finished.code, 0, finished.e);
      assert.match(finished.o, /rotation done: \d+ values under \w+ generation 2/);
      assert.ok(rounds >= 2, `readers ran ${rounds} rounds during the rotation`);
      s = status();
      assert.match(s, new RegExp(`^algorithm: ${alg} .*key generation 2$`, 'm'));
      assert.doesNotMatch(s, /rotation under way/);
      assert.match(s, new RegExp(`values under ${alg} generation 2: ${2 * CADRES}\\n`));
      assert.doesNotMatch(s, /generation 1:/);
      assert.match(s, alg === 'sm' ? /audit chain: HMAC-SM3/ : /audit chain: HMAC-SHA256/); // the chain does not rotate
      await new Promise((r) => setTimeout(r, 1200)); // the server's watcher has caught up
      await readAll();
    });

    it('values saved after the rotation are sealed under the new key; the audit log tells the story and verifies', async () => {
      const p = people[2];
      const c = (await org.get(`/api/v1/cadres/${p.id}`)).json;
      const up = await org.patch(`/api/v1/cadres/${p.id}`, { version: c.version, phone: '13700001234' });
      assert.equal(up.status, 200, up.text);
      p.phone = '13700001234';
      await readAll();
      assert.match(status(), new RegExp(`values under ${alg} generation 2: ${2 * CADRES}\\n`));
      const a = await aud.get('/api/v1/audit?action=key.&page_size=50');
      assert.equal(a.status, 200, a.text);
      const actions = a.json.items.map((e) => e.action).reverse();
      assert.deepEqual(actions, ['key.rotate_start', 'key.rotate_resume', 'key.rotate_resume', 'key.rotate_done']);
      const doneEntry = a.json.items[0];
      assert.equal(doneEntry.after.to.generation, 2);
      assert.equal(doneEntry.after.to.algorithm, alg);
      assert.ok(doneEntry.after.values >= 2 * CADRES);
      // several hosts: the key is staged first (copied everywhere), then the rotation uses it
      const add = run(['key', 'add']);
      assert.equal(add.status, 0, add.stderr);
      assert.match(add.stdout, /key generation 3 added/);
      const rot = run(['key', 'rotate']);
      assert.equal(rot.status, 0, rot.stderr);
      assert.match(rot.stdout, /generation 2 -> \w+ generation 3 \(the key staged in the key file\)/);
      await new Promise((r) => setTimeout(r, 1200));
      await readAll();
      assert.match(status(), new RegExp(`values under ${alg} generation 3: ${2 * CADRES}\n`));
      const v = run(['audit', 'verify']);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.match(v.stdout, /audit log intact/);
    });
  });
}
