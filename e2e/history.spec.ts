import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { toJsonExport } from '../app/compare/exports.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';

const RUNS: RunResult[] = [
  syntheticRun(1, {
    modelId: 'tiny-random-llama',
    dtype: 'fp32',
    name: 'tiny fp32 on my laptop',
    decodeTokPerS: 80,
  }),
  syntheticRun(2, {
    modelId: 'small-random-llama',
    dtype: 'q4',
    name: 'small q4 on my laptop',
    decodeTokPerS: 30,
  }),
];

async function importText(page: Page, name: string, text: string) {
  await page
    .getByLabel(/Results files/)
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Import into my history' }).click();
}

const historyRows = (page: Page) => page.getByTestId('history-scroll').locator('.history-row');

async function downloaded(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}

test('saved runs survive a reload; rename, tag and delete stick', async ({ page }) => {
  await page.goto('/?view=compare');
  await importText(page, 'results.json', toJsonExport(RUNS));
  await expect(page.getByRole('status')).toContainText('Imported 2 runs');
  await expect(historyRows(page)).toHaveCount(2);

  const row = historyRows(page).filter({ hasText: 'tiny fp32 on my laptop' });
  await row.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Run name').fill('renamed run');
  await page.getByLabel('Run name').press('Enter');
  await historyRows(page).filter({ hasText: 'renamed run' }).getByRole('button', { name: 'Tags' }).click();
  await page.getByLabel('Tags, comma separated').fill('battery, class-3');
  await page.getByLabel('Tags, comma separated').press('Enter');
  await page.getByRole('button', { name: 'Delete small q4 on my laptop' }).click();

  await page.reload();
  await expect(historyRows(page)).toHaveCount(1);
  await expect(historyRows(page).first()).toContainText('renamed run');
  await expect(historyRows(page).first()).toContainText('battery');
  await expect(historyRows(page).first()).toContainText('class-3');
});

test('a sweep over two sizes and two dtypes is saved and produces the comparison charts', async ({
  page,
}) => {
  await page.goto('/?view=compare&section=sweep');
  // Defaults: the two smallest embedded models × fp32, q4 × WASM.
  await expect(page.getByLabel(/Tiny random LLaMA/)).toBeChecked();
  await expect(page.getByLabel(/Small random LLaMA/)).toBeChecked();
  // The same P, G and R as the Measure page, so a sweep's runs compare with single runs.
  await expect(page.getByLabel(/Prompt lengths/)).toHaveValue('64');
  await expect(page.getByLabel('Generated tokens')).toHaveValue('32');
  await expect(page.getByLabel('Repetitions')).toHaveValue('3');
  await page.getByLabel('Repetitions').fill('2');
  await page.getByLabel('Generated tokens').fill('8');
  await page.getByLabel(/Prompt lengths/).fill('16, 48');
  // The cell count and an estimated duration before starting.
  await expect(page.getByTestId('sweep-estimate')).toContainText(/^8 measurements, about \d+ (s|min)/);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByRole('progressbar', { name: 'Sweep progress' })).toBeVisible();
  await expect(page.getByTestId('sweep-eta')).toContainText(/About \d+ (s|min) left/);
  await expect(page.getByText('Finished 8 measurements')).toBeVisible({ timeout: 170_000 });
  // "Compare these runs" opens the comparison with them selected.
  await page.getByRole('button', { name: 'Compare these 8 runs' }).click();

  const comparison = page.getByRole('region', { name: 'Comparison' });
  await expect(comparison.locator('table.comparison-table tbody tr')).toHaveCount(8);
  await expect(comparison.getByTestId('verdict')).toHaveCount(1);
  for (const title of [
    'Decode speed vs model size',
    'Time to first token vs model size',
    'Quantization: speed gained vs size saved',
    'Prefill time vs prompt length',
  ]) {
    const chart = comparison.getByRole('figure', { name: title });
    await expect(chart.locator('.recharts-scatter-symbol').first()).toBeVisible();
    await expect(chart.locator('.recharts-errorBar').first()).toBeAttached();
  }
  await expect(comparison).not.toContainText('NaN');
  await expect(comparison).not.toContainText('Infinity');

  // The PNG of a chart is a real image.
  const png = page.waitForEvent('download');
  await comparison
    .getByRole('figure', { name: 'Decode speed vs model size' })
    .getByRole('button', { name: 'PNG' })
    .click();
  const bytes = await readFile(await (await png).path());
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');

  await page.reload();
  await expect(historyRows(page)).toHaveCount(8);
});

test('each export re-imports to the same data', async ({ page }) => {
  await page.goto('/?view=compare');
  await importText(page, 'results.json', toJsonExport(RUNS));
  await expect(historyRows(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Select all' }).click();

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'JSON (complete)' }).click();
  const json = await downloaded(await jsonDownload);
  const exported = JSON.parse(json) as { runs: RunResult[] };
  const byId = (runs: RunResult[]) => [...runs].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(exported.runs)).toEqual(byId(RUNS));

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: /^CSV/ }).click();
  const csv = (await downloaded(await csvDownload)).trim().split('\n');
  // One row per repetition, and median, min and max rows per run: what the screen shows.
  expect(csv).toHaveLength(1 + RUNS.reduce((n, r) => n + r.repetitions.length + 3, 0));
  expect(csv[0]).toMatch(/^row,run_id,run_name,created_at,model/);
  expect(csv.filter((line) => line.startsWith('median,'))).toHaveLength(RUNS.length);

  const mdDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Markdown (llama-bench)' }).click();
  const md = await downloaded(await mdDownload);
  expect(md).toMatch(
    /\| model +\| +size \| +params \| backend +\| threads \| +test \| +t\/s median \(min–max\) \| reps \|/,
  );
  expect(md).toMatch(/small-random-llama q4 +\| +2\.13 MiB \| +3\.10 M \| WASM +\| +\d+ \| +pp128 \|/);
  expect(md).toMatch(/^build: transformers\.js /m);

  // Clear the history, import the JSON export: the same runs come back.
  await page.getByRole('button', { name: 'Clear history…' }).click();
  await page.getByRole('button', { name: 'Yes, delete all' }).click();
  await expect(historyRows(page)).toHaveCount(0);
  await importText(page, 'export.json', json);
  await expect(historyRows(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Select all' }).click();
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'JSON (complete)' }).click();
  expect(byId((JSON.parse(await downloaded(await again)) as { runs: RunResult[] }).runs)).toEqual(byId(RUNS));

  // Importing it once more changes nothing.
  await importText(page, 'export.json', json);
  await expect(page.getByRole('status')).toContainText('Imported 0 runs (2 already in the history, skipped)');
  await expect(historyRows(page)).toHaveCount(2);
});

test('bad files get a clear message and never touch the history', async ({ page }) => {
  await page.goto('/?view=compare');
  await importText(page, 'results.json', toJsonExport(RUNS));
  await expect(historyRows(page)).toHaveCount(2);

  await importText(page, 'cut.json', toJsonExport(RUNS).slice(0, 500));
  await expect(page.getByRole('status')).toContainText('not valid JSON');
  await importText(
    page,
    'future.json',
    JSON.stringify({ format: 'inference-cost-lab/results', version: 99, runs: [] }),
  );
  await expect(page.getByRole('status')).toContainText('newer version of the lab');
  const tampered = JSON.parse(toJsonExport([syntheticRun(9)]));
  tampered.runs[0].settings.reps = -1;
  await importText(page, 'tampered.json', JSON.stringify(tampered));
  await expect(page.getByRole('status')).toContainText('settings.reps');

  // Text from a file is shown as text, never as markup.
  const hostile = syntheticRun(10, { name: '<img src=x onerror="document.title=1">' });
  await importText(page, 'hostile.json', toJsonExport([hostile]));
  await expect(historyRows(page)).toHaveCount(3);
  await expect(page.getByText('<img src=x onerror="document.title=1">')).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(historyRows(page).filter({ hasText: 'tiny fp32 on my laptop' })).toHaveCount(1);
});
