import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';

/** The page that hosts the busy loops: same origin as the lab, isolated (SharedArrayBuffer), no CSP of its own. */
const BUSY_PATH = '/__e2e-busy-loops.html';
const BUSY_PAGE = `<!doctype html><title>busy loops</title><script>
  const spin = \`onmessage = (e) => {
    const flag = new Int32Array(e.data);
    for (;;) {
      if (Atomics.load(flag, 0) === 1) { const t = performance.now(); while (performance.now() - t < 1) {} }
      else Atomics.wait(flag, 0, 0);
    }
  };\`;
  const url = URL.createObjectURL(new Blob([spin], { type: 'text/javascript' }));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const count = Number(new URLSearchParams(location.search).get('workers'));
  for (let i = 0; i < count; i++) new Worker(url).postMessage(flag.buffer);
  new BroadcastChannel('e2e-busy').onmessage = (e) => {
    Atomics.store(flag, 0, e.data ? 1 : 0);
    Atomics.notify(flag, 0);
  };
  document.title = 'busy loops ready';
</script>`;

/**
 * Makes a run noisy on purpose: busy-loop workers spin during every second repetition and sleep during the others,
 * as another tab's work would. They run in a second page of the same origin (the lab's Content-Security-Policy
 * rightly allows no blob: worker, so they cannot start from the lab's page), which the lab's page steers over a
 * BroadcastChannel: its live chart says which repetition is running, so the load follows the run rather than a
 * clock. The workers wait on a shared flag instead of being terminated and restarted: a terminated busy loop can
 * take a second to stop on a loaded machine, which would blur busy and idle repetitions together.
 */
async function loadAlternateRepetitions(page: Page, workers: number) {
  const busy = await page.context().newPage();
  await busy.route(`**${BUSY_PATH}*`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
      body: BUSY_PAGE,
    }),
  );
  await busy.goto(`${new URL(page.url()).origin}${BUSY_PATH}?workers=${workers}`);
  await expect(busy).toHaveTitle('busy loops ready');
  await page.evaluate(() => {
    const channel = new BroadcastChannel('e2e-busy');
    const setBusy = (on: boolean) => channel.postMessage(on);
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
  });
  return busy;
}

test('a run with busy and idle repetitions is flagged noisy, with the reason and what to do', async ({
  page,
}) => {
  const R = 6;
  await page.goto(`/?view=measure&model=small-random-llama&device=wasm&dtype=q8&p=16&g=128&r=${R}`);
  await expect(page.getByTestId('result-card')).toHaveCount(0);
  const busy = await loadAlternateRepetitions(page, 4);
  await runFromUi(page);
  const card = page.getByTestId('result-card');
  await expect(card.getByTestId('run-status')).toHaveText('complete');
  await busy.close();

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
