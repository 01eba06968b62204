import { test, expect, signIn, hydrated, watchErrors } from './fixtures';

// "Сделок: 12 · 1 250 000 ₽" → 12
const count = (text: string) => Number(/:\s*(\d+)/.exec(text)![1]);

test.use({ viewport: { width: 1440, height: 900 } });

test('the head moves deals on the board by drag and drop and from the keyboard; lost asks why', async ({ page }) => {
  await signIn(page, 'head@pacer.demo');
  await page.locator('nav').getByRole('link', { name: 'Воронка' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Воронка');
  await hydrated(page);
  const columns = page.locator('[data-test="board-column"]');
  await expect(columns).toHaveCount(5);
  const summary = (i: number) => columns.nth(i).locator('[data-test="column-summary"]');
  const first = count(await summary(0).innerText());
  const second = count(await summary(1).innerText());

  // Drag the first deal of the first column onto the second.
  const card = columns.nth(0).locator('[data-test="board-card"]').first();
  const title = (await card.locator('.board-card-title').innerText()).trim();
  // Titles repeat across clients; the link names the deal.
  const href = await card.locator('a').getAttribute('href');
  const deal = (i: number) => columns.nth(i).locator('[data-test="board-card"]').filter({ has: page.locator(`a[href="${href}"]`) });
  // Dropped near the column's top, which is on screen: its middle lies below the fold
  // of a long column, and scrolling there with the button held would grab another card.
  await card.dragTo(columns.nth(1), { targetPosition: { x: 60, y: 30 } });
  await expect(summary(1)).toHaveText(new RegExp(`: ${second + 1} `));
  await expect(summary(0)).toHaveText(new RegExp(`: ${first - 1} `));
  await expect(deal(1)).toBeVisible();

  // The keyboard way: focus the card's stage list and pick the next stage.
  const third = count(await summary(2).innerText());
  const select = deal(1).locator('select');
  await select.focus();
  await select.selectOption({ label: 'Предложение' });
  await expect(deal(2)).toBeVisible();
  await expect(deal(1)).toHaveCount(0);
  // The server took it: the board loaded again with the new counts.
  await expect(summary(2)).toHaveText(new RegExp(`: ${third + 1} `));

  // Dropping on "lost" asks for the reason and refuses an empty one.
  const lostZone = page.locator('[data-test="board-drop"]').filter({ hasText: 'Проиграна' });
  const lostBefore = count(await lostZone.innerText());
  await deal(2).dragTo(lostZone);
  const dialog = page.locator('[data-test="loss-dialog"]');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-test="loss-deal"]')).toHaveText(title);
  await expect(dialog.locator('[data-test="loss-deal"]')).toHaveText(title);
  await dialog.getByRole('button', { name: 'Перенести в «Проиграна»' }).click();
  await expect(dialog.locator('.field-error[data-field="loss_reason"]')).toHaveText('Укажите причину проигрыша.');
  await dialog.locator('input[name="loss_reason"]').fill('Выбрали другого поставщика');
  await dialog.getByRole('button', { name: 'Перенести в «Проиграна»' }).click();
  await expect(dialog).toBeHidden();
  await expect(lostZone).toContainText(`: ${lostBefore + 1} `);
  await expect(page.locator(`[data-test="board"] a[href="${href}"]`)).toHaveCount(0);
  // The deal's card shows the stage and the reason.
  await page.goto(href!);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.stats')).toContainText('Выбрали другого поставщика');
});

test('a move on a board opened before the manager moved the deal shows both stages instead of overwriting', async ({ page, browser }) => {
  await signIn(page, 'head@pacer.demo');
  await page.goto('/board');
  await hydrated(page);
  const columns = page.locator('[data-test="board-column"]');
  await expect(columns).toHaveCount(5);
  const ids = await columns.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-stage')!));
  const names = (await columns.locator('h2').allInnerTexts()).map((t) => t.split(' · ')[0].trim());
  // One of Anna's deals, as the head's board shows it now.
  const card = page.locator('[data-test="board-card"]').filter({ hasText: 'Анна Смирнова' }).first();
  const href = (await card.locator('a').getAttribute('href'))!;
  const seen = ids.indexOf((await card.getAttribute('data-stage'))!);
  const annas = seen === 0 ? 1 : 0;
  const heads = [0, 1, 2, 3].find((i) => i !== seen && i !== annas)!;

  // Meanwhile Anna moves it from her phone.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const phone = await context.newPage();
  const phoneErrors = watchErrors(phone);
  await signIn(phone, 'anna@pacer.demo');
  await phone.goto(href);
  await hydrated(phone);
  const form = phone.locator('[data-test="stage-form"]');
  await form.getByText(names[annas], { exact: true }).click();
  await form.getByRole('button').click();
  await expect(phone.locator('[data-test="pending-count"][data-count="0"]')).toBeVisible({ timeout: 30_000 });
  expect(phoneErrors).toEqual([]);
  await context.close();

  // The head moves the card on the board that still shows the old stage (with the
  // card's stage list: the drag itself is the first test's).
  const deal = (i: number) => columns.nth(i).locator('[data-test="board-card"]').filter({ has: page.locator(`a[href="${href}"]`) });
  await deal(seen).locator('select').selectOption({ label: names[heads] });
  const conflict = page.locator('[data-test="board-attention"] [data-test="conflict"]');
  await expect(conflict).toBeVisible({ timeout: 30_000 });
  await expect(conflict.locator('[data-test="conflict-yours"]')).toHaveText(names[heads]);
  await expect(conflict.locator('[data-test="conflict-theirs"]')).toHaveText(names[annas]);
  // Nothing was overwritten: the board, loaded again, has the deal where Anna put it.
  await expect(deal(annas)).toBeVisible();
  await expect(deal(heads)).toHaveCount(0);
  // The head takes Anna's stage: the question goes, and the deal stays.
  await conflict.locator('[data-test="take-theirs"]').click();
  await expect(page.locator('[data-test="board-attention"]')).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(deal(annas)).toBeVisible();
});

test('the head adds a stage to the pipeline, sees it on the board, and removes it', async ({ page }) => {
  await signIn(page, 'head@pacer.demo');
  await page.goto('/board');
  await hydrated(page);
  await page.getByRole('link', { name: 'Этапы воронки' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Этапы воронки');
  await hydrated(page);
  const add = page.locator('[data-test="add-stage"]');
  await add.locator('input[name="name"]').fill('Демо проведено');
  await add.locator('input[name="probability"]').fill('сто');
  await add.getByRole('button', { name: 'Добавить этап' }).click();
  await expect(add.locator('.field-error[data-field="probability"]')).toHaveText('Вероятность — целое число от 0 до 100.');
  await expect(add.locator('input[name="name"]')).toHaveValue('Демо проведено');
  await add.locator('input[name="probability"]').fill('70');
  await add.getByRole('button', { name: 'Добавить этап' }).click();
  const rows = page.locator('[data-test="stage-row"]');
  await expect(rows).toHaveCount(8);
  // New stages go after the open ones, before "won" and "lost".
  await expect(rows.nth(5).locator('input[name="name"]')).toHaveValue('Демо проведено');
  await rows.nth(5).getByRole('button', { name: 'Выше «Демо проведено»' }).click();
  await expect(rows.nth(4).locator('input[name="name"]')).toHaveValue('Демо проведено');

  await page.getByRole('link', { name: 'Воронка' }).first().click();
  await expect(page.locator('[data-test="board-column"]').nth(4)).toContainText('Демо проведено · 70%');

  await page.getByRole('link', { name: 'Этапы воронки' }).click();
  await hydrated(page);
  // A stage with deals cannot go; the empty new one can.
  await rows.nth(0).getByRole('button', { name: /^Удалить/ }).click();
  await expect(rows.nth(0).locator('.field-error[data-field="stage"]')).toHaveText('На этапе есть сделки: сначала перенесите их.');
  await rows.nth(4).getByRole('button', { name: 'Удалить «Демо проведено»' }).click();
  await expect(rows).toHaveCount(7);
});
