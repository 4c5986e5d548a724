import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';

/**
 * Makes a run noisy on purpose: busy-loop workers (started from the page, as another tab's work would be) spin
 * during every second repetition and sleep during the others. The page's live chart says which repetition is
 * running, so the load follows the run rather than a clock. The workers wait on a shared flag (the page is
 * cross-origin isolated) instead of being terminated and restarted: a terminated busy loop can take a second to
 * stop on a loaded machine, which would blur busy and idle repetitions together.
 */
async function loadAlternateRepetitions(page: Page, workers: number) {
  await page.evaluate((count) => {
    const spin = `onmessage = (e) => {
      const flag = new Int32Array(e.data);
      for (;;) {
        if (Atomics.load(flag, 0) === 1) { const t = performance.now(); while (performance.now() - t < 1) {} }
        else Atomics.wait(flag, 0, 0);
      }
    };`;
    const url = URL.createObjectURL(new Blob([spin], { type: 'text/javascript' }));
    const flag = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < count; i++) new Worker(url).postMessage(flag.buffer);
    const setBusy = (on: boolean) => {
      Atomics.store(flag, 0, on ? 1 : 0);
      Atomics.notify(flag, 0);
    };
    const follow = () => {
      const done = document.querySelector('[data-testid="result-card"] [data-testid="run-status"]');
      if (done && /complete|partial|failed/.test(done.textContent ?? '')) {
        setBusy(false);
        observer.disconnect();
        return;
      }
      const caption = document.querySelector('[data-testid="live-chart"] figcaption')?.textContent ?? '';
      const rep = Number(/repetition (\d+)/.exec(caption)?.[1] ?? '1');
      setBusy(rep % 2 === 0);
    };
    const observer = new MutationObserver(follow);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, workers);
}

test('a run with busy and idle repetitions is flagged noisy, with the reason and what to do', async ({
  page,
}) => {
  const R = 6;
  await page.goto(`/?view=measure&model=small-random-llama&device=wasm&dtype=q8&p=16&g=128&r=${R}`);
  await expect(page.getByTestId('result-card')).toHaveCount(0);
  await loadAlternateRepetitions(page, 4);
  await runFromUi(page);
  const card = page.getByTestId('result-card');
  await expect(card.getByTestId('run-status')).toHaveText('complete');

  // What the user sees: the badge, the reason (decode spread or drift) with advice, and the decode CV above 5 %.
  await expect(card.getByTestId('noisy-badge')).toBeVisible();
  const notice = card.getByTestId('noise');
  await expect(notice).toContainText('Noisy run');
  await expect(notice).toContainText(/Decode speed (varies|rose|fell) by/);
  await expect(notice).toContainText(/Close other tabs|Plug the laptop in|Run again/);
  const decodeCv = Number(
    await card.getByTestId('metric-decode').locator('td').nth(4).getAttribute('data-value'),
  );
  expect(decodeCv).toBeGreaterThan(0.05);

  // The saved run carries the marker into the history list.
  await page.goto('/?view=compare');
  const row = page.locator('.history-row').filter({ hasText: 'small-random-llama' });
  await expect(row.getByTestId('noisy-badge')).toBeVisible();
});
