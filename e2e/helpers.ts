import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Presses Run and waits until the run has ended with a result (complete, partial or failed). */
export async function runFromUi(page: Page, timeout = 150_000) {
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeEnabled({ timeout: 30_000 });
  await run.click();
  await expect(page.getByTestId('run-status')).toHaveText(/complete|partial|failed/, { timeout });
  await expect(run).toBeEnabled();
}

/** The median of a metric in the result card, as a number. */
export async function readMetric(page: Page, key: string): Promise<number> {
  const cell = page.getByTestId(`metric-${key}`).locator('td').nth(1);
  return Number(await cell.getAttribute('data-value'));
}

/**
 * Every chart in the view has its numbers as a table (its text alternative): the figure or section that holds
 * the chart has a "Data as a table" disclosure, which opens by keyboard into a table with rows. Leaves the
 * tables open, so an axe or phone-width check that follows sees them too.
 */
export async function openEveryChartTable(page: Page, where: string) {
  const charts = page.locator('main .recharts-wrapper');
  await expect(charts.first(), `${where}: a chart on screen`).toBeVisible();
  const count = await charts.count();
  for (let i = 0; i < count; i++) {
    const holder = charts.nth(i).locator('xpath=ancestor::*[self::figure or self::section][1]');
    const data = holder.locator('details.chart-data').first();
    await expect(data, `${where}: chart ${i + 1} of ${count} has no table`).toHaveCount(1);
    if (await data.evaluate((d) => (d as HTMLDetailsElement).open)) continue;
    await data.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(data.locator('table tbody tr').first(), `${where}: chart ${i + 1}'s table`).toBeVisible();
  }
}

/** `LAB_SHOTS_DIR=/some/dir`: keeps a full-page screenshot of the view there, for a person to look at. */
export async function keepShot(page: Page, name: string) {
  const dir = process.env.LAB_SHOTS_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** axe-core on what is on screen now: no serious or critical violation (WCAG 2.1 A/AA rules). */
export async function expectAccessible(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.html.slice(0, 120)).join(', ')}`);
  expect(bad, `${where}: accessibility violations`).toEqual([]);
}
