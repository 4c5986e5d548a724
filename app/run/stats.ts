/**
 * The lab's metrics, computed from worker timestamps. Definitions follow vLLM's benchmark
 * (benchmarks/benchmark_serving.py) where the same name is used, and llama-bench's pp/tg rates.
 *
 * For one repetition with prompt length P that generated n tokens at times t_1 … t_n (ms since generate() began):
 * - TTFT       = t_1                              (prefill + the first decode step, as vLLM)
 * - E2E        = t_n
 * - ITL_i      = t_{i+1} - t_i, i = 1 … n-1       (every inter-token latency, as vLLM)
 * - TPOT       = (E2E - TTFT) / (n - 1)           (time per output token excluding the first, as vLLM)
 * - prefill tok/s = P / TTFT                      (llama-bench's pp rate, with TTFT as the prefill time)
 * - decode tok/s  = (n - 1) / (E2E - TTFT) = 1000 / TPOT
 */
import type { FirstRequestTiming } from '../engine/protocol.ts';
import type { Repetition } from './run.ts';

export interface RepetitionMetrics {
  rep: number;
  ttftMs: number;
  e2eMs: number;
  tpotMs: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  itlMs: number[];
  generatedTokens: number;
  promptTokens: number;
}

/** Median, minimum and maximum of a sample: no number in the lab is shown without its spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface RunSummary {
  /** Repetitions that count: complete, and not measured while the tab was hidden. */
  validReps: number;
  totalReps: number;
  ttftMs: Spread;
  e2eMs: Spread;
  tpotMs: Spread;
  prefillTokPerS: Spread;
  decodeTokPerS: Spread;
  /** Percentiles of all inter-token latencies pooled across valid repetitions. */
  itlMs: { p50: number; p90: number; p99: number; n: number };
}

/**
 * Percentile by linear interpolation between closest ranks (numpy's default, which vLLM uses).
 * `p` in [0, 100]. Returns NaN for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** Median (mean of the two middle values for an even count); NaN for an empty sample. */
export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * Smallest value, as `Math.min` (NaN if any value is NaN, +Infinity for none), by a loop: spreading a
 * data-sized array into `Math.min(...values)` overflows the call stack beyond ~100,000 values.
 */
export function minOf(values: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (value < min) min = value;
  }
  return min;
}

/** Largest value, as `Math.max` (NaN if any value is NaN, -Infinity for none), without spreading. */
export function maxOf(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (value > max) max = value;
  }
  return max;
}

/** Median, minimum and maximum; NaN for each when the sample is empty. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: percentile(values, 50), min: minOf(values), max: maxOf(values), n: values.length };
}

/** Inter-token latencies: differences of consecutive token arrival times. */
export function interTokenLatencies(tokenTimesMs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < tokenTimesMs.length; i++)
    out.push((tokenTimesMs[i] as number) - (tokenTimesMs[i - 1] as number));
  return out;
}

/** Metrics of one repetition; null when it generated fewer than two tokens (TPOT undefined). */
export function repetitionMetrics(rep: Repetition): RepetitionMetrics | null {
  const n = rep.tokenTimesMs.length;
  if (n < 2) return null;
  const ttftMs = rep.tokenTimesMs[0] as number;
  const e2eMs = rep.tokenTimesMs[n - 1] as number;
  const tpotMs = (e2eMs - ttftMs) / (n - 1);
  return {
    rep: rep.rep,
    ttftMs,
    e2eMs,
    tpotMs,
    prefillTokPerS: ttftMs > 0 ? rep.promptTokens / (ttftMs / 1000) : Number.POSITIVE_INFINITY,
    decodeTokPerS: tpotMs > 0 ? 1000 / tpotMs : Number.POSITIVE_INFINITY,
    itlMs: interTokenLatencies(rep.tokenTimesMs),
    generatedTokens: n,
    promptTokens: rep.promptTokens,
  };
}

/** A repetition counts when it ran to the end with the tab visible. */
export const isValidRepetition = (rep: Repetition): boolean => !rep.partial && !rep.hidden;

/** Summary across the valid repetitions of a run; null when none is valid. */
export function summarize(reps: readonly Repetition[]): RunSummary | null {
  const metrics = reps
    .filter(isValidRepetition)
    .map(repetitionMetrics)
    .filter((m): m is RepetitionMetrics => m !== null);
  if (metrics.length === 0) return null;
  const itl = metrics.flatMap((m) => m.itlMs);
  return {
    validReps: metrics.length,
    totalReps: reps.length,
    ttftMs: spread(metrics.map((m) => m.ttftMs)),
    e2eMs: spread(metrics.map((m) => m.e2eMs)),
    tpotMs: spread(metrics.map((m) => m.tpotMs)),
    prefillTokPerS: spread(metrics.map((m) => m.prefillTokPerS)),
    decodeTokPerS: spread(metrics.map((m) => m.decodeTokPerS)),
    itlMs: { p50: percentile(itl, 50), p90: percentile(itl, 90), p99: percentile(itl, 99), n: itl.length },
  };
}

/**
 * The cold first request's TTFT, TPOT and decode rate, by a repetition's definitions:
 * TPOT = (E2E − TTFT) / (n − 1), decode tok/s = 1000 / TPOT. Null with fewer than two generated tokens.
 */
export function firstRequestMetrics(
  first: FirstRequestTiming,
): { ttftMs: number; tpotMs: number; decodeTokPerS: number } | null {
  if (first.generatedTokens < 2) return null;
  const tpotMs = (first.e2eMs - first.ttftMs) / (first.generatedTokens - 1);
  return {
    ttftMs: first.ttftMs,
    tpotMs,
    decodeTokPerS: tpotMs > 0 ? 1000 / tpotMs : Number.POSITIVE_INFINITY,
  };
}

/**
 * A batched run's figures: B parallel sequences generated in one generate() call. The streamer sees the B
 * tokens of a step together, so every sequence of a repetition shares the step timestamps t_1 … t_n, and
 * - per-sequence TTFT and TPOT are the repetition's (each sequence waits for the whole batch's step);
 * - aggregate decode tok/s = B × (n − 1) / (E2E − TTFT) = B × 1000 / TPOT: every sequence's decoded tokens
 *   (B × G, less the B first tokens that belong to TTFT) over the decode time E2E − TTFT;
 * - aggregate prefill tok/s = B × P / TTFT.
 * With B = 1 they are the single-stream decode and prefill rates.
 */
export interface BatchSummary {
  sequences: number;
  ttftMs: Spread;
  tpotMs: Spread;
  aggregateDecodeTokPerS: Spread;
  aggregatePrefillTokPerS: Spread;
}

/** Per-sequence latencies and aggregate rates of a run of `sequences` parallel sequences; null with no valid rep. */
export function batchSummary(reps: readonly Repetition[], sequences: number): BatchSummary | null {
  const metrics = reps
    .filter(isValidRepetition)
    .map(repetitionMetrics)
    .filter((m): m is RepetitionMetrics => m !== null);
  if (metrics.length === 0) return null;
  return {
    sequences,
    ttftMs: spread(metrics.map((m) => m.ttftMs)),
    tpotMs: spread(metrics.map((m) => m.tpotMs)),
    aggregateDecodeTokPerS: spread(metrics.map((m) => sequences * m.decodeTokPerS)),
    aggregatePrefillTokPerS: spread(metrics.map((m) => sequences * m.prefillTokPerS)),
  };
}
