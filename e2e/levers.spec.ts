import { expect, test } from './fixtures.ts';
import { keepShot, runFromUi } from './helpers.ts';

/**
 * The prefix-cache and length sweeps and measured memory, on the tiny embedded model (WASM, fp32: greedy tokens
 * are then exactly reproducible, cached prefix or not).
 */
const MEASURE = '/?view=measure&model=tiny-random-llama&device=wasm&dtype=fp32';

test('a prefix-cache sweep draws its saving, keeps the cold tokens, and hands the saving to Cost', async ({
  page,
}) => {
  await page.goto(`${MEASURE}&p=64&g=8&r=2`);
  await page.getByRole('radio', { name: 'Prefix-cache sweep' }).check();
  await page.getByLabel('Cached shares of P (%)').fill('0, 50, 90');
  await expect(page.getByTestId('sweep-plan')).toContainText('K = 32 (50 %)');
  await page.getByRole('button', { name: 'Run prefix-cache sweep' }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText('Sweep complete: 3 of 3 points measured.', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('prefix-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('prefix-table').locator('tbody tr')).toHaveCount(3);
  // Greedy tokens after a cached prefix equal the cold prompt's.
  await expect(page.getByTestId('prefix-same-tokens')).toHaveText(['—', 'yes', 'yes']);
  await keepShot(page, 'prefix-sweep');
  const saved = (await page.getByTestId('prefix-saved-share').textContent()) ?? '';
  const pct = Number(/(\d+)/.exec(saved)?.[1]);
  expect(pct).toBeGreaterThanOrEqual(0);
  expect(pct).toBeLessThanOrEqual(100);
  await page.getByRole('button', { name: 'Use this saving in Cost' }).click();
  await expect(page).toHaveURL(/view=cost/);
  await expect(page.getByTestId('field-prefixSavingPct')).toHaveValue(String(pct));
});

test('a length sweep draws prefill against P and decode against the KV position', async ({ page }) => {
  await page.goto(`${MEASURE}&p=16&g=48&r=1`);
  await page.getByRole('radio', { name: 'Length sweep' }).check();
  await page.getByLabel('Longest P').fill('5000');
  await expect(
    page.getByRole('alert').filter({ hasText: "exceeds the model's context of 4,096" }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run length sweep' })).toBeDisabled();
  await page.getByLabel('Longest P').fill('256');
  await expect(page.getByTestId('sweep-plan')).toContainText('5 points');
  await page.getByRole('button', { name: 'Run length sweep' }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText('Sweep complete: 5 of 5 points measured.', {
    timeout: 240_000,
  });
  await expect(page.getByTestId('length-prefill-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('length-decode-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('length-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('prefill-scaling')).toContainText(/ms per prompt token|flat at about/);
  await expect(page.getByTestId('decode-slowdown')).toContainText('per 1,000 tokens');
  await keepShot(page, 'length-sweep');
});

test('the result card shows the measured KV cache equal to the predicted one', async ({ page }) => {
  await page.goto(`${MEASURE}&p=16&g=8&r=1`);
  await runFromUi(page);
  const kv = page.getByTestId('memory-kv');
  // 2 layers × K,V × 2 heads × 16 dims × 4 bytes × (16 + 8 − 1) tokens
  await expect(kv).toContainText('23 tokens');
  await expect(kv.locator('td').nth(1)).toHaveAttribute('data-bytes', String(512 * 23));
  await expect(kv.locator('td').nth(2)).toHaveAttribute('data-bytes', String(512 * 23));
  await keepShot(page, 'memory');
  const weights = page.getByTestId('memory-weights').locator('td');
  await expect(weights.nth(1)).toHaveAttribute(
    'data-bytes',
    (await weights.nth(2).getAttribute('data-bytes')) ?? 'none',
  );
});
