// Browser tests of the application shell against the real server with a fresh
// database: login, role menus, user creation and the forced password change,
// the phone layout, the audit log and the security policy.
//
// Run from the repository root after building the UI and the server:
//   (cd web && npm ci && npm run build) && make && npm ci && node --test tests/e2e/
// GANXUN_SHOTS=/tmp/gx-shots saves a screenshot of every page visited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../lib/server.mjs';
import { launch, openPage, shot, login, loginOk, menuTitles, toast, PHONE } from './browser.mjs';

const USERS = [
  { username: 'admin', role: 'sysadmin' },
  { username: 'secure', role: 'secadmin' },
  { username: 'audit', role: 'auditor' },
  { username: 'student', role: 'trainee' },
  { username: 'forgetful', role: 'lecturer' },
];

describe('web shell', () => {
  let server;
  let browser;
  const pages = [];

  async function page(opts) {
    const p = await openPage(browser, server.url, opts);
    pages.push(p);
    return p;
  }

  before(async () => {
    server = await startServer({ users: USERS });
    browser = await launch();
  });

  after(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await browser?.close();
    await server?.stop();
    // CSP violations and script errors anywhere in the run fail it.
    assert.deepEqual(problems, []);
  });

  it('redirects to the login page and logs in', async () => {
    const p = await page();
    await p.goto('/users');
    await p.waitForURL(/\/login\?redirect=(%2F|\/)users$/);
    await p.getByText('干部教育培训管理系统').first().waitFor();
    await shot(p, '01-login');
    await p.locator('input[name=username]').fill('admin');
    await p.locator('input[name=password]').fill(PASSWORD);
    await p.locator('input[name=password]').press('Enter');
    // Back to the page asked for.
    await p.waitForURL(/\/users$/);
    await p.locator('[data-test=users-table]').waitFor();
    assert.equal(await p.title(), '用户管理 - 干部教育培训管理系统');
  });

  it('shows a clear message for a wrong password', async () => {
    const p = await page();
    await login(p, 'admin', 'wrong-Passw0rd!');
    const alert = p.locator('[data-test=login-error]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /登录失败/);
    assert.match(text, /[\u4e00-\u9fff]/);
    assert.ok(p.url().includes('/login'));
    await shot(p, '02-login-error');
  });

  it('says until when an account is locked after repeated failures', async () => {
    const p = await page();
    let text = '';
    for (let i = 0; i < 5; i++) {
      await login(p, 'forgetful', `Wrong#Passw0rd${i}`);
      const alert = p.locator('[data-test=login-error]');
      await alert.waitFor();
      text = await alert.innerText();
    }
    assert.match(text, /账户已锁定/);
    assert.match(text, /\d{1,2}:\d{2}/);
    await shot(p, '02-login-locked');

    // The system administrator sees the lock in the user list.
    const admin = await page();
    await loginOk(admin, 'admin', PASSWORD);
    await admin.goto('/users');
    const row = admin.locator('[data-test=users-table] .el-table__body-wrapper tr', { hasText: 'forgetful' });
    assert.match(await row.locator('[data-test=locked]').innerText(), /^已锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('sends an expired session back to the login page and returns after login', async () => {
    const p = await page();
    await loginOk(p, 'audit', PASSWORD);
    await p.goto('/audit');
    await p.locator('[data-test=audit-table] .el-table__row').first().waitFor();
    await p.context().clearCookies();
    await p.locator('[data-test=audit-search]').click();
    await p.waitForURL(/\/login\?redirect=(%2F|\/)audit$/);
    await p.locator('.el-message--warning').waitFor();
    await p.locator('input[name=username]').fill('audit');
    await p.locator('input[name=password]').fill(PASSWORD);
    await p.locator('input[name=password]').press('Enter');
    await p.waitForURL(/\/audit$/);
  });

  it('shows each role exactly its menu entries', async () => {
    const expected = {
      admin: ['首页', '用户管理'],
      secure: ['首页', '安全策略'],
      audit: ['首页', '审计日志'],
      student: ['首页'],
    };
    for (const [username, titles] of Object.entries(expected)) {
      const p = await page();
      await loginOk(p, username, PASSWORD);
      assert.deepEqual(await menuTitles(p), titles, `menu of ${username}`);
      await p.getByText('可以办理的事项').waitFor();
      await shot(p, `03-home-${username}`);
      await p.context().close();
    }
  });

  it('keeps a role out of pages it does not have', async () => {
    const p = await page();
    await loginOk(p, 'student', PASSWORD);
    await p.goto('/audit');
    await p.waitForURL((u) => u.pathname === '/');
    await p.getByText('您的角色无权访问该页面').waitFor();
    await p.goto('/no/such/page');
    await p.locator('[data-test=not-found]').waitFor();
    await shot(p, '04-not-found');
  });

  it('lets the sysadmin create a user who must then change the password', async () => {
    const admin = await page();
    await loginOk(admin, 'admin', PASSWORD);
    await admin.goto('/users');
    await admin.locator('[data-test=users-table]').waitFor();
    await shot(admin, '05-users');

    await admin.locator('[data-test=create-user]').click();
    const dlg = admin.getByRole('dialog', { name: '新建用户' });
    await dlg.waitFor();
    // Submitting empty shows the client-side checks under the inputs.
    await dlg.locator('[data-test=user-save]').click();
    await dlg.getByText('请输入用户名').waitFor();
    await dlg.locator('input[name=username]').fill('wang.fang');
    await dlg.locator('input[name=display_name]').fill('王芳');
    await dlg.locator('[data-test=roles-select]').click();
    await admin.locator('.el-select-dropdown__item:visible', { hasText: '学员' }).click();
    await dlg.locator('.el-dialog__title').click();
    await dlg.locator('[data-test=generate-password]').click();
    const initial = await dlg.locator('input[name=initial_password]').inputValue();
    assert.ok(initial.length >= 10, 'generated password ' + initial);
    await shot(admin, '06-users-create', { full: false });
    await dlg.locator('[data-test=user-save]').click();

    const cred = admin.getByRole('dialog', { name: '用户已创建' });
    await cred.waitFor();
    assert.equal((await cred.locator('[data-test=credentials-password]').innerText()).trim(), initial);
    await shot(admin, '07-users-created', { full: false });
    await cred.getByRole('button', { name: '完成' }).click();
    const row = admin.locator('[data-test=users-table] .el-table__body tr', { hasText: 'wang.fang' });
    await row.waitFor();
    assert.match(await row.innerText(), /王芳/);
    assert.match(await row.innerText(), /待修改密码/);

    // Creating the same username again: the server's conflict shows under the field.
    await admin.locator('[data-test=create-user]').click();
    await dlg.waitFor();
    await dlg.locator('input[name=username]').fill('wang.fang');
    await dlg.locator('input[name=display_name]').fill('王芳二');
    await dlg.locator('[data-test=roles-select]').click();
    await admin.locator('.el-select-dropdown__item:visible', { hasText: '教师' }).click();
    await dlg.locator('.el-dialog__title').click();
    await dlg.locator('[data-test=generate-password]').click();
    await dlg.locator('[data-test=user-save]').click();
    await dlg.locator('.el-form-item.is-error', { has: admin.locator('input[name=username]') }).waitFor();
    await shot(admin, '08-users-conflict', { full: false });
    await dlg.getByRole('button', { name: '取消' }).click();

    // The new user logs in, is sent to the password page with no menu.
    const user = await page();
    await login(user, 'wang.fang', initial);
    await user.waitForURL(/\/password/);
    await user.locator('[data-test=forced-notice]').waitFor();
    assert.equal(await user.locator('[data-test=menu]').count(), 0);
    // Home is not reachable until the password is changed.
    await user.goto('/');
    await user.waitForURL(/\/password/);
    await shot(user, '09-password-forced');

    // A weak password is refused with a field error.
    await user.locator('input[name=old_password]').fill(initial);
    await user.locator('input[name=new_password]').fill('short');
    await user.locator('input[name=confirm]').fill('short');
    await user.getByRole('button', { name: '确认修改' }).click();
    await user.locator('.el-form-item.is-error', { has: user.locator('input[name=new_password]') }).waitFor();

    // Wrong old password: the server's field error shows under the old-password input.
    const fresh = 'Zh4ng#Wang-2024!';
    await user.locator('input[name=old_password]').fill('Not-the-0ld-one!');
    await user.locator('input[name=new_password]').fill(fresh);
    await user.locator('input[name=confirm]').fill(fresh);
    await user.getByRole('button', { name: '确认修改' }).click();
    const oldItem = user.locator('.el-form-item.is-error', { has: user.locator('input[name=old_password]') });
    await oldItem.waitFor();
    assert.match(await oldItem.innerText(), /原密码/);
    await shot(user, '10-password-error');

    await user.locator('input[name=old_password]').fill(initial);
    await user.getByRole('button', { name: '确认修改' }).click();
    await user.waitForURL((u) => u.pathname === '/');
    assert.deepEqual(await menuTitles(user), ['首页']);
    await user.locator('[data-test=greeting]').waitFor();
    assert.match(await user.locator('[data-test=greeting]').innerText(), /王芳/);

    await user.locator('[data-test=logout]').click();
    await user.waitForURL(/\/login/);
    // The session is gone: app pages send back to login.
    await user.goto('/');
    await user.waitForURL(/\/login/);
    await loginOk(user, 'wang.fang', fresh);
  });

  it('lets the sysadmin edit, disable and reset a user', async () => {
    const admin = await page();
    await loginOk(admin, 'admin', PASSWORD);
    await admin.goto('/users');
    const row = admin.locator('[data-test=users-table] .el-table__body-wrapper tr', { hasText: 'wang.fang' });
    await row.waitFor();

    await row.locator('[data-test=edit-user]').click();
    const dlg = admin.getByRole('dialog', { name: '编辑用户' });
    await dlg.waitFor();
    await dlg.locator('input[name=display_name]').fill('王芳芳');
    await dlg.locator('[data-test=user-save]').click();
    await toast(admin);
    await admin.locator('[data-test=users-table]', { hasText: '王芳芳' }).waitFor();

    // Admin accounts are read-only.
    const adminRow = admin.locator('[data-test=users-table] .el-table__body-wrapper tr', { hasText: 'secure' });
    await adminRow.locator('[data-test=readonly]').waitFor();

    await row.locator('[data-test=toggle-user]').click();
    await admin.getByRole('dialog', { name: '停用用户' }).getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();

    await row.locator('[data-test=reset-user]').click();
    const reset = admin.getByRole('dialog', { name: '重置密码' });
    await reset.locator('[data-test=generate-password]').click();
    await reset.locator('[data-test=reset-save]').click();
    const done = admin.getByRole('dialog', { name: '密码已重置' });
    await done.waitFor();
    const resetTo = (await done.locator('[data-test=credentials-password]').innerText()).trim();
    await shot(admin, '11-users-reset', { full: false });
    await done.getByRole('button', { name: '完成' }).click();

    // Disabled: login with the right password is refused with the server's message.
    const user = await page();
    await login(user, 'wang.fang', resetTo);
    await user.locator('[data-test=login-error]').waitFor();
    assert.match(await user.locator('[data-test=login-error]').innerText(), /停用/);
    await shot(user, '12-login-disabled');
  });

  it('works on a phone: trainee logs in and opens the menu drawer', async () => {
    const p = await page({ viewport: PHONE, phone: true });
    await p.goto('/login');
    await shot(p, '13-phone-login');
    await loginOk(p, 'student', PASSWORD);
    // No side menu on a phone until the drawer is opened.
    assert.equal(await p.locator('[data-test=menu]:visible').count(), 0);
    await shot(p, '14-phone-home');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide on a ${PHONE.width}px phone`);
    await p.locator('[data-test=menu-toggle]').click();
    await p.locator('.el-drawer [data-test=menu]').waitFor();
    assert.deepEqual(await menuTitles(p), ['首页']);
    await shot(p, '15-phone-drawer', { full: false });
    await p.keyboard.press('Escape');
    await p.locator('[data-test=user-menu]').click();
    await p.locator('.el-dropdown-menu [data-test=change-password]').waitFor();
    await shot(p, '16-phone-user-menu', { full: false });
    await p.locator('.el-dropdown-menu [data-test=change-password]').click();
    await p.waitForURL(/\/password$/);
    await shot(p, '17-phone-password');
  });

  it('saves the security policy', async () => {
    const p = await page();
    await loginOk(p, 'secure', PASSWORD);
    await p.goto('/security');
    const input = p.locator('[data-test=policy-lock_minutes] input');
    await input.waitFor();
    assert.equal(await input.inputValue(), '15');
    await shot(p, '18-security');
    await input.fill('20');
    await input.press('Tab');
    await p.locator('[data-test=policy-save]').click();
    assert.match(await toast(p, 'success', /已保存/), /已保存/);
    await p.reload();
    // the form renders before the policy arrives: wait for the stored value (fails after 5 s otherwise)
    await p.waitForFunction(() => document.querySelector('[data-test=policy-lock_minutes] input')?.value === '20', null,
      { timeout: 5000 });
    assert.equal(await p.locator('[data-test=policy-lock_minutes] input').inputValue(), '20');
  });

  it('shows the audit log with diffs and verifies the chain', async () => {
    const p = await page();
    await loginOk(p, 'audit', PASSWORD);
    await p.goto('/audit');
    const rows = p.locator('[data-test=audit-table] .el-table__body-wrapper tr.el-table__row');
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 3);
    await p.locator('[data-test=audit-chart] canvas').waitFor();

    // Filter to user updates and open the first one: changed fields are highlighted.
    await p.locator('[data-test=filter-action]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: 'user.update' }).first().click();
    await p.locator('[data-test=audit-table]', { hasText: '修改用户' }).waitFor();
    // The filter lives in the URL: a reload keeps it.
    await p.waitForURL(/\/audit\?action=user\.update$/);
    await p.reload();
    await p.locator('[data-test=audit-table]', { hasText: '修改用户' }).waitFor();
    assert.match(await p.locator('[data-test=filter-action]').innerText(), /user\.update/);
    await rows.first().locator('.el-table__expand-icon').click();
    const diff = p.locator('[data-test=audit-diff]').first();
    await diff.waitFor();
    assert.ok((await diff.locator('tr[data-changed=true]').count()) >= 1);
    await shot(p, '19-audit-diff');

    await p.locator('[data-test=audit-verify]').click();
    const result = p.locator('[data-test=verify-result]');
    await result.waitFor();
    assert.match(await result.innerText(), /日志链完整/);
    await shot(p, '20-audit-verify');

    const phone = await page({ viewport: PHONE, phone: true });
    await loginOk(phone, 'audit', PASSWORD);
    await phone.goto('/audit');
    await phone.locator('[data-test=audit-table] .el-table__row').first().waitFor();
    await shot(phone, '21-phone-audit');
  });

  it('keeps a list page\'s filters in the URL across reload, back and the menu', async () => {
    const p = await page();
    await loginOk(p, 'admin', PASSWORD);
    await p.goto('/users?q=forget');
    const rows = p.locator('[data-test=users-table] .el-table__body-wrapper tr.el-table__row');
    await p.locator('[data-test=users-table]', { hasText: 'forgetful' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await p.locator('[data-test=filter-q]').inputValue(), 'forget');
    // Another page and back: the filter is restored.
    await p.locator('[data-test=menu-item]', { hasText: '首页' }).click();
    await p.waitForURL((u) => u.pathname === '/');
    await p.goBack();
    await p.waitForURL(/\/users\?q=forget$/);
    await p.locator('[data-test=users-table]', { hasText: 'forgetful' }).waitFor();
    assert.equal(await p.locator('[data-test=filter-q]').inputValue(), 'forget');
    // The menu entry opens the plain list.
    await p.locator('[data-test=menu-item]', { hasText: '用户管理' }).click();
    await p.waitForURL(/\/users$/);
    await p.locator('[data-test=users-table]', { hasText: 'student' }).waitFor();
    assert.equal(await p.locator('[data-test=filter-q]').inputValue(), '');
    assert.ok((await rows.count()) > 1);
  });
});
