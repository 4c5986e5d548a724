import type { Page } from '@playwright/test';
import { toJsonExport } from '../app/compare/exports.ts';
import { encodeReport, reportUrl } from '../app/run/link.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';
import { expectAccessible, openEveryChartTable } from './helpers.ts';

const RUNS: RunResult[] = [
  syntheticRun(1, { modelId: 'tiny-random-llama', dtype: 'fp32', decodeTokPerS: 90, name: 'tiny fp32' }),
  syntheticRun(2, { modelId: 'tiny-random-llama', dtype: 'q4', decodeTokPerS: 120, name: 'tiny q4' }),
  syntheticRun(3, { modelId: 'small-random-llama', dtype: 'fp32', decodeTokPerS: 30, name: 'small fp32' }),
];

/** Presses Tab until `target` has focus (at most `limit` presses), as a keyboard user would. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>, key = 'Tab', limit = 250) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

test('every view and open panel passes axe with no serious or critical violation', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&model=tiny-random-llama&dtype=q8&p=16&g=8&r=2');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 30_000 });
  await expect(page).toHaveTitle(/^Measure · Inference Cost Lab$/);
  for (const summary of ['Hub host', 'Device & adapter report']) {
    await page.locator('summary', { hasText: summary }).click();
  }
  await expectAccessible(page, 'Measure');

  await page.getByRole('button', { name: 'Cost', exact: true }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expect(page).toHaveTitle(/^Cost · /);
  // Every chart has its numbers as a table, and the open tables pass axe too.
  await openEveryChartTable(page, 'Cost');
  await expectAccessible(page, 'Cost with its charts’ tables open');

  await page.getByRole('button', { name: 'Compare & share', exact: true }).click();
  await page
    .getByLabel(/Results files/)
    .setInputFiles({ name: 'r.json', mimeType: 'application/json', buffer: Buffer.from(toJsonExport(RUNS)) });
  await page.getByRole('button', { name: 'Import into my history' }).click();
  await page.getByRole('button', { name: 'Select all' }).click();
  await expect(page.getByRole('region', { name: 'Comparison' })).toBeVisible();
  await expect(page).toHaveTitle(/^Compare & share · /);
  // Every chart has its numbers as a table.
  const chart = page.getByRole('figure', { name: 'Decode speed vs model size' });
  await chart.locator('summary', { hasText: 'Data as a table' }).click();
  await expect(chart.locator('details.chart-data table tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: /Clear history/ }).click();
  await expectAccessible(page, 'Compare & share with a comparison and the clear-history confirmation');

  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  await expectAccessible(page, 'Sweep');
  await page.getByRole('button', { name: 'Class view', exact: true }).click();
  await page.getByLabel('Result links').fill(reportUrl('http://127.0.0.1/', encodeReport(RUNS)));
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  await expect(page.getByRole('region', { name: 'Leaderboard tiny-random-llama fp32' })).toBeVisible();
  await expectAccessible(page, 'Class view');

  await page.getByRole('button', { name: 'Why this fast', exact: true }).click();
  await expect(page).toHaveTitle(/^Why this fast · /);
  await expectAccessible(page, 'Why this fast');

  await page.goto(reportUrl(`${new URL(page.url()).origin}/`, encodeReport(RUNS)));
  await expect(page.getByRole('region', { name: 'Shared results' })).toContainText('3 runs');
  await expect(page).toHaveTitle(/^Shared results · /);
  await expectAccessible(page, 'a shared report');
});

test('a measurement, a cost change and a link copy, by keyboard alone', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?view=measure&device=wasm&model=tiny-random-llama&dtype=q8&p=16&g=8&r=2');
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeEnabled({ timeout: 30_000 });

  // The skip link is the first stop and lands in the view.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Skip to the Measure view' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // Enter in the Repetitions field starts the run; focus follows the status, then the result.
  const reps = page.getByRole('textbox', { name: 'Repetitions (R)' });
  await tabTo(page, reps);
  await page.keyboard.press('Enter');
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('phase')).toBeFocused();
  await expect(page.getByTestId('run-status')).toHaveText(/complete|partial/, { timeout: 150_000 });
  await expect(page.getByTestId('result-card')).toBeVisible();
  await expect(page.locator(':focus')).toContainText('Result: tiny-random-llama');

  // The Cost view: change the traffic with the keyboard, the answer follows.
  const costTab = page.getByRole('button', { name: 'Cost', exact: true });
  await tabTo(page, costTab, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('results')).toBeVisible();
  const before = await page.getByTestId('results').textContent();
  const requests = page.getByTestId('field-requests');
  await tabTo(page, requests);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('90000');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('results')).not.toHaveText(before ?? '');

  // Compare & share: select the run and copy its link, Space on the checkbox, Enter on the button.
  await tabTo(page, page.getByRole('button', { name: 'Compare & share', exact: true }), 'Shift+Tab');
  await page.keyboard.press('Enter');
  const checkbox = page.getByRole('checkbox', { name: /^Select / }).first();
  await expect(checkbox).toBeVisible();
  await tabTo(page, checkbox);
  await page.keyboard.press('Space');
  await expect(checkbox).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Copy result link' }));
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('#report=');
});
