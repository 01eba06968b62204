import * as path from 'node:path';
import { test, expect, signIn, hydrated } from './fixtures';

const fixture = (name: string) => path.join(__dirname, '..', '..', 'server', 'tests', 'fixtures', name);

test.use({ viewport: { width: 1440, height: 900 } });

test('the head imports an amoCRM export after checking its columns; a broken file imports nothing', async ({ page }) => {
  await signIn(page, 'head@pacer.demo');
  await page.getByRole('link', { name: 'Клиенты' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Импорт клиентов и сделок' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Импорт клиентов и сделок');

  // A file with bad rows: every one is listed, and the import button stays off.
  const upload = page.locator('[data-test="upload-form"]');
  await upload.locator('input[type="file"]').setInputFiles(fixture('broken.csv'));
  await upload.locator('select[name="default_owner"]').selectOption({ label: 'Анна Смирнова' });
  await upload.getByRole('button', { name: 'Загрузить и проверить' }).click();
  await expect(page).toHaveURL(/\/import\/[0-9a-f-]+$/);
  const errors = page.locator('[data-test="import-errors"] tbody tr');
  await expect(errors).toHaveCount(4);
  await expect(errors.nth(1)).toContainText('В воронке нет такого этапа.');
  await expect(page.locator('[data-test="run-import"]')).toBeDisabled();

  // The amoCRM export (Windows-1251): the columns are recognised, the preview adds up.
  await page.goto('/import');
  await hydrated(page);
  await upload.locator('input[type="file"]').setInputFiles(fixture('amocrm-deals.csv'));
  await upload.locator('select[name="default_owner"]').selectOption({ label: 'Ольга Новикова' });
  await upload.getByRole('button', { name: 'Загрузить и проверить' }).click();
  await expect(page.locator('[data-test="mapping"]')).toContainText('Название сделки');
  await hydrated(page);
  const company = page.locator('[data-test="mapping"] select[aria-label="Куда записать: Компания"]');
  await expect(company).toHaveValue('client_name');
  await expect(page.locator('[data-test="mapping"] select[aria-label="Куда записать: Бюджет (руб.)"]')).toHaveValue('deal_amount');
  // Leaving out the company column is caught by the check, and putting it back clears it.
  await company.selectOption('');
  await page.getByRole('button', { name: 'Проверить заново' }).click();
  await expect(page.locator('[data-test="import-errors"]')).toContainText('Ни одна колонка не выбрана как «Название компании».');
  await company.selectOption('client_name');
  await page.getByRole('button', { name: 'Проверить заново' }).click();
  await expect(page.locator('[data-test="import-summary"]')).toContainText('Клиенты: 4, Сделки: 7');
  await page.getByRole('button', { name: 'Импортировать' }).click();
  await expect(page.locator('[data-test="import-done"]')).toContainText('Клиенты: 4, Сделки: 7');

  // The imported client is there, found by its INN.
  await page.getByRole('link', { name: 'Клиенты' }).first().click();
  await hydrated(page);
  await page.getByRole('searchbox').fill('6671029383');
  await expect(page.locator('[data-test="client-list"]')).toContainText('АО «Уралтехснаб»');

  // And the list downloads as CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
});
