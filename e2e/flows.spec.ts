import { expect, test } from './fixtures.ts';
import { openEveryChartTable, readMetric, runFromUi } from './helpers.ts';

test('a measured run flows into the cost projection with one click', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=64&g=32&r=3');
  await runFromUi(page);
  const decode = await readMetric(page, 'decode');
  const prefill = await readMetric(page, 'prefill');
  await page.getByRole('button', { name: 'Cost', exact: true }).click();
  const browserDecode = page.getByLabel(/^Decode speed in the browser/);
  const serverDecode = page.getByLabel(/^Decode speed, one request/);
  const serverPrefill = page.getByLabel(/^Prefill speed, one request/);
  const before = await browserDecode.inputValue();
  const server = [await serverDecode.inputValue(), await serverPrefill.inputValue()];
  const table = await page.getByTestId('results').textContent();
  await page.getByRole('button', { name: 'Use this run' }).first().click();
  // The in-browser speed is now the run's median; the self-hosted GPU keeps its server figures (a laptop's CPU
  // speed says nothing about a rented GPU).
  await expect(browserDecode).not.toHaveValue(before);
  expect(Math.abs(Number(await browserDecode.inputValue()) - decode) / decode).toBeLessThan(0.01);
  expect([await serverDecode.inputValue(), await serverPrefill.inputValue()]).toEqual(server);
  expect(
    Math.abs(Number(await page.getByLabel(/^Prefill speed in the browser/).inputValue()) - prefill) / prefill,
  ).toBeLessThan(0.01);
  // …and the projection changed with them, in the URL too.
  await expect(page.getByTestId('results')).not.toHaveText(table ?? '');
  expect(new URL(page.url()).searchParams.get('cost')).toBeTruthy();
  await expect(page.locator('body')).not.toContainText(/NaN|Infinity/);
});

test('a repetition measured while the tab was hidden is marked invalid and left out', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&model=small-random-llama&dtype=q8&p=16&g=1500&r=3');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('live-chart')).toContainText('repetition 2', { timeout: 120_000 });
  // The page is hidden, then shown again, during the second repetition.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await page.waitForTimeout(200);
  await setVisibility('visible');
  await expect(page.getByTestId('run-status')).toHaveText('complete', { timeout: 120_000 });
  const rows = page.getByTestId('repetitions').locator('tbody tr');
  await expect(rows.filter({ hasText: 'invalid: tab hidden' })).not.toHaveCount(0);
  await expect(page.getByTestId('run-notes')).toContainText('The tab was hidden during some repetitions');
  const hidden = await rows.filter({ hasText: 'invalid: tab hidden' }).count();
  await expect(page.getByTestId('itl')).toContainText(`Valid repetitions: ${3 - hidden} of 3`);
});

test('the roofline view places a measured run against the device ceilings', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&model=small-random-llama&dtype=q8&p=64&g=16&r=2');
  await runFromUi(page);
  await page.getByRole('button', { name: 'Why this fast' }).click();
  await page.getByRole('button', { name: 'Measure this device' }).click();
  await expect(page.getByTestId('bench-status')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
  await expect(page.getByTestId('roofline-chart')).toBeVisible();
  await expect(page.getByTestId('token-bar')).toBeVisible();
  await expect(page.getByTestId('mbu')).toHaveText(/^\d+(\.\d+)?\s?%$/);
  // The roofline, the token bar and the overhead fit each have their numbers as a table.
  await openEveryChartTable(page, 'Why this fast');
  await expect(page.getByRole('region', { name: 'Data as a table' })).toHaveCount(3);
  await expect(page.locator('body')).not.toContainText(/NaN|Infinity/);
});

test('the quality table compares dtypes of one model by teacher forcing', async ({ page }) => {
  await page.goto('/?view=hardware');
  await page.getByRole('button', { name: /^Score \d dtypes$/ }).click();
  const table = page.getByTestId('quality-table');
  await expect(table.getByTestId('top1-q8')).toHaveText(/%/, { timeout: 120_000 });
  await expect(table.getByTestId('top1-q4')).toHaveText(/%/, { timeout: 120_000 });
  await expect(page.getByText(/random weights/i).first()).toBeVisible();
});

test('from a result, one click opens the cost projection with that run speeds', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=64&g=32&r=2');
  await runFromUi(page);
  const decode = await readMetric(page, 'decode');
  await page.getByRole('button', { name: /Use these speeds in the cost projection/ }).click();
  await expect(page.getByRole('button', { name: 'Cost', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const field = page.getByLabel(/^Decode speed in the browser/);
  expect(Math.abs(Number(await field.inputValue()) - decode) / decode).toBeLessThan(0.01);
  // A reload keeps it: the speeds are in the URL's scenario.
  await page.reload();
  expect(
    Math.abs(Number(await page.getByLabel(/^Decode speed in the browser/).inputValue()) - decode) / decode,
  ).toBeLessThan(0.01);
});
