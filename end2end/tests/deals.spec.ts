import { test, expect, signIn, hydrated, expectNoHorizontalScroll, watchErrors } from './fixtures';

// The cards show whole rubles here, so the digits are the amount.
const rubles = (text: string) => Number(text.replace(/[^\d]/g, ''));

test('a manager on a phone records a payment and moves a deal; the head sees it', async ({ browser }) => {
  // The head's figure before.
  const headContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  const head = await headContext.newPage();
  const headErrors = watchErrors(head);
  await signIn(head, 'head@pacer.demo');
  const before = rubles(await head.locator('.stat.good .stat-value').first().innerText());

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const page = await phone.newPage();
  const errors = watchErrors(page);
  await signIn(page, 'igor@pacer.demo');
  await page.getByRole('link', { name: 'Сделки' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Мой день');
  await expectNoHorizontalScroll(page);
  const first = page.locator('[data-test="deal-list"] a').first();
  const title = (await first.locator('.deal-title').innerText()).trim();
  const href = await first.getAttribute('href');
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await hydrated(page);
  await expectNoHorizontalScroll(page);

  // A bad amount is pointed out and the typing is kept.
  const pay = page.locator('[data-test="payment-form"]');
  await pay.locator('input[name="amount"]').fill('двенадцать');
  await pay.getByRole('button').click();
  await expect(pay.locator('.field-error[data-field="amount"]')).toContainText('Введите сумму цифрами');
  await expect(pay.locator('input[name="amount"]')).toHaveValue('двенадцать');

  await pay.locator('input[name="amount"]').fill('12 345');
  await pay.getByRole('button').click();
  await expect(page.locator('[data-test="history"] li').first()).toContainText('12\u00a0345\u00a0₽');

  // An expected payment, due in the future, appears in the deal's payments.
  await page.locator('[data-test="expect-form"] summary').click();
  const expectForm = page.locator('[data-test="expect-form"] form');
  await expectForm.locator('input[name="amount"]').fill('50 000');
  // A due date within the ten years ahead a date may lie.
  const dueYear = new Date().getFullYear() + 1;
  await expectForm.locator('input[name="due_on"]').fill(`${dueYear}-01-31`);
  await expectForm.getByRole('button').click();
  await expect(page.getByText(`31.01.${dueYear}`)).toBeVisible();

  const stage = page.locator('[data-test="stage-form"]');
  await stage.getByText('Переговоры', { exact: true }).click();
  await stage.getByRole('button').click();
  await expect(page.locator('.stats .stat').nth(1)).toContainText('Переговоры');
  await expect(page.locator('[data-test="history"] li').first()).toContainText('Переговоры');

  // Moving to "lost" without a reason is refused next to the reason field.
  await stage.getByText('Проиграна', { exact: true }).click();
  await stage.getByRole('button').click();
  await expect(stage.locator('.field-error[data-field="loss_reason"]')).toHaveText('Укажите причину проигрыша.');
  expect(errors).toEqual([]);

  // The head sees the money on the home page.
  await head.reload();
  await expect(head.locator('.stat.good .stat-value').first()).toHaveText(/./);
  const after = rubles(await head.locator('.stat.good .stat-value').first().innerText());
  expect(after - before).toBe(12345);
  await head.getByRole('link', { name: 'Сделки' }).click();
  await expect(head.getByRole('heading', { level: 1 })).toHaveText('Открытые сделки отдела');
  await expect(head.locator('[data-test="deal-list"]')).toContainText(title);
  // Filtering by one manager shows only Igor's deals.
  await hydrated(head);
  await head.locator('[data-test="manager-filter"]').getByText('Игорь Морозов').click();
  await expect(head).toHaveURL(/manager=/);
  await expect(head.locator('[data-test="manager-filter"] [aria-current="true"]')).toHaveText('Игорь Морозов');
  const owners = await head.locator('[data-test="deal-list"] .deal-meta').allInnerTexts();
  expect(owners.length).toBeGreaterThan(0);
  for (const o of owners) expect(o).toContain('Игорь Морозов');
  // The filters are folded under one line that says which are active.
  const filters = head.locator('[data-test="filters"] > summary');
  const refine = head.locator('[data-test="list-filter"]');
  // The list renders again once its data arrives, folded; open it as a person would, again if need be.
  const unfold = () => expect(async () => {
    if (!(await refine.isVisible())) await filters.click();
    await expect(refine).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(filters).toHaveText('Фильтры');
  await expect(refine).toBeHidden();
  // Narrowing to one stage keeps the manager and shows only that stage.
  await unfold();
  await refine.locator('select[name="stage"]').selectOption({ label: 'Переговоры' });
  await refine.getByRole('button', { name: 'Показать' }).click();
  await expect(head).toHaveURL(/stage=/);
  await expect(head).toHaveURL(/manager=/);
  await expect(filters).toHaveText('Фильтры: Переговоры');
  const chips = await head.locator('[data-test="deal-list"] .chip').allInnerTexts();
  expect(chips.length).toBeGreaterThan(0);
  for (const c of chips) expect(c).toBe('Переговоры');
  // A month a year ahead has no expected closings: the list empties, and the form keeps what was asked.
  await unfold();
  const month = refine.locator('select[name="close"]');
  const ahead = (await month.locator('option').last().getAttribute('value'))!;
  await month.selectOption(ahead);
  await refine.getByRole('button', { name: 'Показать' }).click();
  await expect(head).toHaveURL(new RegExp(`close=${ahead}`));
  await expect(month).toHaveValue(ahead);
  await expect(filters).toContainText('Фильтры: Переговоры · ');
  await expect(head.locator('[data-test="deal-list"] .deal-row')).toHaveCount(0);
  await unfold();
  await month.selectOption('');
  await refine.getByRole('button', { name: 'Показать' }).click();
  await expect(head.locator('[data-test="deal-list"] .deal-row').first()).toBeVisible();
  // And on the board the deal stands in "Переговоры".
  await head.getByRole('link', { name: 'Воронка' }).click();
  await expect(head.locator('[data-test="board-column"]', { hasText: 'Переговоры' }).locator(`a[href="${href}"]`)).toBeVisible();
  expect(headErrors).toEqual([]);
  expect(errors).toEqual([]);
  await headContext.close();
  await phone.close();
});
