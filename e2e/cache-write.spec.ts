/**
 * A model loads when the browser cannot cache its files. This spec uses Playwright's own `test`, not ./fixtures:
 * the fixtures' network guard intercepts every request, and Chromium's HTTP cache is off while requests are
 * intercepted, which hides the failure. Nothing here leaves the machine: the page only loads an embedded model.
 */
import { expect, test } from '@playwright/test';
import { runFromUi } from './helpers.ts';

test('a model whose file the browser cannot cache (net::ERR_CACHE_WRITE_FAILURE) still loads, and the run says so', async ({
  page,
}) => {
  // A fresh Playwright context keeps its HTTP cache in memory, as a private window does; a weight file above its
  // entry limit, requested twice at once (transformers.js reads its size, then the file), fails to be written and
  // Chromium fails the request. small-random-llama's fp32 file (12 MB) is the smallest that does.
  const failed: string[] = [];
  // The fixtures' guard, by observation instead of interception: every request must stay on this machine.
  const leaving: string[] = [];
  page.on('request', (request) => {
    const { protocol, hostname } = new URL(request.url());
    const local = hostname === '127.0.0.1' || hostname === 'localhost';
    if (!local && protocol !== 'data:' && protocol !== 'blob:') leaving.push(request.url());
  });
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_CACHE_WRITE_FAILURE') failed.push(request.url());
  });
  await page.goto('/?view=measure&device=wasm&model=small-random-llama&dtype=fp32&p=8&g=2&r=1');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText(/complete/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The failure this guards against still happens in this Chromium (otherwise the spec would prove nothing) …
  expect(failed.some((url) => url.endsWith('/onnx/model.onnx'))).toBe(true);
  // … and the run tells the user how its model was loaded.
  await expect(page.getByTestId('run-notes')).toContainText("Loaded with the browser's caches off");
  expect(leaving, 'requests that left the machine').toEqual([]);
});
