import { expect, test } from './fixtures.ts';

/** Figures of every benchmark that finished, read from the results table. */
async function benchFigures(page: import('@playwright/test').Page): Promise<Record<string, number>> {
  return page.$$eval('[data-testid^="bench-value-"]', (cells) =>
    Object.fromEntries(
      cells.map((c) => [
        c.getAttribute('data-testid')?.replace('bench-value-', '') ?? '',
        Number(c.getAttribute('data-value')),
      ]),
    ),
  );
}

test('microbenchmarks give positive, finite figures on the software WebGPU adapter and on WASM, then are reused', async ({
  page,
}) => {
  await page.goto('/?view=hardware');
  await expect(page.getByRole('heading', { name: 'Device ceilings (microbenchmarks)' })).toBeVisible();
  await expect(page.getByText('Not measured yet on this device.')).toBeVisible();
  await page.getByRole('button', { name: 'Measure this device' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  // The suite bounds itself at 15 s; allow for a slow CI machine around it, but it must finish, not time out.
  await expect(page.getByTestId('bench-status')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });

  const figures = await benchFigures(page);
  for (const id of ['cpu-read', 'cpu-copy', 'cpu-matmul-f32', 'gpu-read', 'gpu-copy', 'gpu-matmul-f32']) {
    expect(figures[id], id).toBeGreaterThan(0);
    expect(Number.isFinite(figures[id]), id).toBe(true);
  }
  // SwiftShader has no shader-f16: the f16 matmul is skipped with a reason, not failed.
  await expect(page.locator('tr[data-bench="gpu-matmul-f16"]')).toHaveAttribute('data-status', 'skipped');
  await expect(page.locator('tr[data-bench="gpu-matmul-f16"]')).toContainText('shader-f16');
  // SwiftShader has timestamp-query: the GPU rows say which timer they used.
  await expect(page.locator('tr[data-bench="gpu-read"]')).toContainText(/GPU timestamps|wall clock/);
  console.log('microbench figures', JSON.stringify(figures));

  // Saved with the device stamp and reused after a reload, until Re-measure.
  await page.reload();
  await expect(page.getByText(/Saved results from/)).toBeVisible();
  expect(await benchFigures(page)).toEqual(figures);
  await expect(page.getByRole('button', { name: 'Re-measure' })).toBeVisible();
});

test('a running suite can be cancelled', async ({ page }) => {
  await page.goto('/?view=hardware');
  await page.getByRole('button', { name: 'Measure this device' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('bench-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('button', { name: /Measure this device|Re-measure/ })).toBeEnabled();
});

test('model arithmetic for every catalog model, will-it-fit, and clear messages for bad input', async ({
  page,
}) => {
  await page.goto('/?view=hardware');
  const table = page.getByTestId('arithmetic-table');
  await expect(table.locator('tr[data-model="tiny-random-llama"][data-dtype="fp32"]')).toBeVisible();
  // 111,552 parameters, as index.json says; fp32 weights from the file size.
  await expect(table.locator('tr[data-model="tiny-random-llama"][data-dtype="fp32"]')).toContainText('112 k');
  await expect(table).not.toContainText('NaN');
  await expect(table).not.toContainText('Infinity');

  const context = page.getByLabel('Context length (tokens)').first();
  await context.fill('abc');
  await expect(page.getByText('The context length must be a whole number of tokens.').first()).toBeVisible();
  await context.fill('2048');

  await expect(page.getByTestId('fit-result')).toHaveAttribute('data-verdict', /fits|tight|wont-fit/);
  await page.locator('#fit-context').fill('100000');
  await expect(page.getByTestId('fit-result')).toContainText(/Tight|Will not fit/);
  await expect(page.getByText(/beyond the model's context window/)).toBeVisible();

  await expect(page.getByTestId('quality-table')).toBeVisible();
  await expect(page.getByText(/random weights: agreement, KL and perplexity only check/)).toBeVisible();
});

test('without WebGPU the page says so and still measures WASM', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('/?view=hardware');
  await expect(page.getByText(/does not expose WebGPU/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Measure this device' }).click();
  await expect(page.getByTestId('bench-status')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
  const figures = await benchFigures(page);
  expect(figures['cpu-read']).toBeGreaterThan(0);
  expect(figures['gpu-read']).toBeUndefined();
});

test('the quality table scores two or more dtypes of an embedded model through the engine', async ({
  page,
}) => {
  await page.goto('/?view=hardware');
  const quality = page.getByTestId('quality-table');
  await expect(quality).toBeVisible();
  await page.getByRole('button', { name: /Score \d dtypes/ }).click();
  // The reference agrees with itself; every other dtype gets a figure between 0 and 100%.
  await expect(page.getByTestId('top1-fp32')).toHaveText('100.0%', { timeout: 120_000 });
  await expect(page.getByTestId('top1-q8')).toHaveText(/^\d+(\.\d)?%$/, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: /Score \d dtypes/ })).toBeEnabled({ timeout: 120_000 });
  await expect(quality).not.toContainText('NaN');
  await expect(quality).not.toContainText('Infinity');
  // The scores are kept on this device for the comparison's verdict (its quality bar).
  const kept = await page.evaluate(() => localStorage.getItem('inference-cost-lab.quality-scores') ?? '');
  expect(kept).toContain('"dtype":"q8"');
  expect(kept).toContain('"top1Agreement":1');
  // Each score names the weight file it scored (the embedded index's SHA-256), as a run of that file does.
  expect(kept).toMatch(/"weightSha256":"[0-9a-f]{64}"/);
  await expect(page.getByTestId('quality-kept')).toContainText(/q8 \d+(\.\d)? %/);

  // Forgetting the kept scores asks first, says what it changes, and can be cancelled.
  await page.getByRole('button', { name: 'Forget kept scores…' }).click();
  const ask = page.getByRole('group', { name: /Forget all \d+ quality scores kept in this browser/ });
  await expect(ask).toContainText('picks on speed alone');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('quality-kept')).toContainText(/q8 \d+(\.\d)? %/);
  await page.getByRole('button', { name: 'Forget kept scores…' }).click();
  await page.getByRole('button', { name: 'Yes, forget them' }).click();
  await expect(page.getByTestId('quality-kept')).toContainText('No scores kept for this model yet');
  await expect(page.getByRole('button', { name: 'Forget kept scores…' })).toBeDisabled();
  await page.reload();
  await expect(page.getByTestId('quality-kept')).toContainText('No scores kept for this model yet');
});

test('a suite that overruns its time bound is stopped, keeping what finished', async ({ page }) => {
  // The bound is shortened to 2 s while the worker still plans for the full 15 s: it must be cut off.
  await page.goto('/?view=hardware&debug&microbenchBudgetMs=2000');
  await page.getByRole('button', { name: 'Measure this device' }).click();
  await expect(page.getByTestId('bench-status')).toHaveAttribute('data-status', 'timed-out', {
    timeout: 10_000,
  });
  await expect(page.getByTestId('bench-status')).toContainText('Stopped at the 2 s time bound');
  await expect(page.getByRole('button', { name: /Measure this device|Re-measure/ })).toBeEnabled();
});

test('Hub models get their arithmetic before any download', async ({ page }) => {
  await page.goto('/?view=hardware');
  const row = page.locator(
    '[data-testid="arithmetic-table"] tr[data-model="onnx-community/Llama-3.2-1B-Instruct"][data-dtype="q4f16"]',
  );
  await expect(row).toBeVisible();
  // 1,235,814,400 parameters; 32 KiB of fp16 KV cache per token (2 × 16 layers × 8 KV heads × 64 × 2 bytes).
  await expect(row).toContainText('1.24 B');
  await expect(row).toContainText('32.0 KiB');
  await expect(row).toContainText('est.');
});
