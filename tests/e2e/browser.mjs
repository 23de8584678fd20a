// Browser helpers for the e2e tests: Debian's chromium through playwright-core
// (never a downloaded browser), screenshots when GANXUN_SHOTS=dir is set, and
// a few actions on the Ganxun UI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.GANXUN_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.GANXUN_SHOTS || '';
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

/**
 * A page in a fresh context (own cookies). Collects CSP violations, uncaught
 * errors and console errors into page.problems so tests can assert none.
 */
export async function openPage(browser, baseURL, { viewport = DESKTOP, phone = false } = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // Failed API calls (401 probe, expected 4xx in tests) are logged by the browser; they are not UI faults.
    if (/Failed to load resource: the server responded with a status of (4\d\d)/.test(text)) return;
    page.problems.push('console: ' + text);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return page;
}

/** Screenshot of the whole page (or only the viewport, for open dialogs and drawers). */
export async function shot(page, name, { full = true } = {}) {
  if (!SHOTS) return;
  // Let transitions and charts settle.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: full });
}

export async function login(page, username, password) {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('input[name=password]').press('Enter');
}

/** Log in and wait until the app shell is there. */
export async function loginOk(page, username, password) {
  await login(page, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.locator('header [data-test=display-name]').waitFor();
}

/** Titles of the menu entries shown (desktop side menu or the opened phone drawer). */
export async function menuTitles(page) {
  const items = page.locator('[data-test=menu] [data-test=menu-item]:visible');
  await items.first().waitFor();
  return (await items.allInnerTexts()).map((s) => s.trim());
}

/**
 * The text of the last ElMessage toast that appears. With `expect` (text or
 * RegExp) it waits for a toast saying that: an earlier toast may still be on
 * the screen when the next action's toast is awaited.
 */
export async function toast(page, type = 'success', expect = undefined) {
  const el = page.locator(`.el-message--${type}`, expect ? { hasText: expect } : {}).last();
  await el.waitFor();
  return (await el.innerText()).trim();
}
