import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';

/** Written from vLLM's benchmark_serving.py --save-result (e2e/server-bench/ holds one file per tool). */
const VLLM_FILE = 'e2e/server-bench/vllm-llama-3.1-8b-h100-c16.json';

test.beforeEach(async ({ page }) => {
  await page.goto('/?view=cost');
  await expect(page.getByRole('heading', { name: 'Projection' })).toBeVisible();
});

test('an imported vLLM benchmark prices the self-hosted option, and the answer names it', async ({
  page,
}) => {
  // Priced on an L4 first: the file says it ran on an H100, so the import moves the GPU and the bill.
  await page.getByTestId('gpu-row').selectOption('l4');
  await page.getByTestId('field-requests').fill('50000');
  const answer = page.getByTestId('cost-answer-costs');
  const before = await answer.textContent();
  await expect(page.getByTestId('cost-answer-source')).toHaveCount(0);

  await page.getByTestId('server-import-file').setInputFiles(VLLM_FILE);

  await expect(page.getByTestId('cost-answer-source')).toContainText(
    'self-host from your benchmark vllm-llama-3.1-8b-h100-c16.json',
  );
  await expect(page.getByTestId('server-import-source')).toContainText(
    'vLLM benchmark_serving · vllm-llama-3.1-8b-h100-c16.json · meta-llama/Llama-3.1-8B-Instruct · NVIDIA H100 80GB HBM3 · concurrency 16',
  );
  await expect(answer).not.toHaveText(before ?? '');
  await expect(page.getByTestId('gpu-row')).toHaveValue('h100-sxm');
  await expect(page.getByTestId('field-concurrency')).toHaveValue('16');
  // 1024 input tokens per request in a 44.9 ms median TTFT.
  await expect(page.getByTestId('field-gpuPrefillTokPerS')).toHaveValue('22800');
  await expect(page.getByTestId('cost-selfHosted-model')).toContainText(
    '(benchmark: vllm-llama-3.1-8b-h100-c16.json)',
  );
  await expect(page.getByTestId('cost-selfHosted-tier')).toHaveText('medium (7–14B)');
  await expect(page.getByTestId('server-import-source')).toContainText('median TPOT 11.5 ms');

  // Typing over an imported speed is marked; a reload keeps where the figures came from.
  await page.getByTestId('field-gpuDecodeTokPerS').fill('100');
  await expect(page.getByTestId('server-import-source')).toContainText('typed over since');
  await page.reload();
  await expect(page.getByTestId('cost-answer-source')).toContainText('vllm-llama-3.1-8b-h100-c16.json');
});

test('a file that is not a server benchmark is refused with what was expected; pasted llama-bench output is read', async ({
  page,
}) => {
  const decode = page.getByTestId('field-gpuDecodeTokPerS');
  const typed = await decode.inputValue();
  await page
    .getByTestId('server-import-file')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x"}') });
  await expect(page.getByTestId('server-import-error')).toContainText('Expected llama-bench output');
  await expect(decode).toHaveValue(typed);

  await page.getByText('Paste its output instead').click();
  await page
    .getByTestId('server-import-paste')
    .fill(readFileSync('e2e/server-bench/llama-bench-l4.md', 'utf8'));
  await page.getByRole('button', { name: 'Read the pasted output' }).click();
  await expect(page.getByTestId('server-import-error')).toHaveCount(0);
  await expect(decode).toHaveValue('44.3');
  await expect(page.getByTestId('gpu-row')).toHaveValue('l4');
  await expect(page.getByTestId('cost-answer-source')).toContainText('your benchmark pasted text');
  await expect(page.getByTestId('server-import-source')).toContainText(
    'llama-bench (Markdown table) · pasted text',
  );
});
