// PostgreSQL-specific behaviour: a worker's connection that the server drops
// (restart, failover, idle kill) is re-established on the next request, and
// a connection left in a failed transaction is not reused as is.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client, BACKEND } from '../lib/server.mjs';

const onPg = BACKEND === 'postgresql';

describe('PostgreSQL connections', { skip: !onPg && 'runs only with GANXUN_TEST_DB=postgresql (its SQLite twin has no server to lose)' }, () => {
  let srv, admin;
  before(async () => {
    srv = await startServer({ users: [{ username: 'admin', role: 'sysadmin' }], threads: 2 });
    admin = new Client(srv.url);
    await admin.login('admin');
  });
  after(async () => { await srv?.stop(); });

  const psql = (sql) => execFileSync('psql', [srv.env.GANXUN_DB, '-qAtc', sql], { encoding: 'utf8' });

  it('reconnects after the server drops every connection', async () => {
    // warm both workers' connections
    for (let i = 0; i < 10; i++) assert.equal((await admin.get('/api/v1/users')).status, 200);
    const killed = psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    assert.ok(Number(killed) >= 1, `terminated ${killed}`);
    for (let i = 0; i < 10; i++) {
      const r = await admin.get('/api/v1/users');
      assert.equal(r.status, 200, r.text);
    }
    // writes too: a user created after the drop is there
    const c = await admin.post('/api/v1/users', { username: 'after.drop', display_name: '重连后', roles: ['trainee'], password: 'Reconn3ct#Pass' });
    assert.equal(c.status, 201, c.text);
    assert.equal((await admin.get('/api/v1/health')).json.status, 'ok');
  });
});
