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
