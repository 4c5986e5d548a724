/**
 * `npm run bench:steady -- [--check repeat,order] [--browsers 3] [-r 5]`
 *
 * A benchmark, not a test: does the lab's protocol (warm-up until steady, then R repetitions) measure a steady
 * engine? Each sweep runs in a fresh headless Chromium (new process, nothing compiled or cached), exactly as
 * `npm run bench` does, and the report prints every run's decode median with its spread, its warm-up, and a
 * PASS/FAIL verdict per model and check (scripts/bench/steady.ts says what each check demands).
 * Progress goes to stderr; stdout holds the report. Exit code 0 when every verdict passes.
 */

import { availableParallelism } from 'node:os';
// The page's global (app/bench/bench-page.ts declares its type on Window).
import type {} from '../app/bench/bench-page.ts';
import { defaultWasmThreads } from '../app/engine/protocol.ts';
import type { RunResult, RunSettings } from '../app/run/run.ts';
import { log, openHarnessPage, runCli, withHarness, withTimeout } from './bench/harness.ts';
import { probeCopyMs, steadinessOf, steadinessText } from './bench/machine-steadiness.ts';
import {
  formatOrder,
  formatRepeat,
  orderVerdicts,
  parseSteadyArgs,
  repeatVerdicts,
  STEADY_USAGE,
  type SteadyPlan,
  type SteadyRun,
  steadyRunOf,
} from './bench/steady.ts';

/** One fresh browser measuring `models` in order; returns one SteadyRun per model. */
async function sweepInFreshBrowser(plan: SteadyPlan, models: readonly string[], browser: number) {
  return withHarness(plan.harness, async ({ context, origin }) => {
    const page = await openHarnessPage(context, `${origin}/bench.html`, 'lab');
    const runs: SteadyRun[] = [];
    for (const [position, modelId] of models.entries()) {
      const settings: RunSettings = {
        modelId,
        sourceKind: 'embedded',
        dtype: plan.dtype,
        device: plan.device,
        promptTokens: plan.promptTokens,
        genTokens: plan.genTokens,
        reps: plan.reps,
      };
      log(`[steady] browser ${browser + 1}: ${position + 1}/${models.length} ${modelId}`);
      const run = await withTimeout(
        page.evaluate(
          ([s, id]): Promise<RunResult> => {
            const lab = window.labBench;
            if (!lab) throw new Error('bench.html did not set window.labBench');
            return lab.run(s, { kind: 'embedded', id });
          },
          [settings, modelId] as const,
        ),
        plan.harness.caseTimeoutMs,
        `${modelId} ${plan.dtype} ${plan.device}`,
      );
      if (run.status !== 'complete') log(`[steady] ${modelId} ${run.status}: ${run.notes.join(' ')}`);
      runs.push(steadyRunOf(run, { model: modelId, browser, position }));
    }
    return runs;
  });
}

/** The machine's memory-bandwidth steadiness, one report line (nothing with --probe 0). */
async function probeMachine(plan: SteadyPlan, when: string): Promise<string> {
  if (plan.probeSeconds === 0) return '';
  // As many threads as the lab's WASM engine computes with on this machine.
  const threads = defaultWasmThreads(availableParallelism());
  log(`[steady] probing memory bandwidth ${when} for ${plan.probeSeconds} s …`);
  const copyMs = await probeCopyMs(plan.probeSeconds, threads);
  return `- Machine ${when}: ${steadinessText(steadinessOf(copyMs), plan.probeSeconds, threads)}\n`;
}

runCli(parseSteadyArgs, STEADY_USAGE, async (plan: SteadyPlan) => {
  const startedAt = Date.now();
  let pass = true;
  process.stdout.write(
    `## bench:steady — ${plan.dtype} ${plan.device}, P${plan.promptTokens} G${plan.genTokens} R${plan.reps}\n\n`,
  );
  const before = await probeMachine(plan, 'before the checks');
  if (plan.checks.includes('repeat')) {
    const runs: SteadyRun[] = [];
    for (let browser = 0; browser < plan.browsers; browser++)
      runs.push(...(await sweepInFreshBrowser(plan, plan.repeatModels, browser)));
    const verdicts = repeatVerdicts(runs);
    pass &&= verdicts.every((v) => v.pass);
    process.stdout.write(`${formatRepeat(runs, verdicts)}\n`);
  }
  if (plan.checks.includes('order')) {
    const [a, b] = plan.orderModels;
    // Alternating A→B, B→A, …: a drift of the machine during the check touches both orders alike.
    const runs: SteadyRun[] = [];
    for (let browser = 0; browser < 2 * plan.browsers; browser++)
      runs.push(...(await sweepInFreshBrowser(plan, browser % 2 === 0 ? [a, b] : [b, a], browser)));
    const verdicts = orderVerdicts(runs, plan.orderModels);
    pass &&= verdicts.every((v) => v.pass);
    process.stdout.write(`${formatOrder(runs, verdicts)}\n`);
  }
  const after = await probeMachine(plan, 'after the checks');
  if (before || after) process.stdout.write(`### the machine\n\n${before}${after}\n`);
  process.stdout.write(
    `${pass ? 'All checks passed' : 'Some checks FAILED'} (${((Date.now() - startedAt) / 1000).toFixed(0)} s).\n`,
  );
  return pass ? 0 : 1;
});
