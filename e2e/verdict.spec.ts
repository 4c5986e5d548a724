import { encodeScores, QUALITY_STORAGE_KEY, withScores } from '../app/models/quality-scores.ts';
import { encodeReport } from '../app/run/link.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';

/** Two dtypes of one model at one P/G, a software-GPU run, and two repeats of another setting that disagree. */
function runs(): RunResult[] {
  const software = syntheticRun(3, {
    modelId: 'small-random-llama',
    dtype: 'q4',
    device: 'webgpu',
    decodeTokPerS: 15,
    name: 'small q4 on SwiftShader',
  });
  if (software.env.adapter) software.env.adapter = { ...software.env.adapter, isFallbackAdapter: true };
  return [
    syntheticRun(1, { modelId: 'small-random-llama', dtype: 'q8', decodeTokPerS: 40, name: 'small q8' }),
    syntheticRun(2, { modelId: 'small-random-llama', dtype: 'q4', decodeTokPerS: 60, name: 'small q4' }),
    software,
    syntheticRun(4, { promptTokens: 64, genTokens: 32, decodeTokPerS: 126, name: 'tiny on Measure' }),
    syntheticRun(5, { promptTokens: 64, genTokens: 32, decodeTokPerS: 669, name: 'tiny in a sweep' }),
  ];
}

for (const width of [1280, 390]) {
  test(`the comparison opens on a verdict, flags disagreeing repeats and software GPU results (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/?view=compare#report=${encodeReport(runs())}`);
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveCount(1);
    await expect(verdict).toHaveAttribute('data-kind', 'pick');
    await expect(verdict.getByRole('heading')).toHaveText('Ship small-random-llama q4 · WASM');
    await expect(verdict).toContainText(/size\s*[\d.]+ [KM]iB/);
    await expect(verdict).toContainText(/decode\s*[\d.]+ \([\d.]+–[\d.]+\) tok\/s/);
    await expect(verdict).toContainText(/TTFT\s*[\d.,]+/);
    await expect(verdict).toContainText('at P128 G64');
    await expect(verdict).toContainText(/software WebGPU adapter left out/);
    await expect(verdict).toContainText(/measured at another P\/G left out/);
    await expect(verdict).toContainText(/Quality not scored/);
    // The verdict comes first, before the table and the charts.
    const top = async (selector: string) => (await page.locator(selector).first().boundingBox())?.y ?? 0;
    expect(await top('[data-testid="verdict"]')).toBeLessThan(await top('table.comparison-table'));

    // The two tiny runs share settings but disagree (126 vs 669 tok/s): said, with each run listed.
    const disagreement = page.getByTestId('disagreement');
    await expect(disagreement).toContainText('tiny-random-llama q8 WASM P64 G32');
    await expect(disagreement).toContainText('tiny on Measure');
    await expect(disagreement).toContainText('tiny in a sweep');

    // WebGPU vs WASM: read the right way round, with the software caveat.
    const pairs = page.getByRole('figure', { name: 'WebGPU vs WASM' });
    await expect(pairs).toContainText(/WebGPU decodes [\d.]+× slower than WASM/);
    await expect(pairs).not.toContainText('×0.');
    await expect(pairs.getByTestId('software-caveat')).toBeVisible();
    await expect(page.locator('table.comparison-table')).toContainText('software GPU');

    // Nothing spills sideways at phone width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('"auto" passes over a software WebGPU adapter for WASM and says why; WebGPU can still be forced', async ({
  page,
}) => {
  await page.goto('/?view=measure');
  await page.getByText('Device & adapter report').click();
  // This Chromium's only adapter is SwiftShader (scripts/chromium.ts).
  await expect(page.getByTestId('webgpu-status')).toContainText(/software|SwiftShader/i);
  const device = page.getByLabel('Device');
  await expect(device.locator('option[value="auto"]')).toHaveText('auto (WASM)');
  await expect(page.getByTestId('auto-device-reason')).toContainText(
    /Auto chose WASM: the only WebGPU adapter/,
  );
  await device.selectOption('webgpu');
  await expect(device).toHaveValue('webgpu');
  await expect(page.getByTestId('auto-device-reason')).toHaveCount(0);
});

const keptScore = (dtype: 'fp32' | 'q8' | 'q4', top1Agreement: number) => ({
  modelId: 'small-random-llama',
  dtype,
  top1Agreement,
  meanKlNats: 1 - top1Agreement,
  referenceDtype: 'fp32' as const,
  randomWeights: true,
  scoredAt: '2026-12-02T00:00:00.000Z',
});
const keptScores = [keptScore('fp32', 1), keptScore('q8', 0.98), keptScore('q4', 0.7)];

/** The scores as this version keeps them, and as version 1 did (keyed by model id, before model identities). */
const STORED_FORMS = [
  { form: 'kept now', text: encodeScores(withScores({}, keptScores)) },
  { form: 'kept by an older version', text: JSON.stringify({ v: 1, scores: keptScores }) },
];

for (const { form, text } of STORED_FORMS) {
  test(`quality scores ${form} on "Why this fast" apply the bar: the faster dtype below it is not the pick`, async ({
    page,
  }) => {
    await page.addInitScript(
      ([key, value]) => {
        // Only the first load starts from these scores; a reload reads what the lab wrote back.
        if (sessionStorage.getItem('seeded') === null) localStorage.setItem(key as string, value as string);
        sessionStorage.setItem('seeded', '1');
      },
      [QUALITY_STORAGE_KEY, text],
    );
    // Three dtypes of one model at one P/G: q4 decodes fastest but agrees with fp32 at only 70 % of positions.
    const dtypes = [
      syntheticRun(1, { modelId: 'small-random-llama', dtype: 'q8', decodeTokPerS: 40, name: 'small q8' }),
      syntheticRun(2, { modelId: 'small-random-llama', dtype: 'q4', decodeTokPerS: 60, name: 'small q4' }),
      syntheticRun(6, {
        modelId: 'small-random-llama',
        dtype: 'fp32',
        decodeTokPerS: 20,
        name: 'small fp32',
      }),
    ];
    await page.goto(`/?view=compare#report=${encodeReport(dtypes)}`);
    const verdict = page.getByTestId('verdict');
    await expect(verdict.getByRole('heading')).toHaveText('Ship small-random-llama q8 · WASM');
    await expect(verdict).toContainText(/1 configuration below the quality bar/);
    await expect(verdict).not.toContainText(/Quality not scored/);
    // Kept in the current form from then on: a reload still applies the bar.
    const version = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? '{}').v,
      QUALITY_STORAGE_KEY,
    );
    expect(version).toBe(2);
    await page.reload();
    await expect(verdict).toContainText(/1 configuration below the quality bar/);
  });
}
