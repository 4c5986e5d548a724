/**
 * The scenario a user builds on the cost page: the inputs as typed (a draft of strings, so a bad value
 * stays on screen with its message), their validation into a `Scenario` of numbers, and the versioned
 * URL form (`?cost=…`) that a reload or a copied link restores. Decoding never throws.
 */
import { z } from 'zod';
import { HOME_ELECTRICITY_USD_PER_KWH, LAPTOP_POWER_W } from '../run/hourly-cost.ts';
import { clipForMessage } from '../ui/quote.ts';
import { DEFAULT_GPU_ID, findGpu, typicalUsdPerHour } from './gpus.ts';
import { DAYS_PER_MONTH, maxBatch, type OptionKind, type Scenario } from './model.ts';
import { DEFAULT_PRICE_ROW } from './prices.ts';
import { type OptionModel, QUALITY_TIERS, REQUIRED_TIERS, type RequiredTier } from './verdict.ts';

export type FieldGroup = 'workload' | 'api' | 'selfHosted' | 'browser';

export interface FieldSpec {
  label: string;
  /** Shown after the label, e.g. "$ per 1M tokens". */
  unit: string;
  group: FieldGroup;
  /**
   * The smallest value that still describes something physical (inclusive). Below it a price divides
   * by next to nothing and overflows, so such values are refused rather than priced as $0 or Infinity.
   */
  min: number;
  /** When true, zero and below are refused with `whyNotZero` (e.g. a speed of 0). */
  minExclusive?: boolean;
  max: number;
  integer?: boolean;
  /** Typed as a percentage 0–100, used as a share 0–1. */
  percent?: boolean;
  default: number;
  /** Said when the value is 0 and `minExclusive`: why zero makes no sense here. */
  whyNotZero?: string;
  /** Said when the value is above 0 but below `min`: why so small a value is not physical. */
  whyMin?: string;
}

const SLOWEST_TOK_PER_S = 0.01;
const TOO_SLOW = 'Slower than one token in 100 s is not a working model.';

const gpu0 = findGpu(DEFAULT_GPU_ID);

export const FIELDS = {
  requests: {
    label: 'Requests',
    unit: 'per day or month',
    group: 'workload',
    min: 0.01,
    minExclusive: true,
    max: 1e11,
    default: 10_000,
    whyNotZero: 'With no requests there is nothing to price.',
    whyMin: 'Less traffic than that is none to price.',
  },
  inputTokens: {
    label: 'Input tokens per request',
    unit: 'tokens, mean',
    group: 'workload',
    min: 1,
    max: 10_000_000,
    default: 1500,
  },
  outputTokens: {
    label: 'Output tokens per request',
    unit: 'tokens, mean',
    group: 'workload',
    min: 1,
    max: 1_000_000,
    default: 300,
  },
  promptCachePct: {
    label: 'Prompt cache hit rate',
    unit: '% of input tokens',
    group: 'workload',
    min: 0,
    max: 100,
    percent: true,
    default: 0,
  },
  responseCachePct: {
    label: 'Response cache hit rate',
    unit: '% of requests',
    group: 'workload',
    min: 0,
    max: 100,
    percent: true,
    default: 0,
  },
  routingPct: {
    label: 'Routed to a smaller model',
    unit: '% of requests',
    group: 'workload',
    min: 0,
    max: 100,
    percent: true,
    default: 0,
  },
  smallTierCostPct: {
    label: 'Smaller model costs',
    unit: '% of the main model per token',
    group: 'workload',
    min: 0,
    max: 100,
    percent: true,
    default: 20,
  },
  latencyTargetS: {
    label: 'Latency target',
    unit: 's for a whole request, at most',
    group: 'workload',
    min: 0.01,
    minExclusive: true,
    max: 100_000,
    default: 10,
    whyNotZero: 'No option answers in no time; enter the longest a request may take.',
    whyMin: 'No model answers a request in under 10 ms.',
  },
  blendRatio: {
    label: 'Blended price mix',
    unit: 'input tokens per output token',
    group: 'workload',
    min: 0,
    max: 1000,
    default: 3,
  },
  apiInput: {
    label: 'Input price',
    unit: '$ per 1M tokens',
    group: 'api',
    min: 0,
    max: 10_000,
    default: DEFAULT_PRICE_ROW.inputUsdPer1M,
  },
  apiCachedInput: {
    label: 'Cached input price',
    unit: '$ per 1M tokens',
    group: 'api',
    min: 0,
    max: 10_000,
    default: DEFAULT_PRICE_ROW.cachedInputUsdPer1M,
  },
  apiOutput: {
    label: 'Output price',
    unit: '$ per 1M tokens',
    group: 'api',
    min: 0,
    max: 10_000,
    default: DEFAULT_PRICE_ROW.outputUsdPer1M,
  },
  apiTtftS: {
    label: 'Time to first token',
    unit: 's, from your logs or the provider’s dashboard',
    group: 'api',
    min: 0,
    max: 1000,
    default: 0.6,
  },
  apiOutputTokPerS: {
    label: 'Output speed',
    unit: 'tokens/s once it streams',
    group: 'api',
    min: SLOWEST_TOK_PER_S,
    minExclusive: true,
    max: 1_000_000,
    default: 80,
    whyNotZero: 'At 0 tokens/s the API never answers.',
    whyMin: TOO_SLOW,
  },
  gpuUsdPerHour: {
    label: 'GPU price',
    unit: '$ per hour',
    group: 'selfHosted',
    min: 0.001,
    minExclusive: true,
    max: 1000,
    default: gpu0 ? typicalUsdPerHour(gpu0) : 3,
    whyNotZero: 'A free GPU makes every option look the same; enter what an hour costs you.',
    whyMin: 'No GPU rents for less than a tenth of a cent an hour.',
  },
  utilisationPct: {
    label: 'Utilisation',
    unit: '% of paid hours doing work',
    group: 'selfHosted',
    min: 0.1,
    minExclusive: true,
    max: 100,
    percent: true,
    default: 60,
    whyNotZero: 'A GPU that never works serves no tokens, so each token would cost infinitely much.',
    whyMin: 'A GPU idle 999 hours in 1000 is better priced as GPUs always on.',
  },
  gpuPrefillTokPerS: {
    label: 'Prefill speed, one request',
    unit: 'tokens/s',
    group: 'selfHosted',
    min: SLOWEST_TOK_PER_S,
    minExclusive: true,
    max: 10_000_000,
    default: 8000,
    whyNotZero: 'At 0 tokens/s no prompt is ever read.',
    whyMin: TOO_SLOW,
  },
  gpuDecodeTokPerS: {
    label: 'Decode speed, one request',
    unit: 'tokens/s',
    group: 'selfHosted',
    min: SLOWEST_TOK_PER_S,
    minExclusive: true,
    max: 1_000_000,
    default: 120,
    whyNotZero: 'At 0 tokens/s no answer is ever written.',
    whyMin: TOO_SLOW,
  },
  concurrency: {
    label: 'Concurrent requests (batch size)',
    unit: 'requests',
    group: 'selfHosted',
    min: 1,
    max: 4096,
    integer: true,
    default: 32,
  },
  prefixSavingPct: {
    label: 'Prefill a cache hit saves',
    unit: "% of a cached token's prefill",
    group: 'selfHosted',
    min: 0,
    max: 100,
    percent: true,
    default: 100,
  },
  batchSlowdown: {
    label: 'Batching slowdown α',
    unit: '0 = perfect scaling, 1 = no gain',
    group: 'selfHosted',
    min: 0,
    max: 1,
    default: 0.03,
  },
  gpuMemoryGb: {
    label: 'GPU memory',
    unit: 'GB',
    group: 'selfHosted',
    min: 0.1,
    minExclusive: true,
    max: 10_000,
    default: gpu0?.memoryGb ?? 80,
    whyNotZero: 'A GPU without memory cannot hold a model.',
    whyMin: 'No GPU that serves a model has less than 100 MB.',
  },
  weightsGb: {
    label: 'Model weights',
    unit: 'GB (8B params at 16-bit ≈ 16 GB)',
    group: 'selfHosted',
    min: 0.001,
    minExclusive: true,
    max: 10_000,
    default: 16,
    whyNotZero: 'A model has weights; enter their size in GB.',
    whyMin: 'Even a toy model has a megabyte of weights.',
  },
  kvCacheGb: {
    label: 'KV cache per request',
    unit: 'GB at full context',
    group: 'selfHosted',
    min: 0.000_001,
    minExclusive: true,
    max: 10_000,
    default: 0.5,
    whyNotZero: 'Every request needs some KV cache.',
    whyMin: 'One token of KV cache alone takes more than a kilobyte.',
  },
  gpuPowerW: {
    label: 'GPU power draw',
    unit: 'W',
    group: 'selfHosted',
    min: 0,
    max: 100_000,
    default: gpu0?.tdpW ?? 700,
  },
  pue: { label: 'PUE', unit: 'facility / IT power, ≥ 1', group: 'selfHosted', min: 1, max: 5, default: 1.2 },
  electricityUsdPerKwh: {
    label: 'Electricity price',
    unit: '$ per kWh',
    group: 'selfHosted',
    min: 0,
    max: 10,
    default: 0.12,
  },
  minGpus: {
    label: 'GPUs always on',
    unit: 'minimum fleet',
    group: 'selfHosted',
    min: 0,
    max: 100_000,
    integer: true,
    default: 1,
  },
  deviceSharePct: {
    label: "Users' devices that can run it",
    unit: '% of users',
    group: 'browser',
    min: 0,
    max: 100,
    percent: true,
    default: 40,
  },
  devicePowerW: {
    label: 'Device power while generating',
    unit: 'W',
    group: 'browser',
    min: 0,
    max: 2000,
    default: LAPTOP_POWER_W,
  },
  browserPrefillTokPerS: {
    label: 'Prefill speed in the browser',
    unit: 'tokens/s',
    group: 'browser',
    min: SLOWEST_TOK_PER_S,
    minExclusive: true,
    max: 10_000_000,
    default: 300,
    whyNotZero: 'At 0 tokens/s the device never reads the prompt.',
    whyMin: TOO_SLOW,
  },
  browserDecodeTokPerS: {
    label: 'Decode speed in the browser',
    unit: 'tokens/s',
    group: 'browser',
    min: SLOWEST_TOK_PER_S,
    minExclusive: true,
    max: 1_000_000,
    default: 20,
    whyNotZero: 'At 0 tokens/s the device never writes an answer.',
    whyMin: TOO_SLOW,
  },
  userElectricityUsdPerKwh: {
    label: "Users' electricity price",
    unit: '$ per kWh',
    group: 'browser',
    min: 0,
    max: 10,
    default: HOME_ELECTRICITY_USD_PER_KWH,
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];
export const fieldSpec = (key: FieldKey): FieldSpec => FIELDS[key];

export type VolumeUnit = 'day' | 'month';

export interface CustomPriceRow {
  name: string;
  inputUsdPer1M: number;
  cachedInputUsdPer1M: number;
  outputUsdPer1M: number;
}

/** The page's state as the user typed it. */
export interface ScenarioDraft {
  fields: Record<FieldKey, string>;
  volumeUnit: VolumeUnit;
  /** Price-table row the API prices were taken from (`custom/<n>` for a custom row). */
  apiRowId: string;
  gpuId: string;
  powerIncludedInPrice: boolean;
  customRows: CustomPriceRow[];
  /** Option shown in the detail charts. */
  focus: OptionKind;
  /** The model each option prices, with its quality tier. */
  models: Record<OptionKind, OptionModel>;
  /** The quality an option must have to be the answer. */
  requiredTier: RequiredTier;
  /** The server benchmark the self-hosted speeds were imported from; null when typed or from a preset. */
  serverSource: ServerSource | null;
}

/** Where imported self-hosted figures came from, and the speeds it set (to tell when they were typed over). */
export interface ServerSource {
  /** "vLLM benchmark_serving · results.json · Llama-3.1-8B · H100 · concurrency 16". */
  text: string;
  /** The file's name ("pasted text" for a paste): what the answer line names. */
  file: string;
  /** How the figures were read from it: lengths, batch sizes, which statistic. */
  detail: string;
  /** The prefill and decode fields as the import set them. */
  prefill: string;
  decode: string;
}

/** What each option prices before the user says otherwise. */
export const defaultModels = (): Record<OptionKind, OptionModel> => ({
  api: { name: `${DEFAULT_PRICE_ROW.provider} · ${DEFAULT_PRICE_ROW.model}`, tier: 'unstated' },
  selfHosted: { name: 'an 8B model at 16-bit (the default figures)', tier: 'medium' },
  browser: { name: 'typed speeds (no run chosen)', tier: 'unstated' },
});

export const defaultFields = (): Record<FieldKey, string> =>
  Object.fromEntries(FIELD_KEYS.map((k) => [k, String(FIELDS[k].default)])) as Record<FieldKey, string>;

export const defaultDraft = (): ScenarioDraft => ({
  fields: defaultFields(),
  volumeUnit: 'day',
  apiRowId: DEFAULT_PRICE_ROW.id,
  gpuId: DEFAULT_GPU_ID,
  powerIncludedInPrice: true,
  customRows: [],
  focus: 'api',
  models: defaultModels(),
  requiredTier: 'any',
  serverSource: null,
});

const fmtLimit = (n: number): string => n.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/**
 * One typed value to a number, or the message to show under the field. Accepts thousands separators
 * ("10,000") and exponents ("1e6").
 */
export function parseField(key: FieldKey, raw: string): { value: number } | { error: string } {
  const spec: FieldSpec = FIELDS[key];
  const text = raw
    .trim()
    .replace(/[,_\s]/g, '')
    .replace(/%$/, '');
  if (text === '') return { error: 'Enter a number.' };
  const n = Number(text);
  if (Number.isNaN(n)) return { error: 'That is not a number: type digits, like 1500.' };
  if (!Number.isFinite(n) || n > spec.max) {
    return { error: `That is too large: at most ${fmtLimit(spec.max)}${spec.percent ? ' %' : ''}.` };
  }
  if (n < 0 && spec.min >= 0) return { error: 'Must not be negative.' };
  const unit = spec.percent ? ' %' : '';
  if (spec.minExclusive && n <= 0) {
    return { error: `Must be more than 0${unit}. ${spec.whyNotZero ?? ''}`.trim() };
  }
  if (n < spec.min)
    return { error: `Must be at least ${fmtLimit(spec.min)}${unit}. ${spec.whyMin ?? ''}`.trim() };
  if (spec.integer && !Number.isInteger(n)) return { error: 'Must be a whole number.' };
  return { value: spec.percent ? n / 100 : n };
}

export interface Validation {
  /** Null while any field is invalid. */
  scenario: Scenario | null;
  errors: Partial<Record<FieldKey, string>>;
}

/** All fields to a `Scenario`, or the messages that say what to fix. Checks across fields too (the model must fit). */
export function validateDraft(d: ScenarioDraft): Validation {
  const errors: Partial<Record<FieldKey, string>> = {};
  const v = {} as Record<FieldKey, number>;
  for (const key of FIELD_KEYS) {
    const r = parseField(key, d.fields[key] ?? '');
    if ('error' in r) errors[key] = r.error;
    else v[key] = r.value;
  }
  if (errors.gpuMemoryGb === undefined && errors.weightsGb === undefined && v.weightsGb >= v.gpuMemoryGb) {
    errors.weightsGb = `The weights (${fmtLimit(v.weightsGb)} GB) do not fit in the GPU's ${fmtLimit(v.gpuMemoryGb)} GB: pick a bigger GPU or a smaller / more quantized model.`;
  }
  if (
    errors.gpuMemoryGb === undefined &&
    errors.weightsGb === undefined &&
    errors.kvCacheGb === undefined &&
    maxBatch(v.gpuMemoryGb, v.weightsGb, v.kvCacheGb) < 1
  ) {
    errors.kvCacheGb = `One request's KV cache does not fit in the ${fmtLimit(v.gpuMemoryGb - v.weightsGb)} GB left after the weights.`;
  }
  if (Object.keys(errors).length > 0) return { scenario: null, errors };
  return {
    errors,
    scenario: {
      workload: {
        requestsPerDay: d.volumeUnit === 'month' ? v.requests / DAYS_PER_MONTH : v.requests,
        inputTokensPerRequest: v.inputTokens,
        outputTokensPerRequest: v.outputTokens,
        promptCacheShare: v.promptCachePct,
        responseCacheShare: v.responseCachePct,
        routingShare: v.routingPct,
        smallTierCostRatio: v.smallTierCostPct,
      },
      blendInputPerOutput: v.blendRatio,
      api: {
        inputUsdPer1M: v.apiInput,
        cachedInputUsdPer1M: v.apiCachedInput,
        outputUsdPer1M: v.apiOutput,
        ttftS: v.apiTtftS,
        outputTokPerS: v.apiOutputTokPerS,
      },
      selfHosted: {
        gpuUsdPerHour: v.gpuUsdPerHour,
        utilisation: v.utilisationPct,
        prefillTokPerS: v.gpuPrefillTokPerS,
        decodeTokPerS: v.gpuDecodeTokPerS,
        concurrency: v.concurrency,
        batchSlowdown: v.batchSlowdown,
        prefixCacheSaving: v.prefixSavingPct,
        gpuMemoryGb: v.gpuMemoryGb,
        weightsGb: v.weightsGb,
        kvCacheGbPerSequence: v.kvCacheGb,
        powerW: v.gpuPowerW,
        pue: v.pue,
        electricityUsdPerKwh: v.electricityUsdPerKwh,
        powerIncludedInPrice: d.powerIncludedInPrice,
        minGpus: v.minGpus,
      },
      browser: {
        deviceShare: v.deviceSharePct,
        devicePowerW: v.devicePowerW,
        prefillTokPerS: v.browserPrefillTokPerS,
        decodeTokPerS: v.browserDecodeTokPerS,
        electricityUsdPerKwh: v.userElectricityUsdPerKwh,
      },
    },
  };
}

/** Why a custom price row cannot be added, or null when it can. */
export function customRowError(row: {
  name: string;
  input: string;
  cachedInput: string;
  output: string;
}): string | null {
  if (row.name.trim() === '') return 'Give the row a name.';
  const prices = [
    ['Input', row.input],
    ['Cached input', row.cachedInput],
    ['Output', row.output],
  ] as const;
  for (const [label, raw] of prices) {
    if (label === 'Cached input' && raw.trim() === '') continue;
    const r = parseField('apiInput', raw);
    if ('error' in r) return `${label} price: ${r.error}`;
  }
  return null;
}

// ------------------------------------------------------------------ URL form

/** The URL query parameter that carries the scenario (next to `view=cost`). */
export const URL_PARAM = 'cost';
const MAX_CUSTOM_ROWS = 20;
const MAX_FIELD_CHARS = 40;

const fieldText = z.union([z.string(), z.number()]).transform((x) => String(x).slice(0, MAX_FIELD_CHARS));
const finitePrice = z.number().finite().min(0).max(10_000);
const MAX_SOURCE_CHARS = 400;
const modelPart = z.object({ n: z.string().max(160), t: z.enum(QUALITY_TIERS) });

/** The format `encodeScenario` writes. */
export const SCENARIO_URL_VERSION = 1;

/**
 * The parts of the URL payload (v1): only what differs from the defaults, in short keys. Each part is
 * read on its own, so one bad part falls back to its default, is named in a note, and the rest survives.
 */
const PARTS = {
  f: z.record(z.string(), fieldText),
  u: z.enum(['day', 'month']),
  api: z.string().max(200),
  gpu: z.string().max(100),
  pw: z.boolean(),
  cr: z
    .array(
      z.object({
        name: z.string().min(1).max(80),
        in: finitePrice,
        cin: finitePrice,
        out: finitePrice,
      }),
    )
    .max(MAX_CUSTOM_ROWS),
  fo: z.enum(['api', 'selfHosted', 'browser']),
  m: z
    .object({
      api: modelPart,
      selfHosted: modelPart,
      browser: modelPart,
    })
    .partial(),
  q: z.enum(REQUIRED_TIERS),
  sb: z
    .object({
      text: z.string().max(MAX_SOURCE_CHARS),
      file: z.string().max(MAX_SOURCE_CHARS),
      detail: z.string().max(MAX_SOURCE_CHARS),
      prefill: fieldText,
      decode: fieldText,
    })
    .nullable(),
};
type Parts = { [K in keyof typeof PARTS]: z.infer<(typeof PARTS)[K]> };
type Payload = { v: number } & Parts;

/** What a note calls each part. */
const PART_NAMES: Record<keyof Parts, string> = {
  f: 'the input values',
  u: 'per day or per month',
  api: 'the API price row',
  gpu: 'the GPU',
  pw: 'whether power is in the GPU price',
  cr: 'your custom price rows',
  fo: 'the option the detail charts show',
  m: 'which model each option prices',
  q: 'the quality you need',
  sb: 'where the self-hosted figures came from',
};

/**
 * Steps that turn a payload of version n into version n + 1, applied in turn up to
 * SCENARIO_URL_VERSION. A format change adds its step here, so older links keep opening.
 */
const UPGRADES: Record<number, (payload: Record<string, unknown>) => Record<string, unknown>> = {};

/** The `cost=` value for a draft: compact JSON of what differs from the defaults. */
export function encodeScenario(d: ScenarioDraft): string {
  const defaults = defaultFields();
  const f: Record<string, string> = {};
  for (const key of FIELD_KEYS) if (d.fields[key] !== defaults[key]) f[key] = d.fields[key];
  const payload: z.input<z.ZodObject<typeof PARTS>> & { v: number } = {
    v: SCENARIO_URL_VERSION,
    f,
    u: d.volumeUnit,
    api: d.apiRowId,
    gpu: d.gpuId,
    pw: d.powerIncludedInPrice,
    cr: d.customRows.map((r) => ({
      name: r.name,
      in: r.inputUsdPer1M,
      cin: r.cachedInputUsdPer1M,
      out: r.outputUsdPer1M,
    })),
    fo: d.focus,
    m: {
      api: { n: d.models.api.name, t: d.models.api.tier },
      selfHosted: { n: d.models.selfHosted.name, t: d.models.selfHosted.tier },
      browser: { n: d.models.browser.name, t: d.models.browser.tier },
    },
    q: d.requiredTier,
    sb: d.serverSource,
  };
  return JSON.stringify(payload);
}

/** A draft read from a URL, with what could not be read from it, in words for the user. */
export interface ReadScenario {
  draft: ScenarioDraft;
  /** Empty when everything in the URL was read as it was written. */
  notes: string[];
}

const names = (keys: readonly string[]): string =>
  keys
    .slice(0, 5)
    .map((k) => `"${clipForMessage(k, 30)}"`)
    .join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');

/**
 * Brings a parsed payload to the current version: older versions through UPGRADES; a newer one is
 * read for the parts this version knows (said in a note, since their meaning may have changed).
 */
function upgradePayload(json: Record<string, unknown>, notes: string[]): Record<string, unknown> {
  const version = json.v;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    notes.push(
      'The cost scenario in this link has no format version this page knows; what could be read was read, the rest is at its defaults.',
    );
    return json;
  }
  if (version > SCENARIO_URL_VERSION) {
    const unknown = Object.keys(json).filter((k) => k !== 'v' && !(k in PARTS));
    notes.push(
      `The cost scenario in this link was made by a newer version of the lab (format v${version}; this page reads up to v${SCENARIO_URL_VERSION}). The settings this page knows were read: check them, or reload to get the latest version.${unknown.length > 0 ? ` Not read: ${names(unknown)}.` : ''}`,
    );
    return json;
  }
  let payload = json;
  for (let v = version; v < SCENARIO_URL_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) {
      notes.push(
        `The cost scenario in this link is in format v${v}, which this page can no longer read: the defaults are shown.`,
      );
      return { v: SCENARIO_URL_VERSION };
    }
    payload = step(payload);
  }
  return payload;
}

/**
 * A draft from a `cost=` value, and notes on what could not be read: the defaults for a missing value;
 * for an unreadable, unknown-version or partly bad one, whatever could be read plus a note saying what
 * was not. Never throws: a URL is user input.
 */
export function readScenario(param: string | null): ReadScenario {
  const base = defaultDraft();
  if (param === null || param.length === 0) return { draft: base, notes: [] };
  const unreadable = (why: string): ReadScenario => ({
    draft: base,
    notes: [`The cost scenario in this link could not be read (${why}): the defaults are shown.`],
  });
  if (param.length > 20_000) return unreadable('it is too long');
  let json: unknown;
  try {
    json = JSON.parse(param);
  } catch {
    return unreadable('it was cut short or changed');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return unreadable('it is not a scenario');
  const notes: string[] = [];
  const payload = upgradePayload(json as Record<string, unknown>, notes);
  const p: Payload = {
    v: SCENARIO_URL_VERSION,
    f: {},
    u: base.volumeUnit,
    api: base.apiRowId,
    gpu: base.gpuId,
    pw: base.powerIncludedInPrice,
    cr: [],
    fo: base.focus,
    m: {},
    q: base.requiredTier,
    sb: null,
  };
  const failed: string[] = [];
  for (const key of Object.keys(PARTS) as (keyof Parts)[]) {
    if (payload[key] === undefined) continue;
    const parsed = PARTS[key].safeParse(payload[key]);
    if (parsed.success) Object.assign(p, { [key]: parsed.data });
    else failed.push(PART_NAMES[key]);
  }
  if (!findGpu(p.gpu)) {
    failed.push(PART_NAMES.gpu);
    p.gpu = base.gpuId;
  }
  const fields = { ...base.fields };
  const unknownFields: string[] = [];
  for (const [key, value] of Object.entries(p.f)) {
    if ((FIELD_KEYS as string[]).includes(key)) fields[key as FieldKey] = value;
    else unknownFields.push(key);
  }
  if (failed.length > 0) notes.push(`Not read from the link, so at the default: ${failed.join(', ')}.`);
  if (unknownFields.length > 0)
    notes.push(`Inputs this page does not have were left out: ${names(unknownFields)}.`);
  return {
    notes,
    draft: {
      fields,
      volumeUnit: p.u,
      apiRowId: p.api,
      gpuId: p.gpu,
      powerIncludedInPrice: p.pw,
      customRows: p.cr.map((r) => ({
        name: r.name,
        inputUsdPer1M: r.in,
        cachedInputUsdPer1M: r.cin,
        outputUsdPer1M: r.out,
      })),
      focus: p.fo,
      models: {
        api: p.m.api ? { name: p.m.api.n, tier: p.m.api.t } : base.models.api,
        selfHosted: p.m.selfHosted
          ? { name: p.m.selfHosted.n, tier: p.m.selfHosted.t }
          : base.models.selfHosted,
        browser: p.m.browser ? { name: p.m.browser.n, tier: p.m.browser.t } : base.models.browser,
      },
      requiredTier: p.q,
      serverSource: p.sb,
    },
  };
}

/** The draft of a `cost=` value (see readScenario; this drops the notes). */
export const decodeScenario = (param: string | null): ScenarioDraft => readScenario(param).draft;

/** Reads the draft, and notes on what could not be read, from a full query string (`location.search`). */
export const scenarioFromSearch = (search: string): ReadScenario => {
  try {
    return readScenario(new URLSearchParams(search).get(URL_PARAM));
  } catch {
    return {
      draft: defaultDraft(),
      notes: ['The cost scenario in this link could not be read: the defaults are shown.'],
    };
  }
};

/** Reads the draft from a full query string (`location.search`). */
export const draftFromSearch = (search: string): ScenarioDraft => scenarioFromSearch(search).draft;
