// Issue 7 #1: a masked ID number must not be rebuilt from the other fields of
// the same answer. The attack: the old mask 321023********001X hid exactly the
// eight digits the answer gave as birth_date (50 of 50 rebuilt). Now, for every
// cadre a role sees without reveal — in lists, detail, exports, audit entries
// and the database file without the key — the ID numbers consistent with
// everything shown are counted, and none is narrowed below 10,000. On both
// engines.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, BACKEND } from '../lib/server.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const check = (d17) => '10X98765432'[[...d17].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11];
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The ID numbers consistent with what an answer shows of a cadre: the mask
 * (every shown digit must match), the birth month, the gender (odd 17th digit
 * for men, code 1), and a valid check digit. */
function candidates(c) {
  const mask = c.id_number;
  assert.equal(mask.length, 18, mask);
  const [y, m] = c.birth_month.split('-').map(Number);
  let n = 0;
  for (let d = 1; d <= daysIn(y, m); d++) {
    for (let s = 0; s < 1000; s++) {
      if ((s % 2 === 1) !== (c.gender === '1')) continue;
      const d17 = `${mask.slice(0, 6)}${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(s).padStart(3, '0')}`;
      const id = d17 + check(d17);
      if ([...mask].every((ch, i) => ch === '*' || ch === id[i])) n++;
    }
  }
  return n;
}

let srv, org;
before(async () => {
  srv = await startServer({ demo: 300 });
  org = new Client(srv.url);
  await org.login('orgadmin', DEMO_PASSWORD);
});
after(async () => { await srv?.stop(); });

describe('masks really hide', () => {
  it('no cadre in a list is narrowed below 10,000 ID numbers; the true one is among them', async () => {
    const items = (await org.get('/api/v1/cadres?page_size=50')).json.items;
    assert.equal(items.length, 50);
    for (const c of items) {
      assert.ok(!('birth_date' in c), 'no full birth date without reveal');
      assert.match(c.birth_month, /^\d{4}-\d{2}$/);
      assert.ok(candidates(c) >= 10000, `${c.name}: ${candidates(c)} candidates`);
    }
    // the numbers really are among the candidates (the count is of the right set)
    const c = items[0];
    const real = (await org.post(`/api/v1/cadres/${c.id}/reveal`)).json.id_number;
    assert.equal(real.slice(0, 6), c.id_number.slice(0, 6));
    assert.equal(real.slice(6, 12), c.birth_month.replace('-', ''));
    // phones: 4 hidden digits, 10,000 candidates
    for (const x of items) if (x.phone) assert.match(x.phone, /^\d{3}\*{4}\d{4}$|^\d{3}\*{4}\d+$/);
  });

  it('the detail, the audit entries of a create and update, and the export show no more', async () => {
    const c = (await org.get('/api/v1/cadres?page_size=1')).json.items[0];
    const detail = (await org.get(`/api/v1/cadres/${c.id}`)).json;
    assert.ok(candidates(detail) >= 10000);
    const upd = await org.patch(`/api/v1/cadres/${c.id}`, { version: detail.version, post: '掩码测试' });
    assert.equal(upd.status, 200, upd.text);
    const aud = new Client(srv.url);
    await aud.login('auditor', DEMO_PASSWORD);
    const entry = (await aud.get(`/api/v1/audit?action=cadre.update&entity_id=${c.id}`)).json.items[0];
    for (const side of [entry.before, entry.after]) {
      assert.ok(!('birth_date' in side));
      assert.ok(candidates(side) >= 10000, 'audit entry');
    }
    const real = (await org.post(`/api/v1/cadres/${c.id}/reveal`)).json.id_number;
    const x = await fetch(`${srv.url}/api/v1/cadres/export?q=${encodeURIComponent(c.name)}`, { headers: { cookie: org.cookie } });
    assert.equal(x.status, 200);
    const file = join(srv.dir, 'export.xlsx');
    writeFileSync(file, Buffer.from(await x.arrayBuffer()));
    const xml = execFileSync('unzip', ['-p', file], { encoding: 'utf8' });
    assert.ok(!xml.includes(real) && !xml.includes(real.slice(6, 14)), 'the export holds neither the number nor the full birth date');
    assert.ok(xml.includes('出生年月'));
  });

  it('the database without the key holds only the region and the birth month', async () => {
    const sql = 'SELECT id_mask, birth_date FROM cadres ORDER BY id LIMIT 50';
    const out = BACKEND === 'sqlite'
      ? execFileSync('sqlite3', [srv.env.GANXUN_DB.slice('sqlite:'.length), sql], { encoding: 'utf8' })
      : execFileSync('psql', [srv.env.GANXUN_DB, '-qAtc', sql], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => l.split('|'));
    assert.equal(rows.length, 50);
    for (const [mask, month] of rows) {
      assert.match(mask, /^\d{6}\*{12}$/);
      assert.match(month, /^\d{4}-\d{2}$/);
    }
    const dom = BACKEND === 'sqlite'
      ? execFileSync('sqlite3', [srv.env.GANXUN_DB.slice('sqlite:'.length), 'SELECT DISTINCT length(birth_date) FROM cadre_domains'], { encoding: 'utf8' })
      : execFileSync('psql', [srv.env.GANXUN_DB, '-qAtc', 'SELECT DISTINCT length(birth_date) FROM cadre_domains'], { encoding: 'utf8' });
    assert.equal(dom.trim(), '7');
  });

  it('age and the age filters count whole months, so they narrow nothing further', async () => {
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const [ty, tm] = today.split('-').map(Number);
    const items = (await org.get('/api/v1/cadres?page_size=100')).json.items;
    for (const c of items) {
      const [y, m] = c.birth_month.split('-').map(Number);
      assert.equal(c.age, ty - y - (tm < m ? 1 : 0), `${c.birth_month} on ${today}`);
    }
    const a = items[0].age;
    const byAge = (await org.get(`/api/v1/cadres?age_min=${a}&age_max=${a}&page_size=200`)).json.items;
    assert.ok(byAge.length > 0 && byAge.every((c) => c.age === a));
  });
});
