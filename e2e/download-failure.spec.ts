/**
 * A model whose download fails on the way (the connection drops, a proxy resets it, the browser cannot write the
 * file to its cache) is a network failure, not a missing file: the lab tries once more with the browser's caches
 * off and says so, and when the download keeps failing, it says a download failed rather than "no file for the
 * chosen dtype". transformers.js reads embedded models as local files and reports such a failure as "not found
 * locally"; these specs hold the lab to telling the two apart.
 */
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { keepShot, runFromUi } from './helpers.ts';

const WEIGHT_FILE = '**/models/tiny-random-llama/onnx/model.onnx';

/** Fails the first `count` requests for tiny-random-llama's fp32 weight file as a dropped connection would. */
async function dropWeightRequests(context: BrowserContext, count: number) {
  const dropped: string[] = [];
  // Registered after the fixtures' guard, so it answers first; the rest go on to the guard (and the server).
  await context.route(WEIGHT_FILE, (route) => {
    if (dropped.length >= count) return route.fallback();
    dropped.push(route.request().url());
    return route.abort('connectionreset');
  });
  return dropped;
}

test('a weight download that fails on the first try is tried again with the caches off, and the run says so', async ({
  page,
  context,
}) => {
  // transformers.js asks for the file twice (its size, then the file) and tolerates a failed size probe alone:
  // both requests of the first try fail.
  const dropped = await dropWeightRequests(context, 2);
  await page.goto('/?view=measure&device=wasm&model=tiny-random-llama&dtype=fp32&p=8&g=4&r=1');
  await runFromUi(page);
  expect(dropped).toHaveLength(2);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  const notes = page.getByTestId('run-notes');
  await expect(notes).toContainText("Loaded with the browser's caches off");
  await expect(notes).toContainText('Downloading /models/tiny-random-llama/onnx/model.onnx failed');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await keepShot(page, 'download-retried');
});

test('a weight download that keeps failing is reported as a failed download, not a missing dtype', async ({
  page,
  context,
}) => {
  const dropped = await dropWeightRequests(context, Number.POSITIVE_INFINITY);
  await page.goto('/?view=measure&device=wasm&model=tiny-random-llama&dtype=fp32&p=8&g=4&r=1');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  const alert = page.getByRole('alert').first();
  await expect(alert).toContainText('A download failed');
  await expect(alert).toContainText('/models/tiny-random-llama/onnx/model.onnx');
  await expect(alert).not.toContainText('no file for the chosen dtype');
  // The failed run still says which engine tried (a bug report needs it).
  await expect(page.getByTestId('result-card')).toContainText(/transformers\.js \d+\.\d+/);
  await keepShot(page, 'download-failed');
  // Both tries asked for the file: the retry happened before the lab gave up.
  expect(dropped.length).toBeGreaterThanOrEqual(3);
  // Nothing is lost: once the network is back, the same model runs.
  await context.unroute(WEIGHT_FILE);
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
});
