/**
 * `npm run bench:steady`'s plan, verdicts and report: does the lab measure a steady engine? Pure, unit-tested;
 * scripts/bench-steady.ts does the browser work.
 *
 * Two checks, each in fresh headless Chromium instances (nothing compiled or cached from an earlier browser):
 * - **repeat**: the same `npm run bench`-style sweep (default small then medium, q8, wasm) in N fresh browsers.
 *   Per model, the N decode medians must lie within `REPEAT_TOLERANCE` (10 %) of each other:
 *   max / min − 1 ≤ 0.10.
 * - **order**: two models swept in both orders (default tiny→medium and medium→tiny), each order in N fresh
 *   browsers, the orders alternating (A→B, B→A, A→B, …) so a drift of the machine touches both alike. Per model,
 *   the median of its N "measured first" medians must lie within the min–max of its N "measured second" medians,
 *   and the other way round: the order of a sweep does not move its result beyond what repeating the same sweep
 *   in a fresh browser moves it.
 *
 *   Why the spread is taken across fresh browsers and not across one run's repetitions: after a steady warm-up
 *   the R repetitions of one run agree within 1–2 %, while the same sweep in another fresh browser lands 5–9 %
 *   away on this 2-core VM (its CPU speed changes in steps). Judged by one run's repetition range, two sweeps in
 *   the SAME order fail each other — that form cannot tell an order effect from a new browser. The issue's
 *   case (the model measured first 2–3× slower) fails either form. The report still prints every run's own
 *   range, and the verdict line gives the size of the order effect beside the browser-to-browser spread.
 */
import { parseArgs } from 'node:util';
import { type Device, DTYPES, type Dtype, RUN_LIMITS } from '../../app/engine/protocol.ts';
import { noiseOf } from '../../app/run/noise.ts';
import type { RunResult } from '../../app/run/run.ts';
import { median, type Spread, summarize } from '../../app/run/stats.ts';
import { fixed2, markdownTable, withSpread } from './format.ts';
import { checkModels, HARNESS_ARG_OPTIONS, type HarnessOptions, parseHarness, splitList } from './plan.ts';

/** Largest acceptable spread of one model's decode medians across fresh browsers: max / min − 1. */
export const REPEAT_TOLERANCE = 0.1;

export type SteadyCheck = 'repeat' | 'order';

export interface SteadyPlan {
  checks: SteadyCheck[];
  /** Models of the repeat check, run in this order in every browser. */
  repeatModels: string[];
  /** Fresh browsers for the repeat check. */
  browsers: number;
  /** The two models of the order check. */
  orderModels: [string, string];
  dtype: Dtype;
  device: Device;
  promptTokens: number;
  genTokens: number;
  reps: number;
  /** Seconds of the machine's memory-bandwidth probe before and after the checks; 0 = none. */
  probeSeconds: number;
  harness: HarnessOptions;
}

export const STEADY_USAGE = `usage: npm run bench:steady -- [options]

Shows whether the lab's protocol measures a steady engine (a benchmark: it prints figures and a verdict per check).
  repeat: the same sweep in N fresh browsers gives decode medians within ${REPEAT_TOLERANCE * 100} % of each other, per model;
  order:  two models swept in both orders, each order in N fresh browsers (alternating), give medians within
          each other's spread across browsers.

      --check <list>        repeat,order (default both)
  -m, --model <list>        models of the repeat check (default small-random-llama,medium-random-llama)
      --browsers <n>        fresh browsers for the repeat check, and per order for the order check (default 3)
      --order <a,b>         the two models of the order check (default tiny-random-llama,medium-random-llama)
  -t, --dtype <dtype>       ${DTYPES.join('|')} (default q8)
  -d, --device <device>     wasm|webgpu (default wasm)
  -p, --n-prompt <n>        prompt tokens P (default 64)
  -n, --n-gen <n>           generated tokens G (default 32)
  -r, --repetitions <n>     timed repetitions per run (default 5)
      --probe <seconds>     how steady the machine's memory bandwidth is, probed before and after the checks
                            (default 20; 0 = skip): decode cannot repeat better than the machine does
      --chromium, --dist, --build, --no-build, --port, --timeout   as for npm run bench
  -h, --help`;

const parseSteadyFlags = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: false,
    options: {
      check: { type: 'string', multiple: true },
      model: { type: 'string', short: 'm', multiple: true },
      browsers: { type: 'string' },
      order: { type: 'string', multiple: true },
      dtype: { type: 'string', short: 't' },
      device: { type: 'string', short: 'd' },
      'n-prompt': { type: 'string', short: 'p' },
      'n-gen': { type: 'string', short: 'n' },
      repetitions: { type: 'string', short: 'r' },
      probe: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...HARNESS_ARG_OPTIONS,
    },
  });

function whole(text: string, flag: string, { min, max }: { min: number; max: number }): number | string {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min && value <= max
    ? value
    : `${flag} must be a whole number from ${min} to ${max}, not "${text}".`;
}

export type SteadyParse =
  | { kind: 'plan'; plan: SteadyPlan }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** Parses `npm run bench:steady -- …` arguments. Never throws: a bad argument gives a message naming it. */
export function parseSteadyArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): SteadyParse {
  let values: ReturnType<typeof parseSteadyFlags>['values'];
  try {
    values = parseSteadyFlags([...argv]).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const harness = parseHarness(values, env);
  if (typeof harness === 'string') return { kind: 'error', message: harness };
  const checkNames = splitList(values.check);
  const checks: SteadyCheck[] = [];
  for (const name of checkNames.length === 0 ? ['repeat', 'order'] : checkNames) {
    if (name !== 'repeat' && name !== 'order')
      return { kind: 'error', message: `--check "${name}" is unknown (expected repeat, order).` };
    checks.push(name);
  }
  const repeatModels = splitList(values.model);
  if (repeatModels.length === 0) repeatModels.push('small-random-llama', 'medium-random-llama');
  const order = splitList(values.order);
  if (order.length === 0) order.push('tiny-random-llama', 'medium-random-llama');
  const [first, second] = order;
  if (order.length !== 2 || first === undefined || second === undefined)
    return {
      kind: 'error',
      message: '--order takes exactly two different models, e.g. --order tiny,medium.',
    };
  const modelProblem = checkModels([...repeatModels, ...order], null);
  if (modelProblem) return { kind: 'error', message: modelProblem };
  if ([...repeatModels, ...order].some((m) => m.includes('/')))
    return { kind: 'error', message: 'bench:steady runs embedded models only.' };
  const dtype = values.dtype ?? 'q8';
  if (!(DTYPES as readonly string[]).includes(dtype))
    return { kind: 'error', message: `-t "${dtype}" is unknown.` };
  const device = values.device ?? 'wasm';
  if (device !== 'wasm' && device !== 'webgpu')
    return { kind: 'error', message: `-d "${device}" is unknown (expected wasm, webgpu).` };
  const browsers = whole(values.browsers ?? '3', '--browsers', { min: 2, max: 20 });
  if (typeof browsers === 'string') return { kind: 'error', message: browsers };
  const promptTokens = whole(values['n-prompt'] ?? '64', '-p', RUN_LIMITS.promptTokens);
  if (typeof promptTokens === 'string') return { kind: 'error', message: promptTokens };
  const genTokens = whole(values['n-gen'] ?? '32', '-n', RUN_LIMITS.genTokens);
  if (typeof genTokens === 'string') return { kind: 'error', message: genTokens };
  // Two repetitions at least: the order check needs a spread.
  const reps = whole(values.repetitions ?? '5', '-r', { min: 2, max: RUN_LIMITS.reps.max });
  if (typeof reps === 'string') return { kind: 'error', message: reps };
  const probeSeconds = whole(values.probe ?? '20', '--probe', { min: 0, max: 300 });
  if (typeof probeSeconds === 'string') return { kind: 'error', message: probeSeconds };
  return {
    kind: 'plan',
    plan: {
      checks,
      repeatModels,
      browsers,
      orderModels: [first, second],
      dtype: dtype as Dtype,
      device,
      promptTokens,
      genTokens,
      reps,
      probeSeconds,
      harness,
    },
  };
}

/** One measured run as the checks see it: the model, its decode tok/s spread, and how its warm-up went. */
export interface SteadyRun {
  model: string;
  /** Which fresh browser (0-based) and the run's position in that browser's sweep (0 = measured first). */
  browser: number;
  position: number;
  decodeTokPerS: Spread | null;
  /** The run's median time to first token: the same prefill each time, so a change says the machine changed. */
  ttftMs: number | null;
  /** Why the lab flagged the run noisy (run/noise.ts), in short; '' when it did not. */
  noise: string;
  status: RunResult['status'];
  /** The run's warm-up, in words (from the run's notes/fields); '' when the run says nothing. */
  warmup: string;
}

/** A run's noise flag in short, as the lab reports it (run/noise.ts): "drift −31 %", "CV 7.2 %"; '' when steady. */
export function noiseText(run: RunResult): string {
  const report = noiseOf(run.repetitions);
  const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)} %`;
  return report.reasons
    .map((reason) => {
      switch (reason.kind) {
        case 'spread':
          return `CV ${(reason.decodeCv * 100).toFixed(1)} %`;
        case 'drift':
          return `drift ${pct(reason.change)}`;
        case 'pressure':
          return `CPU pressure ${reason.worst}`;
        default:
          return reason satisfies never;
      }
    })
    .join(', ');
}

/** A measured run as the checks see it: its decode spread and TTFT (one summary), noise flag and warm-up. */
export function steadyRunOf(
  run: RunResult,
  where: Pick<SteadyRun, 'model' | 'browser' | 'position'>,
): SteadyRun {
  const summary = summarize(run.repetitions);
  return {
    ...where,
    decodeTokPerS: summary?.decodeTokPerS ?? null,
    ttftMs: summary?.ttftMs.median ?? null,
    noise: noiseText(run),
    status: run.status,
    warmup: warmupText(run),
  };
}

/** A run's warm-up in words, for the report: "9 gen, 288 tok, 2.1 s, steady" or "… NOT steady". */
export function warmupText(run: RunResult): string {
  const seconds = run.warmupMs === null ? '—' : `${(run.warmupMs / 1000).toFixed(1)} s`;
  if (run.warmup === null) return seconds;
  const { windows, tokens, steady } = run.warmup;
  return `${windows} gen, ${tokens} tok, ${seconds}, ${steady ? 'steady' : 'NOT steady'}`;
}

export interface RepeatVerdict {
  model: string;
  medians: number[];
  /** max / min − 1 of the medians; NaN when a browser measured nothing. */
  relativeSpread: number;
  pass: boolean;
  /**
   * The same over the runs the lab did not flag noisy, for the reader (the verdict counts every run): how far
   * apart the runs the lab itself vouched for landed. NaN with fewer than two such runs.
   */
  quietSpread: number;
  quietRuns: number;
}

/** max / min − 1 of at least two finite, positive values; NaN otherwise. */
function relativeSpreadOf(values: readonly number[]): number {
  const lo = Math.min(...values);
  return values.length >= 2 && values.every(Number.isFinite) && lo > 0
    ? Math.max(...values) / lo - 1
    : Number.NaN;
}

/** Per model: are its decode medians across fresh browsers within `tolerance` of each other (max / min − 1)? */
export function repeatVerdicts(runs: readonly SteadyRun[], tolerance = REPEAT_TOLERANCE): RepeatVerdict[] {
  const models = [...new Set(runs.map((r) => r.model))];
  return models.map((model) => {
    const mine = runs.filter((r) => r.model === model);
    const medians = mine.map((r) => r.decodeTokPerS?.median ?? Number.NaN);
    const relativeSpread = relativeSpreadOf(medians);
    const quiet = mine.filter((r) => r.noise === '').map((r) => r.decodeTokPerS?.median ?? Number.NaN);
    return {
      model,
      medians,
      relativeSpread,
      pass: relativeSpread <= tolerance,
      quietSpread: relativeSpreadOf(quiet),
      quietRuns: quiet.length,
    };
  });
}

export interface OrderVerdict {
  model: string;
  /** The model's decode medians, one per fresh browser, when its sweep started with it / when measured second. */
  first: number[];
  second: number[];
  /** median(first) / median(second) − 1: the order effect; NaN when a browser measured nothing. */
  orderEffect: number;
  /** The larger of the two groups' max / min − 1: how far the same order moves between fresh browsers. */
  browserSpread: number;
  pass: boolean;
}

/**
 * Per model of the order check: the median of its "measured first" medians lies within the min–max of its
 * "measured second" medians, and the other way round (each group one median per fresh browser).
 */
export function orderVerdicts(runs: readonly SteadyRun[], models: readonly [string, string]): OrderVerdict[] {
  return models.map((model) => {
    const medians = (position: number) =>
      runs
        .filter((r) => r.model === model && r.position === position)
        .map((r) => r.decodeTokPerS?.median ?? Number.NaN);
    const first = medians(0);
    const second = medians(1);
    const measured = first.length >= 1 && second.length >= 1 && [...first, ...second].every(Number.isFinite);
    if (!measured)
      return { model, first, second, orderEffect: Number.NaN, browserSpread: Number.NaN, pass: false };
    const inside = (value: number, values: number[]) =>
      value >= Math.min(...values) && value <= Math.max(...values);
    return {
      model,
      first,
      second,
      orderEffect: median(first) / median(second) - 1,
      browserSpread: Math.max(relativeSpreadOf(first), relativeSpreadOf(second)),
      pass: inside(median(first), second) && inside(median(second), first),
    };
  });
}

const spreadText = (s: Spread | null) => (s === null ? '—' : withSpread(s.median, s.min, s.max));

/** One row per run: its browser (and sweep position), model, decode spread, TTFT, warm-up, noise flag, status. */
function runsTable(runs: readonly SteadyRun[], withPosition: boolean): string {
  const position = (r: SteadyRun) => (withPosition ? [String(r.position + 1)] : []);
  return markdownTable(
    [
      'browser',
      ...(withPosition ? ['sweep position'] : []),
      'model',
      'decode tok/s median (min–max)',
      'TTFT ms',
      'warm-up',
      'noisy',
      'status',
    ],
    runs.map((r) => [
      String(r.browser + 1),
      ...position(r),
      r.model,
      spreadText(r.decodeTokPerS),
      r.ttftMs === null ? '—' : fixed2(r.ttftMs),
      r.warmup,
      r.noise || 'no',
      r.status,
    ]),
    [true, ...(withPosition ? [true] : []), false, true, true, false, false, false],
  );
}

/** The repeat check's report: one row per run, then one verdict line per model. */
export function formatRepeat(runs: readonly SteadyRun[], verdicts: readonly RepeatVerdict[]): string {
  const table = runsTable(runs, false);
  const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');
  const lines = verdicts.map(
    (v) =>
      `- ${v.pass ? 'PASS' : 'FAIL'} ${v.model}: medians ${v.medians.map(fixed2).join(', ')} tok/s differ by ${percent(v.relativeSpread)} (max/min − 1; limit ${REPEAT_TOLERANCE * 100} %)` +
      (v.quietRuns < v.medians.length
        ? `; the ${v.quietRuns} run${v.quietRuns === 1 ? '' : 's'} the lab did not flag noisy differ by ${percent(v.quietSpread)}`
        : ''),
  );
  return `### repeat: the same sweep in fresh browsers\n\n${table}\n\n${lines.join('\n')}\n`;
}

/** The order check's report: one row per run, then one verdict line per model. */
export function formatOrder(runs: readonly SteadyRun[], verdicts: readonly OrderVerdict[]): string {
  const table = runsTable(runs, true);
  const percent = (x: number) =>
    Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : 'n/a';
  const lines = verdicts.map(
    (v) =>
      `- ${v.pass ? 'PASS' : 'FAIL'} ${v.model}: measured first ${v.first.map(fixed2).join(', ')}, measured second ${v.second.map(fixed2).join(', ')} tok/s — order effect ${percent(v.orderEffect)} (median first / median second − 1), same order across fresh browsers up to ${percent(v.browserSpread).replace('+', '')} (each group's median must lie in the other group's range)`,
  );
  return `### order: the sweep in both orders, each in ${Math.max(...verdicts.map((v) => v.first.length))} fresh browsers\n\n${table}\n\n${lines.join('\n')}\n`;
}
