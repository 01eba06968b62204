import { chromium } from '@playwright/test';
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
  expect(source).toContain('"/pkg/pacer_bg.wasm"');
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
