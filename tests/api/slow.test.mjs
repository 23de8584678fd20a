// Issue 7 #7: 4,100 slow connections (one header line every 10 s) stopped the server answering. A request
// now has a total deadline to arrive (headers and body), and one client address may hold only so many
// connections. Timings are scaled down with --timeout.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, Client, PASSWORD } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A socket from a given local address; resolves when connected. */
function connect(url, localAddress = '127.0.0.1') {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress }, () => res(s));
    s.on('error', () => {});
    s.once('error', rej);
    s.closedAt = null;
    s.on('close', () => { s.closedAt = Date.now(); });
  });
}

/** GET /api/v1/health from a given local address: the status, or the error code. */
function health(url, localAddress) {
  return new Promise((res) => {
    const req = http.get(`${url}/api/v1/health`, { localAddress, agent: false }, (r) => { r.resume(); r.on('end', () => res(r.statusCode)); });
    req.on('error', (e) => res(e.code));
    req.setTimeout(5000, () => { req.destroy(); res('timeout'); });
  });
}

describe('slow clients', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--timeout', '3', '--max-per-ip', '16'], users: [{ username: 'bob', role: 'trainee' }] });
  });
  after(async () => { await srv?.stop(); });

  /** Send start, then more(i) once a second for 8 s or until the server closes; ms until it closed. */
  async function trickle(start, more) {
    const s = await connect(srv.url);
    const t0 = Date.now();
    s.write(start);
    for (let i = 0; i < 8 && !s.closedAt; i++) {
      await sleep(1000);
      if (!s.closedAt) s.write(more(i));
    }
    s.destroy();
    assert.ok(s.closedAt, 'the server closed the connection');
    return s.closedAt - t0;
  }

  it('a client sending one header line every second is cut off after the deadline (idle never reached)', async () => {
    const took = await trickle('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n', (i) => `X-Slow-${i}: y\r\n`);
    assert.ok(took >= 2500 && took < 5500, `closed after ${took} ms (deadline 3 s)`);
  });

  it('a body trickling in (one byte a second) is cut off too', async () => {
    const took = await trickle('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Content-Length: 200\r\n\r\n{', () => ' ');
    assert.ok(took < 5500, `closed after ${took} ms`);
  });

  it('kept-alive connections serve request after request; a normal body is not cut', async () => {
    const c = new Client(srv.url);
    await c.login('bob', PASSWORD);
    for (let i = 0; i < 3; i++) {
      assert.equal((await c.get('/api/v1/auth/me')).status, 200);
      await sleep(700);
    }
    // a ~900 KiB body sent at once is well within the deadline
    const r = await c.post('/api/v1/auth/login', { username: 'bob', password: 'x'.repeat(900 << 10) });
    assert.equal(r.status, 400, r.text); // too long a password: validation, after the body arrived
  });

  it('one address holding its connection limit cannot keep others out', async () => {
    const socks = [];
    try {
      for (let i = 0; i < 40; i++) {
        const s = await connect(srv.url, '127.0.0.1');
        s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
        socks.push(s);
      }
      await sleep(300);
      const open = socks.filter((s) => !s.closedAt).length;
      assert.ok(open <= 16, `${open} of 40 connections from one address stay open (limit 16)`);
      assert.equal(await health(srv.url, '127.0.0.2'), 200, 'another address is served');
    } finally {
      for (const s of socks) s.destroy();
    }
    await sleep(300);
    assert.equal(await health(srv.url, '127.0.0.1'), 200, 'the address is served again once it lets go');
  });
});
