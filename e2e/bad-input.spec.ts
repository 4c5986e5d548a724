import { encodeReport } from '../app/run/link.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';

test('P beyond the context, G and R out of range: inline messages and Run disabled', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm');
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeEnabled();
  await page.getByLabel('Prompt tokens (P)').fill('5000');
  await expect(page.getByText(/beyond this model's context of 4,096 tokens/)).toBeVisible();
  await expect(run).toBeDisabled();
  await page.getByLabel('Prompt tokens (P)').fill('32');
  await page.getByLabel('Generated tokens (G)').fill('1');
  await expect(page.getByText('Generated tokens (G) must be at least 2.')).toBeVisible();
  await page.getByLabel('Generated tokens (G)').fill('abc');
  await expect(page.getByText('Generated tokens (G) must be a whole number, not "abc".')).toBeVisible();
  await page.getByLabel('Generated tokens (G)').fill('8');
  await page.getByLabel('Repetitions (R)').fill('0');
  await expect(page.getByText('Repetitions (R) must be at least 1.')).toBeVisible();
  await expect(run).toBeDisabled();
  await page.getByLabel('Repetitions (R)').fill('1');
  await expect(run).toBeEnabled();
  await expect(page.locator('body')).not.toContainText('NaN');
});

test('a bad link is explained and the defaults are used', async ({ page }) => {
  await page.goto('/?view=measure&model=%3Cimg%20src%3Dx%3E&dtype=int3&p=-4&device=tpu');
  await expect(page.getByText(/dtype "int3" is unknown/)).toBeVisible();
  await expect(page.getByText(/device "tpu" is unknown/)).toBeVisible();
  await expect(page.getByText(/prompt tokens must be at least 1/)).toBeVisible();
  await expect(page.getByText(/is not a valid model id/)).toBeVisible();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('tiny-random-llama');
  await expect(page.locator('img')).toHaveCount(0);
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
});

test('an interrupt mid-run keeps the completed repetitions, marked partial', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&model=small-random-llama&dtype=q8&p=64&g=2000&r=5');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Interrupt once the second repetition is streaming.
  await expect(page.getByTestId('live-chart')).toContainText('repetition 2', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Interrupt' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('partial', { timeout: 60_000 });
  const rows = page.getByTestId('repetitions').locator('tbody tr');
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(2);
  expect(count).toBeLessThan(5);
  for (let i = 0; i < count - 1; i++) await expect(rows.nth(i)).toContainText('valid');
  await expect(rows.nth(count - 1)).toContainText('partial');
  await expect(page.getByTestId('run-notes')).toContainText(
    `Interrupted: ${count - 1} of 5 repetitions completed.`,
  );
  // The metrics come from the completed repetitions only.
  await expect(page.getByTestId('itl')).toContainText(`Valid repetitions: ${count - 1} of ${count}`);
});

test('a worker that crashes mid-run is replaced; completed repetitions are kept and the next run works', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&model=small-random-llama&dtype=q8&p=16&g=300&r=50&debug');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('live-chart')).toContainText('repetition 2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'crash worker' }).click();
  await expect(page.getByRole('alert').first()).toContainText(/worker crashed/i);
  await expect(page.getByTestId('run-status')).toHaveText('partial');
  await expect(page.getByTestId('run-notes')).toContainText(/worker crashed/i);
  // The replacement worker loads the model again and runs.
  await page.getByLabel('Generated tokens (G)').fill('8');
  await page.getByLabel('Repetitions (R)').fill('1');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('result-card')).toContainText('(cold)');
});

test('a worker that crashes while idle is replaced before the next run', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=16&g=8&r=1&debug');
  await runFromUi(page);
  await page.getByRole('button', { name: 'crash worker' }).click();
  await expect(page.getByRole('alert').first()).toContainText(/worker crashed/i);
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
});

test('a wedged worker is detected, replaced, and the lab recovers', async ({ page }) => {
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=16&g=8&r=1&debug&watchdogMs=3000');
  await runFromUi(page);
  await page.getByRole('button', { name: 'hang worker' }).click();
  await page.getByLabel('Generated tokens (G)').fill('9');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert').first()).toContainText(/stopped responding/i, { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
});

test('losing the GPU device mid-run keeps what finished, says so and switches to WASM', async ({ page }) => {
  await page.goto('/?view=measure&device=webgpu&dtype=fp32&p=16&g=200&r=3&debug');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Lose the device once tokens are flowing.
  await expect(page.locator('[data-testid=live-chart]:not([data-tokens="0"])')).toBeVisible({
    timeout: 120_000,
  });
  await page.getByRole('button', { name: 'lose GPU device' }).click();
  await expect(page.getByTestId('run-status')).toHaveText(/partial|failed/, { timeout: 120_000 });
  await expect(page.getByText(/WebGPU device was lost/).first()).toBeVisible();
  await expect(page.getByLabel('Device')).toHaveValue('wasm');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('result-card')).toContainText('wasm');
});

test('a result link edited after it was made is refused by its checksum, not opened', async ({ page }) => {
  const good = encodeReport([syntheticRun(1), syntheticRun(2)]);
  // The last characters carry the Adler-32 checksum of the contents: editing one leaves the data
  // inflatable, so only the checksum can tell. A link with characters added is caught the same way.
  const at = good.length - 3;
  const edited = `${good.slice(0, at)}${good[at] === 'A' ? 'B' : 'A'}${good.slice(at + 1)}`;
  for (const payload of [edited, `${good}AAAA`]) {
    await page.goto(`/?view=compare#report=${payload}`);
    const report = page.getByRole('region', { name: 'Shared results' });
    await expect(report.getByRole('alert')).toContainText(/checksum does not match/);
    await expect(report).toContainText('Nothing from the link was run or saved.');
  }
});

test('a result link with a million-character name is shown with its message capped', async ({ page }) => {
  const run = syntheticRun(3, { device: 'webgpu' });
  if (!run.env.adapter) throw new Error('a webgpu run has an adapter');
  const limits = { ['k'.repeat(1_000_000)]: 1 };
  const payload = encodeReport([{ ...run, env: { ...run.env, adapter: { ...run.env.adapter, limits } } }], {
    perToken: true,
  });
  await page.goto(`/?view=compare#report=${payload}`);
  const alert = page.getByRole('region', { name: 'Shared results' }).getByRole('alert');
  await expect(alert).toContainText('do not check out');
  expect(((await alert.textContent()) ?? '').length).toBeLessThan(600);
});
