import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';
test('debug wedged', async ({ page }) => {
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 300)));
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=16&g=8&r=1&debug&watchdogMs=3000');
  await runFromUi(page);
  await page.getByRole('button', { name: 'hang worker' }).click();
  await page.getByLabel('Generated tokens (G)').fill('9');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert').first()).toContainText(/stopped responding/i, { timeout: 30_000 });
  await runFromUi(page);
  console.log('ALERTS', JSON.stringify(await page.getByRole('alert').allTextContents()));
});
