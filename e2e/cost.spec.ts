import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const field = (page: Page, key: string) => page.getByTestId(`field-${key}`);
const cell = (page: Page, option: 'api' | 'selfHosted' | 'browser', metric: string) =>
  page.getByTestId(`cost-${option}-${metric}`);

/** No number on the page may read NaN or Infinity, whatever was typed. */
async function expectNoNaN(page: Page) {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/NaN|Infinity/);
  const svg = await page.locator('svg').evaluateAll((els) => els.map((e) => e.outerHTML).join(''));
  expect(svg).not.toMatch(/NaN|Infinity/);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/?view=cost');
  await expect(page.getByRole('heading', { name: 'Projection' })).toBeVisible();
});

test('the default scenario is priced, with the price table date and source', async ({ page }) => {
  // 10,000 req/day × (1500 × $0.40 + 300 × $1.60) / 1M × 30 = $324 a month on the API.
  await expect(cell(page, 'api', 'per-month')).toHaveText('$324.00');
  await expect(page.getByTestId('price-source')).toContainText(
    '@pydantic/genai-prices v0.1.8, published 2026-09-23',
  );
  await expect(page.getByTestId('price-row')).toHaveValue('openai/gpt-4.1-mini');
  await expect(page.getByTestId('break-even')).toContainText('Break-even');
  await expect(page.getByTestId('chart-traffic').locator('.recharts-line')).toHaveCount(3);
  await expect(page.getByTestId('no-runs')).toBeVisible();
  await expectNoNaN(page);
});

test('changing inputs updates the numbers and the charts', async ({ page }) => {
  // Self-hosted at low traffic: the always-on GPU hides the levers; the chart says so and shows used capacity.
  await page.getByTestId('focus-select').selectOption('selfHosted');
  await expect(page.getByTestId('sensitivity-note')).toContainText('not full');
  await expect(
    page.getByTestId('chart-sensitivity').locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await page.getByTestId('focus-select').selectOption('api');
  const traffic = page.getByTestId('chart-traffic');
  const split = page.getByTestId('chart-split');
  const trafficBefore = await traffic.innerHTML();
  const splitBefore = await split.innerHTML();
  await field(page, 'requests').fill('20000');
  await expect(cell(page, 'api', 'per-month')).toHaveText('$648.00');
  await expect.poll(() => traffic.innerHTML()).not.toBe(trafficBefore);
  await field(page, 'apiOutput').fill('8');
  await expect(page.getByText('overridden by you')).toBeVisible();
  await expect.poll(() => split.innerHTML()).not.toBe(splitBefore);
  await page.getByLabel('Detail charts for').selectOption('api');
  await expect(page.getByRole('heading', { name: /What moves the bill most — Hosted API/ })).toBeVisible();
  // A 100 % response cache: nothing reaches the API.
  await field(page, 'responseCachePct').fill('100');
  await expect(cell(page, 'api', 'per-month')).toHaveText('$0.00');
  await expectNoNaN(page);
});

test('a scenario URL restores the same numbers after a reload', async ({ page }) => {
  await page.getByLabel('Requests per').selectOption('month');
  // Switching the unit keeps the traffic: 10,000 a day is 300,000 a month.
  await expect(field(page, 'requests')).toHaveValue('300000');
  await field(page, 'requests').fill('250000');
  await field(page, 'promptCachePct').fill('40');
  await page.getByTestId('gpu-row').selectOption('l4');
  await field(page, 'gpuDecodeTokPerS').fill('35');
  await page.getByLabel('Detail charts for').selectOption('browser');
  await expect(page).toHaveURL(/[?&]cost=/);
  await expect(page).toHaveURL(/view=cost/);
  const ids = ['per-month', 'per-request', 'blended-per-1m', 'energy'];
  const before = await Promise.all(
    (['api', 'selfHosted', 'browser'] as const).flatMap((o) =>
      ids.map((m) => cell(page, o, m).textContent()),
    ),
  );
  const breakEven = await page.getByTestId('break-even').textContent();

  await page.reload();
  await expect(field(page, 'requests')).toHaveValue('250000');
  await expect(page.getByLabel('Requests per')).toHaveValue('month');
  await expect(field(page, 'promptCachePct')).toHaveValue('40');
  await expect(page.getByTestId('gpu-row')).toHaveValue('l4');
  await expect(page.getByLabel('Detail charts for')).toHaveValue('browser');
  const after = await Promise.all(
    (['api', 'selfHosted', 'browser'] as const).flatMap((o) =>
      ids.map((m) => cell(page, o, m).textContent()),
    ),
  );
  expect(after).toEqual(before);
  await expect(page.getByTestId('break-even')).toHaveText(breakEven ?? '');

  // The same URL in a fresh page gives the same numbers.
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(cell(other, 'api', 'per-month')).toHaveText(before[0] ?? '');
  await other.close();
});

test('bad inputs show messages, never NaN, and the page stays up', async ({ page }) => {
  const monthly = await cell(page, 'selfHosted', 'per-month').textContent();
  const cases: [string, string, RegExp][] = [
    ['requests', 'abc', /is not a number/],
    ['inputTokens', '-5', /Must not be negative/],
    ['utilisationPct', '0', /infinitely/],
    ['outputTokens', '1e400', /too large/],
    ['gpuDecodeTokPerS', '', /Enter a number/],
    ['concurrency', '2.5', /whole number/],
    ['weightsGb', '500', /do not fit/],
    ['apiInput', 'NaN', /is not a number/],
  ];
  for (const [key, value, message] of cases) {
    await field(page, key).fill(value);
    await expect(page.getByTestId(`error-${key}`)).toHaveText(message);
    await expect(field(page, key)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.getByTestId('invalid-summary')).toContainText('Some inputs need fixing');
  // The last valid projection stays on screen.
  await expect(cell(page, 'selfHosted', 'per-month')).toHaveText(monthly ?? '');
  await expectNoNaN(page);

  // A broken URL falls back to the defaults instead of crashing.
  await page.goto('/?view=cost&cost=%7Bnot-json');
  await expect(cell(page, 'api', 'per-month')).toHaveText('$324.00');
  await page.goto(`/?view=cost&cost=${encodeURIComponent('{"v":1,"f":{"requests":"-1","pue":"zz"}}')}`);
  await expect(page.getByTestId('error-requests')).toBeVisible();
  await expect(page.getByTestId('error-pue')).toBeVisible();
  await expectNoNaN(page);
});

test('absurdly small speeds, utilisation or KV cache are refused, never priced as $0 or cheapest', async ({
  page,
}) => {
  const monthly = await cell(page, 'selfHosted', 'per-month').textContent();
  const cases: [string, string][] = [
    ['gpuDecodeTokPerS', '1e-310'],
    ['utilisationPct', '5e-324'],
    ['kvCacheGb', '5e-324'],
    ['gpuPrefillTokPerS', '0.0001'],
  ];
  for (const [key, value] of cases) {
    await field(page, key).fill(value);
    await expect(page.getByTestId(`error-${key}`)).toContainText('Must be at least');
    // What was typed stays, next to its message; the last valid projection stays on screen.
    await expect(field(page, key)).toHaveValue(value);
    await expect(cell(page, 'selfHosted', 'per-month')).toHaveText(monthly ?? '');
  }
  await field(page, 'minGpus').fill('0');
  await expect(cell(page, 'selfHosted', 'per-month')).not.toHaveText('$0.00');
  await expect(page.locator('.cost-col-selfHosted .badge')).toHaveCount(0);
  await expectNoNaN(page);
});

test('a scenario link from a newer version opens what it can and says what it could not read', async ({
  page,
}) => {
  const link = { v: 7, f: { requests: '20000', gpuCarbonKg: '3' }, u: 'day', later: true };
  await page.goto(`/?view=cost&cost=${encodeURIComponent(JSON.stringify(link))}`);
  await expect(field(page, 'requests')).toHaveValue('20000');
  const notes = page.getByTestId('scenario-notes');
  await expect(notes).toContainText('newer version of the lab (format v7');
  await expect(notes).toContainText('"gpuCarbonKg"');
  await notes.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notes).toHaveCount(0);
});

test('a custom price row needs a name and valid prices, then prices the API', async ({ page }) => {
  await page.getByText('Add a custom price row').click();
  const form = page.getByRole('form', { name: 'Custom price row' });
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(page.getByTestId('custom-row-error')).toHaveText('Give the row a name.');
  await form.getByLabel('Row name').fill('Our quote');
  await form.getByLabel('Input $/1M').fill('-1');
  await form.getByLabel('Output $/1M').fill('2');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(page.getByTestId('custom-row-error')).toContainText('Input price');
  await form.getByLabel('Input $/1M').fill('1');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(page.getByTestId('price-row')).toHaveValue('custom/0');
  await expect(field(page, 'apiInput')).toHaveValue('1');
  // 300k requests × (1500 × $1 + 300 × $2) / 1M = $630.
  await expect(cell(page, 'api', 'per-month')).toHaveText('$630.00');
  await page.reload();
  await expect(page.getByTestId('price-row')).toHaveValue('custom/0');
});

test('the answer line names the cheapest option that meets the latency target, never a slower one', async ({
  page,
}) => {
  const answer = page.getByTestId('cost-answer');
  // Default: in-browser ($194.40) is cheapest on price but takes 20 s a request against a 10 s target.
  await expect(answer).toContainText('10,000 req/day: API $324/mo');
  await expect(answer).toContainText('in-browser $194/mo');
  await expect(page.getByTestId('cost-answer-verdict')).toContainText(
    'cheapest that meets ≤ 10 s a request: API ($324/mo',
  );
  await expect(page.getByTestId('cost-browser-model')).toHaveText('typed speeds (no run chosen)');
  await expect(page.getByTestId('cost-mixed-models')).toBeVisible();
  // A looser target lets the in-browser option win; a quality bar it does not state takes it out again.
  await field(page, 'latencyTargetS').fill('30');
  await expect(page.getByTestId('cost-answer-verdict')).toContainText('in-browser ($194/mo, 20 s');
  await page.getByTestId('required-tier').selectOption('medium');
  await expect(page.getByTestId('cost-answer-verdict')).toContainText('self-host');
  await expect(page.getByTestId('cost-answer-verdict')).toContainText('medium (7–14B)');
  // The effective price at this traffic sits next to the marginal one, labelled as such.
  await expect(page.getByText('Effective $ per 1M tokens at this traffic')).toBeVisible();
  await expect(page.getByText(/Marginal blended \$ per 1M tokens/)).toBeVisible();
  // Self-hosted: one always-on H100 ($4.55/h × 720 h = $3,276) over 10,000 × 30 × 1,800 tokens = $6.07 per 1M.
  await expect(cell(page, 'selfHosted', 'per-month')).toHaveText('$3,276');
  await expect(cell(page, 'selfHosted', 'effective-per-1m')).toHaveText('$6.07');
  // The answer line stays in view while an input far down the page changes.
  await field(page, 'userElectricityUsdPerKwh').fill('0.3');
  await expect(answer).toBeInViewport();
});

test('on a phone the answer line is on the first screen, and the scenario survives a plain reload', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?view=cost');
  const answer = page.getByTestId('cost-answer');
  await expect(answer).toBeInViewport();
  const box = await answer.boundingBox();
  expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThan(844);
  // The projection comes before the inputs.
  const projectionY = (await page.getByRole('heading', { name: 'Projection' }).boundingBox())?.y ?? 0;
  const workloadY = (await page.getByRole('heading', { name: 'Workload' }).boundingBox())?.y ?? 0;
  expect(projectionY).toBeLessThan(workloadY);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await field(page, 'requests').fill('50000');
  await page.getByTestId('gpu-row').selectOption('l4');
  await expect(answer).toContainText('50,000 req/day');
  const before = await answer.textContent();
  // A plain reload, and the page opened again without the query: the same figures both times.
  await page.reload();
  await expect(answer).toHaveText(before ?? '');
  await page.goto('/?view=cost');
  await expect(answer).toHaveText(before ?? '');
  await expect(page.getByTestId('gpu-row')).toHaveValue('l4');
});

test('the price list hides retired models and names duplicate names by their model id', async ({ page }) => {
  const picker = page.getByTestId('price-row');
  await expect(picker.locator('option[value="openai/gpt-4.1-mini"]')).toHaveCount(1);
  await expect(picker.locator('option[value="openai/davinci"]')).toHaveCount(0);
  await expect(picker.locator('option[value="openai/gpt-4"]')).toContainText('gpt 4 (gpt-4)');
  await expect(picker.locator('optgroup[label="Anthropic"]')).toHaveCount(1);
  await page.getByTestId('show-retired').check();
  await expect(picker.locator('option[value="openai/gpt-4-32k"]')).toContainText('gpt 4 (gpt-4-32k)');
  await expect(picker.locator('option[value="openai/gpt-4-32k"]')).toContainText('(retired)');
  await picker.selectOption('openai/gpt-4-32k');
  await expect(page.getByTestId('cost-api-model')).toHaveText('OpenAI · gpt 4 (gpt-4-32k)');
});
