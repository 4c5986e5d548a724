/**
 * Device microbenchmarks: what they measure, the worker protocol, the sampling rules, and the saved format.
 * Shared by the page and microbench.worker.ts, so nothing here touches DOM- or worker-only APIs.
 */
import type { AdapterReport } from '../engine/protocol.ts';
import { maxOf, median, minOf } from '../run/stats.ts';

export type BenchBackend = 'webgpu' | 'wasm';
export type BenchId =
  | 'gpu-read'
  | 'gpu-copy'
  | 'gpu-matmul-f32'
  | 'gpu-matmul-f16'
  | 'cpu-read'
  | 'cpu-copy'
  | 'cpu-matmul-f32';
export type BenchUnit = 'GB/s' | 'GFLOP/s';
export type TimingMethod = 'timestamp-query' | 'wall-clock';

export interface BenchSpec {
  backend: BenchBackend;
  kind: 'bandwidth' | 'compute';
  unit: BenchUnit;
  label: string;
  /** What exactly is timed, so the user knows what the number means. */
  measures: string;
}

export const BENCHES: Record<BenchId, BenchSpec> = {
  'cpu-read': {
    backend: 'wasm',
    kind: 'bandwidth',
    unit: 'GB/s',
    label: 'CPU streaming read',
    measures: 'WASM SIMD loop summing a 256 MiB buffer with 128-bit loads, one thread (bytes read / time).',
  },
  'cpu-copy': {
    backend: 'wasm',
    kind: 'bandwidth',
    unit: 'GB/s',
    label: 'CPU copy',
    measures: 'WASM memory.copy of 128 MiB, one thread (bytes read + written / time).',
  },
  'cpu-matmul-f32': {
    backend: 'wasm',
    kind: 'compute',
    unit: 'GFLOP/s',
    label: 'CPU matmul f32',
    measures:
      'Square f32 matmul in plain JavaScript, one thread (2N³ / time). ONNX Runtime’s WASM kernels add SIMD and threads, so treat this as a lower bound.',
  },
  'gpu-read': {
    backend: 'webgpu',
    kind: 'bandwidth',
    unit: 'GB/s',
    label: 'GPU streaming read',
    measures: 'WGSL kernel summing a storage buffer with vec4<f32> loads (bytes read / time).',
  },
  'gpu-copy': {
    backend: 'webgpu',
    kind: 'bandwidth',
    unit: 'GB/s',
    label: 'GPU copy',
    measures:
      'WGSL kernel copying one storage buffer to another with vec4<f32> loads and stores (bytes read + written / time).',
  },
  'gpu-matmul-f32': {
    backend: 'webgpu',
    kind: 'compute',
    unit: 'GFLOP/s',
    label: 'GPU matmul f32',
    measures:
      'Tiled WGSL matmul, 64×64 tiles, 4×4 outputs per thread (2N³ / time): a practical ceiling, below the vendor peak.',
  },
  'gpu-matmul-f16': {
    backend: 'webgpu',
    kind: 'compute',
    unit: 'GFLOP/s',
    label: 'GPU matmul f16',
    measures: 'The same tiled matmul in f16 (needs the shader-f16 feature).',
  },
};

export const BENCH_ORDER: readonly BenchId[] = [
  'cpu-read',
  'cpu-copy',
  'cpu-matmul-f32',
  'gpu-read',
  'gpu-copy',
  'gpu-matmul-f32',
  'gpu-matmul-f16',
];

/** Whole-suite time bound: the worker plans within it; the page terminates the worker when it is exceeded. */
export const SUITE_BUDGET_MS = 15_000;
/** The share of the bound the worker plans to use, leaving room for start-up and the last sample. */
export const SUITE_PLAN_MS = 11_500;

export type BenchResult =
  | {
      id: BenchId;
      status: 'ok';
      /** Median of the final window of samples, in `unit`. */
      value: number;
      unit: BenchUnit;
      timing: TimingMethod;
      /** Per-sample figures of the final window, in `unit`. */
      samples: number[];
      /** (max − min) / median of the final window, percent. */
      spreadPct: number;
      /** Timed samples taken (after the discarded warm-up). */
      reps: number;
      stable: boolean;
      /** The calibrated work of one sample, e.g. "64 MiB × 3" or "N = 512". */
      work: string;
      note: string | null;
    }
  | { id: BenchId; status: 'skipped' | 'failed'; reason: string };

/** The GPU adapter the suite ran on, as saved with its results: the lab's adapter report without its limits. */
export type AdapterSummary = Omit<AdapterReport, 'limits'>;

/** The adapter report without its limits, as saved with microbenchmark results. */
export const adapterSummary = ({ limits: _limits, ...summary }: AdapterReport): AdapterSummary => summary;

// ---------------------------------------------------------------- worker protocol

export type MicrobenchRequest =
  | { type: 'run'; id: number; planMs: number; backends: BenchBackend[] }
  /** Stops run `id` at its next sample; it sends nothing more. A new run stops the one in flight the same way. */
  | { type: 'cancel'; id: number };

export type MicrobenchEvent =
  | { type: 'started'; id: number; adapter: AdapterSummary | null; webgpuUnavailableReason: string | null }
  | { type: 'progress'; id: number; bench: BenchId; phase: 'calibrating' | 'sampling' }
  | { type: 'result'; id: number; result: BenchResult }
  | { type: 'done'; id: number; totalMs: number }
  | { type: 'error'; id: number; message: string };

// ---------------------------------------------------------------- sampling rules

export interface SamplingRules {
  /** Samples always taken (after the warm-up), unless the deadline comes first. */
  minReps: number;
  maxReps: number;
  /** Samples the stability test looks at. */
  window: number;
  /** Stable when (max − min) / median of the window is at most this. */
  tolerance: number;
}

export const DEFAULT_RULES: SamplingRules = { minReps: 5, maxReps: 25, window: 5, tolerance: 0.05 };

/** Relative spread (max − min) / median; NaN when empty, Infinity when the median is 0. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const m = median(values);
  return (maxOf(values) - minOf(values)) / Math.abs(m);
}

/** The last `window` samples are within `tolerance` of each other (relative to their median). */
export const isStable = (samples: readonly number[], rules: SamplingRules): boolean =>
  samples.length >= Math.max(rules.minReps, rules.window) &&
  relativeSpread(samples.slice(-rules.window)) <= rules.tolerance;

export interface SampledFigure {
  value: number;
  samples: number[];
  spreadPct: number;
  reps: number;
  stable: boolean;
  /** The deadline cut sampling short. */
  hitDeadline: boolean;
}

/**
 * Takes samples until the median is stable, the maximum count is reached or the deadline passes.
 * `sample` returns one figure (e.g. GB/s). One warm-up sample is taken first and discarded.
 * Returns null when not a single timed sample fitted before the deadline.
 */
export async function sampleUntilStable(
  sample: () => Promise<number>,
  rules: SamplingRules,
  deadlineMs: number,
  now: () => number,
): Promise<SampledFigure | null> {
  await sample(); // warm-up: first dispatch compiles pipelines, faults pages in, wakes clocks
  const values: number[] = [];
  let hitDeadline = false;
  while (values.length < rules.maxReps) {
    if (now() >= deadlineMs) {
      hitDeadline = true;
      break;
    }
    const v = await sample();
    if (!Number.isFinite(v) || v <= 0) throw new Error(`a sample gave ${v}, not a positive figure`);
    values.push(v);
    if (isStable(values, rules)) break;
  }
  if (values.length === 0) return null;
  const final = values.slice(-rules.window);
  return {
    value: median(final),
    samples: final,
    spreadPct: relativeSpread(final) * 100,
    reps: values.length,
    stable: isStable(values, rules),
    hitDeadline,
  };
}

/**
 * Grows the work of one sample until it takes at least `targetMs`: sizes double from `startSize` up to `maxSize`,
 * then repeats scale linearly up to `maxRepeats`. Short samples are dominated by timer resolution and submit
 * overhead; long ones blow the suite's time bound.
 * `run(size, repeats)` returns the measured milliseconds.
 */
export async function calibrate(
  run: (size: number, repeats: number) => Promise<number>,
  opts: {
    startSize: number;
    maxSize: number;
    targetMs: number;
    maxRepeats: number;
    deadlineMs: number;
    now: () => number;
  },
): Promise<{ size: number; repeats: number; ms: number }> {
  let size = opts.startSize;
  let ms = await run(size, 1);
  while (ms < opts.targetMs / 4 && size * 2 <= opts.maxSize && opts.now() < opts.deadlineMs) {
    size *= 2;
    ms = await run(size, 1);
  }
  const repeats = Math.max(1, Math.min(opts.maxRepeats, Math.ceil(opts.targetMs / Math.max(ms, 1e-3))));
  return { size, repeats, ms: ms * repeats };
}

// ---------------------------------------------------------------- saved results

/** A complete (or cut-short) run of the suite on one device. */
export interface MicrobenchSuite {
  /** Identifies the device: adapter vendor/architecture/device/description + user agent. */
  stamp: string;
  deviceLabel: string;
  adapter: AdapterSummary | null;
  webgpuUnavailableReason: string | null;
  /** ISO 8601. */
  measuredAt: string;
  totalMs: number;
  /** False when cancelled or stopped by the time bound: some benchmarks have no result. */
  complete: boolean;
  results: BenchResult[];
}

/** The best figure of a kind for a backend, for the roofline: read bandwidth and the fastest matmul. */
export function ceilingsOf(
  suite: MicrobenchSuite | null,
  backend: BenchBackend,
  preferF16: boolean,
): { bandwidthGBps: number; computeGflops: number; bandwidthFrom: BenchId; computeFrom: BenchId } | null {
  if (!suite) return null;
  const ok = (id: BenchId): number | null => {
    const r = suite.results.find((x) => x.id === id);
    return r && r.status === 'ok' ? r.value : null;
  };
  const bwId: BenchId = backend === 'webgpu' ? 'gpu-read' : 'cpu-read';
  const bw = ok(bwId);
  let computeId: BenchId = backend === 'webgpu' ? 'gpu-matmul-f32' : 'cpu-matmul-f32';
  if (backend === 'webgpu' && preferF16 && ok('gpu-matmul-f16') !== null) computeId = 'gpu-matmul-f16';
  const compute = ok(computeId);
  if (bw === null || compute === null) return null;
  return { bandwidthGBps: bw, computeGflops: compute, bandwidthFrom: bwId, computeFrom: computeId };
}
