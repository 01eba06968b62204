import { test as base, expect, Page } from '@playwright/test';

// Every test fails on an uncaught page error or a console error: a broken WASM
// build can kill hydration while the server-rendered page still looks right.
// The only console errors allowed are the browser's own notes on expected
// 4xx answers (a wrong password is answered 401, a bad form 422).
const EXPECTED_HTTP = /Failed to load resource: the server responded with a status of (401|422|429)/;

/** Collects a page's uncaught errors and unexpected console errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_HTTP.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = watchErrors(page);
    await use(page);
    expect(errors, 'uncaught page or console errors').toEqual([]);
  },
});
export { expect };

export const PASSWORD = 'pacer-demo';

/** Waits until the WASM client has hydrated the page, so clicks are handled by it. */
export async function hydrated(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  await hydrated(page);
}

/** The page never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
