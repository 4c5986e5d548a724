/**
 * `npm run bench:compare -- [-m small-random-llama] [-t q8] [-d wasm] [-p 64] [-n 64] [-r 3] [--rounds 5]`
 *
 * A benchmark, not a test: how much does the lab's engine (protocol, worker, timing streamer, token events)
 * cost compared with transformers.js used directly? Both run in the same headless Chromium on the same build:
 * the lab through bench.html (runMeasurement, as the UI), the reference through bare.html. Same model, dtype,
 * device, prompt ids, G greedy tokens, warm-up and repetitions; the order alternates every round to cancel drift.
 * Prints the lab's and the bare page's decode tok/s and TTFT and the ratios (targets: decode ≥ 0.97, TTFT ±3%).
 */

// The pages' globals (declared on Window by their entry modules).
import type {} from '../app/bench/bare-page.ts';
import type { BareResult } from '../app/bench/bare-protocol.ts';
import type {} from '../app/bench/bench-page.ts';
import type { RunResult } from '../app/run/run.ts';
import {
  bareRepetitions,
  type CompareRound,
  compareRounds,
  formatCompareMarkdown,
  roundOrder,
  type SideFigures,
  sideFigures,
} from './bench/compare.ts';
import { HarnessError, log, openHarnessPage, runCli, withHarness, withTimeout } from './bench/harness.ts';
import { COMPARE_USAGE, type ComparePlan, parseCompareArgs } from './bench/plan.ts';

async function compare(plan: ComparePlan) {
  const { settings, source } = plan.case;
  return withHarness(plan.harness, async ({ context, origin, browserVersion }) => {
    const labPage = await openHarnessPage(context, `${origin}/bench.html`, 'lab');
    const barePage = await openHarnessPage(context, `${origin}/bare.html`, 'bare');
    let lastLab: RunResult | null = null;

    const runLab = async (): Promise<SideFigures> => {
      const run = await labPage.evaluate(
        ([s, src]): Promise<RunResult> => {
          const lab = window.labBench;
          if (!lab) throw new Error('bench.html did not set window.labBench');
          return lab.run(s, src);
        },
        [settings, source] as const,
      );
      if (run.status !== 'complete') throw new HarnessError(`lab run ${run.status}: ${run.notes.join(' ')}`);
      if (run.env.device !== settings.device)
        throw new HarnessError(`lab ran on ${run.env.device}, not ${settings.device}`);
      lastLab = run;
      const figures = sideFigures(run.repetitions);
      if (!figures) throw new HarnessError('lab run produced no valid repetition');
      return figures;
    };
    const runBare = async (): Promise<SideFigures> => {
      const request = {
        modelId: settings.modelId,
        dtype: settings.dtype,
        device: settings.device,
        promptTokens: settings.promptTokens,
        genTokens: settings.genTokens,
        reps: settings.reps,
      };
      const result = await barePage.evaluate((r): Promise<BareResult> => {
        const bare = window.bareBench;
        if (!bare) throw new Error('bare.html did not set window.bareBench');
        return bare.run(r);
      }, request);
      if (!result.ok) throw new HarnessError(`bare run failed: ${result.message}`);
      const figures = sideFigures(bareRepetitions(result.reps, settings.promptTokens, settings.genTokens));
      if (!figures) throw new HarnessError('bare run produced no valid repetition');
      return figures;
    };

    // Chromium lowers the priority of a renderer whose tab is not in front (nice 5 on Linux, even headless: the
    // main thread only, the workers stay at 0). Bring each side to the front before it runs so neither side's
    // page is handicapped by being the tab opened first.
    const inFront = async (page: typeof labPage) => {
      await page.bringToFront();
      await new Promise((resolve) => setTimeout(resolve, 250));
    };

    const rounds: CompareRound[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      const order = roundOrder(round);
      const figures: Partial<Record<'lab' | 'bare', SideFigures>> = {};
      for (const side of order) {
        await inFront(side === 'lab' ? labPage : barePage);
        figures[side] = await withTimeout(
          side === 'lab' ? runLab() : runBare(),
          plan.harness.caseTimeoutMs,
          `round ${round + 1} ${side}`,
        );
      }
      const { lab, bare } = figures;
      if (!lab || !bare) throw new HarnessError('a side did not run');
      log(
        `[compare] round ${round + 1}/${plan.rounds} (${order.join('→')}): decode lab ${lab.decodeTokPerS.toFixed(1)} / bare ${bare.decodeTokPerS.toFixed(1)} tok/s, ttft lab ${lab.ttftMs.toFixed(2)} / bare ${bare.ttftMs.toFixed(2)} ms`,
      );
      rounds.push({ round, order, lab, bare });
    }
    const env = (lastLab as RunResult | null)?.env;
    const setup = {
      model: settings.modelId,
      dtype: settings.dtype,
      device: settings.device,
      promptTokens: settings.promptTokens,
      genTokens: settings.genTokens,
      reps: settings.reps,
      browser: browserVersion,
      transformersVersion: env?.transformersVersion ?? 'unknown',
      wasmThreads: env?.wasmThreads ?? 0,
    };
    return { setup, rounds, summary: compareRounds(rounds) };
  });
}

runCli(parseCompareArgs, COMPARE_USAGE, async (plan) => {
  const { setup, rounds, summary } = await compare(plan);
  // JSON keeps the figures; the texts and raw ITLs are only needed for the summary.
  const brief = ({ texts: _texts, itlMs: _itlMs, ...figures }: SideFigures) => figures;
  const json = {
    setup,
    rounds: rounds.map((r) => ({ ...r, lab: brief(r.lab), bare: brief(r.bare) })),
    summary,
  };
  process.stdout.write(
    plan.output === 'json'
      ? `${JSON.stringify(json, null, 2)}\n`
      : formatCompareMarkdown(setup, rounds, summary),
  );
  return 0;
});
