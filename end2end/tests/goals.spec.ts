import { test, expect, hydrated, signIn, expectNoHorizontalScroll } from './fixtures';

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
}

// A manager on a phone proposes a goal (a vague one is refused first), the head approves
// it and asks for daily reports, and the manager's report reaches the head.
test('a vague goal is refused; a SMART one is proposed, approved, and reports reach the head', async ({ page, browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const olga = await phone.newPage();
  await signIn(olga, 'olga@pacer.demo');
  await olga.getByRole('link', { name: 'Цели' }).click();
  await expect(olga.getByRole('heading', { level: 1 })).toHaveText('Цели');
  await hydrated(olga);
  const form = olga.locator('[data-test="goal-form"]');
  await form.locator('input[name="title"]').fill('Больше продавать');
  await form.getByRole('button', { name: 'Сохранить цель' }).click();
  await expect(form.locator('[data-field="title"]')).toHaveText(/Цель слишком общая/);
  await expect(form.locator('input[name="title"]')).toHaveValue('Больше продавать');

  await form.locator('input[name="title"]').fill('Довести три сделки до выставленного счёта');
  await form.locator('select[name="metric"]').selectOption('stage_moves');
  await form.locator('select[name="stage"]').selectOption({ label: 'Счёт выставлен' });
  await form.locator('input[name="target"]').fill('3');
  await form.locator('input[name="due_on"]').fill(inDays(10));
  await form.getByLabel('Для плана отдела').check();
  await form.getByRole('button', { name: 'Сохранить цель' }).click();
  await expect(form.getByRole('status')).toHaveText('Цель сохранена.');
  const card = olga.locator('[data-test="goal"]', { hasText: 'Довести три сделки' });
  await expect(card).toContainText('Ждёт утверждения');
  await expectNoHorizontalScroll(olga);

  // The head approves it and asks Olga for a report every working day.
  await signIn(page, 'head@pacer.demo');
  await page.getByRole('link', { name: 'Цели' }).click();
  await hydrated(page);
  const pending = page.locator('[data-test="goal"]', { hasText: 'Довести три сделки' });
  await expect(pending).toContainText('Ольга Новикова');
  await pending.getByRole('button', { name: 'Утвердить' }).click();
  await expect(pending).toContainText('В работе');
  await page.getByRole('link', { name: 'Отчёты' }).click();
  await hydrated(page);
  const line = page.locator('[data-test="report-line"]', { hasText: 'Ольга Новикова' });
  await line.locator('select[name="cadence"]').selectOption('daily');
  await line.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('[data-test="report-line"]', { hasText: 'Ольга Новикова' }).locator('select[name="cadence"]')).toHaveValue('daily');

  // Olga's home now leads to her report; she sends it from the phone.
  await olga.goto('/');
  await hydrated(olga);
  await olga.locator('[data-test="report-due"]').click();
  await hydrated(olga);
  const report = olga.locator('[data-test="report-form"]');
  await report.locator('textarea[name="done"]').fill('Два звонка, встреча с «Вектором»');
  await report.locator('textarea[name="plan"]').fill('Выставить счёт «Вектору»');
  await report.getByRole('button', { name: 'Отправить отчёт' }).click();
  await expect(olga.locator('[data-test="report-sent"]')).toBeVisible();
  await expectNoHorizontalScroll(olga);
  await phone.close();

  await page.reload();
  await expect(page.locator('[data-test="recent-reports"]')).toContainText('Два звонка, встреча с «Вектором»');
});
