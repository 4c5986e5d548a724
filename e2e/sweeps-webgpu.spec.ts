import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { keepShot, openEveryChartTable } from './helpers.ts';

/**
 * The three sweeps on WebGPU, through this Chromium's software adapter (SwiftShader): each kept lean (the tiny
 * model, fp32, two or three points, R = 1) — they show that the sweeps run on the WebGPU backend and draw their
 * charts with their tables, not how fast a GPU is.
 */
const MEASURE = '/?view=measure&model=tiny-random-llama&device=webgpu&dtype=fp32';

async function runSweep(page: Page, kind: string, points: number) {
  await page.getByRole('button', { name: `Run ${kind}` }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText(
    `Sweep complete: ${points} of ${points} points measured.`,
    { timeout: 240_000 },
  );
  // It ran on WebGPU (no fallback to WASM), and the sweep says the adapter was a software one.
  await expect(page.getByTestId('sweep-subject')).toHaveText(
    'tiny-random-llama · fp32 · webgpu (software adapter)',
  );
  // Each chart has its numbers as a table.
  await openEveryChartTable(page, kind);
}

test('a batch sweep on the software WebGPU adapter fits α and hands the curve to Cost', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${MEASURE}&p=8&g=8&r=1`);
  await page.getByRole('radio', { name: 'Batch sweep' }).check();
  await page.getByLabel('Largest B').fill('2');
  await expect(page.getByTestId('sweep-plan')).toContainText('2 points: B = 1, B = 2');
  await runSweep(page, 'batch sweep', 2);
  await expect(page.getByTestId('batch-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('batch-fit')).toContainText(/α = [01]\.\d{3}/);
  await keepShot(page, 'batch-sweep-webgpu');
  await page.getByRole('button', { name: 'Use this curve in Cost' }).click();
  await expect(page).toHaveURL(/view=cost/);
  await expect(page.getByLabel(/Concurrent requests/)).toHaveValue('2');
});

test('a prefix-cache sweep on the software WebGPU adapter draws its saving and hands it to Cost', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(`${MEASURE}&p=32&g=4&r=1`);
  await page.getByRole('radio', { name: 'Prefix-cache sweep' }).check();
  await page.getByLabel('Cached shares of P (%)').fill('0, 50');
  await runSweep(page, 'prefix-cache sweep', 2);
  await expect(page.getByTestId('prefix-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('prefix-saved-share')).toHaveText(/^\d+ %$/);
  await page.getByRole('button', { name: 'Use this saving in Cost' }).click();
  await expect(page).toHaveURL(/view=cost/);
});

test('a length sweep on the software WebGPU adapter draws prefill against P', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${MEASURE}&p=16&g=8&r=1`);
  await page.getByRole('radio', { name: 'Length sweep' }).check();
  await page.getByLabel('Longest P').fill('64');
  await expect(page.getByTestId('sweep-plan')).toContainText('3 points');
  await runSweep(page, 'length sweep', 3);
  await expect(page.getByTestId('length-table').locator('tbody tr td:first-child')).toHaveText([
    '16',
    '32',
    '64',
  ]);
  await expect(page.getByTestId('prefill-scaling')).toContainText(/ms per prompt token|flat at about/);
  await keepShot(page, 'length-sweep-webgpu');
});
