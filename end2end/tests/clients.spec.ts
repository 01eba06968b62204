import { test, expect, signIn, hydrated, expectNoHorizontalScroll } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('a manager finds a client as they type, adds a client and a deal, and sees it in My day', async ({ page }) => {
  await signIn(page, 'ekaterina@pacer.demo');
  await page.getByRole('link', { name: 'Клиенты' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Клиенты');
  await hydrated(page);
  const list = page.locator('[data-test="client-list"] .deal-title');
  const first = (await list.first().innerText()).trim();
  const word = first.split(/[«»]/)[1].toLowerCase();
  await page.getByRole('searchbox').fill(word);
  await expect(list.first()).toHaveText(first);
  await page.getByRole('searchbox').fill('такой компании нет');
  await expect(page.getByText('Ничего не найдено.')).toBeVisible();
  await expectNoHorizontalScroll(page);

  // A new client: a wrong INN is pointed out and nothing typed is lost.
  await page.getByText('Новый клиент').click();
  const form = page.locator('[data-test="new-client"] form');
  await form.locator('input[name="name"]').fill('ООО «Зелёный сад»');
  await form.locator('input[name="inn"]').fill('7707083894');
  await form.locator('input[name="contact_name"]').fill('Алина Крылова');
  await form.locator('input[name="contact_phone"]').fill('+7 (921) 555-12-34');
  await form.getByRole('button', { name: 'Создать' }).click();
  await expect(form.locator('.field-error[data-field="inn"]')).toContainText('ИНН не проходит проверку');
  await expect(form.locator('input[name="contact_name"]')).toHaveValue('Алина Крылова');
  await form.locator('input[name="inn"]').fill('7707083893');
  await form.getByRole('button', { name: 'Создать' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ООО «Зелёный сад»');
  await expect(page.getByText('+7 (921) 555-12-34')).toBeVisible();

  // A deal for it, due today, shows up first in My day.
  await hydrated(page);
  const deal = page.locator('[data-test="new-deal"] form');
  await deal.locator('input[name="title"]').fill('Озеленение офиса');
  await deal.locator('input[name="amount"]').fill('180 000');
  await deal.locator('input[name="next_step"]').fill('Отправить смету');
  const today = await page.evaluate(() => {
    const d = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Moscow' }));
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await deal.locator('input[name="next_step_due_on"]').fill(today);
  await deal.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.locator('[data-test="client-deals"]')).toContainText('Озеленение офиса');
  await expect(page.locator('[data-test="client-deals"]')).toContainText('180\u00a0000\u00a0₽');
  await page.getByRole('link', { name: 'Сделки' }).click();
  await expect(page.locator('[data-test="deal-list"]')).toContainText('Озеленение офиса');
  // The search finds the new client by its contact's name, "ё" typed as "е".
  await page.getByRole('link', { name: 'Клиенты' }).click();
  await hydrated(page);
  await page.getByRole('searchbox').fill('зеленый');
  await expect(list.first()).toHaveText('ООО «Зелёный сад»');
});

test('on a phone a manager adds a contact, logs a call about the client and sees it in its history', async ({ page }) => {
  await signIn(page, 'ekaterina@pacer.demo');
  await page.getByRole('link', { name: 'Клиенты' }).click();
  await hydrated(page);
  await page.locator('[data-test="client-list"] a').first().click();
  await hydrated(page);
  const contacts = page.locator('[data-test="contacts"]');
  const before = await contacts.locator('[data-test="contact"]').count();
  await page.locator('[data-test="add-contact"] summary').click();
  const form = page.locator('[data-test="add-contact"] form');
  await form.locator('input[name="name"]').fill('Вера Лапина');
  await form.locator('input[name="phone"]').fill('12-34');
  await form.getByRole('button', { name: 'Сохранить' }).click();
  await expect(form.locator('.field-error[data-field="phone"]')).toContainText('Телефон');
  await expect(form.locator('input[name="name"]')).toHaveValue('Вера Лапина');
  await form.locator('input[name="phone"]').fill('+7 (912) 400-11-22');
  await form.getByRole('button', { name: 'Сохранить' }).click();
  await expect(contacts.locator('[data-test="contact"]')).toHaveCount(before + 1);
  await expect(contacts).toContainText('Вера Лапина');

  const history = page.locator('[data-test="client-history"]');
  await history.locator('input[name="body"]').fill('Договорились о встрече в четверг');
  await history.getByRole('button', { name: 'Записать' }).click();
  await expect(history.locator('.history li').first()).toContainText('Договорились о встрече в четверг');
  await expectNoHorizontalScroll(page);
});
