import { test, expect, signIn, hydrated } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

test('the head hands a leaving manager\'s clients and deals to a colleague', async ({ page }) => {
  await signIn(page, 'head@pacer.demo');
  const row = page.locator('[data-test="managers"] tbody tr', { hasText: 'Екатерина Волкова' });
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Екатерина Волкова');
  await hydrated(page);
  const form = page.locator('[data-test="reassign"]');
  await form.locator('select[name="to"]').selectOption({ label: 'Анна Смирнова' });
  await form.locator('summary').click();
  await form.locator('[data-test="reassign-confirm"]').click();
  await expect(form.getByRole('status')).toContainText(/Передано: клиентов — \d+, сделок — \d+\./);

  // Ekaterina's line now shows no open deals; Anna's list has her former deals.
  await page.getByRole('link', { name: 'Главная' }).click();
  await expect(page.locator('[data-test="managers"] tbody tr', { hasText: 'Екатерина Волкова' }).locator('td').nth(4)).toHaveText('0');
});
