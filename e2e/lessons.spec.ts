import { expect, test } from './fixtures.ts';

test('a guided lesson runs its experiment on WASM and shows the student’s numbers and what they cost', async ({
  page,
}) => {
  await page.goto('/?view=lessons');
  await expect(page.getByTestId('lesson-list').getByRole('button')).toHaveCount(7);
  await page.getByRole('button', { name: /Trim the prompt/ }).click();
  await expect(page.getByRole('heading', { name: 'Trim the prompt' })).toBeVisible();
  await page.getByRole('button', { name: 'Run this experiment' }).click();
  await expect(page.getByTestId('lesson-progress').getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('lesson-status')).toHaveText(/All 3 steps measured/, { timeout: 150_000 });
  // One point per prompt length on the chart, and the consequence in dollars from those numbers.
  await expect(page.getByTestId('lesson-chart').locator('.recharts-scatter-symbol')).toHaveCount(3);
  await expect(page.getByTestId('lesson-dollars')).toHaveText(
    /At 1,000,000 requests a month, this device’s time costs \$[\d,.]+ for small q8 \(P = 512, G = 8\) and \$[\d,.]+ for small q8 \(P = 128, G = 8\): \d+ % (less|more)\./,
  );
  await expect(page.locator('main')).not.toContainText(/NaN|Infinity/);
  const shots = process.env.LAB_SHOTS_DIR;
  if (shots) await page.screenshot({ path: `${shots}/lesson.png`, fullPage: true });
  // The lesson's runs are in the history like any run.
  await page.getByRole('button', { name: 'Compare & share', exact: true }).click();
  await expect(page.getByText('small-random-llama q8 wasm P512 G8').first()).toBeVisible();
});
