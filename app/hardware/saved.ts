/**
 * Saved microbenchmark results: a versioned payload in localStorage, one suite per device stamp, read back through
 * a parser so a stale or tampered entry can never break the page. Kept apart from microbench.ts so the worker
 * bundle does not carry the schema library.
 */
import { z } from 'zod';
import type { MicrobenchSuite } from './microbench.ts';

export const STORAGE_KEY = 'inference-cost-lab.hardware.microbench';
const STORAGE_VERSION = 1;
/** Devices remembered; the oldest is dropped beyond this. */
const MAX_DEVICES = 8;

const benchIdSchema = z.enum([
  'gpu-read',
  'gpu-copy',
  'gpu-matmul-f32',
  'gpu-matmul-f16',
  'cpu-read',
  'cpu-copy',
  'cpu-matmul-f32',
]);
const positive = z.number().positive().finite();
const resultSchema = z.discriminatedUnion('status', [
  z.object({
    id: benchIdSchema,
    status: z.literal('ok'),
    value: positive,
    unit: z.enum(['GB/s', 'GFLOP/s']),
    timing: z.enum(['timestamp-query', 'wall-clock']),
    samples: z.array(positive),
    spreadPct: z.number().nonnegative().finite(),
    reps: z.number().int().nonnegative(),
    stable: z.boolean(),
    work: z.string(),
    note: z.string().nullable(),
  }),
  z.object({ id: benchIdSchema, status: z.enum(['skipped', 'failed']), reason: z.string() }),
]);
const adapterSchema = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  isFallbackAdapter: z.boolean(),
  features: z.array(z.string()),
});
const suiteSchema = z.object({
  stamp: z.string(),
  deviceLabel: z.string(),
  adapter: adapterSchema.nullable(),
  webgpuUnavailableReason: z.string().nullable(),
  measuredAt: z.string(),
  totalMs: z.number().nonnegative().finite(),
  complete: z.boolean(),
  results: z.array(resultSchema),
});
const savedSchema = z.object({ version: z.literal(STORAGE_VERSION), suites: z.array(suiteSchema) });

export interface SavedMicrobench {
  version: typeof STORAGE_VERSION;
  suites: MicrobenchSuite[];
}

/**
 * Reads saved results from their serialised form. Anything unreadable, or from an unknown version, restores to
 * an empty list: the worst case is measuring again, never a broken page.
 */
export function restoreSaved(raw: string | null): SavedMicrobench {
  const empty: SavedMicrobench = { version: STORAGE_VERSION, suites: [] };
  if (raw === null) return empty;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return empty;
  }
  const parsed = savedSchema.safeParse(json);
  return parsed.success ? parsed.data : empty;
}

/** Adds or replaces the suite for its device, newest first, keeping at most MAX_DEVICES. */
export function withSuite(saved: SavedMicrobench, suite: MicrobenchSuite): SavedMicrobench {
  return {
    version: STORAGE_VERSION,
    suites: [suite, ...saved.suites.filter((s) => s.stamp !== suite.stamp)].slice(0, MAX_DEVICES),
  };
}
