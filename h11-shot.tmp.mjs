import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const base = 'http://127.0.0.1:4191/?view=cost';
for (const [name, w, h] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.goto(base);
  await page.getByTestId('cost-answer').waitFor();
  await page.getByTestId('field-requests').fill('50000');
  await page.waitForTimeout(800);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `/tmp/h11-cost-${name}.png` });
  await page.evaluate(() => window.scrollTo(0, 1600));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/h11-cost-${name}-scrolled.png` });
  await ctx.close();
}
await browser.close();
