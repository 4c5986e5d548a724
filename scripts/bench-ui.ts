/**
 * `npm run bench:ui`: is the Measure page responsive while a run streams tokens? Opens the real page in headless
 * Chromium, records every main-thread long task (PerformanceObserver 'longtask', > 50 ms) during runs of the
 * embedded models, and prints how many there were and how long the longest was. A benchmark, not a test.
 */
import type { Device, Dtype } from '../app/engine/protocol.ts';
import { log, withHarness } from './bench/harness.ts';
import { defaultHarnessOptions } from './bench/plan.ts';

interface Case {
  model: string;
  dtype: Dtype;
  device: Device;
  p: number;
  g: number;
  r: number;
}

const CASES: Case[] = [
  // Fast tokens: ~1 ms apart, the most UI updates per second.
  { model: 'tiny-random-llama', dtype: 'q8', device: 'wasm', p: 64, g: 512, r: 3 },
  { model: 'small-random-llama', dtype: 'q8', device: 'wasm', p: 256, g: 256, r: 3 },
  { model: 'medium-random-llama', dtype: 'q8', device: 'wasm', p: 512, g: 128, r: 2 },
];

declare global {
  interface Window {
    __longTasks: Array<{ start: number; duration: number }>;
  }
}

await withHarness(defaultHarnessOptions(process.env), async ({ context, origin, browserVersion }) => {
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const rows: string[] = [];
  for (const c of CASES) {
    const page = await context.newPage();
    await page.goto(
      `${origin}/?view=measure&device=${c.device}&model=${c.model}&dtype=${c.dtype}&p=${c.p}&g=${c.g}&r=${c.r}`,
    );
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    await page.waitForFunction(() => !document.querySelector('button.primary')?.hasAttribute('disabled'));
    const started = await page.evaluate(() => performance.now());
    await run.click();
    await page
      .getByTestId('run-status')
      .filter({ hasText: /complete|partial|failed/ })
      .waitFor({ timeout: 600_000 });
    const { ended, tasks } = await page.evaluate(() => ({
      ended: performance.now(),
      tasks: window.__longTasks,
    }));
    const during = tasks.filter((t) => t.start >= started && t.start <= ended);
    const longest = Math.max(0, ...during.map((t) => t.duration));
    const blocked = during.reduce((sum, t) => sum + (t.duration - 50), 0);
    log(
      `[ui] ${c.model} ${c.dtype} ${c.device}: ${during.length} long tasks, longest ${longest.toFixed(0)} ms`,
    );
    for (const t of during) {
      log(
        `[ui]   +${(t.start - started).toFixed(0)} ms of ${(ended - started).toFixed(0)}: ${t.duration.toFixed(0)} ms`,
      );
    }
    rows.push(
      `| ${c.model} | ${c.dtype} | ${c.device} | ${c.p} | ${c.g} | ${c.r} | ${((ended - started) / 1000).toFixed(1)} | ${during.length} | ${longest.toFixed(0)} | ${blocked.toFixed(0)} |`,
    );
    await page.close();
  }
  console.log(
    '| model | dtype | device | P | G | R | run s | long tasks (>50 ms) | longest ms | total blocking ms |',
  );
  console.log('| --- | --- | --- | --: | --: | --: | --: | --: | --: | --: |');
  for (const row of rows) console.log(row);
  console.log(
    `\nChromium ${browserVersion}, headless; long tasks observed on the page's main thread during each run.`,
  );
});
