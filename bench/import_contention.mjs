#!/usr/bin/env node
// How long other writers wait while a large import commits (issue 7 #11).
//
// Starts the server on the demo city (SQLite, or PostgreSQL with
// GANXUN_TEST_PG set), generates a roster of N new cadres (bench/gen_roster.c),
// and imports it while a second session writes continuously: every 20 ms
// another department edits an existing cadre (PATCH /api/v1/cadres/{id}: a
// write with a history row and its audit entry), and every 200 ms an account
// logs in (a session row and an audit entry).
// Reports the import's wall time and the writers' longest and 99th-percentile
// latency while the import ran, beside the same writers on an idle server.
//
//   node bench/import_contention.mjs [N=100000] [runs=3]
//   GANXUN_TEST_DB=postgresql GANXUN_TEST_PG=postgresql://... node bench/import_contention.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, BACKEND } from '../tests/lib/server.mjs';

const N = Number(process.argv[2] || 100000);
const RUNS = Number(process.argv[3] || 3);
const work = mkdtempSync(join(tmpdir(), 'ganxun-contention-'));
execFileSync('gcc', ['-O2', '-o', join(work, 'gen'), 'bench/gen_roster.c', '-lxlsxwriter']);

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };
const median = (xs) => pct(xs, 0.5);

async function writers(srv, until) {
  const c = new Client(srv.url);
  await c.login('orgadmin', DEMO_PASSWORD);
  const code = [], login = [];
  let i = 0;
  let cadre = (await c.get('/api/v1/cadres?page_size=1')).json.items[0];
  const codeLoop = (async () => {
    while (!until()) {
      const t = performance.now();
      const r = await c.patch(`/api/v1/cadres/${cadre.id}`, { version: cadre.version, expertise: `压测${i++ % 2}` });
      if (r.status !== 200) throw new Error(`cadre write: ${r.status} ${r.text}`);
      cadre = r.json;
      code.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  const loginLoop = (async () => {
    while (!until()) {
      const t = performance.now();
      const l = new Client(srv.url);
      await l.login('liaison', DEMO_PASSWORD);
      login.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 200));
    }
  })();
  await Promise.all([codeLoop, loginLoop]);
  return { code, login };
}

async function one(run) {
  const srv = await startServer({ demo: true, threads: Number(process.env.THREADS || 2) });
  try {
    const csv = join(work, `r${run}.csv`);
    // each run has a fresh database, so the seeded roster is new people every time
    execFileSync(join(work, 'gen'), [String(N), csv, join(work, `r${run}.xlsx`)]);
    // idle baseline: the same writers for 3 s with no import
    let stop = false;
    setTimeout(() => { stop = true; }, 3000);
    const idle = await writers(srv, () => stop);
    // the import, with the writers running beside it
    const org = new Client(srv.url);
    await org.login('orgadmin', DEMO_PASSWORD);
    let done = false;
    const busy = writers(srv, () => done);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const r = await org.req('POST', '/api/v1/cadres/import?dry_run=false', readFileSync(csv), { 'content-type': 'text/csv' });
    const importMs = performance.now() - t0;
    done = true;
    const during = await busy;
    if (r.status !== 200 || r.json.created !== N) throw new Error(`import: ${r.status} ${r.text.slice(0, 300)}`);
    return { importMs, idle, during };
  } finally {
    await srv.stop();
  }
}

const rows = [];
for (let run = 0; run < RUNS; run++) rows.push(await one(run));
const fmt = (ms) => `${Math.round(ms)} ms`;
console.log(`| engine | rows | import (median of ${RUNS}) | cadre edit idle p99 | cadre edit during import: p99 / max | login idle p99 | login during import: p99 / max |`);
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${BACKEND} | ${N.toLocaleString('en')} | ${(median(rows.map((x) => x.importMs)) / 1000).toFixed(2)} s | ` +
  `${fmt(median(rows.map((x) => pct(x.idle.code, 0.99))))} | ` +
  `${fmt(median(rows.map((x) => pct(x.during.code, 0.99))))} / ${fmt(median(rows.map((x) => Math.max(...x.during.code))))} | ` +
  `${fmt(median(rows.map((x) => pct(x.idle.login, 0.99))))} | ` +
  `${fmt(median(rows.map((x) => pct(x.during.login, 0.99))))} / ${fmt(median(rows.map((x) => Math.max(...x.during.login))))} |`);
