// Browser tests of the registry pages (干部名册, 干部详情, 导入, 单位管理)
// against the real server with the demo city (≈250 units, 5000 cadres).
//
// Run from the repository root after building the UI and the server:
//   make && node --test tests/e2e/
// GANXUN_SHOTS=/tmp/gx-shots saves a screenshot of every page visited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { launch, openPage, shot, loginOk, menuTitles, toast, PHONE } from './browser.mjs';

/** Password of the demo accounts (`ganxun demo`). */
const DEMO_PASSWORD = 'Yz@Ganxun2026';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid GB 11643 ID number from its first 17 digits. */
function idNumber(d17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(d17[i]) * WEIGHTS[i];
  return d17 + '10X98765432'[s % 11];
}
/** The same number with a wrong check character. */
function badIdNumber(d17) {
  const good = idNumber(d17);
  return d17 + (good.endsWith('1') ? '2' : '1');
}

describe('registry pages', () => {
  let server;
  let browser;
  let org; // API client of orgadmin
  let liaisonApi; // API client of liaison (广陵区)
  let codes;
  let dir;
  const pages = [];

  async function page(opts) {
    const p = await openPage(browser, server.url, opts);
    pages.push(p);
    return p;
  }

  async function api(username) {
    const c = new Client(server.url);
    await c.login(username, DEMO_PASSWORD);
    return c;
  }

  async function get(client, path) {
    const r = await client.get(path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    return r.json;
  }

  /** Waits until the list says "共 n 人" (and is not loading). */
  async function waitTotal(p, n) {
    await p.waitForFunction(
      (want) => document.querySelector('[data-test=cadre-total]')?.textContent?.replace(/\s+/g, '') === want,
      `共${n}人`,
      { timeout: 10000 },
    );
  }

  /** Chooses a unit in a UnitPicker (tree-select): type to filter, click the node. */
  async function pickUnit(p, select, name) {
    await select.click();
    await p.keyboard.type(name);
    const node = p.locator('.gx-unit-popper .el-tree-node__content:visible', { hasText: name }).first();
    await node.click();
    await node.waitFor({ state: 'hidden' });
  }

  function label(kind, code) {
    return codes[kind].find((c) => c.code === code)?.label ?? code;
  }

  before(async () => {
    server = await startServer({ demo: true });
    browser = await launch();
    org = await api('orgadmin');
    liaisonApi = await api('liaison');
    codes = await get(org, '/api/v1/codes');
    dir = mkdtempSync(join(tmpdir(), 'ganxun-e2e-'));
  });

  after(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    // CSP violations and script errors anywhere in the run fail it.
    assert.deepEqual(problems, []);
  });

  it('finds a cadre by pinyin initials, filters, opens the history and reveals the ID number', async () => {
    // A young talent with a history, found through the API by the initials of the name.
    let target = null;
    let initials = '';
    for (const ini of ['zh', 'wj', 'lj', 'zy', 'wx', 'ly', 'lh', 'zl', 'cm', 'hj', 'xm', 'wl', 'sj', 'yl']) {
      const r = await get(org, `/api/v1/cadres?q=${ini}&young_talent=true&status=1&page_size=50`);
      for (const c of r.items) {
        const h = await get(org, `/api/v1/cadres/${c.id}/history`);
        if (h.items.length) {
          target = { ...c, history: h.items };
          break;
        }
      }
      if (target) {
        initials = ini;
        break;
      }
    }
    assert.ok(target, 'a demo young talent with history');
    const totalQ = (await get(org, `/api/v1/cadres?q=${initials}&status=1`)).total;
    const totalRank = (await get(org, `/api/v1/cadres?q=${initials}&status=1&rank_level=${target.rank_level}`)).total;
    const totalYoung = (
      await get(org, `/api/v1/cadres?q=${initials}&status=1&rank_level=${target.rank_level}&young_talent=true`)
    ).total;
    assert.ok(totalQ >= totalRank && totalRank >= totalYoung && totalYoung >= 1);

    const p = await page();
    await loginOk(p, 'orgadmin', DEMO_PASSWORD);
    assert.deepEqual(await menuTitles(p), ['首页', '干部名册', '单位管理']);
    await p.locator('[data-test=menu] [data-test=menu-item]', { hasText: '干部名册' }).click();
    await p.waitForURL(/\/cadres$/);
    await waitTotal(p, (await get(org, '/api/v1/cadres?status=1')).total);
    await shot(p, 'r01-cadres');

    await p.locator('[data-test=cadre-q]').fill(initials);
    await waitTotal(p, totalQ);
    await p.locator('[data-test=cadre-table] [data-test=cadre-name]').first().waitFor();

    // 职务职级: the target's rank.
    await p.locator('.el-select[data-test=filter-rank]').click();
    const rankLabel = label('rank_level', target.rank_level);
    await p.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${rankLabel}$`) }).click();
    await p.keyboard.press('Escape');
    await waitTotal(p, totalRank);
    await p.locator('[data-test=cadre-chips]', { hasText: `职级：${rankLabel}` }).waitFor();

    // 优秀年轻干部 (among the folded-out filters).
    await p.locator('[data-test=cadre-more]').click();
    await p.locator('[data-test=filter-young-talent]').click();
    await waitTotal(p, totalYoung);
    const row = p.locator('[data-test=cadre-table] .el-table__body-wrapper tr', { hasText: target.name }).first();
    await row.waitFor();
    await row.locator('[data-test=tag-young-talent]').first().waitFor();
    await shot(p, 'r02-cadres-filtered');

    // The export link carries the same filters (and no paging).
    const href = await p.locator('[data-test=cadre-export]').getAttribute('href');
    const u = new URL(href, server.url);
    assert.equal(u.pathname, '/api/v1/cadres/export');
    assert.equal(u.searchParams.get('q'), initials);
    assert.equal(u.searchParams.get('rank_level'), target.rank_level);
    assert.equal(u.searchParams.get('young_talent'), 'true');
    assert.equal(u.searchParams.get('status'), '1');
    assert.equal(u.searchParams.get('page'), null);
    const xlsx = await p.request.get(href);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'], /spreadsheetml/);

    // The filters survive a reload (they live in the URL).
    await p.reload();
    await waitTotal(p, totalYoung);

    // Detail with the history.
    await p.locator('[data-test=cadre-table] [data-test=cadre-name]', { hasText: target.name }).first().click();
    await p.waitForURL(new RegExp(`/cadres/${target.id}$`));
    await p.locator('[data-test=cadre-detail-name]', { hasText: target.name }).waitFor();
    const items = p.locator('[data-test=history-item]');
    await items.first().waitFor();
    assert.equal(await items.count(), target.history.length);
    const first = target.history[0];
    const text = await items.first().innerText();
    assert.ok(text.includes(first.date), text);
    if (first.kind === 'transfer') assert.ok(text.includes(first.to_unit_name), text);
    if (first.kind === 'rank') assert.ok(text.includes(label('rank_level', first.to_rank)), text);
    const masked = (await p.locator('[data-test=cadre-id-number]').innerText()).trim();
    assert.equal(masked, target.id_number);
    assert.match(masked, /\*{8}/);
    await shot(p, 'r03-cadre-detail');

    // Reveal after the warning; cancelling first reveals nothing.
    await p.locator('[data-test=cadre-reveal]').click();
    const confirm = p.getByRole('dialog', { name: '查看完整身份证号和电话' });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /审计日志/);
    await shot(p, 'r04-reveal-confirm', { full: false });
    await confirm.getByRole('button', { name: '取消' }).click();
    assert.equal((await p.locator('[data-test=cadre-id-number]').innerText()).trim(), masked);
    await p.locator('[data-test=cadre-reveal]').click();
    await confirm.getByRole('button', { name: '确认查看' }).click();
    await p.locator('[data-test=revealed-note]').waitFor();
    const full = (await p.locator('[data-test=cadre-id-number]').innerText()).trim();
    assert.match(full, /^\d{17}[\dX]$/);
    // The masked number shows the region only (docs/security.md).
    assert.equal(masked, full.slice(0, 6) + '*'.repeat(12));
    await shot(p, 'r05-cadre-revealed');

    // The view went into the audit log.
    const auditor = await api('auditor');
    const audit = await get(auditor, `/api/v1/audit?action=cadre.reveal&entity_id=${target.id}`);
    assert.ok(audit.items.length >= 1);

    // Back to the list keeps the filters.
    await p.locator('[data-test=cadre-back]').click();
    await waitTotal(p, totalYoung);

    const phone = await page({ viewport: PHONE, phone: true });
    await loginOk(phone, 'orgadmin', DEMO_PASSWORD);
    await phone.goto(`/cadres/${target.id}`);
    await phone.locator('[data-test=history-item]').first().waitFor();
    await shot(phone, 'r06-phone-cadre-detail');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
  });

  it('imports a roster: errors by row and column, fix, confirm, re-import updates', async () => {
    const all = await get(org, '/api/v1/units?page_size=200&active=true');
    const codesOf = new Set(all.items.map((u) => u.code));
    for (const c of ['321002-B01', '321000-ZF02']) assert.ok(codesOf.has(c), `unit ${c}`);
    const before = (await get(org, '/api/v1/cadres?status=')).total;

    const header = '姓名,身份证号,单位代码,职务职级,联系电话,优秀年轻干部';
    const good = [
      `测试导入甲,${idNumber('32100219950715981')},321002-B01,141,13800001111,是`,
      `测试导入乙,${idNumber('32100219960816982')},321000-ZF02,乡科级副职,,否`,
    ];
    const bad = `测试导入丙,${badIdNumber('32100219970917983')},NOPE-UNIT,141,123,否`;
    const fixed = `测试导入丙,${idNumber('32100219970917983')},321002-B01,142,0514-87654321,否`;
    const badFile = join(dir, '干部导入-有错.csv');
    const okFile = join(dir, '干部导入.csv');
    writeFileSync(badFile, [header, ...good, bad].join('\n') + '\n');
    writeFileSync(okFile, [header, ...good, fixed].join('\n') + '\n');

    const p = await page();
    await loginOk(p, 'orgadmin', DEMO_PASSWORD);
    await p.goto('/cadres');
    await p.locator('[data-test=cadre-import]').click();
    await p.waitForURL(/\/cadres\/import$/);
    const tpl = await p.locator('[data-test=import-template]').getAttribute('href');
    assert.equal(tpl, '/api/v1/cadres/import-template');
    assert.equal((await p.request.get(tpl)).status(), 200);
    await shot(p, 'r10-import-upload');

    // ① upload the file with a bad row → ② errors by row and column.
    await p.locator('[data-test=import-upload] input[type=file]').setInputFiles(badFile);
    await p.locator('[data-test=import-check]').click();
    const errors = p.locator('[data-test=import-errors]');
    await errors.waitFor();
    await p.locator('[data-test=import-has-errors]').waitFor();
    assert.equal((await p.locator('[data-test=stat-rows]').innerText()).trim(), '3');
    const unitRow = errors.locator('.el-table__body tr', { hasText: '单位代码' });
    await unitRow.waitFor();
    const cells = (await unitRow.locator('td').allInnerTexts()).map((s) => s.trim());
    assert.equal(cells[0], '4');
    assert.equal(cells[1], '单位代码');
    assert.match(cells[2], /NOPE-UNIT/);
    await errors.locator('.el-table__body tr', { hasText: '身份证号' }).waitFor();
    await errors.locator('.el-table__body tr', { hasText: '联系电话' }).waitFor();
    // Filter the errors by column.
    await p.locator('.el-select[data-test=import-col-filter]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: /^单位代码/ }).click();
    await errors.locator('.el-table__body tr').first().waitFor();
    assert.equal(await errors.locator('.el-table__body tr').count(), 1);
    await shot(p, 'r11-import-errors');
    // Nothing was imported.
    assert.equal((await get(org, '/api/v1/cadres?q=测试导入&status=')).total, 0);

    // Fix the file and upload again → ③ confirm → created.
    await p.locator('[data-test=import-retry]').click();
    await p.locator('[data-test=import-step-upload]').waitFor();
    await p.locator('[data-test=import-upload] input[type=file]').setInputFiles(okFile);
    await p.locator('[data-test=import-check]').click();
    await p.locator('[data-test=import-ok]').waitFor();
    assert.equal((await p.locator('[data-test=stat-created]').innerText()).trim(), '3');
    assert.equal((await p.locator('[data-test=stat-updated]').innerText()).trim(), '0');
    await shot(p, 'r12-import-ok');
    await p.locator('[data-test=import-commit]').click();
    await p.locator('[data-test=import-step-done]').waitFor();
    assert.equal((await p.locator('[data-test=result-created]').innerText()).trim(), '3');
    assert.equal((await p.locator('[data-test=result-updated]').innerText()).trim(), '0');
    await shot(p, 'r13-import-done');

    // The list finds the imported cadres.
    await p.locator('[data-test=import-to-list]').click();
    await p.waitForURL(/\/cadres\?/);
    await p.locator('[data-test=cadre-q]').fill('测试导入');
    await waitTotal(p, 3);
    await p.locator('[data-test=cadre-table] [data-test=cadre-name]', { hasText: '测试导入甲' }).waitFor();
    const imported = await get(org, '/api/v1/cadres?q=测试导入甲');
    assert.equal(imported.items[0].young_talent, true);
    assert.equal(imported.items[0].unit_name, all.items.find((u) => u.code === '321002-B01').name);

    // The same file again: updated, not duplicated.
    await p.goto('/cadres/import');
    await p.locator('[data-test=import-upload] input[type=file]').setInputFiles(okFile);
    await p.locator('[data-test=import-check]').click();
    await p.locator('[data-test=import-ok]').waitFor();
    assert.equal((await p.locator('[data-test=stat-created]').innerText()).trim(), '0');
    assert.equal((await p.locator('[data-test=stat-updated]').innerText()).trim(), '3');
    await p.locator('[data-test=import-commit]').click();
    await p.locator('[data-test=import-step-done]').waitFor();
    assert.equal((await p.locator('[data-test=result-updated]').innerText()).trim(), '3');
    assert.equal((await p.locator('[data-test=result-created]').innerText()).trim(), '0');
    assert.equal((await get(org, '/api/v1/cadres?q=测试导入&status=')).total, 3);
    assert.equal((await get(org, '/api/v1/cadres?status=')).total, before + 3);

    // A file that is not a spreadsheet is refused as a whole, with the server's reason.
    const junk = join(dir, '名册.xlsx');
    writeFileSync(junk, 'PK\u0003\u0004 this is not a zip');
    await p.goto('/cadres/import');
    await p.locator('[data-test=import-upload] input[type=file]').setInputFiles(junk);
    await p.locator('[data-test=import-check]').click();
    const refusal = p.locator('[data-test=import-refusal]');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Excel/);
    await shot(p, 'r14-import-refused');

    const phone = await page({ viewport: PHONE, phone: true });
    await loginOk(phone, 'orgadmin', DEMO_PASSWORD);
    await phone.goto('/cadres/import');
    await phone.locator('[data-test=import-upload] input[type=file]').setInputFiles(badFile);
    await phone.locator('[data-test=import-check]').click();
    await phone.locator('[data-test=import-errors]').waitFor();
    await shot(phone, 'r15-phone-import-errors');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
  });

  it('creates and edits a cadre with field checks, and records the transfer', async () => {
    const units = (await get(org, '/api/v1/units?q=321002-B&page_size=200')).items;
    const finance = units.find((u) => u.code === '321002-B10').name;
    const audit = units.find((u) => u.code === '321002-B17').name;
    const p = await page();
    await loginOk(p, 'orgadmin', DEMO_PASSWORD);
    await p.goto('/cadres');
    await p.locator('[data-test=cadre-create]').click();
    const dlg = p.getByRole('dialog', { name: '新增干部' });
    await dlg.waitFor();

    // Client-side checks: required fields and the ID check digit.
    await dlg.locator('[data-test=cadre-save]').click();
    await dlg.locator('.el-form-item__error', { hasText: '请填写姓名' }).waitFor();
    await dlg.locator('.el-form-item__error', { hasText: '请选择所在单位' }).waitFor();
    const d17 = '32100219850612985';
    await dlg.locator('input[name=id_number]').fill(badIdNumber(d17));
    await dlg.locator('input[name=name]').click();
    await dlg.locator('.el-form-item__error', { hasText: '身份证号校验位错误' }).waitFor();
    // A valid number fills in gender and birth date.
    const id = idNumber(d17);
    await dlg.locator('input[name=id_number]').fill(id);
    await dlg.locator('input[name=name]').fill('表单测试');
    assert.equal(await dlg.locator('input[data-test=derived-gender]').inputValue(), '男');
    assert.match(await dlg.locator('input[data-test=derived-birth]').inputValue(), /^1985-06-12（\d+ 岁）$/);
    await dlg.locator('input[name=phone]').fill('12345');
    await dlg.locator('input[name=post]').click();
    await dlg.locator('.el-form-item__error', { hasText: '电话应为 11 位手机号或带区号的固定电话' }).waitFor();
    await dlg.locator('input[name=phone]').fill('13912345678');
    await dlg.locator('input[name=post]').fill('科长');
    await pickUnit(p, dlg.locator('.el-select[data-test=cadre-unit]'), finance);
    await dlg.locator('.el-select[data-test=cadre-rank]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: /^乡科级正职$/ }).click();
    await shot(p, 'r50-cadre-create', { full: false });
    await dlg.locator('[data-test=cadre-save]').click();
    assert.match(await toast(p, 'success', /已新增干部 表单测试/), /已新增干部 表单测试/);
    const created = (await get(org, '/api/v1/cadres?q=表单测试')).items[0];
    assert.equal(created.birth_month, '1985-06');
    assert.equal(created.rank_level, '141');

    // The same ID number again: the server's refusal shows under the field.
    await p.locator('[data-test=cadre-create]').click();
    await dlg.waitFor();
    await dlg.locator('input[name=name]').fill('重复测试');
    await dlg.locator('input[name=id_number]').fill(id);
    await pickUnit(p, dlg.locator('.el-select[data-test=cadre-unit]'), finance);
    await dlg.locator('.el-select[data-test=cadre-rank]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: /^乡科级副职$/ }).click();
    await dlg.locator('[data-test=cadre-save]').click();
    await dlg
      .locator('.el-form-item.is-error', { has: p.locator('input[name=id_number]') })
      .locator('.el-form-item__error', { hasText: '已登记' })
      .waitFor();
    await shot(p, 'r51-cadre-duplicate', { full: false });
    await dlg.getByRole('button', { name: '取消' }).click();

    // Edit: a transfer asks for its date and goes into the history.
    await p.goto(`/cadres/${created.id}`);
    await p.locator('[data-test=cadre-detail-edit]').click();
    const edit = p.getByRole('dialog', { name: /修改干部信息/ });
    await edit.waitFor();
    assert.equal(await edit.locator('input[name=id_number]').inputValue(), created.id_number);
    assert.equal(await edit.locator('[data-test=changed-on]').count(), 0);
    await pickUnit(p, edit.locator('.el-select[data-test=cadre-unit]'), audit);
    await edit.locator('[data-test=changed-on-note]', { hasText: '调动' }).waitFor();
    const date = edit.locator('[data-test=changed-on] input');
    await date.fill('2026-03-01');
    await date.press('Enter');
    await shot(p, 'r52-cadre-transfer', { full: false });
    await edit.locator('[data-test=cadre-save]').click();
    assert.match(await toast(p, 'success', /已保存干部 表单测试/), /已保存干部 表单测试/);
    const item = p.locator('[data-test=history-item]', { hasText: audit });
    await item.waitFor();
    assert.match(await item.innerText(), /2026-03-01/);
    assert.ok((await item.innerText()).includes(`从「${finance}」调至「${audit}」`));
    const after = await get(org, `/api/v1/cadres/${created.id}`);
    assert.equal(after.unit_name, audit);
    assert.equal(after.phone, '139****5678');
    assert.equal(after.version, created.version + 1);
  });

  it('keeps the liaison inside 广陵区', async () => {
    const tree = await get(liaisonApi, '/api/v1/units/tree');
    assert.equal(tree.items.length, 1);
    const root = tree.items[0];
    assert.equal(root.name, '广陵区');
    const ids = new Set();
    const walk = (n) => {
      ids.add(n.id);
      n.children.forEach(walk);
    };
    walk(root);

    const p = await page();
    await loginOk(p, 'liaison', DEMO_PASSWORD);
    await p.goto('/units');
    const nodes = p.locator('[data-test=unit-tree] [data-test=unit-node]');
    await nodes.first().waitFor();
    assert.equal(await nodes.first().getAttribute('data-unit'), String(root.id));
    const shown = await nodes.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-unit'))));
    assert.ok(shown.length > 1);
    for (const id of shown) assert.ok(ids.has(id), `unit ${id} is outside the liaison's subtree`);
    const cityUnit = (await get(org, '/api/v1/units?q=321000-DW01')).items[0];
    assert.equal(await p.locator('[data-test=unit-tree]', { hasText: cityUnit.name }).count(), 0);
    assert.match(await p.locator('[data-test=unit-stats]').innerText(), new RegExp(`共 ${ids.size} 个单位`));
    await shot(p, 'r20-liaison-units');

    // A cadre of another county (宝应县) whose name has no namesake in 广陵区.
    const baoying = (await get(org, '/api/v1/units?q=321023&page_size=5')).items.find((u) => u.code === '321023');
    const others = await get(org, `/api/v1/cadres?unit_id=${baoying.id}&status=1&page_size=50`);
    let other = null;
    for (const c of others.items) {
      if ((await get(liaisonApi, `/api/v1/cadres?q=${encodeURIComponent(c.name)}&status=`)).total === 0) {
        other = c;
        break;
      }
    }
    assert.ok(other, 'a 宝应县 cadre without a namesake in 广陵区');

    await p.goto('/cadres');
    await waitTotal(p, root.cadre_total);
    await p.locator('[data-test=cadre-q]').fill(other.name);
    await waitTotal(p, 0);
    await p.locator('[data-test=cadre-table]', { hasText: '单位专管员只能查到本单位及下级单位的干部' }).waitFor();
    await shot(p, 'r21-liaison-search-other');

    await p.goto(`/cadres/${other.id}`);
    await p.locator('[data-test=cadre-not-found]').waitFor();
    assert.match(await p.locator('[data-test=cadre-not-found]').innerText(), /不存在或不在您的管理范围内/);
    await shot(p, 'r22-liaison-not-found');
  });

  it('creates a sub-unit, moves it, merges it and shows the counts', async () => {
    const all = (await get(org, '/api/v1/units?q=321002-B&page_size=200')).items;
    const finance = all.find((u) => u.code === '321002-B10');
    const edu = all.find((u) => u.code === '321002-B09');
    assert.ok(finance && edu);
    const eduBefore = (await get(org, `/api/v1/units/${edu.id}`)).cadre_count;

    const p = await page();
    await loginOk(p, 'orgadmin', DEMO_PASSWORD);
    await p.goto('/units');
    await p.locator('[data-test=unit-tree] [data-test=unit-node]').first().waitFor();
    await shot(p, 'r30-units');

    // Search the tree by name and select the unit.
    await p.locator('[data-test=unit-search]').fill(finance.name);
    const financeNode = p.locator(`[data-test=unit-node][data-unit="${finance.id}"]`);
    await financeNode.waitFor();
    assert.equal(await p.locator('[data-test=unit-tree] [data-test=unit-node]:visible').count(), 1 + 2);
    await financeNode.click();
    await p.locator('[data-test=unit-name]', { hasText: finance.name }).waitFor();
    const financeCount = (await get(org, `/api/v1/units/${finance.id}`)).cadre_count;
    assert.equal((await p.locator('[data-test=unit-own-count]').innerText()).trim(), String(financeCount));
    await p.locator('[data-test=unit-search]').fill('');

    // Create a sub-unit; the server's field errors land under the fields.
    await p.locator('[data-test=unit-create]').click();
    const dlg = p.getByRole('dialog', { name: '新建单位' });
    await dlg.waitFor();
    await dlg.locator('input[name=code]').fill('321000-ZF02');
    await dlg.locator('input[name=name]').fill('测试科室');
    await dlg.locator('[data-test=unit-save]').click();
    await dlg
      .locator('.el-form-item.is-error', { has: p.locator('input[name=code]') })
      .locator('.el-form-item__error', { hasText: '单位代码已存在' })
      .waitFor();
    await shot(p, 'r31-unit-create-error', { full: false });
    await dlg.locator('input[name=code]').fill('321002-B10-T1');
    await dlg.locator('[data-test=unit-save]').click();
    assert.match(await toast(p, 'success', /已新建单位 测试科室/), /已新建单位 测试科室/);
    await p.locator('[data-test=unit-name]', { hasText: '测试科室' }).waitFor();
    const created = (await get(org, '/api/v1/units?q=321002-B10-T1')).items[0];
    assert.equal(created.parent_id, finance.id);
    const newNode = p.locator(`[data-test=unit-node][data-unit="${created.id}"]`);
    await newNode.waitFor();
    assert.match(await newNode.innerText(), /0 人/);

    // Move it under the education bureau (321002-B09).
    await p.locator('[data-test=unit-move]').click();
    const mv = p.getByRole('dialog', { name: '移动单位' });
    await mv.waitFor();
    await pickUnit(p, mv.locator('.el-select[data-test=unit-target]'), edu.name);
    await shot(p, 'r32-unit-move', { full: false });
    await mv.locator('[data-test=unit-move-save]').click();
    await p.getByRole('button', { name: '确认移动' }).click();
    assert.equal(await toast(p, 'success', `已将 测试科室 移至 ${edu.name} 之下`), `已将 测试科室 移至 ${edu.name} 之下`);
    assert.equal((await get(org, `/api/v1/units/${created.id}`)).parent_id, edu.id);
    await p.locator('[data-test=unit-detail] .crumbs', { hasText: edu.name }).waitFor();

    // A cadre in the new unit shows in its count and in the new parent's total.
    const r = await org.post('/api/v1/cadres', {
      name: '计数测试',
      id_number: idNumber('32100219880808984'),
      unit_id: created.id,
      rank_level: '150',
    });
    assert.equal(r.status, 201, r.text);
    await p.reload();
    const moved = p.locator(`[data-test=unit-node][data-unit="${created.id}"]`);
    await moved.waitFor();
    assert.match(await moved.locator('[data-test=unit-count]').innerText(), /^1 人$/);
    const eduNode = p.locator(`[data-test=unit-node][data-unit="${edu.id}"]`);
    assert.equal(
      (await eduNode.locator('[data-test=unit-count]').innerText()).trim(),
      `共 ${eduBefore + 1} 人（本级 ${eduBefore}）`,
    );
    assert.equal((await p.locator('[data-test=unit-total-count]').innerText()).trim(), '1');
    await shot(p, 'r33-unit-moved');

    // Merge it into the education bureau: the cadre moves, the unit stays greyed as merged.
    await p.locator('[data-test=unit-merge]').click();
    const mg = p.getByRole('dialog', { name: '合并单位' });
    await mg.waitFor();
    assert.match(await mg.innerText(), /保留为已停用（已合并）/);
    await pickUnit(p, mg.locator('.el-select[data-test=unit-target]'), edu.name);
    await mg.locator('[data-test=unit-move-save]').click();
    await p.getByRole('button', { name: '确认合并' }).click();
    assert.equal(await toast(p, 'success', `已将 测试科室 并入 ${edu.name}`), `已将 测试科室 并入 ${edu.name}`);
    await p.locator('[data-test=unit-state]', { hasText: `已合并至 ${edu.name}` }).waitFor();
    const mergedNode = p.locator(`[data-test=unit-node][data-unit="${created.id}"]`);
    assert.match(await mergedNode.innerText(), /已合并/);
    assert.match(await mergedNode.getAttribute('class'), /inactive/);
    assert.equal((await get(org, `/api/v1/units/${edu.id}`)).cadre_count, eduBefore + 1);
    await shot(p, 'r34-unit-merged');

    const phone = await page({ viewport: PHONE, phone: true });
    await loginOk(phone, 'orgadmin', DEMO_PASSWORD);
    await phone.goto(`/units?id=${edu.id}`);
    await phone.locator('[data-test=unit-name]', { hasText: edu.name }).waitFor();
    await shot(phone, 'r35-phone-units');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
  });

  it('shows the previous login and the password rules in force', async () => {
    // The demo trainee has never logged in.
    const p = await page();
    await loginOk(p, 'trainee', DEMO_PASSWORD);
    assert.equal((await p.locator('[data-test=last-login]').innerText()).trim(), '首次登录');
    await p.locator('[data-test=logout]').click();
    await p.waitForURL(/\/login/);
    await loginOk(p, 'trainee', DEMO_PASSWORD);
    assert.match((await p.locator('[data-test=last-login]').innerText()).trim(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await shot(p, 'r60-home-previous-login');

    // The security administrator raises the minimum length: the password page says so.
    const sec = await api('secadmin');
    const policy = await get(sec, '/api/v1/security/policy');
    const put = await sec.put('/api/v1/security/policy', { ...policy, password_min_length: 14 });
    assert.equal(put.status, 200, put.text);
    try {
      await p.goto('/password');
      await p.locator('.rules li', { hasText: '至少 14 个字符' }).waitFor();
      await p.locator('input[name=old_password]').fill(DEMO_PASSWORD);
      await p.locator('input[name=new_password]').fill('Short#Pass12');
      await p.locator('input[name=confirm]').fill('Short#Pass12');
      await p.getByRole('button', { name: '确认修改' }).click();
      await p.locator('.el-form-item__error', { hasText: '至少 14 个字符' }).waitFor();
      await shot(p, 'r61-password-rules');
    } finally {
      const now = await get(sec, '/api/v1/security/policy');
      await sec.put('/api/v1/security/policy', { ...now, password_min_length: policy.password_min_length });
    }
  });

  it('lets the liaison use the cadre list on a phone', async () => {
    const total = (await get(liaisonApi, '/api/v1/cadres?status=1')).total;
    const young = (await get(liaisonApi, '/api/v1/cadres?status=1&young_talent=true')).total;
    assert.ok(young > 0);

    const p = await page({ viewport: PHONE, phone: true });
    await loginOk(p, 'liaison', DEMO_PASSWORD);
    await p.locator('[data-test=menu-toggle]').click();
    assert.deepEqual(await menuTitles(p), ['首页', '干部名册', '单位管理']);
    await p.locator('.el-drawer [data-test=menu-item]', { hasText: '干部名册' }).click();
    await p.waitForURL(/\/cadres$/);
    await waitTotal(p, total);
    await p.locator('[data-test=cadre-card]').first().waitFor();
    assert.equal(await p.locator('[data-test=cadre-table]').count(), 0);
    assert.ok((await p.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await shot(p, 'r40-phone-cadres', { full: false });

    // Filters live in a drawer.
    await p.locator('[data-test=cadre-filter-open]').click();
    const drawer = p.locator('[data-test=cadre-filter-drawer]');
    await drawer.locator('[data-test=filter-young-talent]').waitFor();
    await shot(p, 'r41-phone-filter-drawer', { full: false });
    await drawer.locator('[data-test=filter-young-talent]').click();
    await p.locator('[data-test=cadre-filter-apply]').click();
    await waitTotal(p, young);
    await p.locator('[data-test=cadre-chips]', { hasText: '优秀年轻干部' }).waitFor();
    const cards = p.locator('[data-test=cadre-card]');
    assert.equal(await cards.count(), Math.min(young, 20));
    await cards.first().locator('[data-test=tag-young-talent]').waitFor();
    assert.ok((await p.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await shot(p, 'r42-phone-cadres-young');

    // Search by name, open a card.
    const name = (await cards.first().locator('[data-test=cadre-name]').innerText()).trim();
    await p.locator('[data-test=cadre-q]').fill(name);
    await p.locator('[data-test=cadre-card]', { hasText: name }).first().click();
    await p.waitForURL(/\/cadres\/\d+$/);
    await p.locator('[data-test=cadre-detail-name]', { hasText: name }).waitFor();
    assert.ok((await p.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await shot(p, 'r43-phone-cadre-detail');
  });
});
