import { DEFAULT_CHROMIUM, OFFLINE_CHROMIUM_ARGS } from '../scripts/chromium.ts';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';

// Chromium on Linux exposes no WebGPU adapter without --enable-unsafe-webgpu.
test.use({ launchOptions: { executablePath: DEFAULT_CHROMIUM, args: OFFLINE_CHROMIUM_ARGS } });

test('without WebGPU, forcing it falls back to WASM and says so', async ({ page }) => {
  await page.goto('/?view=measure&device=webgpu&dtype=q8&p=16&g=8&r=1');
  await page.getByText('Device & adapter report').click();
  await expect(page.getByTestId('webgpu-status')).toContainText('unavailable');
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByText(/WebGPU is not available here/)).toBeVisible();
  await expect(page.getByTestId('run-notes')).toContainText('running on WASM instead');
  await expect(page.getByTestId('result-card')).toContainText('wasm');
});
