/**
 * `npm run bench:steady`'s plan, verdicts and report: does the lab measure a steady engine? Pure, unit-tested;
 * scripts/bench-steady.ts does the browser work.
 *
 * Two checks, each in fresh headless Chromium instances (nothing compiled or cached from an earlier browser):
 * - **repeat**: the same `npm run bench`-style sweep (default small then medium, q8, wasm) in N fresh browsers.
 *   Per model, the N decode medians must lie within `REPEAT_TOLERANCE` (10 %) of each other:
 *   max / min − 1 ≤ 0.10.
 * - **order**: two models swept in both orders, each order in its own fresh browser (default tiny→medium and
 *   medium→tiny). Per model, each order's decode median must lie within the other order's min–max over its
 *   repetitions: the order of a sweep does not change its results.
 */
import { parseArgs } from 'node:util';
import { type Device, DTYPES, type Dtype, RUN_LIMITS } from '../../app/engine/protocol.ts';
import type { RunResult } from '../../app/run/run.ts';
import { type Spread, summarize } from '../../app/run/stats.ts';
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
  harness: HarnessOptions;
}

export const STEADY_USAGE = `usage: npm run bench:steady -- [options]

Shows whether the lab's protocol measures a steady engine (a benchmark: it prints figures and a verdict per check).
  repeat: the same sweep in N fresh browsers gives decode medians within ${REPEAT_TOLERANCE * 100} % of each other, per model;
  order:  two models swept in both orders (a fresh browser each) give medians within each other's spread.

      --check <list>        repeat,order (default both)
  -m, --model <list>        models of the repeat check (default small-random-llama,medium-random-llama)
      --browsers <n>        fresh browsers for the repeat check (default 3)
      --order <a,b>         the two models of the order check (default tiny-random-llama,medium-random-llama)
  -t, --dtype <dtype>       ${DTYPES.join('|')} (default q8)
  -d, --device <device>     wasm|webgpu (default wasm)
  -p, --n-prompt <n>        prompt tokens P (default 64)
  -n, --n-gen <n>           generated tokens G (default 32)
  -r, --repetitions <n>     timed repetitions per run (default 5)
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
  status: RunResult['status'];
  /** The run's warm-up, in words (from the run's notes/fields); '' when the run says nothing. */
  warmup: string;
}

/** A run's decode tok/s spread over its valid repetitions; null when none is valid. */
export const decodeSpread = (run: RunResult): Spread | null =>
  summarize(run.repetitions)?.decodeTokPerS ?? null;

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
}

/** Per model: are its decode medians across fresh browsers within `tolerance` of each other (max / min − 1)? */
export function repeatVerdicts(runs: readonly SteadyRun[], tolerance = REPEAT_TOLERANCE): RepeatVerdict[] {
  const models = [...new Set(runs.map((r) => r.model))];
  return models.map((model) => {
    const mine = runs.filter((r) => r.model === model);
    const medians = mine.map((r) => r.decodeTokPerS?.median ?? Number.NaN);
    const measured = medians.every(Number.isFinite) && medians.length >= 2;
    const lo = Math.min(...medians);
    const hi = Math.max(...medians);
    const relativeSpread = measured && lo > 0 ? hi / lo - 1 : Number.NaN;
    return { model, medians, relativeSpread, pass: relativeSpread <= tolerance };
  });
}

export interface OrderVerdict {
  model: string;
  /** Measured first (its sweep started with it) and measured second. */
  first: Spread | null;
  second: Spread | null;
  pass: boolean;
}

const within = (value: number, range: Spread) => value >= range.min && value <= range.max;

/**
 * Per model of the order check: its decode median when measured first lies within its min–max when measured
 * second, and the other way round.
 */
export function orderVerdicts(runs: readonly SteadyRun[], models: readonly [string, string]): OrderVerdict[] {
  return models.map((model) => {
    const first = runs.find((r) => r.model === model && r.position === 0)?.decodeTokPerS ?? null;
    const second = runs.find((r) => r.model === model && r.position === 1)?.decodeTokPerS ?? null;
    const pass =
      first !== null && second !== null && within(first.median, second) && within(second.median, first);
    return { model, first, second, pass };
  });
}

const spreadText = (s: Spread | null) => (s === null ? '—' : withSpread(s.median, s.min, s.max));

/** The repeat check's report: one row per run, then one verdict line per model. */
export function formatRepeat(runs: readonly SteadyRun[], verdicts: readonly RepeatVerdict[]): string {
  const table = markdownTable(
    ['browser', 'model', 'decode tok/s median (min–max)', 'warm-up', 'status'],
    runs.map((r) => [String(r.browser + 1), r.model, spreadText(r.decodeTokPerS), r.warmup, r.status]),
    [true, false, true, false, false],
  );
  const lines = verdicts.map(
    (v) =>
      `- ${v.pass ? 'PASS' : 'FAIL'} ${v.model}: medians ${v.medians.map(fixed2).join(', ')} tok/s differ by ${Number.isFinite(v.relativeSpread) ? `${(v.relativeSpread * 100).toFixed(1)} %` : 'n/a'} (max/min − 1; limit ${REPEAT_TOLERANCE * 100} %)`,
  );
  return `### repeat: the same sweep in fresh browsers\n\n${table}\n\n${lines.join('\n')}\n`;
}

/** The order check's report: one row per run, then one verdict line per model. */
export function formatOrder(runs: readonly SteadyRun[], verdicts: readonly OrderVerdict[]): string {
  const table = markdownTable(
    ['browser', 'sweep position', 'model', 'decode tok/s median (min–max)', 'warm-up', 'status'],
    runs.map((r) => [
      String(r.browser + 1),
      String(r.position + 1),
      r.model,
      spreadText(r.decodeTokPerS),
      r.warmup,
      r.status,
    ]),
    [true, true, false, true, false, false],
  );
  const lines = verdicts.map(
    (v) =>
      `- ${v.pass ? 'PASS' : 'FAIL'} ${v.model}: measured first ${spreadText(v.first)}, measured second ${spreadText(v.second)} tok/s (each median must lie in the other's range)`,
  );
  return `### order: the sweep in both orders\n\n${table}\n\n${lines.join('\n')}\n`;
}
