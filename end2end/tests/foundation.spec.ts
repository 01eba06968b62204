import { test, expect, signIn, hydrated, expectNoHorizontalScroll, PASSWORD } from './fixtures';

test.describe('head on a desktop', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('sees the department with real demo figures, switches language and signs out', async ({ page }) => {
    await signIn(page, 'head@pacer.demo');

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Отдел продаж');
    const rows = page.locator('[data-test="managers"] tbody tr');
    await expect(rows).toHaveCount(5);
    await expect(page.locator('[data-test="managers"]')).toContainText('Анна Смирнова');
    // Money is formatted the Russian way and the demo has received payments.
    await expect(page.locator('.stat').first()).toContainText(/[1-9][\d\u00a0]*\u00a0₽/);
    await expect(page.locator('.chart:not(.funnel) svg rect.bar')).toHaveCount(4);
    // Conversion by stage: the five open stages, then won.
    await expect(page.locator('[data-test="funnel"] svg rect.bar')).toHaveCount(6);
    await expect(page.locator('[data-test="funnel"]')).toContainText('Выиграна');
    await expect(page.locator('.nav')).toBeVisible();
    // The month's plan and the pace to it, one click from the plan page.
    await expect(page.locator('[data-test="plan-strip"]')).toContainText(/План отдела: .*₽ \/ .*₽/);
    await expect(page.locator('[data-test="plan-strip"] [data-test="pace-status"]')).toBeVisible();

    // The managers table orders by any column; the month steps back and forth.
    await hydrated(page);
    await page.locator('[data-test="managers"] thead').getByRole('link', { name: 'Просрочено' }).click();
    await expect(page).toHaveURL(/sort=overdue/);
    await expect(page.locator('[data-test="managers"] th[aria-sort]')).toContainText('Просрочено');
    const nav = page.locator('[data-test="month-nav"]');
    const thisMonth = await nav.locator('.month-title').innerText();
    await nav.getByRole('link', { name: 'Предыдущий месяц' }).click();
    await expect(nav.locator('.month-title')).not.toHaveText(thisMonth);
    // A past month says which figures are today's rather than passing them off as its own.
    await expect(page.locator('[data-test="past-month-note"]')).toBeVisible();
    await expect(page.locator('.stats')).toContainText('В работе (открытые сделки) (на сегодня)');
    await nav.getByRole('link', { name: 'Следующий месяц' }).click();
    await expect(nav.locator('.month-title')).toHaveText(thisMonth);
    await expect(nav.getByRole('link', { name: 'Следующий месяц' })).toHaveCount(0);
    await expect(page.locator('[data-test="past-month-note"]')).toHaveCount(0);

    // Client-side navigation: the page is not reloaded when following a link.
    await page.evaluate(() => ((window as any).__stillHere = true));
    await page.locator('[data-test="managers"] tbody tr a').first().click();
    await expect(page).toHaveURL(/\/managers\//);
    await expect(page.locator('.stats .stat')).toHaveCount(4);
    expect(await page.evaluate(() => (window as any).__stillHere)).toBe(true);

    // English and back; the choice is kept in the profile.
    await page.locator('.nav [data-locale="en"]').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await hydrated(page);
    await page.getByRole('link', { name: 'Home' }).click();
    await expect(page.getByText('Received this month').first()).toBeVisible();
    await page.reload();
    await expect(page.getByText('Received this month').first()).toBeVisible();
    await hydrated(page);
    await page.locator('.nav [data-locale="ru"]').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(page.getByText('Поступило за месяц').first()).toBeVisible();
    await hydrated(page);

    await page.locator('[data-test="logout"]').click();
    await page.waitForURL('**/login');
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe('manager on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('sees their own month and next steps without sideways scrolling', async ({ page }) => {
    await signIn(page, 'anna@pacer.demo');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Здравствуйте, Анна');
    await expect(page.locator('.stats .stat')).toHaveCount(4);
    await expect(page.locator('[data-test="next-steps"]')).toBeVisible();
    // The tab bar sits at the bottom of the screen.
    const nav = await page.locator('nav.nav').boundingBox();
    expect(nav && nav.y + nav.height).toBeGreaterThan(800);
    await expectNoHorizontalScroll(page);
    // A manager has no department table and cannot open the admin page.
    await expect(page.locator('[data-test="managers"]')).toHaveCount(0);
    await page.goto('/admin');
    await expect(page.getByRole('alert')).toHaveText('Недостаточно прав для этого действия.');
    await hydrated(page);
    await page.locator('[data-test="logout"]').click();
    await page.waitForURL('**/login');
  });
});

test('a wrong password is refused next to the field and the email is kept', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.locator('input[name="email"]').fill('olga@pacer.demo');
  await page.locator('input[name="password"]').fill('not-the-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.locator('.field-error[data-field="password"]')).toHaveText('Неверная почта или пароль.');
  await expect(page.locator('input[name="email"]')).toHaveValue('olga@pacer.demo');
  await expect(page).toHaveURL(/\/login$/);
  // A malformed address is pointed out at the email field.
  await page.locator('input[name="email"]').fill('olga-at-pacer');
  await page.locator('form button[type="submit"]').click();
  await expect(page.locator('.field-error[data-field="email"]')).toHaveText('Это не похоже на адрес эл. почты.');
});

test.describe('admin', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('creates a department and a user who can then sign in', async ({ page }) => {
    await signIn(page, 'admin@pacer.demo');
    await page.getByRole('link', { name: 'Администрирование' }).first().click();
    await expect(page.locator('[data-test="users"] tbody tr')).toHaveCount(7);

    await page.locator('input[name="name"]').first().fill('Отдел корпоративных продаж');
    await page.getByRole('button', { name: 'Создать' }).first().click();
    await expect(page.locator('[data-test="departments"]')).toContainText('Отдел корпоративных продаж');

    const form = page.locator('form', { has: page.locator('select[name="role"]') });
    await form.locator('input[name="name"]').fill('Павел Соколов');
    await form.locator('input[name="email"]').fill('anna@pacer.demo');
    await form.locator('input[name="password"]').fill('secret-pass-1');
    await form.getByRole('button', { name: 'Создать' }).click();
    await expect(form.locator('.field-error[data-field="email"]')).toHaveText('Пользователь с такой почтой уже есть.');
    await expect(form.locator('input[name="name"]')).toHaveValue('Павел Соколов');

    await form.locator('input[name="email"]').fill('pavel@pacer.demo');
    await form.getByRole('button', { name: 'Создать' }).click();
    await expect(page.locator('[data-test="users"]')).toContainText('pavel@pacer.demo');

    await page.locator('[data-test="logout"]').click();
    await page.waitForURL('**/login');
    await signIn(page, 'pavel@pacer.demo', 'secret-pass-1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Здравствуйте, Павел');
  });
});

test('the login API answers JSON, sets an HttpOnly cookie and refuses bad passwords', async ({ request }) => {
  const ok = await request.post('/api/auth/login', { data: { email: 'dmitry@pacer.demo', password: PASSWORD } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).role).toBe('manager');
  const cookie = ok.headers()['set-cookie'];
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Lax');
  const bad = await request.post('/api/auth/login', { data: { email: 'dmitry@pacer.demo', password: 'nope-nope' } });
  expect(bad.status()).toBe(401);
});
