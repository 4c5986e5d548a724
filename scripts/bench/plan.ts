/**
 * The bench CLI's arguments, parsed into a plan: which model/dtype/device/P/G combinations to run and how to
 * print them. Pure (no I/O) so it is unit-tested; flag names follow llama-bench (-m, -p, -n, -r, -o), with
 * -t for the weight format and -d for the backend. A flag may repeat or take a comma-separated list; the run
 * is the cross product of all lists, like llama-bench.
 */
import { parseArgs } from 'node:util';
import {
  DEVICES,
  type Device,
  DTYPES,
  type Dtype,
  type ModelSource,
  RUN_LIMITS,
} from '../../app/engine/protocol.ts';
import { cachedTokensFor } from '../../app/run/prefix-saving.ts';
import type { RunSettings } from '../../app/run/run.ts';

export type OutputFormat = 'md' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['md', 'csv', 'json'];

/** When to run `vite build` before benchmarking. */
export type BuildMode = 'auto' | 'always' | 'never';

/** Where and how the browser runs; shared by `bench` and `bench:compare`. */
export interface HarnessOptions {
  /** Chromium binary from --chromium or $CHROMIUM_PATH; null = find one (Playwright's, else /usr/bin/chromium). */
  chromiumPath: string | null;
  /** The production build served to the browser. */
  distDir: string;
  build: BuildMode;
  /** Port for `vite preview`; 0 picks a free one. */
  port: number;
  /** A Hub-compatible host for model ids containing '/'; null = embedded models only (fully offline). */
  hubHost: string | null;
  /** Longest time one measurement may take before the bench gives up on it. */
  caseTimeoutMs: number;
}

export interface BenchPlan {
  models: string[];
  dtypes: Dtype[];
  devices: Device[];
  promptTokens: number[];
  genTokens: number[];
  /** `--npl`: parallel sequences B, each a run of B prompts of P tokens generated together (default [1]). */
  parallelSequences: number[];
  reps: number;
  /**
   * `--prefix`: a prefix-cache sweep, K as percentages of P (0 = the cold prompt, always measured); each P is
   * then measured at every K. Absent: every prompt cold.
   */
  prefixPercents?: number[];
  output: OutputFormat;
  harness: HarnessOptions;
}

/** One row of the result: a single measurement. */
export interface BenchCase {
  settings: RunSettings;
  source: ModelSource;
}

export type ParseOutcome<T> =
  | { kind: 'plan'; plan: T }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const BENCH_USAGE = `usage: npm run bench -- [options]

Runs the lab's inference engine (the same worker the UI uses) on the production build in headless Chromium
and prints one row per model/dtype/device/P/G. Lists (repeat a flag or separate with commas) run the cross product.

  -m, --model <ids>         embedded model id(s) (default tiny-random-llama); ids with '/' need --hub-host
  -t, --dtype <list>        ${DTYPES.join('|')} (default q8)
  -d, --device <list>       ${DEVICES.join('|')} (default wasm)
  -p, --n-prompt <list>     prompt tokens P (default 64)
  -n, --n-gen <list>        generated tokens G, greedy, exactly G per repetition (default 32)
  -r, --repetitions <n>     timed repetitions R after one discarded warm-up (default 3)
      --npl <list>          parallel sequences B (as llama-batched-bench's -npl, e.g. 1,2,4,8): B prompts of
                            P tokens generated together; adds aggregate columns and fits T(B) = S·B / (1 + α(B − 1))
      --prefix <list>       prefix-cache sweep: K as % of P (e.g. 0,25,50,75,90); prints the saving curve
  -o, --output <fmt>        md|csv|json (default md); progress goes to stderr
      --chromium <path>     Chromium binary (default $CHROMIUM_PATH, Playwright's browser, /usr/bin/chromium)
      --dist <dir>          production build to serve (default dist)
      --build | --no-build  always rebuild | never rebuild (default: build when missing or older than app/)
      --port <n>            port for vite preview (default: a free one)
      --hub-host <url>      Hub-compatible host for model ids containing '/' (otherwise nothing leaves the machine)
      --timeout <s>         give up on one measurement after this many seconds (default 600)
  -h, --help`;

const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** Splits repeated and comma-separated values: ['a,b', 'c'] -> ['a', 'b', 'c'], without blanks or duplicates. */
export function splitList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item !== '' && !out.includes(item)) out.push(item);
    }
  }
  return out;
}

function parseInteger(
  text: string,
  flag: string,
  { min, max }: { min: number; max: number },
): number | string {
  if (!/^\d+$/.test(text)) return `${flag} must be a whole number, not "${text}".`;
  const value = Number(text);
  if (value < min || value > max) return `${flag} must be between ${min} and ${max}, not ${value}.`;
  return value;
}

function parseIntegers(
  values: readonly string[] | undefined,
  fallback: number,
  flag: string,
  limits: { min: number; max: number },
): number[] | string {
  const items = splitList(values);
  if (items.length === 0) return [fallback];
  const out: number[] = [];
  for (const item of items) {
    const parsed = parseInteger(item, flag, limits);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

function pickAll<T extends string>(
  values: readonly string[] | undefined,
  allowed: readonly T[],
  fallback: T,
  flag: string,
): T[] | string {
  const items = splitList(values);
  if (items.length === 0) return [fallback];
  const bad = items.find((item) => !(allowed as readonly string[]).includes(item));
  if (bad !== undefined) return `${flag} "${bad}" is unknown (expected ${allowed.join(', ')}).`;
  return items as T[];
}

/** Options every harness-driven script accepts, for `parseArgs`. */
export const HARNESS_ARG_OPTIONS = {
  chromium: { type: 'string' },
  dist: { type: 'string', default: 'dist' },
  build: { type: 'boolean' },
  'no-build': { type: 'boolean' },
  port: { type: 'string', default: '0' },
  'hub-host': { type: 'string' },
  timeout: { type: 'string', default: '600' },
} as const;

/** Reads the harness options shared by `bench` and `bench:compare`. */
export function parseHarness(
  values: {
    chromium?: string | undefined;
    dist?: string | undefined;
    build?: boolean | undefined;
    'no-build'?: boolean | undefined;
    port?: string | undefined;
    'hub-host'?: string | undefined;
    timeout?: string | undefined;
  },
  env: Readonly<Record<string, string | undefined>>,
): HarnessOptions | string {
  if (values.build && values['no-build']) return '--build and --no-build contradict each other.';
  const port = parseInteger(values.port ?? '0', '--port', { min: 0, max: 65_535 });
  if (typeof port === 'string') return port;
  const timeoutS = parseInteger(values.timeout ?? '600', '--timeout', { min: 1, max: 86_400 });
  if (typeof timeoutS === 'string') return timeoutS;
  let hubHost: string | null = null;
  if (values['hub-host'] !== undefined) {
    try {
      const url = new URL(values['hub-host']);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return '--hub-host must be an http(s) URL.';
      hubHost = url.href;
    } catch {
      return `--hub-host "${values['hub-host']}" is not a URL.`;
    }
  }
  const chromium = values.chromium ?? env.CHROMIUM_PATH;
  return {
    chromiumPath: chromium !== undefined && chromium !== '' ? chromium : null,
    distDir: values.dist ?? 'dist',
    build: values.build ? 'always' : values['no-build'] ? 'never' : 'auto',
    port,
    hubHost,
    caseTimeoutMs: timeoutS * 1000,
  };
}

/** Every harness default, for scripts that take no harness flags ($CHROMIUM_PATH still applies). */
export function defaultHarnessOptions(env: Readonly<Record<string, string | undefined>>): HarnessOptions {
  const options = parseHarness({}, env);
  if (typeof options === 'string') throw new Error(options);
  return options;
}

/** Checks model ids: embedded ids are plain names; an id with '/' is a Hub repository and needs a host. */
export function checkModels(models: readonly string[], hubHost: string | null): string | null {
  for (const model of models) {
    if (!MODEL_ID.test(model) || model.length > 200) return `-m "${model}" is not a valid model id.`;
    if (model.includes('/') && hubHost === null) {
      return `-m "${model}" looks like a Hub id: pass --hub-host <url> (the bench is offline otherwise).`;
    }
  }
  return null;
}

/** Where a model id's files come from. */
export function sourceOf(modelId: string, hubHost: string | null): ModelSource {
  return modelId.includes('/') && hubHost !== null
    ? { kind: 'hub', id: modelId, host: hubHost }
    : { kind: 'embedded', id: modelId };
}

const parseBenchFlags = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: false,
    options: {
      model: { type: 'string', short: 'm', multiple: true },
      dtype: { type: 'string', short: 't', multiple: true },
      device: { type: 'string', short: 'd', multiple: true },
      'n-prompt': { type: 'string', short: 'p', multiple: true },
      'n-gen': { type: 'string', short: 'n', multiple: true },
      repetitions: { type: 'string', short: 'r' },
      npl: { type: 'string', multiple: true },
      prefix: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
      ...HARNESS_ARG_OPTIONS,
    },
  });

/** Parses `npm run bench -- …` arguments. Never throws: a bad argument gives a message naming it. */
export function parseBenchArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParseOutcome<BenchPlan> {
  let values: ReturnType<typeof parseBenchFlags>['values'];
  try {
    values = parseBenchFlags([...argv]).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const harness = parseHarness(values, env);
  if (typeof harness === 'string') return { kind: 'error', message: harness };
  const models = splitList(values.model);
  if (models.length === 0) models.push('tiny-random-llama');
  const modelProblem = checkModels(models, harness.hubHost);
  if (modelProblem) return { kind: 'error', message: modelProblem };
  const dtypes = pickAll(values.dtype, DTYPES, 'q8', '-t');
  if (typeof dtypes === 'string') return { kind: 'error', message: dtypes };
  const devices = pickAll(values.device, DEVICES, 'wasm', '-d');
  if (typeof devices === 'string') return { kind: 'error', message: devices };
  const promptTokens = parseIntegers(values['n-prompt'], 64, '-p', RUN_LIMITS.promptTokens);
  if (typeof promptTokens === 'string') return { kind: 'error', message: promptTokens };
  const genTokens = parseIntegers(values['n-gen'], 32, '-n', RUN_LIMITS.genTokens);
  if (typeof genTokens === 'string') return { kind: 'error', message: genTokens };
  const reps = parseInteger(values.repetitions ?? '3', '-r', RUN_LIMITS.reps);
  if (typeof reps === 'string') return { kind: 'error', message: reps };
  const parallelSequences = parseIntegers(values.npl, 1, '--npl', RUN_LIMITS.parallelSequences);
  if (typeof parallelSequences === 'string') return { kind: 'error', message: parallelSequences };
  const prefixPercents =
    values.prefix === undefined
      ? undefined
      : parseIntegers(values.prefix, 0, '--prefix', { min: 0, max: 99 });
  if (typeof prefixPercents === 'string') return { kind: 'error', message: prefixPercents };
  const output = values.output ?? 'md';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    return { kind: 'error', message: `-o "${output}" is unknown (expected ${OUTPUT_FORMATS.join(', ')}).` };
  }
  return {
    kind: 'plan',
    plan: {
      models,
      dtypes,
      devices,
      promptTokens,
      genTokens,
      parallelSequences,
      reps,
      ...(prefixPercents ? { prefixPercents } : {}),
      output: output as OutputFormat,
      harness,
    },
  };
}

/** The cached prefixes K a prompt of P tokens is measured at: cold (0) first, then each share, each K once. */
function cachedPrefixes(percents: readonly number[] | undefined, promptTokens: number): number[] {
  const ks = new Set([0]);
  for (const percent of percents ?? []) ks.add(cachedTokensFor(percent / 100, promptTokens));
  return [...ks].sort((a, b) => a - b);
}

/**
 * The cross product model × dtype × device × P × G × B (× K with --prefix), in that nesting order (model
 * outermost), so consecutive cases share a loaded model whenever they can.
 */
export function benchCases(plan: BenchPlan): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const modelId of plan.models) {
    const source = sourceOf(modelId, plan.harness.hubHost);
    for (const dtype of plan.dtypes) {
      for (const device of plan.devices) {
        for (const promptTokens of plan.promptTokens) {
          for (const genTokens of plan.genTokens) {
            for (const parallelSequences of plan.parallelSequences) {
              for (const cachedPrefixTokens of cachedPrefixes(plan.prefixPercents, promptTokens)) {
                cases.push({
                  source,
                  settings: {
                    modelId,
                    sourceKind: source.kind,
                    dtype,
                    device,
                    promptTokens,
                    genTokens,
                    reps: plan.reps,
                    ...(parallelSequences > 1 ? { parallelSequences } : {}),
                    ...(cachedPrefixTokens > 0 ? { cachedPrefixTokens } : {}),
                  },
                });
              }
            }
          }
        }
      }
    }
  }
  return cases;
}

/** What `npm run bench:compare` runs: one model/dtype/device, both sides, several alternating rounds. */
export interface ComparePlan {
  case: BenchCase;
  rounds: number;
  output: 'md' | 'json';
  harness: HarnessOptions;
}

export const COMPARE_USAGE = `usage: npm run bench:compare -- [options]

Benchmarks the lab's engine against transformers.js used directly (bare.html) in the same browser: same model,
dtype, device, prompt token ids, G greedy tokens, warm-up and repetitions, alternating the order every round.

  -m, --model <id>          embedded model (default small-random-llama)
  -t, --dtype <dtype>       ${DTYPES.join('|')} (default q8)
  -d, --device <device>     ${DEVICES.join('|')} (default wasm)
  -p, --n-prompt <n>        prompt tokens P (default 64)
  -n, --n-gen <n>           generated tokens G (default 64)
  -r, --repetitions <n>     timed repetitions per side per round (default 3)
      --rounds <n>          rounds, each running both sides (default 5)
  -o, --output <fmt>        md|json (default md)
      --chromium, --dist, --build, --no-build, --port, --timeout   as for npm run bench
  -h, --help`;

const parseCompareFlags = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: false,
    options: {
      model: { type: 'string', short: 'm' },
      dtype: { type: 'string', short: 't' },
      device: { type: 'string', short: 'd' },
      'n-prompt': { type: 'string', short: 'p' },
      'n-gen': { type: 'string', short: 'n' },
      repetitions: { type: 'string', short: 'r' },
      rounds: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
      ...HARNESS_ARG_OPTIONS,
    },
  });

/** Parses `npm run bench:compare -- …` arguments. Never throws. */
export function parseCompareArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParseOutcome<ComparePlan> {
  let values: ReturnType<typeof parseCompareFlags>['values'];
  try {
    values = parseCompareFlags([...argv]).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const harness = parseHarness(values, env);
  if (typeof harness === 'string') return { kind: 'error', message: harness };
  if (harness.hubHost !== null)
    return { kind: 'error', message: '--hub-host: the comparison runs embedded models only.' };
  const modelId = values.model ?? 'small-random-llama';
  if (modelId.includes('/'))
    return { kind: 'error', message: `-m "${modelId}": the comparison runs embedded models only.` };
  const modelProblem = checkModels([modelId], null);
  if (modelProblem) return { kind: 'error', message: modelProblem };
  const dtype = values.dtype ?? 'q8';
  if (!(DTYPES as readonly string[]).includes(dtype))
    return { kind: 'error', message: `-t "${dtype}" is unknown.` };
  const device = values.device ?? 'wasm';
  if (!(DEVICES as readonly string[]).includes(device))
    return { kind: 'error', message: `-d "${device}" is unknown.` };
  const promptTokens = parseInteger(values['n-prompt'] ?? '64', '-p', RUN_LIMITS.promptTokens);
  if (typeof promptTokens === 'string') return { kind: 'error', message: promptTokens };
  const genTokens = parseInteger(values['n-gen'] ?? '64', '-n', RUN_LIMITS.genTokens);
  if (typeof genTokens === 'string') return { kind: 'error', message: genTokens };
  const reps = parseInteger(values.repetitions ?? '3', '-r', RUN_LIMITS.reps);
  if (typeof reps === 'string') return { kind: 'error', message: reps };
  const rounds = parseInteger(values.rounds ?? '5', '--rounds', { min: 1, max: 100 });
  if (typeof rounds === 'string') return { kind: 'error', message: rounds };
  const output = values.output ?? 'md';
  if (output !== 'md' && output !== 'json')
    return { kind: 'error', message: `-o "${output}" is unknown (expected md, json).` };
  return {
    kind: 'plan',
    plan: {
      case: {
        source: { kind: 'embedded', id: modelId },
        settings: {
          modelId,
          sourceKind: 'embedded',
          dtype: dtype as Dtype,
          device: device as Device,
          promptTokens,
          genTokens,
          reps,
        },
      },
      rounds,
      output,
      harness,
    },
  };
}
