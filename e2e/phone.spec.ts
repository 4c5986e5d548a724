import type { Locator, Page } from '@playwright/test';
import { toJsonExport } from '../app/compare/exports.ts';
import { encodeReport, reportUrl } from '../app/run/link.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';
import { openEveryChartTable, runFromUi } from './helpers.ts';

/** A phone held upright (an iPhone 14's CSS width); 360 px is checked on the densest views too. */
const PHONE = { width: 390, height: 844 };

const RUNS: RunResult[] = [
  syntheticRun(1, { modelId: 'tiny-random-llama', dtype: 'fp32', decodeTokPerS: 90, name: 'tiny fp32' }),
  syntheticRun(2, { modelId: 'tiny-random-llama', dtype: 'q4', decodeTokPerS: 120, name: 'tiny q4' }),
  syntheticRun(3, { modelId: 'small-random-llama', dtype: 'fp32', decodeTokPerS: 30, name: 'small fp32' }),
  syntheticRun(4, { modelId: 'small-random-llama', dtype: 'q4', decodeTokPerS: 55, name: 'small q4' }),
];

/**
 * The page must not scroll sideways: its scroll width fits the viewport. On failure, the message names the
 * elements that stick out, so the fix is obvious.
 */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, viewport, offenders } = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('body *')).filter(
      (el) => el.getBoundingClientRect().right > viewport + 1,
    );
    const set = new Set(wide);
    const offenders = wide
      // Only the element that leaves a parent which fits, and not what an ancestor clips or scrolls.
      .filter((el) => !(el.parentElement && set.has(el.parentElement)))
      .filter((el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const overflow = getComputedStyle(p).overflowX;
          if (overflow !== 'visible') return false;
        }
        return true;
      })
      .slice(0, 8)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, viewport, offenders };
  });
  expect(scrollWidth, `${where} scrolls sideways: ${offenders.join('; ')}`).toBeLessThanOrEqual(viewport);
}

/**
 * With LAB_PHONE_SHOTS=<dir>, saves what a phone shows, scrolled to `focus` (docs/phone-*.png come from here:
 * `LAB_PHONE_SHOTS=docs`); with LAB_PHONE_TILES=<dir> too, the whole page in screen-sized tiles to look over.
 */
async function shoot(page: Page, name: string, focus?: Locator) {
  const dir = process.env.LAB_PHONE_SHOTS;
  if (!dir) return;
  // `focus` starts the screen, below whatever sticks to the top of it (the cost answer line).
  await focus?.evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    const stuck = Array.from(document.querySelectorAll('body *'))
      .filter((e) => ['sticky', 'fixed'].includes(getComputedStyle(e).position))
      .map((e) => e.getBoundingClientRect().bottom)
      .filter((bottom) => bottom > 0 && bottom < window.innerHeight / 2);
    window.scrollBy(0, -Math.max(0, ...stuck) - 8);
  });
  await page.screenshot({ path: `${dir}/phone-${name}.png` });
  const tiles = process.env.LAB_PHONE_TILES;
  if (!tiles) return;
  const { width, height } = await page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight,
  }));
  for (let y = 0, i = 0; y < height; y += 1200, i++) {
    const clip = { x: 0, y, width, height: Math.min(1200, height - y) };
    await page.screenshot({ path: `${tiles}/${name}-${i}.png`, fullPage: true, clip });
  }
}

type Box = { x: number; y: number; width: number; height: number };
/** Whether two boxes share any area (touching edges do not count). */
const intersects = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Every saved run's row in the history shows its buttons clear of its figures and inside the row (the rows have a
 * fixed height, so anything that wraps past it would cover the next run).
 */
async function expectHistoryRowsReadable(page: Page, where: string) {
  const rows = page.getByTestId('history-scroll').locator('.history-row');
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    const name = await row.locator('.run-name').textContent();
    const rowBox = await row.boundingBox();
    const buttons = await row.locator('.history-buttons').boundingBox();
    if (!rowBox || !buttons) throw new Error(`${where}: the row of ${name} is not on screen`);
    for (const figure of await row.locator('.history-metric').all()) {
      const box = await figure.boundingBox();
      const label = `${where}: ${name}'s buttons overlap “${await figure.textContent()}”`;
      expect(box && intersects(box, buttons), label).toBe(false);
    }
    expect(buttons.y + buttons.height, `${where}: ${name}'s buttons leave its row`).toBeLessThanOrEqual(
      rowBox.y + rowBox.height,
    );
  }
}

test.use({ viewport: PHONE });

test('at phone width every view fits the screen: Measure after a run, Cost, Compare, class view, Why this fast', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&model=tiny-random-llama&dtype=q8&p=16&g=8&r=2');
  await expectNoSidewaysScroll(page, 'Measure before a run');
  await runFromUi(page);
  await expect(page.getByTestId('metrics')).toBeVisible();
  await expect(page.getByTestId('live-chart')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Measure after a run');
  await shoot(page, 'measure', page.getByTestId('result-card'));

  await page.getByRole('button', { name: 'Cost', exact: true }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Cost');
  // The charts' tables scroll inside their cards.
  await openEveryChartTable(page, 'Cost');
  await expectNoSidewaysScroll(page, 'Cost with the charts’ tables open');
  await shoot(page, 'cost', page.getByRole('region', { name: 'Projection' }));

  await page.getByRole('button', { name: 'Compare & share', exact: true }).click();
  await page
    .getByLabel(/Results files/)
    .setInputFiles({ name: 'r.json', mimeType: 'application/json', buffer: Buffer.from(toJsonExport(RUNS)) });
  await page.getByRole('button', { name: 'Import into my history' }).click();
  await page.getByRole('button', { name: 'Select all' }).click();
  const comparison = page.getByRole('region', { name: 'Comparison' });
  // The comparison keeps its figures on a phone, not only the names.
  await expect(comparison.locator('table.comparison-table')).toBeVisible();
  await expect(comparison.locator('table.comparison-table tbody tr').first()).toBeVisible();
  await expectNoSidewaysScroll(page, 'Compare & share with a comparison');
  await shoot(page, 'compare');
  await expectHistoryRowsReadable(page, 'Saved runs at 390 px');
  await page.setViewportSize({ width: 360, height: PHONE.height });
  await expectHistoryRowsReadable(page, 'Saved runs at 360 px');
  await page.setViewportSize(PHONE);

  await page.getByRole('button', { name: 'Why this fast', exact: true }).click();
  await expect(page.locator('main .panel').first()).toBeVisible();
  await openEveryChartTable(page, 'Why this fast');
  await expectNoSidewaysScroll(page, 'Why this fast');
  await shoot(page, 'hardware');
});

test('the class view and a shared report fit a 360 px phone', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const link = reportUrl(`${baseURL}/`, encodeReport(RUNS));
  await page.goto(link);
  const report = page.getByRole('region', { name: 'Shared results' });
  await expect(report).toContainText('4 runs');
  await expectNoSidewaysScroll(page, 'a shared report');
  await shoot(page, 'report');

  await page.goto('/?view=compare&section=class');
  await page.getByLabel('Result links').fill(link);
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  const board = page.getByRole('region', { name: 'Leaderboard tiny-random-llama fp32' });
  await expect(board).toBeVisible();
  await expectNoSidewaysScroll(page, 'the class view');
  await shoot(page, 'class');
});
