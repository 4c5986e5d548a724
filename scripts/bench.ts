/**
 * `npm run bench -- -m <model> [-t dtype] [-d device] [-p P] [-n G] [--npl B] [-r R] [-o md|csv|json]`
 *
 * Runs the lab's own engine (runMeasurement → inference worker, exactly what the Measure page runs) on the
 * production build in headless Chromium, offline, and prints one row per model/dtype/device/P/G/B with
 * median (min–max) over the repetitions. Progress goes to stderr; stdout holds only the results.
 */

// The page's global (app/bench/bench-page.ts declares its type on Window).
import type {} from '../app/bench/bench-page.ts';
import type { CapabilityReport } from '../app/engine/protocol.ts';
import type { RunResult } from '../app/run/run.ts';
import {
  type BenchRecord,
  batchFitLines,
  benchRecord,
  formatCsv,
  formatJson,
  formatMarkdown,
  withBatchFits,
} from './bench/format.ts';
import {
  embeddedModelIds,
  HarnessError,
  log,
  openHarnessPage,
  runCli,
  withHarness,
  withTimeout,
} from './bench/harness.ts';
import { leverLines } from './bench/levers.ts';
import { BENCH_USAGE, type BenchPlan, benchCases, parseBenchArgs } from './bench/plan.ts';

async function bench(plan: BenchPlan): Promise<{ records: BenchRecord[]; runs: RunResult[] }> {
  const cases = benchCases(plan);
  const records: BenchRecord[] = [];
  const runs: RunResult[] = [];
  await withHarness(plan.harness, async ({ context, origin, browserVersion }) => {
    const available = embeddedModelIds(plan.harness.distDir);
    const unknown = cases.find((c) => c.source.kind === 'embedded' && !available.includes(c.source.id));
    if (unknown) {
      throw new HarnessError(
        `-m ${unknown.source.id}: no such embedded model (available: ${available.join(', ')}).`,
      );
    }
    const page = await openHarnessPage(context, `${origin}/bench.html`, 'lab');
    const capabilities = await page
      .evaluate((): Promise<CapabilityReport> | null => window.labBench?.capabilities() ?? null)
      .catch(() => null);
    for (const [i, { settings, source }] of cases.entries()) {
      log(
        `[bench] ${i + 1}/${cases.length}: ${settings.modelId} ${settings.dtype} ${settings.device} P${settings.promptTokens} G${settings.genTokens}${settings.parallelSequences ? ` B${settings.parallelSequences}` : ''} R${settings.reps}`,
      );
      const run = await withTimeout(
        page.evaluate(
          ([s, src]): Promise<RunResult> => {
            const lab = window.labBench;
            if (!lab) throw new Error('bench.html did not set window.labBench');
            return lab.run(s, src);
          },
          [settings, source] as const,
        ),
        plan.harness.caseTimeoutMs,
        `${settings.modelId} ${settings.dtype} ${settings.device}`,
      );
      const record = benchRecord(run, settings.device, { version: browserVersion, capabilities });
      if (record.status !== 'complete') log(`[bench] ${record.status}: ${run.notes.join(' ')}`);
      records.push(record);
      runs.push(run);
    }
  });
  return { records: withBatchFits(records), runs };
}

runCli(parseBenchArgs, BENCH_USAGE, async (plan) => {
  const { records, runs } = await bench(plan);
  const format = { md: formatMarkdown, csv: formatCsv, json: formatJson }[plan.output];
  process.stdout.write(format(records));
  // The levers (prefix-cache saving, prefill linearity, KV slope; the batching curve, which Markdown prints under
  // its table) as sentences: after the table in Markdown, on stderr for CSV and JSON so that stdout stays
  // machine-readable.
  const levers = [...(plan.output === 'md' ? [] : batchFitLines(records)), ...leverLines(runs)];
  if (levers.length > 0)
    (plan.output === 'md' ? process.stdout : process.stderr).write(`\n${levers.join('\n')}\n`);
  return records.every((r) => r.status === 'complete') ? 0 : 1;
});
