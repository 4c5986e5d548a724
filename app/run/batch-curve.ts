/**
 * The batching curve a server operator lives by: aggregate decode speed against each sequence's latency, one
 * point per batch size B, and the cost model's throughput law fitted to it (cost/model.ts):
 *   T(B) = S·B / (1 + α(B − 1))
 * S = single-stream decode tok/s, α = batching slowdown (0: perfect scaling, 1: no gain).
 * Also the cost at a latency target ("goodput", as vLLM's benchmark defines it: only what meets the targets
 * counts). Pure: the Measure page draws it, the Cost view receives the fitted curve through app.tsx.
 */
import type { RunResult } from './run.ts';
import { sequencesOf } from './run.ts';
import { batchSummary, type Spread } from './stats.ts';
import { pointsBy } from './sweep-points.ts';

/** One measured batch size: its figures across repetitions (median and min–max). */
export interface BatchPoint {
  sequences: number;
  aggregateDecodeTokPerS: Spread;
  tpotMs: Spread;
  ttftMs: Spread;
}

/** The points of a batch sweep's complete runs, by B (a B measured twice keeps its last run). */
export function batchPoints(runs: readonly RunResult[]): BatchPoint[] {
  return pointsBy(
    runs,
    (run) => sequencesOf(run.settings),
    (run, sequences) => {
      const s = batchSummary(run.repetitions, sequences);
      return (
        s && {
          sequences,
          aggregateDecodeTokPerS: s.aggregateDecodeTokPerS,
          tpotMs: s.tpotMs,
          ttftMs: s.ttftMs,
        }
      );
    },
  );
}

/** T(B) = S·B / (1 + α(B − 1)). */
export const batchThroughput = (
  singleStreamTokPerS: number,
  batchSlowdown: number,
  sequences: number,
): number => (singleStreamTokPerS * sequences) / (1 + batchSlowdown * (sequences - 1));

export interface BatchFit {
  /** S, tok/s. */
  singleStreamTokPerS: number;
  /** α in [0, 1]. */
  batchSlowdown: number;
  /** 1 − SSE / SST over the points' medians; NaN when every median is the same (SST = 0). */
  rSquared: number;
  /** √(SSE / n), tok/s. */
  rmsResidualTokPerS: number;
  /** The best α lay outside [0, 1] and was clamped: the law does not describe these points well. */
  clamped: boolean;
}

const sse = (xs: readonly number[], ys: readonly number[], alpha: number) => {
  const f = xs.map((b) => b / (1 + alpha * (b - 1)));
  const ff = f.reduce((a, v) => a + v * v, 0);
  const fy = f.reduce((a, v, i) => a + v * (ys[i] as number), 0);
  const s = ff > 0 ? fy / ff : 0;
  return { s, sse: f.reduce((a, v, i) => a + ((ys[i] as number) - s * v) ** 2, 0) };
};

/**
 * Least-squares fit of T(B) = S·B / (1 + α(B − 1)) to (B, T) pairs, α constrained to [0, 1]. For a given α the
 * best S is closed-form, S(α) = Σ Tᵢfᵢ / Σ fᵢ² with fᵢ = Bᵢ / (1 + α(Bᵢ − 1)); α minimises the remaining
 * squared error, by a grid over [0, 1] refined by golden-section search. Null with fewer than two distinct B
 * or a non-finite or non-positive value.
 */
export function fitBatchCurve(
  points: ReadonlyArray<{ sequences: number; tokPerS: number }>,
): BatchFit | null {
  const xs = points.map((p) => p.sequences);
  const ys = points.map((p) => p.tokPerS);
  if (new Set(xs).size < 2) return null;
  if (![...xs, ...ys].every((v) => Number.isFinite(v) && v > 0)) return null;
  const GRID = 200;
  let best = 0;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= GRID; i++) {
    const e = sse(xs, ys, i / GRID).sse;
    if (e < bestSse) {
      bestSse = e;
      best = i / GRID;
    }
  }
  let lo = Math.max(0, best - 1 / GRID);
  let hi = Math.min(1, best + 1 / GRID);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (sse(xs, ys, a).sse <= sse(xs, ys, b).sse) hi = b;
    else lo = a;
  }
  const candidates = [best, (lo + hi) / 2];
  const alpha = candidates.reduce((x, y) => (sse(xs, ys, y).sse < sse(xs, ys, x).sse ? y : x));
  const { s, sse: err } = sse(xs, ys, alpha);
  const mean = ys.reduce((a, v) => a + v, 0) / ys.length;
  const sst = ys.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    singleStreamTokPerS: s,
    batchSlowdown: alpha,
    rSquared: sst > 0 ? 1 - err / sst : Number.NaN,
    rmsResidualTokPerS: Math.sqrt(err / ys.length),
    clamped: alpha <= 1e-6 || alpha >= 1 - 1e-6,
  };
}

/** What "Use this curve" hands to the self-hosted projection. */
export interface BatchCurve {
  singleStreamTokPerS: number;
  batchSlowdown: number;
  /** The largest B that was measured (the device's limit when the sweep ended on out-of-memory). */
  maxSequences: number;
  /** Which run it came from, in the user's words (model · dtype · device). */
  label: string;
}

/** Latency targets a deployment promises; a batch size meets them when every repetition did. */
export interface LatencyTargets {
  ttftMs: number;
  tpotMs: number;
}

/**
 * Presets from MLPerf Inference's LLM benchmarks (Llama 2 70B): the server scenario's p99 TTFT ≤ 2 s and
 * TPOT ≤ 200 ms, and the interactive scenario's TTFT ≤ 450 ms and TPOT ≤ 40 ms. Editable on the page.
 */
export const LATENCY_PRESETS = [
  { id: 'mlperf-server', label: 'MLPerf server', targets: { ttftMs: 2000, tpotMs: 200 } },
  { id: 'mlperf-interactive', label: 'MLPerf interactive', targets: { ttftMs: 450, tpotMs: 40 } },
] as const satisfies ReadonlyArray<{ id: string; label: string; targets: LatencyTargets }>;

/** A batch size priced: its median aggregate speed and what a GPU-hour of it costs per 1M generated tokens. */
export interface PricedBatch {
  sequences: number;
  aggregateDecodeTokPerS: number;
  usdPer1M: number;
}

export interface CostAtTarget {
  /** The largest measured B whose worst repetition met both targets; null when none did. */
  atTarget: PricedBatch | null;
  /** The measured B with the highest aggregate speed, whatever its latency. */
  unconstrained: PricedBatch | null;
}

/**
 * Cost per 1M generated tokens at a latency target: the largest measured B whose slowest repetition meets
 * both targets (max TTFT ≤ target, max TPOT ≤ target: with a few repetitions the max stands in for MLPerf's
 * p99), priced as the cost model prices decode, usd/1M = hourly / (T × 3600 × utilisation) × 1e6, with T the
 * median aggregate decode tok/s; beside the unconstrained best. What a latency promise costs.
 */
export function costAtLatencyTarget(
  points: readonly BatchPoint[],
  targets: LatencyTargets,
  price: { gpuUsdPerHour: number; utilisation: number },
): CostAtTarget {
  const priced = (p: BatchPoint): PricedBatch => {
    const t = p.aggregateDecodeTokPerS.median;
    const usdPer1M =
      t > 0 && price.utilisation > 0
        ? (price.gpuUsdPerHour / (t * 3600 * price.utilisation)) * 1e6
        : Number.NaN;
    return { sequences: p.sequences, aggregateDecodeTokPerS: t, usdPer1M };
  };
  const usable = points.filter((p) => Number.isFinite(p.aggregateDecodeTokPerS.median));
  const meeting = usable.filter((p) => p.ttftMs.max <= targets.ttftMs && p.tpotMs.max <= targets.tpotMs);
  const largest = meeting.reduce<BatchPoint | null>((a, p) => (a && a.sequences > p.sequences ? a : p), null);
  const fastest = usable.reduce<BatchPoint | null>(
    (a, p) => (a && a.aggregateDecodeTokPerS.median >= p.aggregateDecodeTokPerS.median ? a : p),
    null,
  );
  return { atTarget: largest && priced(largest), unconstrained: fastest && priced(fastest) };
}
