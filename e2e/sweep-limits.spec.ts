import { expect, test } from './fixtures.ts';

/**
 * A batch sweep that runs out of memory for real: on the tiny model (WASM, fp32) a 4,000-token prompt needs
 * B × 4 heads × P² × 4 bytes of attention scores per layer, 256 MiB per sequence, so B = 8 asks the 4 GiB WASM
 * heap for more than it has (onnxruntime throws std::bad_alloc), while B = 4 fits. The KV cache, which the plan
 * checks, is small (B × (P + G) × 512 bytes), so the sweep starts and meets the limit on the way.
 */
test('a batch sweep that runs out of memory keeps the points before it and names the limit', async ({
  page,
}) => {
  // Three points whose warm-ups prefill 4,000 tokens per sequence, then one that fails at once.
  test.setTimeout(420_000);
  await page.goto('/?view=measure&model=tiny-random-llama&device=wasm&dtype=fp32&p=4000&g=2&r=1');
  await page.getByRole('radio', { name: 'Batch sweep' }).check();
  await page.getByLabel('Largest B').fill('8');
  await expect(page.getByTestId('sweep-plan')).toContainText('4 points: B = 1, B = 2, B = 4, B = 8');
  await page.getByRole('button', { name: 'Run batch sweep' }).click();
  const status = page.getByTestId('sweep-status');
  await expect(status).toContainText('Sweep ended at B = 8', { timeout: 400_000 });
  await expect(status).toContainText('The model did not fit in memory');
  await expect(status).toContainText("The largest that ran is B = 4: that is this device's limit.");
  await expect(status).toContainText('3 of 4 points kept.');
  // The points before the limit are kept: their chart, table and fitted curve, and the hand-off to Cost.
  await expect(page.getByTestId('batch-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('batch-table').locator('tbody tr td:first-child')).toHaveText([
    '1',
    '2',
    '4',
  ]);
  await expect(page.getByTestId('batch-fit')).toContainText('3 batch sizes');
  await expect(page.getByRole('button', { name: 'Run batch sweep' })).toBeEnabled();
  await page.getByRole('button', { name: 'Use this curve in Cost' }).click();
  await expect(page).toHaveURL(/view=cost/);
  await expect(page.getByLabel(/Concurrent requests/)).toHaveValue('4');
});
