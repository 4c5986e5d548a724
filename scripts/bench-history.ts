/**
 * How long the history takes to open at scale: 1,000 saved runs of 3 repetitions × 256 generated
 * tokens (768 per-token timings each) are written to IndexedDB in headless Chromium, then the
 * Compare page is reloaded and timed: the IndexedDB read (with schema upgrade and validation), the
 * first rows on screen, and frame times while scrolling the whole list.
 *
 * Usage: npm run bench:history  (builds when dist/ is stale, then serves it on a free port, offline)
 *        tsx scripts/bench-history.ts [--runs 1000] [--tokens 256]
 */
import { RUN_SCHEMA_VERSION } from '../app/run/restore.ts';
import { median, percentile } from '../app/run/stats.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { withHarness } from './bench/harness.ts';
import { defaultHarnessOptions } from './bench/plan.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
};
const RUNS = arg('runs', 1000);
const TOKENS = arg('tokens', 256);
const REPS = 3;
const RELOADS = 3;

async function main() {
  await withHarness(defaultHarnessOptions(process.env), async ({ context, origin: base }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    // Records when the list first shows the full count, measured from navigation start.
    await page.addInitScript(`
      new MutationObserver((_, observer) => {
        const h = document.querySelector('section.history h2');
        if (h && h.textContent.includes('(${RUNS.toLocaleString('en')})') && document.querySelector('.history-row')) {
          window.__firstRenderMs = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    `);
    await page.goto(`${base}/?view=compare`);
    await page.waitForSelector('section.history');

    const seedStart = Date.now();
    for (let start = 0; start < RUNS; start += 100) {
      const batch = Array.from({ length: Math.min(100, RUNS - start) }, (_, i) => {
        const n = start + i;
        const run = syntheticRun(n + 1, {
          id: `bench-${n}`,
          modelId: ['tiny-random-llama', 'small-random-llama', 'medium-random-llama'][n % 3],
          dtype: (['fp32', 'fp16', 'q8', 'q4'] as const)[n % 4],
          genTokens: TOKENS,
          reps: REPS,
        });
        return { id: run.id, createdAt: run.createdAt, schemaVersion: RUN_SCHEMA_VERSION, run };
      });
      await page.evaluate(
        (records) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('inference-cost-lab');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('runs', 'readwrite');
              for (const record of records) tx.objectStore('runs').put(record);
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        batch,
      );
    }
    console.log(
      `Seeded ${RUNS} runs × ${REPS} repetitions × ${TOKENS} tokens in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const loads: number[] = [];
    const renders: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      await page.waitForFunction(() => '__firstRenderMs' in window, undefined, { timeout: 60_000 });
      const loadMs = Number(await page.getAttribute('section.history', 'data-load-ms'));
      const firstRenderMs = await page.evaluate(
        () => (window as unknown as { __firstRenderMs: number }).__firstRenderMs,
      );
      loads.push(loadMs);
      renders.push(firstRenderMs);
    }

    // Scroll the whole list in steps, recording every frame's duration.
    // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
    const frames: number[] = await page.evaluate(`(async () => {
      const scroller = document.querySelector('[data-testid="history-scroll"]');
      if (!scroller) throw new Error('history list not found');
      const durations = [];
      let last = performance.now();
      let running = true;
      const tick = (now) => {
        durations.push(now - last);
        last = now;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
        scroller.scrollTop += 400;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      running = false;
      return durations.slice(1);
    })()`);
    const p95 = percentile(frames, 95);
    const long = frames.filter((f) => f > 50).length;

    console.log(
      `History of ${RUNS.toLocaleString('en')} runs (${REPS * TOKENS} per-token timings each), ${RELOADS} reloads:`,
    );
    console.log(
      `  IndexedDB read + upgrade + validation: median ${median(loads).toFixed(0)} ms (${loads.map((v) => v.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  first rows on screen after navigation: median ${median(renders).toFixed(0)} ms (${renders.map((v) => v.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  scrolling all ${RUNS} rows: ${frames.length} frames, median ${median(frames).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, worst ${Math.max(...frames).toFixed(1)} ms, ${long} over 50 ms`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
