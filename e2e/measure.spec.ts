import { expect, test } from './fixtures.ts';
import { readMetric, runFromUi } from './helpers.ts';

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
    const ttft = await readMetric(page, 'ttft');
    const tpot = await readMetric(page, 'tpot');
    const decode = await readMetric(page, 'decode');
    expect(ttft).toBeGreaterThan(0);
    expect(tpot).toBeGreaterThan(0);
    // decode tok/s is 1000 / TPOT per repetition; medians of reciprocals agree within rounding for 2 reps
    expect(decode).toBeGreaterThan(0);
    // Every repetition generated exactly G tokens, and the ITL count is R x (G - 1).
    const rows = card.getByTestId('repetitions').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) await expect(row.locator('td').nth(1)).toHaveText(String(G));
    await expect(card.getByTestId('itl')).toContainText(`over ${2 * (G - 1)} gaps`);
    // The live chart drew one bar per generated token, and text streamed in.
    await expect(page.getByTestId('live-chart')).toContainText(`${G} / ${G} tokens`);
    await expect(page.getByTestId('generated-text')).not.toBeEmpty();
    if (device === 'webgpu') await expect(card).toContainText('software adapter');
  });
}
