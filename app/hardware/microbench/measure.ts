/**
 * The one calibrate → sample → result step every benchmark goes through. A benchmark only says how to run its
 * work and how much work that was; this module grows the work to a measurable size, samples it until the median
 * settles, and turns the samples into the result the page shows.
 */
import {
  BENCHES,
  type BenchId,
  type BenchResult,
  calibrate,
  DEFAULT_RULES,
  sampleUntilStable,
  type TimingMethod,
} from '../microbench.ts';

/** One sample should last about this long: long against timer resolution, short against the suite's bound. */
export const TARGET_SAMPLE_MS = 25;
/** Calibration stops growing the work of one sample at this many repeats. */
export const MAX_REPEATS = 64;

export const DEADLINE_NOTE = 'Stopped by the time bound before the median settled.';

/** The work of one benchmark, once its buffers, modules and kernels exist. */
export interface BenchWork {
  /** Calibration doubles the size (bytes in MiB, matrix N…) from `startSize` while it fits under `maxSize`. */
  startSize: number;
  maxSize: number;
  /** Readies one size (allocations, uploads); called before that size is timed, and again after calibration. */
  prepare?: (size: number) => Promise<void>;
  /** Runs the work of one size `repeats` times and returns the milliseconds it took. */
  timeMs: (size: number, repeats: number) => Promise<number>;
  /** Bytes moved or floating-point operations done by one timed run: the figure is this / time. */
  amount: (size: number, repeats: number) => number;
  /** The calibrated work of one sample, in words (e.g. "64 MiB × 3"), once sampling is over. */
  describe: (size: number, repeats: number) => string;
  /** How the time was taken; read after sampling, since a GPU timer may fall back to the wall clock. */
  timing: () => TimingMethod;
  /** Notes to show before the time-bound note, read after sampling (e.g. why the timer fell back). */
  notes?: () => Array<string | null>;
  /** Releases what `prepare` made; called whether the measurement succeeded or not. */
  dispose?: () => void;
}

/** Builds a benchmark's work (allocations, modules, checks of its answer); run once, just before measuring. */
export type BenchSetup = () => Promise<BenchWork>;

export interface MeasureContext {
  /** Sampling stops at this time (of `now`), with what it has. */
  deadlineMs: number;
  now: () => number;
  progress: (phase: 'calibrating' | 'sampling') => void;
  /** Aborting stops the measurement at the next run of the work. */
  signal: AbortSignal;
}

/**
 * Calibrates `work` to about TARGET_SAMPLE_MS per sample, samples it with DEFAULT_RULES until the deadline, and
 * returns the result in the benchmark's unit: figure = amount(size, repeats) / (ms × 10⁶), which is GB/s for
 * bytes and GFLOP/s for floating-point operations. Throws when no timed sample fitted before the deadline, when
 * a sample is not a positive figure, or when aborted.
 */
export async function measureBench(
  bench: BenchId,
  work: BenchWork,
  ctx: MeasureContext,
): Promise<BenchResult> {
  const timeMs = (size: number, repeats: number): Promise<number> => {
    ctx.signal.throwIfAborted();
    return work.timeMs(size, repeats);
  };
  try {
    ctx.progress('calibrating');
    const cal = await calibrate(
      async (size, repeats) => {
        await work.prepare?.(size);
        return timeMs(size, repeats);
      },
      {
        startSize: work.startSize,
        maxSize: work.maxSize,
        targetMs: TARGET_SAMPLE_MS,
        maxRepeats: MAX_REPEATS,
        deadlineMs: ctx.deadlineMs,
        now: ctx.now,
      },
    );
    await work.prepare?.(cal.size);
    const amount = work.amount(cal.size, cal.repeats);
    ctx.progress('sampling');
    const fig = await sampleUntilStable(
      async () => amount / ((await timeMs(cal.size, cal.repeats)) * 1e6),
      DEFAULT_RULES,
      ctx.deadlineMs,
      ctx.now,
    );
    if (!fig) throw new Error('no sample fitted in the time bound');
    const notes = [...(work.notes?.() ?? []), fig.hitDeadline ? DEADLINE_NOTE : null].filter(
      (x): x is string => x !== null,
    );
    return {
      id: bench,
      status: 'ok',
      value: fig.value,
      unit: BENCHES[bench].unit,
      timing: work.timing(),
      samples: fig.samples,
      spreadPct: fig.spreadPct,
      reps: fig.reps,
      stable: fig.stable,
      work: work.describe(cal.size, cal.repeats),
      note: notes.length > 0 ? notes.join(' ') : null,
    };
  } finally {
    work.dispose?.();
  }
}
