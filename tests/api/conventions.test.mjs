// API conventions (docs/api.md, "Conventions"): health, security headers,
// the error shape, routing errors, body and query checks, hostile input at
// the HTTP and socket level, list shape, and the OpenAPI document against
// the areas' route tables (src/<area>/*_http.c).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { startServer, Client, BACKEND, BIN } from '../lib/server.mjs';
import { routeTable } from '../lib/routes.mjs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
const cliOpenapi = () => execFileSync(BIN, ['openapi'], { encoding: 'utf8' });

const CJK = /[\u4e00-\u9fff]/;

/** Security headers every response carries (docs/api.md "Security headers"). */
function assertSecurityHeaders(headers, { api = true } = {}, what = '') {
  const csp = headers.get('content-security-policy');
  assert.ok(csp, `Content-Security-Policy missing ${what}`);
  assert.match(csp, /(^|;)\s*default-src 'self'/, `CSP default-src ${what}`);
  assert.match(csp, /(^|;)\s*frame-ancestors 'none'/, `CSP frame-ancestors ${what}`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `X-Content-Type-Options ${what}`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `X-Frame-Options ${what}`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `Referrer-Policy ${what}`);
  if (api) assert.equal(headers.get('cache-control'), 'no-store', `Cache-Control ${what}`);
}

/** The error shape {error:{code,message[,fields]}} with a Chinese message. */
function assertError(r, status, code, field) {
  assert.equal(r.status, status, `want ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json && typeof r.json.error === 'object', `error body: ${r.text}`);
  assert.equal(r.json.error.code, code, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.match(r.json.error.message, CJK, `message should be Chinese: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assertSecurityHeaders(r.headers, { api: true }, `on ${status} ${code}`);
  if (field !== undefined) {
    assert.ok(r.json.error.fields && typeof r.json.error.fields === 'object', `fields missing: ${r.text}`);
    assert.ok(Object.hasOwn(r.json.error.fields, field), `fields.${field} missing: ${r.text}`);
    assert.equal(typeof r.json.error.fields[field], 'string');
    assert.match(r.json.error.fields[field], CJK);
  }
}

/** Plain fetch, never throws on status; returns {status, headers, text, json}. */
async function http(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Raw socket request: writes `data` (string or Buffer, or an array of chunks
 * written in order) and collects the answer until a complete response, the
 * server closing, or the timeout. Returns {status, head, body, closed, timedOut}.
 */
function raw(base, data, { timeout = 3000 } = {}) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    let got = Buffer.alloc(0);
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const text = got.toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      const sep = text.indexOf('\r\n\r\n');
      resolve({
        status: m ? Number(m[1]) : null,
        head: sep >= 0 ? text.slice(0, sep) : text,
        body: sep >= 0 ? got.subarray(sep + 4).toString('utf8') : '',
        closed: how === 'closed',
        timedOut: how === 'timeout',
      });
    };
    const timer = setTimeout(() => finish('timeout'), timeout);
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      const text = got.toString('latin1');
      const sep = text.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const cl = text.slice(0, sep).match(/\r\ncontent-length:\s*(\d+)/i);
      if (cl && got.length >= sep + 4 + Number(cl[1])) finish('complete');
    });
    s.on('error', () => finish('closed'));
    s.on('close', () => finish('closed'));
    s.on('connect', async () => {
      // Write piece by piece like a careful client: stop sending once the
      // server has answered (it may refuse a body before reading it).
      const chunks = Array.isArray(data) ? data : [data];
      for (const c of chunks) {
        const buf = typeof c === 'string' ? Buffer.from(c, 'latin1') : c;
        for (let o = 0; o < buf.length && !s.destroyed && got.length === 0; o += 65536) {
          if (!s.write(buf.subarray(o, o + 65536))) await new Promise((r) => { s.once('drain', r); s.once('close', r); });
        }
      }
    });
  });
}


describe('API conventions', () => {
  let srv;
  let admin;

  before(async () => {
    srv = await startServer({ demo: true, users: [{ username: 'admin', role: 'sysadmin' }] });
    admin = new Client(srv.url);
    await admin.login('admin');
  });

  after(async () => { await srv?.stop(); });

  describe('health', () => {
    it('answers {status:"ok", db, version} without a session', async () => {
      const r = await http(srv.url + '/api/v1/health');
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.json).sort(), ['db', 'status', 'version']);
      assert.equal(r.json.status, 'ok');
      assert.equal(r.json.db, BACKEND === 'postgresql' ? 'postgresql' : 'sqlite');
      assert.match(r.json.version, /^\d+\.\d+\.\d+/);
      assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8$/i);
      assertSecurityHeaders(r.headers);
    });

    it('reports the same version as `ganxun version`', async () => {
      const r = await http(srv.url + '/api/v1/health');
      const out = spawnSync(BIN, ['version'], { encoding: 'utf8' });
      assert.equal(out.status, 0);
      assert.equal(out.stdout.trim(), `ganxun ${r.json.version}`);
    });

    it('HEAD is answered like GET, without a body', async () => {
      const r = await http(srv.url + '/api/v1/health', { method: 'HEAD' });
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      assertSecurityHeaders(r.headers);
    });
  });

  describe('security headers', () => {
    it('are on API successes (public and with a session)', async () => {
      assertSecurityHeaders((await http(srv.url + '/api/v1/openapi.json')).headers, {}, 'openapi');
      const me = await admin.get('/api/v1/auth/me');
      assert.equal(me.status, 200);
      assertSecurityHeaders(me.headers, {}, 'auth/me');
      const login = await new Client(srv.url).login('admin');
      assertSecurityHeaders(login.headers, {}, 'login');
    });

    it('are on the static / path and unknown non-API paths', async () => {
      for (const p of ['/', '/index.html', '/some/page/of/the/app', '/assets/nope.js']) {
        const r = await http(srv.url + p);
        assert.notEqual(r.status, 500, p);
        assert.ok(r.status < 500, `${p}: ${r.status}`);
        assertSecurityHeaders(r.headers, { api: false }, `on ${p}`);
      }
    });

    it('are on errors (401, 404, 405, 400, 413, 415)', async () => {
      const anon = new Client(srv.url);
      assertError(await anon.get('/api/v1/auth/me'), 401, 'unauthenticated');
      assertError(await anon.get('/api/v1/nope'), 404, 'not_found');
      assertError(await anon.del('/api/v1/health'), 405, 'method_not_allowed');
      assertError(await anon.post('/api/v1/auth/login', '{'), 400, 'bad_json');
      assertError(await anon.post('/api/v1/auth/login', 'x', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
      const r0 = await raw(srv.url, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1073741824\r\nConnection: close\r\n\r\n{');
      assert.equal(r0.status, 413, r0.head);
      for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) {
        assert.match(r0.head, new RegExp(`\r\n${h}: `, 'i'), `${h} on 413`);
      }
      const r = await http(srv.url + '/', { method: 'POST', body: 'x' });
      assert.equal(r.status, 405);
      assertSecurityHeaders(r.headers, { api: false }, 'POST /');
    });
  });

  describe('routing errors', () => {
    it('unknown route: 404 not_found', async () => {
      for (const p of ['/api/v1/nope', '/api/v2/health', '/api/v1', '/api', '/api/v1/users/1/nope', '/api/v1/health/x', '/api/v1/health/', '/api/v1/users/']) {
        assertError(await admin.get(p), 404, 'not_found');
      }
    });

    it('non-numeric, zero, negative, padded or huge ids: 404', async () => {
      for (const id of ['abc', '0', '-1', '01', '1.5', '1e3', '99999999999999999999999', '%31']) {
        const r = await admin.get('/api/v1/users/' + id);
        if (id === '%31') {
          // "%31" decodes to "1": either the user 1 or a 404, never anything else.
          assert.ok(r.status === 200 || r.status === 404, `users/${id}: ${r.status}`);
          continue;
        }
        assertError(r, 404, 'not_found');
      }
      // A well-formed id of no record: 404 too.
      assertError(await admin.get('/api/v1/users/987654'), 404, 'not_found');
    });

    it('known path, wrong method: 405 with the Allow header', async () => {
      const cases = [
        ['DELETE', '/api/v1/health', ['GET']],
        ['POST', '/api/v1/health', ['GET']],
        ['PUT', '/api/v1/users', ['GET', 'POST']],
        ['DELETE', '/api/v1/users/1', ['GET', 'PATCH']],
        ['GET', '/api/v1/auth/login', ['POST']],
        ['DELETE', '/api/v1/security/policy', ['GET', 'PUT']],
        ['PATCH', '/api/v1/audit', ['GET']],
      ];
      for (const [m, p, allowed] of cases) {
        const r = await admin.req(m, p, m === 'GET' ? undefined : {});
        assertError(r, 405, 'method_not_allowed');
        const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
        for (const a of allowed) assert.ok(allow.includes(a), `${m} ${p}: Allow "${allow}" lacks ${a}`);
        assert.ok(!allow.includes(m), `${m} ${p}: Allow "${allow}" lists ${m}`);
      }
    });

    it('malformed percent-encoding or bad UTF-8 in the path: 400 bad_request', async () => {
      for (const p of ['/api/v1/users/%zz', '/api/v1/users/%', '/api/v1/users/%4', '/api/v1/%E4%B8', '/api/v1/%FF', '/api/v1/users/%2F1']) {
        assertError(await admin.get(p), 400, 'bad_request');
      }
    });
  });

  describe('request bodies', () => {
    const login = (body, headers) => new Client(srv.url).post('/api/v1/auth/login', body, headers);

    it('malformed JSON: 400 bad_json', async () => {
      for (const b of ['{', '{"username":', '{"username":"a","password":"b"}x', "{'username':'a'}", '{"username":"a",}']) {
        assertError(await login(b), 400, 'bad_json');
      }
    });

    it('JSON that is not an object (array, string, number, null, empty): 400 bad_json', async () => {
      for (const b of ['[]', '[{"username":"a","password":"b"}]', '"x"', '42', 'null', 'true', '']) {
        assertError(await login(b), 400, 'bad_json');
      }
    });

    it('an unknown field: 400 validation naming it "未知字段"', async () => {
      const r = await login({ username: 'admin', password: 'x', passwrd: 'x' });
      assertError(r, 400, 'validation', 'passwrd');
      assert.equal(r.json.error.fields.passwrd, '未知字段');
      // Also on an authenticated route with a larger body.
      const r2 = await admin.post('/api/v1/users', {
        username: 'u.extra', display_name: '多余', roles: ['trainee'], password: 'Init#Pass123', is_admin: true,
      });
      assertError(r2, 400, 'validation', 'is_admin');
      assert.equal(r2.json.error.fields.is_admin, '未知字段');
    });

    it('a field of the wrong type: 400 validation naming it', async () => {
      assertError(await login({ username: 123, password: 'x' }), 400, 'validation', 'username');
      assertError(await login({ username: 'admin', password: ['x'] }), 400, 'validation', 'password');
      assertError(await login({ username: null, password: 'x' }), 400, 'validation', 'username');
      const r = await admin.post('/api/v1/users', { username: 'u.type', display_name: '类型', roles: 'trainee', password: 'Init#Pass123' });
      assertError(r, 400, 'validation', 'roles');
      const r2 = await admin.post('/api/v1/users', { username: 'u.type', display_name: '类型', roles: ['trainee'], unit_id: '1', password: 'Init#Pass123' });
      assertError(r2, 400, 'validation', 'unit_id');
    });

    it('a missing required field: 400 validation naming it', async () => {
      assertError(await login({ username: 'admin' }), 400, 'validation', 'password');
      const r = await login({});
      assertError(r, 400, 'validation', 'username');
      assert.ok(Object.hasOwn(r.json.error.fields, 'password'), 'both missing fields named');
    });

    it('a body that is not application/json: 415 unsupported_media_type', async () => {
      const body = JSON.stringify({ username: 'admin', password: 'x' });
      for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch+json']) {
        assertError(await login(body, { 'content-type': ct }), 415, 'unsupported_media_type');
      }
      // No Content-Type at all.
      const r = await http(srv.url + '/api/v1/auth/login', { method: 'POST', body: new Uint8Array(Buffer.from(body)) });
      assertError(r, 415, 'unsupported_media_type');
      // With a charset parameter it is JSON.
      const ok = await login(body, { 'content-type': 'application/json; charset=utf-8' });
      assertError(ok, 401, 'invalid_credentials');
    });

    it('a real 2 MiB body sent chunked (no Content-Length): 413 too_large', async () => {
      // Chunked (no Content-Length): the server reads and refuses it.
      const stream = new ReadableStream({
        start(c) { for (let i = 0; i < 32; i++) c.enqueue(new Uint8Array(65536).fill(0x20)); c.close(); },
      });
      const r = await http(srv.url + '/api/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half',
      });
      assertError(r, 413, 'too_large');
    });

    it('a real 2 MiB body from an ordinary HTTP client (fetch, like the web UI) gets the 413', async () => {
      // The client must see "too_large", not a network error. Whether a client that is
      // still sending sees the answer depends on timing when the server answers before
      // reading the body and then closes the connection with the body unread (the client
      // gets EPIPE / ECONNRESET); thirty tries make that show in practically every run.
      const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 << 20) });
      const failures = [];
      for (let i = 0; i < 30; i++) {
        try {
          const r = await new Client(srv.url).post('/api/v1/auth/login', big);
          if (r.status !== 413) failures.push(`status ${r.status}`);
        } catch (e) {
          failures.push(`${e.message}: ${e.cause?.code || e.cause?.message}`);
        }
      }
      const r2 = await admin.post('/api/v1/users', JSON.stringify({ username: 'u.big', display_name: 'x'.repeat(2 << 20) })).catch((e) => ({ status: e.cause?.code || e.message }));
      if (r2.status !== 413) failures.push(`POST /users: ${r2.status}`);
      assert.deepEqual(failures, [], `${failures.length} of 31 requests with a 2 MiB body did not get the 413 ` +
        '(the server answers before reading the body and closes the connection without draining it)');
    });

    it('a Content-Length that claims more than 1 MiB: 413, answered without waiting for the body', async () => {
      const t0 = Date.now();
      const r = await raw(srv.url, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1073741824\r\n\r\n{"username":"a"', { timeout: 4000 });
      assert.equal(r.status, 413, r.head);
      assert.ok(Date.now() - t0 < 3000, 'answered early');
      assert.match(r.body, /"too_large"/);
      // a smaller excess is read and dropped, then answered (the client that sends it sees the 413)
      const r2 = await raw(srv.url, `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${(1 << 20) + 1}\r\n\r\n{` + ' '.repeat(1 << 20));
      assert.equal(r2.status, 413, r2.head);
    });

    it('a body just under 1 MiB is read and validated (400, not 413)', async () => {
      const body = JSON.stringify({ username: 'admin', password: 'x'.repeat((1 << 20) - 200) });
      assert.ok(body.length < 1 << 20);
      assertError(await login(body), 400, 'validation', 'password');
    });
  });

  describe('query parameters', () => {
    it('an unknown query parameter: 400 bad_query naming it', async () => {
      const r = await admin.get('/api/v1/units?no_such_param=name');
      assertError(r, 400, 'bad_query', 'no_such_param');
      assertError(await admin.get('/api/v1/users?q=a&userName=x'), 400, 'bad_query', 'userName');
      // Routes without any query parameters reject them too.
      assertError(await admin.get('/api/v1/auth/me?x=1'), 400, 'bad_query', 'x');
    });

    it('bad page / page_size: 400 bad_query naming it', async () => {
      for (const v of ['0', '201', '-1', 'abc', '', '1.5', '20x', '99999999999999999999']) {
        assertError(await admin.get('/api/v1/units?page_size=' + encodeURIComponent(v)), 400, 'bad_query', 'page_size');
      }
      for (const v of ['0', '-3', 'x']) {
        assertError(await admin.get('/api/v1/users?page=' + v), 400, 'bad_query', 'page');
      }
    });

    it('a repeated query parameter: 400 bad_query naming it', async () => {
      assertError(await admin.get('/api/v1/units?page=1&page=2'), 400, 'bad_query', 'page');
      assertError(await admin.get('/api/v1/users?q=a&q=b'), 400, 'bad_query', 'q');
    });

    it('malformed percent-encoding in the query: 400 bad_query', async () => {
      assertError(await admin.get('/api/v1/users?q=%zz'), 400, 'bad_query');
      assertError(await admin.get('/api/v1/users?q=%E4'), 400, 'bad_query');
    });
  });

  describe('lists', () => {
    it('have the shape {items, total, page, page_size} with defaults 1 and 20', async () => {
      const r = await admin.get('/api/v1/units');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json).sort(), ['items', 'page', 'page_size', 'total']);
      assert.ok(Array.isArray(r.json.items));
      assert.equal(r.json.page, 1);
      assert.equal(r.json.page_size, 20);
      assert.ok(Number.isInteger(r.json.total) && r.json.total >= 2, 'the demo has units');
      assert.equal(r.json.items.length, Math.min(20, r.json.total));
      for (const u of r.json.items) {
        for (const k of ['id', 'code', 'name', 'parent_id', 'version']) assert.ok(Object.hasOwn(u, k), `unit.${k}`);
        assert.ok(Number.isInteger(u.id) && Number.isInteger(u.version));
      }
    });

    it('page and page_size select a window; total stays the same', async () => {
      const all = (await admin.get('/api/v1/units?page_size=200')).json;
      assert.equal(all.page_size, 200);
      assert.equal(all.items.length, Math.min(200, all.total));
      assert.ok(all.total >= 4);
      const p2 = (await admin.get('/api/v1/units?page=2&page_size=2')).json;
      assert.equal(p2.page, 2);
      assert.equal(p2.page_size, 2);
      assert.equal(p2.total, all.total);
      assert.deepEqual(p2.items, all.items.slice(2, 4));
      const beyond = (await admin.get(`/api/v1/units?page=${all.total + 5}&page_size=1`)).json;
      assert.deepEqual(beyond.items, []);
      assert.equal(beyond.total, all.total);
    });
  });

  describe('hostile requests never cause a 5xx', () => {
    it('through HTTP clients', async () => {
      const deep = '['.repeat(100000) + ']'.repeat(100000);
      const cases = [
        ['GET', '/api/v1/users/%00'],
        ['GET', '/api/v1/users?q=' + '%E4%B8%AD'.repeat(80)],
        ['GET', '/api/v1/users?q=%27%20OR%201%3D1--'],
        ['GET', '/api/v1/users?role=' + 'x'.repeat(5000)],
        ['GET', '/api/v1/users?unit_id=-1&disabled=maybe'],
        ['GET', '/api/v1/audit?from=-99999999999999999999'],
        ['GET', '/api/v1/users?' + Array.from({ length: 60 }, (_, i) => `p${i}=1`).join('&')],
        ['GET', '/api/v1/users?=x'],
        ['GET', '/api/v1/users?&&&'],
        ['GET', '/' + 'a/'.repeat(300)],
        ['GET', '/api/' + 'a/'.repeat(300)],
        ['GET', '/api/v1/users/' + '9'.repeat(3000)],
        ['POST', '/api/v1/auth/login', deep],
        ['POST', '/api/v1/auth/login', '{"username":"\\u0000admin","password":"x"}'],
        ['POST', '/api/v1/auth/login', '{"username":"\\ud800","password":"x"}'],
        ['POST', '/api/v1/auth/login', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
        ['POST', '/api/v1/auth/login', '{"username":"a","username":"b","password":"x"}'],
        ['POST', '/api/v1/auth/login', '{"username":1e400,"password":"x"}'],
        ['POST', '/api/v1/auth/login', '{"username":99999999999999999999999,"password":"x"}'],
        ['POST', '/api/v1/auth/login', JSON.stringify({ username: 'x'.repeat(100000), password: 'y' })],
        ['POST', '/api/v1/auth/login', JSON.stringify({ username: "admin' OR '1'='1", password: "' OR 1=1 --" })],
        ['POST', '/api/v1/users', JSON.stringify({ username: 'a', display_name: 'b', roles: Array(1000).fill('trainee'), password: 'x' })],
        ['POST', '/api/v1/users', JSON.stringify({ username: 'zz.a', display_name: 'b', roles: ['trainee'], unit_id: 9223372036854775807, password: 'Init#Pass123' })],
        ['PATCH', '/api/v1/users/1', JSON.stringify({ version: -1 })],
        ['PATCH', '/api/v1/users/99999', JSON.stringify({ version: 1, display_name: 'x' })],
        ['PUT', '/api/v1/security/policy', JSON.stringify({ version: 1e20 })],
        ['POST', '/api/v1/users/1/reset-password', '{}'],
        ['GET', '/api/v1/auth/me', undefined, { cookie: 'gx_session=' + 'A'.repeat(43) }],
        ['GET', '/api/v1/auth/me', undefined, { cookie: 'gx_session=<script>alert(1)</script>' }],
        ['GET', '/api/v1/auth/me', undefined, { cookie: 'gx_session="' + 'x'.repeat(6000) + '"' }],
        ['GET', '/api/v1/auth/me', undefined, { cookie: ';;;=;gx_session;gx_session=;' }],
        ['POST', '/api/v1/auth/logout', '{}', { 'x-csrf-token': 'z'.repeat(8000) }],
        ['GET', '/api/v1/health', undefined, { 'x-forwarded-for': '1.2.3.4, <script>', 'x-real-ip': '\u00ff' }],
      ];
      for (const [m, p, body, headers] of cases) {
        const h = { 'content-type': 'application/json', ...(headers || {}) };
        const init = { method: m, headers: h };
        if (body !== undefined) init.body = typeof body === 'string' ? body : new Uint8Array(body);
        if (admin.cookie && !headers?.cookie) h.cookie = admin.cookie;
        if (m !== 'GET' && !headers?.['x-csrf-token']) h['x-csrf-token'] = admin.csrf;
        const r = await http(srv.url + p, init);
        assert.ok(r.status >= 200 && r.status < 500, `${m} ${p.slice(0, 80)}: ${r.status} ${r.text.slice(0, 200)}`);
        if (r.status >= 400 && p.startsWith('/api/')) {
          assert.ok(r.json?.error?.code, `${m} ${p.slice(0, 80)}: error shape: ${r.text.slice(0, 200)}`);
        }
      }
    });

    it('through raw sockets: garbage, bad request lines, oversized headers', async () => {
      const many = Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n');
      const cases = [
        ['garbage line', 'GARBAGE\r\n\r\n'],
        ['binary', Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10])],
        ['HTTP/0.9', 'GET /\r\n\r\n'],
        ['unknown version', 'GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n', [505]],
        ['dot segments', 'GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['encoded dot segments', 'GET /api/v1/%2e%2e/%2E%2E/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['dot segments static', 'GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['fragment', 'GET /api/v1/health#x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['absolute form', 'GET http://evil.example/api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['asterisk', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['odd method', 'BREW /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['raw non-UTF-8 path', 'GET /api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['long path', 'GET /api/v1/' + 'a'.repeat(10000) + ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['huge path', 'GET /api/v1/' + 'a'.repeat(200000) + ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['too many segments', 'GET /api' + '/a'.repeat(100) + ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        ['header without colon', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
        ['huge header', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(200000) + '\r\n\r\n'],
        ['huge cookie', 'GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nCookie: gx_session=' + 'a'.repeat(60000) + '\r\n\r\n'],
        ['many headers', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n' + many + '\r\n\r\n'],
        ['bad Content-Length', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
        ['negative Content-Length', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'],
        ['overflowing Content-Length', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n\r\n'],
        ['bad chunk', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
        ['CL and TE', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n'],
        ['pipelined junk', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE GARBAGE\r\n\r\n'],
      ];
      for (const [name, data, extra] of cases) {
        const r = await raw(srv.url, data, { timeout: 2500 });
        // No answer at all (connection closed or left to time out) is acceptable for
        // input that is not HTTP; an answer must never be a server error.
        if (r.status !== null) {
          const ok = (r.status >= 200 && r.status < 500) || (extra || []).includes(r.status);
          assert.ok(ok, `${name}: ${r.status}\n${r.head}`);
        }
      }
      const h = await http(srv.url + '/api/v1/health');
      assert.equal(h.status, 200);
    });

    it('slow clients that stop half way do not stop others from being served', async () => {
      const u = new URL(srv.url);
      const socks = [];
      const open = (data) => new Promise((res) => {
        const s = net.connect(Number(u.port), u.hostname, () => { s.write(data); res(s); });
        s.on('error', () => {});
        socks.push(s);
      });
      try {
        for (let i = 0; i < 20; i++) {
          await open('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
          await open('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":');
        }
        await new Promise((r) => setTimeout(r, 200));
        const t0 = Date.now();
        for (let i = 0; i < 5; i++) {
          const r = await http(srv.url + '/api/v1/health');
          assert.equal(r.status, 200);
        }
        const c = new Client(srv.url);
        await c.login('admin');
        assert.equal((await c.get('/api/v1/auth/me')).status, 200);
        assert.ok(Date.now() - t0 < 3000, `served in ${Date.now() - t0} ms while slow clients wait`);
      } finally {
        for (const s of socks) s.destroy();
      }
    });

    it('the server is still healthy and logged no bug afterwards', async () => {
      const r = await http(srv.url + '/api/v1/health');
      assert.equal(r.status, 200);
      assert.equal(r.json.status, 'ok');
      assert.equal((await admin.get('/api/v1/auth/me')).status, 200);
      assert.doesNotMatch(srv.stderr(), /BUG:|database error|database unavailable/);
    });
  });

  describe('OpenAPI document', () => {
    it('is OpenAPI 3.1.x JSON, public', async () => {
      const r = await http(srv.url + '/api/v1/openapi.json');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.match(r.json.openapi, /^3\.1\.\d+$/);
      assert.equal(typeof r.json.info?.title, 'string');
      assert.equal(r.json.info.version, (await http(srv.url + '/api/v1/health')).json.version);
      assert.equal(typeof r.json.paths, 'object');
    });

    it("lists exactly the routes of the areas' route tables", async () => {
      const table = routeTable();
      assert.ok(table.length >= 15, `parsed ${table.length} routes from the route tables`);
      const want = new Set(table.map((r) => `${r.method} ${r.path}`));
      assert.equal(want.size, table.length, 'the route tables have no duplicate rows');
      const doc = (await http(srv.url + '/api/v1/openapi.json')).json;
      const got = new Set();
      for (const [p, item] of Object.entries(doc.paths)) {
        for (const m of Object.keys(item)) {
          if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'].includes(m)) continue;
          got.add(`${m.toUpperCase()} ${p.replace(/\{id\d*\}/g, '{id}')}`);
        }
      }
      assert.deepEqual([...got].sort(), [...want].sort());
    });

    it('describes request bodies, query parameters and the session scheme', async () => {
      const doc = (await http(srv.url + '/api/v1/openapi.json')).json;
      const login = doc.paths['/api/v1/auth/login'].post;
      const schema = login.requestBody.content['application/json'].schema;
      assert.deepEqual([...schema.required].sort(), ['password', 'username']);
      assert.ok(!login.security || login.security.length === 0, 'login needs no session');
      const list = doc.paths['/api/v1/users'].get;
      const names = list.parameters.map((p) => p.name).sort();
      assert.deepEqual(names, ['disabled', 'page', 'page_size', 'q', 'role', 'unit_id']);
      assert.ok(doc.paths['/api/v1/users/{id}'].get.parameters.some((p) => p.name === 'id' && p.in === 'path'));
      assert.ok(Array.isArray(doc.paths['/api/v1/users'].get.security), 'users needs a session');
      assert.equal(doc.components?.securitySchemes?.session?.in, 'cookie');
      assert.equal(doc.components.securitySchemes.session.name, 'gx_session');
    });

    it('every route of the route tables is really served (no 404 / 405 from the router)', async () => {
      const anon = new Client(srv.url);
      for (const { method, path } of routeTable()) {
        const p = path.replace(/\{id\}/g, '1');
        const r = await anon.req(method, p, method === 'GET' ? undefined : {});
        assert.ok(r.status !== 404 && r.status !== 405, `${method} ${p}: ${r.status} ${r.text}`);
        assert.ok(r.status < 500, `${method} ${p}: ${r.status}`);
      }
    });
  });
});

describe('connections idle too long are closed (--timeout 2)', () => {
  let srv;
  before(async () => { srv = await startServer({ args: ['--timeout', '2'] }); });
  after(async () => { await srv?.stop(); });

  it('a client that sends half a request and stops is disconnected, others are served', async () => {
    const u = new URL(srv.url);
    const s = net.connect(Number(u.port), u.hostname);
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    s.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"user');
    const closed = new Promise((r) => s.once('close', () => r(true)));
    const r = await raw(srv.url, 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 200);
    const res = await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 5000))]);
    s.destroy();
    assert.equal(res, true, 'the server closed the stalled connection within 5 s');
    const r2 = await raw(srv.url, 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r2.status, 200);
  });
});

describe('area kit', () => {
  it('keeps the HTTP plumbing free of business areas', () => {
    const dir = new URL('../../src/http/', import.meta.url).pathname;
    const areas = readdirSync(new URL('../../src/', import.meta.url).pathname, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['base', 'http', 'store', 'sheet'].includes(e.name)).map((e) => e.name);
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/#include\s+"([^"]+)"/g))
        assert.ok(!areas.some((a) => m[1].includes(`../${a}/`)) && !m[1].includes('area.h'), `src/http/${f} includes ${m[1]}`);
    }
  });

  it('declares every audit action the code writes', () => {
    const declared = new Set(JSON.parse(cliOpenapi())['x-audit-actions']);
    const src = new URL('../../src/', import.meta.url).pathname;
    const written = new Set();
    const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.c')) for (const m of readFileSync(p, 'utf8').matchAll(/audit_append\([^;]*?"([a-z_]+\.[a-z_]+)"/gs)) written.add(m[1]);
    });
    walk(src);
    assert.ok(written.size >= 15, `found ${written.size} audit actions in the source`);
    for (const a of written) assert.ok(declared.has(a), `${a} is written but no area declares it`);
  });
});
