/**
 * `npm run screenshots [-- <out dir>]`: takes a full-page screenshot of every view after measuring the embedded
 * family on WASM, so a person can look at what the lab shows. Writes PNGs, asserts nothing.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { log, withHarness } from './bench/harness.ts';
import { defaultHarnessOptions } from './bench/plan.ts';

const outDir = path.resolve(process.argv[2] ?? 'screenshots');
mkdirSync(outDir, { recursive: true });

await withHarness(defaultHarnessOptions(process.env), async ({ context, origin }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  for (const model of ['tiny-random-llama', 'small-random-llama', 'medium-random-llama']) {
    await page.goto(`${origin}/?view=measure&device=wasm&model=${model}&dtype=q8&p=64&g=32&r=3`);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await page.waitForFunction(() => !document.querySelector('button.primary')?.hasAttribute('disabled'));
    await run.click();
    await page
      .getByTestId('run-status')
      .filter({ hasText: /complete|partial|failed/ })
      .waitFor({ timeout: 300_000 });
    log(`[screenshots] measured ${model}`);
  }
  const shots: Array<[string, string]> = [
    ['measure', 'Measure'],
    ['cost', 'Cost'],
    ['compare', 'Compare & share'],
    ['hardware', 'Why this fast'],
  ];
  for (const [file, tab] of shots) {
    await page.getByRole('button', { name: tab, exact: true }).click();
    if (file === 'compare') await page.getByRole('button', { name: 'Select all' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(outDir, `${file}.png`), fullPage: true });
    log(`[screenshots] ${path.join(outDir, `${file}.png`)}`);
  }
});
