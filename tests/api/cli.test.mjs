// The command line (src/main.c, docs/deployment.md): version, help of every
// subcommand, migrate, backup, demo, user add, audit verify, exit codes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, Client, PASSWORD, BACKEND, BIN } from '../lib/server.mjs';

const PG_ADMIN = process.env.GANXUN_TEST_PG || 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Run ganxun with the given environment; never throws on a non-zero exit. */
function run(args, env = {}, input = '') {
  const r = spawnSync(BIN, args, { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return r;
}

/** A fresh, empty database of the backend under test (not migrated). */
function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'ganxun-cli-'));
  const env = { GANXUN_KEY_FILE: join(dir, 'ganxun.key'), GANXUN_SCRYPT_LN: '12' };
  if (BACKEND === 'postgresql') {
    const name = 'gx_cli_' + randomBytes(6).toString('hex');
    execFileSync('psql', [PG_ADMIN, '-qAtc', `CREATE DATABASE ${name}`]);
    const u = new URL(PG_ADMIN);
    u.pathname = '/' + name;
    env.GANXUN_DB = u.toString();
    return {
      env, dir, drop() {
        try { execFileSync('psql', [PG_ADMIN, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]); } catch { /* best effort */ }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  env.GANXUN_DB = `sqlite:${join(dir, 'fresh.db')}`;
  return { env, dir, drop() { rmSync(dir, { recursive: true, force: true }); } };
}

describe('command line', () => {
  describe('version, help and usage errors (no database)', () => {
    it('`ganxun version` prints the version and exits 0', () => {
      const r = run(['version']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^ganxun \d+\.\d+\.\d+\S*\n$/);
      const v = run(['--version']);
      assert.equal(v.status, 0);
      assert.equal(v.stdout, r.stdout);
    });

    it('`ganxun --help` lists the commands and exits 0', () => {
      const r = run(['--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /usage: ganxun/);
      for (const c of ['serve', 'migrate', 'user', 'audit', 'backup', 'demo', 'version']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    });

    for (const cmd of ['serve', 'migrate', 'user', 'audit', 'backup', 'demo']) {
      it(`\`ganxun ${cmd} --help\` prints its usage and exits 0`, () => {
        // --help must not need (or touch) a database.
        const r = run([cmd, '--help'], { GANXUN_DB: 'sqlite:/nonexistent/dir/x.db', GANXUN_KEY_FILE: '/nonexistent/key' });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`usage: ganxun ${cmd}\\b`));
      });
    }

    it('`ganxun user add --help` and `ganxun audit verify --help` exit 0', () => {
      for (const args of [['user', 'add', '--help'], ['audit', 'verify', '--help']]) {
        const r = run(args, { GANXUN_DB: 'sqlite:/nonexistent/dir/x.db', GANXUN_KEY_FILE: '/nonexistent/key' });
        assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, /usage: ganxun/);
      }
    });

    it('an unknown subcommand exits 2 and says so', () => {
      const r = run(['frobnicate']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /frobnicate/);
      assert.match(r.stderr, /usage: ganxun/);
    });

    it('no command, unknown options and unknown sub-subcommands exit 2', () => {
      assert.equal(run([]).status, 2);
      assert.equal(run(['--bogus', 'version']).status, 2);
      assert.equal(run(['migrate', '--bogus']).status, 2);
      assert.equal(run(['serve', '--bogus']).status, 2);
      assert.equal(run(['user', 'delete']).status, 2);
      assert.equal(run(['audit', 'fix']).status, 2);
      assert.equal(run(['user', 'add', '--username', 'x']).status, 2, 'missing --role and --password-stdin');
    });
  });

  describe('migrate', () => {
    let db;
    before(() => { db = freshDb(); });
    after(() => db?.drop());

    it('applies the schema once; running it again changes nothing', () => {
      const first = run(['migrate'], db.env);
      assert.equal(first.status, 0, first.stderr);
      const m = first.stdout.match(/schema at version (\d+) \((\d+) migrations? applied\)/);
      assert.ok(m, first.stdout);
      assert.ok(Number(m[2]) >= 1);
      assert.equal(Number(m[2]), Number(m[1]), 'a fresh database gets every migration');
      const second = run(['migrate'], db.env);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, new RegExp(`schema at version ${m[1]} \\(0 migrations applied\\)`));
      const third = run(['migrate'], db.env);
      assert.equal(third.status, 0);
      assert.equal(third.stdout, second.stdout);
    });

    it('an empty migrated database has a valid, empty audit chain', () => {
      const r = run(['audit', 'verify'], db.env);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it('a database that cannot be opened: non-zero exit with a message', () => {
      const r = run(['migrate'], { ...db.env, GANXUN_DB: 'nosuchscheme:whatever' });
      assert.notEqual(r.status, 0);
      assert.ok(r.stderr.length > 0);
    });
  });

  describe('against a running server', () => {
    let srv;
    before(async () => {
      srv = await startServer({ users: [{ username: 'admin', role: 'sysadmin' }, { username: 'stu', role: 'trainee' }] });
    });
    after(async () => { await srv?.stop(); });

    it('`migrate` twice while serving is idempotent; data and sessions survive', async () => {
      const c = new Client(srv.url);
      await c.login('stu');
      for (let i = 0; i < 2; i++) {
        const r = run(['migrate'], srv.env);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /\(0 migrations applied\)/);
      }
      assert.equal((await c.get('/api/v1/auth/me')).status, 200);
      await new Client(srv.url).login('admin');
    });

    it('`user add` creates a working account; refuses duplicates, unknown roles, weak or missing passwords', async () => {
      const add = (name, role, pw, extra = []) => run(['user', 'add', '--username', name, '--role', role, ...extra, '--password-stdin'], srv.env, pw);
      const ok = add('cli.new', 'lecturer', PASSWORD + '\n');
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /cli\.new/);
      const login = await new Client(srv.url).login('cli.new');
      assert.deepEqual(login.json.user.roles, ['lecturer']);
      assert.equal(login.json.user.must_change_password, false);
      for (const [name, role, pw, extra] of [
        ['cli.new', 'trainee', PASSWORD + '\n'],       // taken
        ['cli.x', 'king', PASSWORD + '\n'],            // unknown role
        ['cli.x', 'trainee', 'short\n'],               // weak
        ['cli.x', 'trainee', 'Xcli.x#12345\n'],        // contains the username
        ['cli.x', 'trainee', ''],                      // nothing on stdin
        ['cli.x', 'liaison', PASSWORD + '\n'],         // liaison without --unit
        ['cli.x', 'trainee', PASSWORD + '\n', ['--unit', '98765']], // unknown unit
        ['Bad Name', 'trainee', PASSWORD + '\n'],      // username pattern
      ]) {
        const r = add(name, role, pw, extra);
        assert.notEqual(r.status, 0, `${name} ${role} ${JSON.stringify(pw)}: ${r.stdout}`);
        assert.ok(r.stderr.length > 0, 'says why');
      }
      assert.equal(run(['user', 'add', '--username', 'cli.y', '--role', 'trainee'], srv.env, PASSWORD + '\n').status, 2, 'no --password-stdin');
      assertError401(await new Client(srv.url).post('/api/v1/auth/login', { username: 'cli.x', password: PASSWORD }));
    });

    it('`audit verify` exits 0 on the live database', () => {
      const r = run(['audit', 'verify'], srv.env);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    if (BACKEND === 'sqlite') {
      it('`backup --out FILE` writes a SQLite database that sqlite3 reads', () => {
        const out = join(srv.dir, 'backup.db');
        const r = run(['backup', '--out', out], srv.env);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(existsSync(out) && statSync(out).size > 0);
        const n = execFileSync('sqlite3', [out, 'select count(*) from users'], { encoding: 'utf8' }).trim();
        assert.ok(Number(n) >= 3, `users in the backup: ${n}`);
        const names = execFileSync('sqlite3', [out, 'select username from users order by id'], { encoding: 'utf8' });
        assert.match(names, /^admin$/m);
        const integrity = execFileSync('sqlite3', [out, 'pragma integrity_check'], { encoding: 'utf8' }).trim();
        assert.equal(integrity, 'ok');
        // The backup is a working database: its audit chain verifies with the same key.
        const v = run(['audit', 'verify'], { ...srv.env, GANXUN_DB: `sqlite:${out}` });
        assert.equal(v.status, 0, v.stdout + v.stderr);
      });

      it('`backup` refuses to overwrite a file and needs --out', () => {
        const out = join(srv.dir, 'backup.db');
        assert.ok(existsSync(out));
        const size = statSync(out).size;
        const r = run(['backup', '--out', out], srv.env);
        assert.notEqual(r.status, 0);
        assert.equal(statSync(out).size, size);
        assert.notEqual(run(['backup'], srv.env).status, 0);
      });
    } else {
      it('`backup` on PostgreSQL exits non-zero and points to pg_dump', () => {
        const out = join(srv.dir, 'backup.db');
        const r = run(['backup', '--out', out], srv.env);
        assert.notEqual(r.status, 0);
        assert.match(r.stderr + r.stdout, /pg_dump/);
        assert.ok(!existsSync(out), 'no file written');
      });
    }
  });

  describe('demo', () => {
    let srv;
    before(async () => { srv = await startServer({}); });
    after(async () => { await srv?.stop(); });

    const ROLES = ['sysadmin', 'secadmin', 'auditor', 'orgadmin', 'instadmin', 'liaison', 'advisor', 'lecturer', 'trainee'];
    let password;

    it('creates one account per role and prints their password', () => {
      const r = run(['demo'], srv.env);
      assert.equal(r.status, 0, r.stderr);
      const m = r.stdout.match(/password[:\s]+([^\s)]+)/i);
      assert.ok(m, r.stdout);
      password = m[1];
      for (const name of ROLES) assert.match(r.stdout, new RegExp(`\\b${name}\\b`));
    });

    it('each of the 9 accounts logs in with that password and holds its role', async () => {
      assert.ok(password);
      for (const name of ROLES) {
        const c = new Client(srv.url);
        const r = await c.post('/api/v1/auth/login', { username: name, password });
        assert.equal(r.status, 200, `${name}: ${r.text}`);
        assert.deepEqual(r.json.user.roles, [name]);
        assert.equal((await c.get('/api/v1/auth/me')).status, 200);
      }
      const admin = new Client(srv.url);
      await admin.login('sysadmin', password);
      assert.equal((await admin.get('/api/v1/users')).json.total, 9);
      const liaison = (await admin.get('/api/v1/users?role=liaison')).json.items[0];
      assert.ok(Number.isInteger(liaison.unit_id), 'the liaison has a unit');
      assert.ok((await admin.get('/api/v1/units')).json.total >= 2, 'demo units');
    });

    it('given names match the gender of the ID number (no 男 cadre is called 娟丽)', async () => {
      const org = new Client(srv.url);
      await org.login('orgadmin', password);
      const FEMALE = /[娟丽芳婷燕霞梅艳秀玲凤琳颖慧怡涵懿]/;
      const MALE = /[刚强军勇鹏斌磊杰涛峰浩亮辉鹏鑫彬健]/;
      for (const [gender, wrong] of [['1', FEMALE], ['2', MALE]]) {
        const r = await org.get(`/api/v1/cadres?gender=${gender}&page_size=200`);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.json.items.length > 50, `${r.json.items.length} cadres of gender ${gender}`);
        for (const c of r.json.items) {
          assert.equal(c.gender, gender);
          assert.doesNotMatch(c.name.slice(1), wrong, `${c.name} is gender ${gender}`);
        }
      }
    });

    it('running it again adds nothing, says why and exits non-zero (a script can tell)', async () => {
      const r = run(['demo'], srv.env);
      assert.notEqual(r.status, 0, r.stdout);
      assert.match(r.stderr, /accounts already/);
      const admin = new Client(srv.url);
      await admin.login('sysadmin', password);
      assert.equal((await admin.get('/api/v1/users')).json.total, 9);
    });

    it('the demo data is audited and the chain verifies', () => {
      const r = run(['audit', 'verify'], srv.env);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  });
});

function assertError401(r) {
  assert.equal(r.status, 401, r.text);
  assert.equal(r.json.error.code, 'invalid_credentials');
}
