/**
 * The one zod schema of a RunResult, shared by history (IndexedDB), file imports and result links.
 * Everything that arrives from outside the running page (a saved record, a file, a link) goes through
 * `parseRunResult` before the lab looks at it, so a bad value is an error message, never a crash.
 */
import { z } from 'zod';
import { PRESSURE_STATES } from '../engine/pressure.ts';
import { DEVICES, DTYPES, ERROR_CODES } from '../engine/protocol.ts';
import { clipForMessage } from '../ui/quote.ts';
import { isDisplayName } from './display-name.ts';
import { RUN_STATUSES, type RunResult, type RunSettings, SOURCE_KINDS } from './run.ts';

/** Generous bounds: a value beyond them is corruption, not a measurement. */
const LIMITS = {
  text: 20_000,
  name: 200,
  tags: 50,
  notes: 50,
  reps: 1_000,
  tokens: 100_000,
  sequences: 4_096,
} as const;

const finite = z.number().finite();
const nonNegative = finite.min(0);
const count = z.number().int().min(0);

/** From the lists that define the Device, Dtype and ErrorCode unions: a new value is readable the day it is added. */
export const DEVICE_SCHEMA = z.enum(DEVICES);
export const DTYPE_SCHEMA = z.enum(DTYPES);
export const ERROR_CODE_SCHEMA = z.enum(ERROR_CODES);

export const RUN_SETTINGS_SCHEMA = z.object({
  modelId: z.string().min(1).max(300),
  sourceKind: z.enum(SOURCE_KINDS),
  dtype: DTYPE_SCHEMA,
  device: DEVICE_SCHEMA,
  promptTokens: count.min(1).max(1_000_000),
  genTokens: count.min(1).max(1_000_000),
  reps: count.min(1).max(LIMITS.reps),
  /** Optional: runs and links from before batching are single-sequence (B = 1) without a version step. */
  parallelSequences: count.min(1).max(LIMITS.sequences).optional(),
  /** Optional: runs and links from before prefix caching were cold (K = 0) without a version step. */
  cachedPrefixTokens: count.max(1_000_000).optional(),
}) satisfies z.ZodType<RunSettings>;

export const ADAPTER_SCHEMA = z.object({
  vendor: z.string().max(500),
  architecture: z.string().max(500),
  device: z.string().max(500),
  description: z.string().max(500),
  isFallbackAdapter: z.boolean(),
  features: z.array(z.string().max(200)).max(200),
  limits: z.record(z.string().max(200), finite),
});

export const ENVIRONMENT_SCHEMA = z.object({
  userAgent: z.string().max(1_000),
  transformersVersion: z.string().max(100),
  onnxruntimeVersion: z.string().max(100),
  device: DEVICE_SCHEMA,
  adapter: ADAPTER_SCHEMA.nullable(),
  crossOriginIsolated: z.boolean(),
  wasmThreads: count.max(1_024),
  hardwareConcurrency: count.max(4_096),
  /** NaN (null in JSON) when the run failed before the capabilities were known. */
  timerResolutionMs: z.union([nonNegative, z.nan(), z.null()]).transform((v) => v ?? Number.NaN),
});

export const REPETITION_SCHEMA = z.object({
  rep: count,
  promptTokens: count,
  ttftMs: nonNegative,
  e2eMs: nonNegative,
  tokenTimesMs: z.array(nonNegative).max(LIMITS.tokens),
  startEpochMs: finite,
  endEpochMs: finite,
  text: z.string().max(LIMITS.text * 10),
  partial: z.boolean(),
  hidden: z.boolean(),
  /** Optional, so records from before it was recorded stay readable without a version step. */
  pressure: z.enum(PRESSURE_STATES).nullable().optional(),
});

export const WARMUP_SCHEMA = z.object({
  windows: count.max(100_000),
  tokens: count.max(1e9),
  steady: z.boolean(),
  reason: z.string().max(500),
});

export const FIRST_REQUEST_SCHEMA = z.object({
  promptTokens: count.max(1_000_000),
  generatedTokens: count.max(1_000_000),
  ttftMs: nonNegative,
  e2eMs: nonNegative,
});

/** A display name (run/display-name.ts): trimmed, 1 to 40 characters, no markup or invisible characters. */
export const PARTICIPANT_SCHEMA = z
  .string()
  .max(200)
  .refine(isDisplayName, 'not a display name (1 to 40 characters, no < > or invisible characters)');

/** A SHA-256 digest in lowercase hex. */
export const SHA256_SCHEMA = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 digest');

const bytesOrNull = nonNegative.max(2 ** 53).nullable();

/** Optional on a run, so records from before memory was measured stay readable without a version step. */
export const RUN_MEMORY_SCHEMA = z.object({
  weightBytes: bytesOrNull,
  kvCacheBytes: bytesOrNull,
  kvCacheTokens: count.max(10_000_000).nullable(),
  gpuBufferBytes: bytesOrNull,
  gpuPeakBufferBytes: bytesOrNull,
  heapBytes: bytesOrNull,
});

export const RUN_RESULT_SCHEMA = z.object({
  id: z.string().min(1).max(100),
  createdAt: z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  name: z.string().max(LIMITS.name),
  tags: z.array(z.string().max(60)).max(LIMITS.tags),
  settings: RUN_SETTINGS_SCHEMA,
  env: ENVIRONMENT_SCHEMA,
  load: z.object({ ms: nonNegative, fromCache: z.boolean(), downloadedBytes: nonNegative }),
  warmupMs: nonNegative.nullable(),
  /** Null (the default) for runs and links from before the warm-up was recorded. */
  warmup: WARMUP_SCHEMA.nullable().default(null),
  firstRequest: FIRST_REQUEST_SCHEMA.nullable().default(null),
  repetitions: z.array(REPETITION_SCHEMA).max(LIMITS.reps),
  status: z.enum(RUN_STATUSES),
  notes: z.array(z.string().max(2_000)).max(LIMITS.notes),
  error: z
    .object({
      code: ERROR_CODE_SCHEMA,
      message: z.string().max(2_000),
    })
    .optional(),
  memory: RUN_MEMORY_SCHEMA.optional(),
  /** Optional (schema 4): a display name as checkDisplayName keeps it, so a board never shows markup. */
  participant: PARTICIPANT_SCHEMA.optional(),
  weightSha256: SHA256_SCHEMA.optional(),
  /** Any text here: it is checked (https, or http on loopback) only when something would fetch from it. */
  hubHost: z.string().min(1).max(300).optional(),
});

/**
 * Parses a value into a RunResult. The `Ms` brand of protocol.ts cannot be expressed in zod, so
 * the validated plain numbers are re-typed here, once, after every field has been checked.
 */
export function parseRunResult(value: unknown): { ok: true; run: RunResult } | { ok: false; error: string } {
  const parsed = RUN_RESULT_SCHEMA.safeParse(value);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  return { ok: true, run: parsed.data as RunResult };
}

/**
 * A short, human-readable account of what failed validation: the first few paths and messages, each
 * key and message clipped (a path can hold a key of any length from the input).
 */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map((key) => clipForMessage(key, 40)).join('.');
    const message = clipForMessage(issue.message, 200);
    return path ? `${path}: ${message}` : message;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}

/**
 * Marks a run whose per-token timings were left out of a result link: TTFT, TPOT and the rates
 * are exact, but inter-token latency percentiles cannot be recovered and are not shown.
 */
export const SUMMARY_ONLY_NOTE =
  'Shared without per-token timings: inter-token latency percentiles are not available.';

export const isSummaryOnly = (run: RunResult): boolean => run.notes.includes(SUMMARY_ONLY_NOTE);
