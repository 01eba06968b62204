import { chromium } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, expect, hydrated, signIn, watchErrors } from './fixtures';

// Installability can only be asked of a persistent profile: an ordinary test context is
// incognito-like and always answers "in-incognito".
test('Pacer installs as an app and opens offline on the pages last seen', async ({ baseURL }, testInfo) => {
  const context = await chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    baseURL,
    locale: 'ru-RU',
    viewport: { width: 390, height: 844 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = watchErrors(page);
  await signIn(page, 'anna@pacer.demo');
  // The worker installs and takes the page over.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);

  // Pages seen online open with no network, the manager's figures included.
  await page.goto('/deals');
  await hydrated(page);
  await page.goto('/');
  await hydrated(page);
  await expect(page.locator('[data-test="today-plan"]')).toBeVisible();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Здравствуйте, Анна');
  await expect(page.locator('[data-test="today-plan"]')).toBeVisible();
  await hydrated(page);
  await page.goto('/deals');
  await expect(page.locator('[data-test="deal-list"]')).toBeVisible();
  await context.setOffline(false);
  // Network errors while offline are expected; nothing else may fail.
  expect(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError/.test(e))).toEqual([]);
  await context.close();
});

test('the service worker is new with every build and never cached by the browser', async ({ request }) => {
  const res = await request.get('/sw.js');
  expect(res.ok()).toBe(true);
  expect(res.headers()['cache-control']).toBe('no-cache');
  const source = await res.text();
  const home = await request.get('/login');
  const build = home.headers()['x-pacer-build'];
  expect(build).toMatch(/^[0-9a-f]{16}$/);
  expect(source).toContain(`const BUILD = "${build}"`);
  // It keeps the very files the page loads, under their content-hashed names.
  const bundle = [...(await home.text()).matchAll(/"(\/pkg\/pacer\.[0-9a-f]{16}\.(?:js|wasm|css))"/g)].map((m) => m[1]);
  expect(new Set(bundle).size).toBe(3);
  for (const file of bundle) expect(source).toContain(`"${file}"`);
});

// On a first visit the worker installs while the person is already typing their e-mail;
// when it takes the page over, the page must stay as it is (only an accepted update
// reloads).
test('a first visit keeps what the person types while the app installs itself', async ({ page }) => {
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.goto('/login');
  await hydrated(page);
  await page.locator('input[name="email"]').fill('anna@pacer.demo');
  const takeover = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        if (navigator.serviceWorker.controller) return resolve('before');
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve('now'));
      }),
  );
  expect(['before', 'now']).toContain(takeover);
  // A reload, were one coming, starts right after the takeover.
  await page.waitForTimeout(1000);
  expect(navigations).toBe(1);
  await expect(page.locator('input[name="email"]')).toHaveValue('anna@pacer.demo');
});

// A deploy: the server stops, a new build's assets replace the old, a new server starts.
// The page open on a phone learns of it, offers it, and takes it only when the person
// says so; then the new build serves the page and the old build's caches are gone.
test('a new build is offered in a banner and taken only when the person accepts it', async ({ browser }, testInfo) => {
  const site = testInfo.outputPath('site');
  fs.cpSync(path.join(__dirname, '..', '..', 'target', 'site'), site, { recursive: true });
  const database = testInfo.outputPath('pacer.db');
  // After every spec's own server (see playwright.config.ts).
  const port = Number(process.env.PACER_E2E_PORT || 3111) + 100;
  const baseURL = `http://127.0.0.1:${port}`;
  let server = await startPacer(site, database, port);
  try {
    const context = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, 'anna@pacer.demo');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    const buildOf = async () => (await context.request.get('/login')).headers()['x-pacer-build'];
    const first = await buildOf();
    await expect.poll(() => page.evaluate(() => caches.keys())).toContain(`pacer-assets-${first}`);
    await expect(page.locator('[data-test="update-banner"]')).toHaveCount(0);

    await stopPacer(server);
    // The next build's stylesheet differs, so its name does.
    const list = path.join(site, 'pkg', 'bundle.json');
    const bundle = JSON.parse(fs.readFileSync(list, 'utf8'));
    const css = fs.readFileSync(path.join(site, 'pkg', bundle.css), 'utf8');
    bundle.css = 'pacer.0123456789abcdef.css';
    fs.writeFileSync(path.join(site, 'pkg', bundle.css), `${css}\n/* the next build */\n`);
    fs.writeFileSync(list, JSON.stringify(bundle));
    server = await startPacer(site, database, port);
    const second = await buildOf();
    expect(second).not.toBe(first);

    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    // An open app looks for a new build now and then; here, at once.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = page.locator('[data-test="update-banner"]');
    await expect(banner).toContainText('Готова новая версия Pacer.');
    // Until the person accepts, the page stays as it is, served by the old build.
    await page.waitForTimeout(1000);
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => caches.keys())).toContain(`pacer-assets-${first}`);

    await banner.getByRole('button', { name: 'Обновить' }).click();
    await expect.poll(() => navigations).toBe(1);
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Здравствуйте, Анна');
    await expect(banner).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => caches.keys())).toContain(`pacer-assets-${second}`);
    expect(await page.evaluate(() => caches.keys())).not.toContain(`pacer-assets-${first}`);
    await context.close();
  } finally {
    await stopPacer(server);
  }
});

async function startPacer(siteRoot: string, database: string, port: number): Promise<ChildProcess> {
  const bin = process.env.PACER_BIN || '../target/debug/pacer';
  const args = ['--database-url', `sqlite://${database}`, '--listen', `127.0.0.1:${port}`, '--site-root', siteRoot, 'serve', '--demo'];
  const child = spawn(bin, args, { stdio: 'ignore' });
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`Pacer exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('Pacer did not start within a minute');
}

async function stopPacer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
