import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { readMetric, runFromUi } from './helpers.ts';

/** A number as the page shows it ("1,234.5"), and half a unit of its last digit: the rounding it carries. */
async function shown(cell: Locator): Promise<{ value: number; rounding: number }> {
  const text = ((await cell.textContent()) ?? '').trim().replace(/,/g, '');
  const decimals = text.split('.')[1]?.length ?? 0;
  return { value: Number(text), rounding: 0.5 * 10 ** -decimals };
}

/** The range `k / x` can take when x is shown rounded (x ± rounding). */
const reciprocalRange = (k: number, x: { value: number; rounding: number }): [number, number] => [
  k / (x.value + x.rounding),
  k / (x.value - x.rounding),
];

/**
 * The metrics table's median, min and max of a rate agree with the rates of the two repetitions computed
 * from their shown times (`k / time`), each within the rounding of both displays.
 */
async function expectRateAgrees(row: Locator, perRep: Array<{ value: number; rounding: number }>, k: number) {
  const ranges = perRep.map((x) => reciprocalRange(k, x)).sort((a, b) => a[0] - b[0]);
  const [lo, hi] = [ranges[0] as [number, number], ranges[ranges.length - 1] as [number, number]];
  const mid: [number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
  const cells = row.locator('td');
  const [median, min, max] = [
    await shown(cells.nth(1)),
    await shown(cells.nth(2)),
    await shown(cells.nth(3)),
  ];
  for (const [value, [from, to]] of [
    [min, lo],
    [max, hi],
    [median, mid],
  ] as const) {
    expect(value.value).toBeGreaterThanOrEqual(from - value.rounding);
    expect(value.value).toBeLessThanOrEqual(to + value.rounding);
  }
}

for (const device of ['wasm', 'webgpu'] as const) {
  test(`runs the default model on ${device} and the metrics agree with each other`, async ({ page }) => {
    const G = device === 'wasm' ? 16 : 8;
    await page.goto(
      `/?view=measure&device=${device}&dtype=${device === 'wasm' ? 'q8' : 'fp32'}&p=32&g=${G}&r=2`,
    );
    await runFromUi(page);
    const card = page.getByTestId('result-card');
    await expect(card.getByTestId('run-status')).toHaveText('complete');
    await expect(card).toContainText(device === 'webgpu' ? 'webgpu' : 'wasm');
    // The warm-up ran windows of 16 tokens (G clamped to 16–64) until steady, or says it did not settle; the
    // first request after the load (cold) is shown apart from the steady figures.
    const warmup = ((await card.getByTestId('warmup').textContent()) ?? '').replace(/,(?=\d)/g, '');
    const [, windows, tokens] =
      /^Warm-up: (\d+) generations, (\d+) tokens, [\d.]+ s, (?:steady\.|did not settle)/.exec(warmup) ?? [];
    expect(Number(windows)).toBeGreaterThanOrEqual(3);
    expect(Number(tokens)).toBe(16 * Number(windows));
    await expect(card.getByTestId('first-request')).toContainText(/TTFT [\d.,]+ ms, decode [\d.,]+ tok\/s/);
    const ttft = await readMetric(page, 'ttft');
    const tpot = await readMetric(page, 'tpot');
    const decode = await readMetric(page, 'decode');
    expect(ttft).toBeGreaterThan(0);
    expect(tpot).toBeGreaterThan(0);
    expect(decode).toBeGreaterThan(0);
    // Every repetition generated exactly G tokens, and the ITL count is R x (G - 1).
    const rows = card.getByTestId('repetitions').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) {
      await expect(row.locator('td').nth(1)).toHaveText(String(G));
      await expect(row.locator('td').nth(5)).toHaveText(/^valid/);
    }
    // Per repetition, decode tok/s = 1000 / TPOT and prefill tok/s = P / TTFT (P = 32 tokens, TTFT in ms).
    const repTtfts = await Promise.all((await rows.all()).map((row) => shown(row.locator('td').nth(2))));
    const repTpots = await Promise.all((await rows.all()).map((row) => shown(row.locator('td').nth(4))));
    await expectRateAgrees(page.getByTestId('metric-decode'), repTpots, 1000);
    await expectRateAgrees(page.getByTestId('metric-prefill'), repTtfts, 32 * 1000);
    await expect(card.getByTestId('itl')).toContainText(`over ${2 * (G - 1)} gaps`);
    // The live chart drew one bar per generated token, and text streamed in.
    await expect(page.getByTestId('live-chart')).toContainText(`${G} / ${G} tokens`);
    await expect(page.getByTestId('generated-text')).not.toBeEmpty();
    if (device === 'webgpu') await expect(card).toContainText('software adapter');
  });
}
