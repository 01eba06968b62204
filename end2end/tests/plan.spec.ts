import { test, expect, hydrated, signIn, expectNoHorizontalScroll } from './fixtures';

// The head plans the quarter, splits it by history and changes one share; the manager
// then opens their phone on exactly that share and today's required amount.
test('the head splits a quarterly plan, edits a share, and the manager sees it on the phone', async ({ page, browser }) => {
  await signIn(page, 'head@pacer.demo');
  await page.getByRole('link', { name: 'План' }).first().click();
  await expect(page.locator('[data-test="period-title"]')).toHaveText(/\d{4}/);
  await hydrated(page);
  await page.getByRole('link', { name: 'Квартал' }).click();
  await expect(page).toHaveURL(/period=\d{4}-Q\d/);
  const form = page.locator('[data-test="set-plan"]');

  // A target that is not money is refused next to the field, and the typing stays.
  await form.locator('input[name="target"]').fill('много');
  await form.getByRole('button', { name: 'Сохранить план' }).click();
  await expect(form.locator('[data-field="target"]')).toHaveText('Введите сумму не меньше нуля.');
  await expect(form.locator('input[name="target"]')).toHaveValue('много');

  await form.locator('input[name="target"]').fill('30 000 000');
  await form.locator('select[name="method"]').selectOption('history');
  await form.getByRole('button', { name: 'Сохранить план' }).click();
  const months = page.locator('[data-test="month-plan"]');
  await expect(months).toHaveCount(3);
  // The quarter's three months add up to it, split by working days.
  await expect(page.locator('.stats')).toContainText(/30\s000\s000\s₽/);
  // The organisation's month (Moscow time), which Anna's home shows.
  const thisMonth = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' }).slice(0, 7);
  const month = page.locator(`[data-test="month-plan"][data-month="${thisMonth}"]`);
  const total = (await month.locator('tfoot td.num').first().innerText()).trim();

  // Anna's share goes to 5 000 000 (more than she has brought); the others absorb the difference, the month's plan stays.
  const row = month.locator('[data-test="share-row"]', { hasText: 'Анна Смирнова' });
  await row.locator('summary').click();
  await row.locator('input[name="target"]').fill('5 000 000');
  await row.getByRole('button', { name: 'Сохранить' }).click();
  await expect(month.locator('[data-test="share-row"]', { hasText: 'Анна Смирнова' }).locator('td.num').first()).toHaveText(/5\s000\s000\s₽/);
  await expect(month.locator('tfoot td.num').first()).toHaveText(total);
  await expect(page.locator('[data-test="plan-history"] li').first()).toContainText('Доля изменена');

  // Anna, on her phone, opens on her share and what she needs today.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const anna = await phone.newPage();
  await signIn(anna, 'anna@pacer.demo');
  const card = anna.locator('[data-test="today-plan"]');
  await expect(card).toContainText('Нужно сегодня');
  await expect(card).toContainText(/из 5\s000\s000\s₽/);
  await expect(card.locator('[data-test="per-day"]')).toHaveText(/\d.*₽/);
  await expect(card.locator('[data-test="pace-status"]')).toBeVisible();
  await expectNoHorizontalScroll(anna);
  await phone.close();
});

test('the admin marks a working Saturday in the calendar and can undo it', async ({ page }) => {
  await signIn(page, 'admin@pacer.demo');
  await page.getByRole('link', { name: 'Календарь' }).click();
  await page.goto('/calendar?year=2027');
  await hydrated(page);
  const days = page.locator('[data-test="working-days"]');
  const before = Number((await days.innerText()).match(/\d+/)![0]);
  const add = page.locator('[data-test="add-day"]');
  await add.locator('input[name="day"]').fill('2027-03-13');
  await add.locator('select[name="kind"]').selectOption('workday');
  await add.locator('input[name="name"]').fill('Перенос');
  await add.getByRole('button', { name: 'Добавить день' }).click();
  await expect(days).toContainText(String(before + 1));
  const day = page.locator('[data-test="calendar-day"][data-day="2027-03-13"]');
  await expect(day).toContainText('Рабочий день');
  await day.getByRole('button').click();
  await expect(days).toContainText(String(before));
  await expect(day).toHaveCount(0);
});
