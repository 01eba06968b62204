import { Browser, Page } from '@playwright/test';
import { test, expect, signIn, hydrated, watchErrors } from './fixtures';

// The cards show whole rubles here, so the digits are the amount.
const rubles = (text: string) => Number(text.replace(/[^\d]/g, ''));
// While the network is off, the browser's own notes on failed requests are expected.
// The page never kept answers 503 from the service worker, which the browser notes too.
const offlineNoise = /net::ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError|status of 503/;

async function phone(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, email);
  // The service worker takes the page over, so pages seen online open offline.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  return { context, page, errors };
}

/** Opens the manager's first deal with a full page load (kept by the service worker). */
async function openFirstDeal(page: Page) {
  await page.goto('/deals');
  const href = (await page.locator('[data-test="deal-list"] a').first().getAttribute('href'))!;
  await page.goto(href);
  await hydrated(page);
  return href;
}

/** A stage of the picker other than the deal's current one. */
async function anotherStage(page: Page, not: string[] = []) {
  const current = (await page.locator('[data-test="stat-stage"] .stat-value').innerText()).trim();
  const names = await page.locator('[data-test="stage-form"] .stage-option span').allInnerTexts();
  return names.find((n) => n !== current && !not.includes(n) && n !== 'Проиграна' && n !== 'Выиграна')!;
}

test('a manager works offline: changes wait through a reload and reach the head when the network returns', async ({ browser }) => {
  const headContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  const head = await headContext.newPage();
  const headErrors = watchErrors(head);
  await signIn(head, 'head@pacer.demo');
  const before = rubles(await head.locator('.stat.good .stat-value').first().innerText());

  const { context, page, errors } = await phone(browser, 'ekaterina@pacer.demo');
  const href = await openFirstDeal(page);
  const target = await anotherStage(page);

  // In the basement: no network at all.
  await context.setOffline(true);
  const stage = page.locator('[data-test="stage-form"]');
  await stage.getByText(target, { exact: true }).click();
  await stage.getByRole('button').click();
  const pay = page.locator('[data-test="payment-form"]');
  await pay.locator('input[name="amount"]').fill('7 777');
  await pay.getByRole('button').click();
  const log = page.locator('[data-test="activity-form"]');
  await log.getByText('Заметка', { exact: true }).click();
  await log.locator('input[name="body"]').fill('Из подвала: клиент согласен на счёт');
  await log.getByRole('button').click();

  // Each change shows at once, marked as waiting; the badge counts them.
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('3');
  await expect(page.locator('[data-test="stat-stage"]')).toContainText(target);
  await expect(page.locator('[data-test="stat-stage"] [data-test="pending-mark"]')).toBeVisible();
  await expect(page.locator('[data-test="pending-payment"]')).toContainText('7\u00a0777\u00a0₽');
  await expect(page.locator('[data-test="pending-activity"]')).toContainText('Из подвала');
  // The payment form is empty for the next one.
  await expect(pay.locator('input[name="amount"]')).toHaveValue('');

  // Reloading with no network: the app opens and nothing is lost.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('3');
  await expect(page.locator('[data-test="stat-stage"]')).toContainText(target);
  await expect(page.locator('[data-test="pending-activity"]')).toContainText('Из подвала');

  // Back in signal: everything goes, in order, once.
  await context.setOffline(false);
  await expect(page.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test="last-synced"]')).toBeVisible();
  await expect(page.locator('[data-test="pending-mark"]')).toHaveCount(0);
  await expect(page.locator('[data-test="history"]')).toContainText('Из подвала');
  await expect(page.locator('[data-test="stat-stage"]')).toContainText(target);

  // Deals on the list were kept for offline use without being opened; a page never
  // kept says so instead of failing.
  await page.goto('/deals');
  const others = await page.locator('[data-test="deal-list"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const unopened = others.find((h) => h !== href)!;
  await expect
    .poll(() => page.evaluate(async (path) => !!(await caches.match(path, { ignoreVary: true })), unopened), { timeout: 15_000 })
    .toBe(true);
  await context.setOffline(true);
  await page.goto(unopened);
  await hydrated(page);
  await expect(page.locator('[data-test="stage-form"]')).toBeVisible();
  await page.goto('/clients/00000000-0000-7000-8000-000000000000');
  await expect(page.locator('[data-test="offline-page"]')).toBeVisible();
  await context.setOffline(false);

  // The head's dashboard has the money; the deal has the stage and the note.
  await head.reload();
  await expect(head.locator('.stat.good .stat-value').first()).toHaveText(/./);
  expect(rubles(await head.locator('.stat.good .stat-value').first().innerText()) - before).toBe(7777);
  await head.goto(href);
  await expect(head.locator('[data-test="stat-stage"]')).toContainText(target);
  await expect(head.locator('[data-test="history"]')).toContainText('Из подвала: клиент согласен на счёт');
  await expect(head.locator('[data-test="history"]').getByText('Из подвала: клиент согласен на счёт')).toHaveCount(1);

  expect(headErrors).toEqual([]);
  expect(errors.filter((e) => !offlineNoise.test(e))).toEqual([]);
  await context.close();
  await headContext.close();
});

test('a stage changed by the head while the manager was offline is a conflict the manager resolves', async ({ browser }) => {
  const { context, page, errors } = await phone(browser, 'anna@pacer.demo');
  const href = await openFirstDeal(page);
  const mine = await anotherStage(page);
  await context.setOffline(true);

  // Meanwhile the head moves the same deal elsewhere.
  const headContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  const head = await headContext.newPage();
  await signIn(head, 'head@pacer.demo');
  await head.goto(href);
  await hydrated(head);
  const theirs = await anotherStage(head, [mine]);
  await head.locator('[data-test="stage-form"]').getByText(theirs, { exact: true }).click();
  await head.locator('[data-test="stage-form"]').getByRole('button').click();
  await expect(head.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible();

  // Anna moves it her way, offline, then the network returns.
  const stage = page.locator('[data-test="stage-form"]');
  await stage.getByText(mine, { exact: true }).click();
  await stage.getByRole('button').click();
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('1');
  await context.setOffline(false);

  // Pacer shows both values and asks.
  const conflict = page.locator('[data-test="deal-attention"] [data-test="conflict"]');
  await expect(conflict).toBeVisible({ timeout: 30_000 });
  await expect(conflict.locator('[data-test="conflict-yours"]')).toHaveText(mine);
  await expect(conflict.locator('[data-test="conflict-theirs"]')).toHaveText(theirs);
  await expect(page.locator('[data-test="stat-stage"]')).toContainText(theirs);
  await expect(page.locator('[data-test="sync-attention"]')).toBeVisible();

  // She keeps hers: it is sent again against the head's value and lands.
  await conflict.locator('[data-test="keep-mine"]').click();
  await expect(page.locator('[data-test="deal-attention"]')).toHaveCount(0);
  await expect(page.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test="stat-stage"]')).toContainText(mine);
  await head.reload();
  await expect(head.locator('[data-test="stat-stage"]')).toContainText(mine);

  expect(errors.filter((e) => !offlineNoise.test(e))).toEqual([]);
  await context.close();
  await headContext.close();
});

test('a session that ended offline asks for a new sign-in and then sends what waited', async ({ browser }) => {
  const { context, page, errors } = await phone(browser, 'dmitry@pacer.demo');
  const href = await openFirstDeal(page);
  await context.setOffline(true);
  const log = page.locator('[data-test="activity-form"]');
  await log.getByText('Звонок', { exact: true }).click();
  await log.locator('input[name="body"]').fill('Позвонил из лифта, договорились о встрече');
  await log.getByRole('button').click();
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('1');

  // The session is gone by the time the signal is back.
  await context.clearCookies();
  await context.setOffline(false);
  await expect(page.locator('[data-test="sync-login"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('1');

  await page.locator('[data-test="sync-login"] a').click();
  await page.waitForURL((url) => url.pathname === '/login');
  await hydrated(page);
  await page.locator('input[name="email"]').fill('dmitry@pacer.demo');
  await page.locator('input[name="password"]').fill('pacer-demo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  await hydrated(page);
  await expect(page.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  await page.goto(href);
  await expect(page.locator('[data-test="history"]').getByText('Позвонил из лифта, договорились о встрече')).toHaveCount(1);

  // 401 answers are expected here: the app asked, then asked the person to sign in.
  expect(errors.filter((e) => !offlineNoise.test(e))).toEqual([]);
  await context.close();
});

test('two tabs of one phone send each change once, and a change to a deal handed away is shown with its reason until dismissed', async ({ browser }) => {
  const { context, page, errors } = await phone(browser, 'anna@pacer.demo');
  const href = await openFirstDeal(page);
  const second = await context.newPage();
  const secondErrors = watchErrors(second);
  await second.goto(href);
  await hydrated(second);

  // Offline, each tab logs a note on the same deal; both tabs count both.
  await context.setOffline(true);
  for (const [tab, body] of [[page, 'Заметка из первой вкладки'], [second, 'Заметка из второй вкладки']] as const) {
    const log = tab.locator('[data-test="activity-form"]');
    await log.getByText('Заметка', { exact: true }).click();
    await log.locator('input[name="body"]').fill(body);
    await log.getByRole('button').click();
  }
  await expect(page.locator('[data-test="pending-count"]')).toHaveText('2');
  await expect(second.locator('[data-test="pending-count"]')).toHaveText('2');

  // Meanwhile the head hands the deal to Dmitry; Anna's next change can no longer land.
  const headContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  const head = await headContext.newPage();
  await signIn(head, 'head@pacer.demo');
  const log = page.locator('[data-test="activity-form"]');
  await log.locator('input[name="body"]').fill('После передачи');

  await context.setOffline(false);
  await expect(page.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  await expect(second.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  await head.goto(href);
  for (const body of ['Заметка из первой вкладки', 'Заметка из второй вкладки']) {
    await expect(head.locator('[data-test="history"]').getByText(body)).toHaveCount(1);
  }
  await hydrated(head);
  const owner = head.locator('[data-test="owner-form"]');
  await owner.locator('select[name="owner"]').selectOption({ label: 'Дмитрий Козлов' });
  await owner.getByRole('button').click();
  await expect(owner.locator('h2')).toContainText('Дмитрий Козлов');

  // Anna, still on the page she had, logs one more note: the server refuses it.
  await log.getByRole('button').click();
  const rejected = page.locator('[data-test="deal-attention"] [data-test="rejected"]');
  await expect(rejected).toBeVisible({ timeout: 30_000 });
  await expect(rejected).toContainText('После передачи');
  await expect(rejected).toContainText('передали другому сотруднику');
  await page.reload();
  await expect(page.locator('[data-test="sync-attention"]')).toBeVisible();
  await page.locator('[data-test="sync-attention"] summary').click();
  await page.locator('[data-test="sync-attention"] [data-test="dismiss"]').click();
  await expect(page.locator('[data-test="sync-attention"]')).toHaveCount(0);

  // The handed-away deal answers 404 to Anna now, as it must.
  expect(errors.filter((e) => !offlineNoise.test(e) && !/status of 404/.test(e))).toEqual([]);
  expect(secondErrors.filter((e) => !offlineNoise.test(e))).toEqual([]);
  await context.close();
  await headContext.close();
});
