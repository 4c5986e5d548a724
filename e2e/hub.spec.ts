import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';
import { type HubMirror, startHubMirror } from './hub-mirror.ts';

let mirror: HubMirror;
test.beforeAll(async () => {
  mirror = await startHubMirror();
});
test.afterAll(async () => {
  await mirror.close();
});

async function useMirror(page: Page) {
  await page.getByText('Hub host (for a mirror').click();
  await page.getByLabel('Hub host', { exact: true }).fill(mirror.url);
  await page.getByRole('button', { name: 'Save' }).click();
}

async function addHubModel(page: Page, id: string) {
  await page.getByPlaceholder('organisation/name').fill(id);
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue(id);
}

test('downloads a Hub model with progress, then loads it from the browser cache without a request', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&p=16&g=8&r=1');
  await useMirror(page);
  await addHubModel(page, 'lab/tiny-random-llama');
  await page.getByLabel('Dtype').selectOption('q8');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('result-card')).toContainText('(cold)');
  await expect(page.getByTestId('load-progress')).toContainText('100%');
  await expect(page.getByLabel('download onnx/model_quantized.onnx')).toBeVisible();
  const firstLoad = mirror.requests.length;
  expect(mirror.requests).toContain('lab/tiny-random-llama/onnx/model_quantized.onnx');

  // A new page in the same browser profile: the host setting and the Cache Storage survive.
  await page.reload();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('lab/tiny-random-llama');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('result-card')).toContainText('(from browser cache)');
  expect(mirror.requests.length, 'requests to the Hub on the cached load').toBe(firstLoad);
});

for (const [id, dtype, expected] of [
  ['lab/no-such-model', 'q8', /model was not found/i],
  ['lab/no-q4', 'q4', /no file for the chosen dtype/i],
  ['lab/corrupt-onnx', 'q8', /could not be read as ONNX/i],
  ['lab/huge-model', 'q8', /did not fit in memory/i],
] as const) {
  test(`a failed download (${id}) gets a clear message and the page stays usable`, async ({ page }) => {
    await page.goto('/?view=measure&device=wasm&p=16&g=8&r=1');
    await useMirror(page);
    await addHubModel(page, id);
    await page.getByLabel('Dtype').selectOption(dtype);
    await runFromUi(page);
    await expect(page.getByTestId('run-status')).toHaveText('failed');
    await expect(page.getByRole('alert').first()).toContainText(expected);
    // Nothing is lost: the default model still runs afterwards.
    await page.getByLabel('Model', { exact: true }).selectOption('tiny-random-llama');
    await runFromUi(page);
    await expect(page.getByTestId('run-status')).toHaveText('complete');
  });
}

test('a model folder picked from disk loads and runs without any download', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&p=16&g=8&r=2');
  await page.getByLabel('Model folder from disk').setInputFiles('public/models/small-random-llama');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('local/small-random-llama');
  await expect(page.getByTestId('model-note')).toContainText('Picked from disk');
  await page.getByLabel('Dtype').selectOption('q4');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('result-card')).toContainText('local/small-random-llama · q4');
});

test('a folder that is not a model is refused with a message', async ({ page }) => {
  await page.goto('/?view=measure');
  await page.getByLabel('Model folder from disk').setInputFiles('e2e');
  await expect(page.getByRole('alert').first()).toContainText('is not a transformers.js model');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('tiny-random-llama');
});

test('before any download, a Hub model that will not fit is flagged; a smaller dtype fits', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&p=256&g=64&r=1');
  await page.getByLabel('Model', { exact: true }).selectOption('onnx-community/Llama-3.2-1B-Instruct');
  await page.getByLabel('Dtype').selectOption('fp32');
  // ~4.6 GiB of fp32 weights cannot live in the 4 GiB heap of onnxruntime's 32-bit WASM build.
  await expect(page.getByTestId('fit-warning')).toHaveAttribute('data-verdict', 'wont-fit');
  await expect(page.getByTestId('fit-warning')).toContainText('Will not fit');
  await page.getByLabel('Dtype').selectOption('q4');
  await expect(page.getByTestId('fit-warning')).not.toHaveAttribute('data-verdict', 'wont-fit');
  await expect(page.getByTestId('fit-warning')).toContainText('of KV cache at 320 tokens');
});

test('Interrupt during a Hub download stops the download, says so, and the next run starts clean', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&p=16&g=8&r=1');
  await useMirror(page);
  await addHubModel(page, 'lab/slow-download');
  await page.getByLabel('Dtype').selectOption('q8');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // The ONNX file trickles in: its progress bar shows, and the download would take about a minute.
  await expect(page.getByLabel('download onnx/model_quantized.onnx')).toBeVisible();
  await page.getByRole('button', { name: 'Interrupt' }).click();
  // Said twice: in the page's message and in the result's notes.
  await expect(page.getByText(/the download was stopped/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  // The browser really dropped the connection: the mirror saw the file abandoned before its last byte.
  await expect.poll(() => mirror.abandoned).toContain('lab/slow-download/onnx/model_quantized.onnx');

  // The engine is usable at once: another model loads and runs.
  await page.getByLabel('Model', { exact: true }).selectOption('tiny-random-llama');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
});

test('a sweep loads Hub models from the Hub host setting, never from the public Hub', async ({ page }) => {
  await page.goto('/?view=measure');
  await useMirror(page);
  await page.goto('/?view=compare&section=sweep');
  await page.getByLabel(/Tiny random LLaMA/).uncheck();
  await page.getByLabel(/Small random LLaMA/).uncheck();
  await page.getByRole('button', { name: 'Show Hub models (downloads)' }).click();
  await page.getByLabel(/SmolLM2 135M Instruct/).check();
  await page.getByLabel('fp32', { exact: true }).uncheck();
  await page.getByLabel('Repetitions').fill('1');
  await page.getByLabel('Generated tokens').fill('8');
  await page.getByLabel(/Prompt lengths/).fill('16');
  const before = mirror.requests.length;
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByText('Finished 1 measurement')).toBeVisible({ timeout: 60_000 });
  // The mirror has no such repository: the cell fails, but it asked the mirror (the public Hub would have been
  // blocked by the network guard and failed this test).
  expect(mirror.requests.slice(before)).toContain('HuggingFaceTB/SmolLM2-135M-Instruct/config.json');
});
