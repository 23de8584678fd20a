// Test harness: starts the real ganxun binary on a random port with a fresh
// database (SQLite file or a new PostgreSQL database) and offers a small
// HTTP client that keeps the session cookie and CSRF token.
//
// Environment:
//   GANXUN_BIN       binary to test (default build/ganxun)
//   GANXUN_TEST_DB   "sqlite" (default) or "postgresql"
//   GANXUN_TEST_PG   admin URL of the PostgreSQL server used to create test databases
//                    (default postgresql://postgres@127.0.0.1:5432/postgres)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkResponse } from './schema.mjs';

export const BIN = resolve(process.env.GANXUN_BIN || 'build/ganxun');
export const BACKEND = process.env.GANXUN_TEST_DB || 'sqlite';
const PG_ADMIN = process.env.GANXUN_TEST_PG || 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Password that satisfies the default policy; used for every test account. */
export const PASSWORD = 'Test#Passw0rd!';
/** Password of the accounts `ganxun demo` creates. */
export const DEMO_PASSWORD = 'Yz@Ganxun2026';

function freshDb(dir) {
  if (BACKEND === 'sqlite') return { url: `sqlite:${join(dir, 'test.db')}`, drop() {} };
  const name = 'gx_test_' + randomBytes(6).toString('hex');
  execFileSync('psql', [PG_ADMIN, '-qAtc', `CREATE DATABASE ${name}`]);
  const u = new URL(PG_ADMIN);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop() {
      try { execFileSync('psql', [PG_ADMIN, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]); } catch { /* best effort */ }
    },
  };
}

/** Run a ganxun subcommand against the given database; returns stdout. */
export function cli(env, args, input) {
  return execFileSync(BIN, args, {
    env: { ...process.env, ...env },
    input: input ?? '',
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Start a server. opts.users: [{username, role, unit?}] created with `ganxun user add`
 * (password PASSWORD, no forced change). opts.demo: run `ganxun demo` first
 * (true, or the number of cadres); demo accounts use DEMO_PASSWORD.
 * Returns {url, env, stop(), cli(args, input)}.
 */
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ganxun-test-'));
  const db = freshDb(dir);
  const env = {
    GANXUN_DB: db.url,
    GANXUN_KEY_FILE: join(dir, 'ganxun.key'),
    GANXUN_SCRYPT_LN: process.env.GANXUN_SCRYPT_LN || '12',
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=0',
  };
  cli(env, ['migrate']);
  // opts.demo: true for the default city (5000 cadres), or a number of cadres
  if (opts.demo) cli(env, ['demo', ...(typeof opts.demo === 'number' ? ['--cadres', String(opts.demo)] : [])]);
  for (const u of opts.users || []) {
    const args = ['user', 'add', '--username', u.username, '--role', u.role, '--password-stdin'];
    if (u.unit) args.push('--unit', String(u.unit));
    cli(env, args, (u.password || PASSWORD) + '\n');
  }
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--threads', String(opts.threads || 2), ...(opts.args || [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error('server did not start: ' + stderr)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(t); rej(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    env,
    dir,
    cli: (args, input) => cli(env, args, input),
    stderr: () => stderr,
    async stop() {
      const exited = proc.exitCode !== null || proc.signalCode !== null
        ? Promise.resolve({ code: proc.exitCode ?? 1 })
        : new Promise((r) => proc.once('exit', (code, sig) => r({ code, sig })));
      proc.kill('SIGTERM');
      const { code } = await exited;
      db.drop();
      rmSync(dir, { recursive: true, force: true });
      // A sanitizer report makes the server exit non-zero: fail the test run.
      if (code !== 0) throw new Error(`server exited with ${code}:\n${stderr}`);
    },
  };
}

/** A client that keeps one session (cookie + CSRF token), like a browser tab. */
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; }

  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
      else payload = JSON.stringify(body);
      if (!('content-type' in h)) h['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/gx_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `gx_session=${m[1]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (json && typeof json.csrf_token === 'string') this.csrf = json.csrf_token;
    if ((res.headers.get('content-type') || '').startsWith('application/json')) checkResponse(BIN, method, path, res.status, json);
    return { status: res.status, headers: res.headers, json, text };
  }

  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b, h); }
  put(p, b, h) { return this.req('PUT', p, b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }

  async login(username, password = PASSWORD) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r;
  }
}
