import { expect, test } from './fixtures.ts';

/** The batch sweep on the tiny embedded model (WASM): its chart, its fit, and "Use this curve" into Cost. */
test('a batch sweep draws its curve and hands S, α and B to the Cost view', async ({ page }) => {
  // Three points, each with its own warm-up until steady.
  test.setTimeout(300_000);
  await page.goto('/?view=measure&model=tiny-random-llama&device=wasm&dtype=fp32&p=8&g=8&r=2');
  await page.getByRole('radio', { name: 'Batch sweep' }).check();
  await page.getByLabel('Largest B').fill('4');
  await expect(page.getByTestId('sweep-plan')).toContainText('3 points: B = 1, B = 2, B = 4');
  await page.getByRole('button', { name: 'Run batch sweep' }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText('Sweep complete: 3 of 3 points measured.', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('batch-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('batch-table').locator('tbody tr')).toHaveCount(3);
  const fit = (await page.getByTestId('batch-fit').textContent()) ?? '';
  const alpha = Number(/α = ([\d.]+)/.exec(fit)?.[1]);
  expect(alpha).toBeGreaterThanOrEqual(0);
  expect(alpha).toBeLessThanOrEqual(1);
  // Priced at the Cost view's GPU: a latency target far beyond these latencies is met by the largest B.
  await page.getByLabel('TTFT target, ms').fill('100000');
  await page.getByLabel('TPOT target, ms').fill('100000');
  await expect(page.getByTestId('latency-target-cost')).toContainText('Largest B meeting both targets');
  // The history holds every point, saved as it landed.
  await page.getByRole('button', { name: 'Use this curve in Cost' }).click();
  await expect(page).toHaveURL(/view=cost/);
  await expect(page.getByLabel(/Concurrent requests/)).toHaveValue('4');
  await expect(page.getByLabel(/Batching slowdown/)).toHaveValue(String(Number(alpha.toFixed(3))));
});

test('a largest B out of range is refused before anything runs', async ({ page }) => {
  await page.goto('/?view=measure&model=tiny-random-llama&device=wasm&dtype=fp32&p=8&g=8&r=2');
  await page.getByRole('radio', { name: 'Batch sweep' }).check();
  await page.getByLabel('Largest B').fill('1000');
  await expect(page.getByRole('alert').filter({ hasText: 'Largest B must be at most 256.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run batch sweep' })).toBeDisabled();
});
