/**
 * Context length, measured: how prefill time grows with the prompt, and how decode slows as the KV cache grows.
 * These are the "trim prompts" and "ask for shorter answers" levers in the user's own numbers.
 *
 * - Prefill: TTFT against P over a length sweep. Linear while the per-token work dominates; attention's P² term
 *   (and caches overflowing) bends it upwards. The linear region is fitted from the smallest prompts up, and the
 *   first P whose TTFT exceeds the line through the smaller ones by more than a tolerance is where it stops.
 * - Decode: each inter-token gap at its position in the KV cache (the gap before generated token i, 0-based,
 *   attends to P + i cached tokens), binned by position, medians per bin, a line through the medians: its slope is
 *   the slowdown per 1,000 tokens of context. Pure.
 */
import { fitLine } from './linear-fit.ts';
import type { RunResult } from './run.ts';
import { isValidRepetition, median, type Spread, summarize } from './stats.ts';
import { pointsBy } from './sweep-points.ts';

/** One measured prompt length: TTFT and TPOT across its valid repetitions. */
export interface LengthPoint {
  promptTokens: number;
  ttftMs: Spread;
  prefillTokPerS: Spread;
  tpotMs: Spread;
}

/** The points of a length sweep's complete runs, by P (a P measured twice keeps its last run). */
export function lengthPoints(runs: readonly RunResult[]): LengthPoint[] {
  return pointsBy(
    runs,
    (run) => run.settings.promptTokens,
    (run, promptTokens) => {
      const s = summarize(run.repetitions);
      return s && { promptTokens, ttftMs: s.ttftMs, prefillTokPerS: s.prefillTokPerS, tpotMs: s.tpotMs };
    },
  );
}

/**
 * Prompt lengths of a sweep from `minTokens` to `maxTokens`, log-spaced: the powers of two between them, then
 * `maxTokens` itself (16, 32, 64, …, 2048, 3000 for 16 … 3000).
 */
export function logSpacedLengths(minTokens: number, maxTokens: number): number[] {
  const lengths: number[] = [];
  const start = Math.max(1, Math.floor(minTokens));
  for (let p = start; p < maxTokens; p *= 2) lengths.push(p);
  if (maxTokens >= start) lengths.push(Math.floor(maxTokens));
  return lengths;
}

/** How far above the line a TTFT may lie and still count as linear: 20 %. */
export const LINEAR_TOLERANCE = 0.2;

export interface PrefillScaling {
  /** Slope of the linear region: prefill ms per prompt token. */
  msPerToken: number;
  /** Intercept: what a prompt costs besides its tokens (the first decode step, fixed overhead). */
  overheadMs: number;
  /** The largest P still on the line. */
  linearUpToTokens: number;
  /** The first P above the line by more than the tolerance; null when every point is on it. */
  breakTokens: number | null;
  /** measured TTFT / the line's prediction at `breakTokens` (e.g. 1.6 = 60 % slower than linear). */
  excessAtBreak: number | null;
}

/**
 * Fits TTFT = overhead + msPerToken · P through the smallest three prompt lengths, then walks up: each next P
 * whose TTFT lies within `tolerance` above the line through the points before it joins the line; the first that
 * does not is where prefill stops scaling linearly. Null with fewer than three points.
 */
export function prefillScaling(
  points: readonly LengthPoint[],
  tolerance: number = LINEAR_TOLERANCE,
): PrefillScaling | null {
  const sorted = [...points].sort((a, b) => a.promptTokens - b.promptTokens);
  if (sorted.length < 3) return null;
  const xs = sorted.map((p) => p.promptTokens);
  const ys = sorted.map((p) => p.ttftMs.median);
  let end = 3;
  let line = fitLine(xs.slice(0, end), ys.slice(0, end));
  if (!line) return null;
  let breakAt: number | null = null;
  let excess: number | null = null;
  for (; end < sorted.length; end++) {
    const predicted = line.intercept + line.slope * (xs[end] as number);
    const measured = ys[end] as number;
    if (predicted > 0 && measured > predicted * (1 + tolerance)) {
      breakAt = xs[end] as number;
      excess = measured / predicted;
      break;
    }
    line = fitLine(xs.slice(0, end + 1), ys.slice(0, end + 1)) ?? line;
  }
  return {
    msPerToken: line.slope,
    overheadMs: line.intercept,
    linearUpToTokens: xs[end - 1] as number,
    breakTokens: breakAt,
    excessAtBreak: excess,
  };
}

/** Inter-token gaps at one range of KV-cache positions. */
export interface PositionBin {
  /** The median position of the bin's gaps, tokens in the KV cache. */
  contextTokens: number;
  tpotMs: number;
  gaps: number;
}

/** Every inter-token gap of the runs' valid repetitions with its KV-cache position (P + i for token i). */
function gapsByPosition(runs: readonly RunResult[]): Array<{ contextTokens: number; gapMs: number }> {
  const gaps: Array<{ contextTokens: number; gapMs: number }> = [];
  for (const run of runs) {
    for (const rep of run.repetitions) {
      if (!isValidRepetition(rep)) continue;
      const t = rep.tokenTimesMs;
      for (let i = 1; i < t.length; i++) {
        gaps.push({ contextTokens: rep.promptTokens + i, gapMs: (t[i] as number) - (t[i - 1] as number) });
      }
    }
  }
  return gaps;
}

/**
 * TPOT against the position in the KV cache: the gaps of every valid repetition, in `bins` equal ranges of
 * position between the smallest and the largest; per bin the median gap at the median position (empty bins left
 * out).
 */
export function decodeByPosition(runs: readonly RunResult[], bins = 24): PositionBin[] {
  const gaps = gapsByPosition(runs);
  if (gaps.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const g of gaps) {
    lo = Math.min(lo, g.contextTokens);
    hi = Math.max(hi, g.contextTokens);
  }
  const count = Math.max(1, Math.min(bins, hi - lo + 1));
  const width = (hi - lo + 1) / count;
  const buckets = Array.from({ length: count }, () => ({
    positions: [] as number[],
    gapsMs: [] as number[],
  }));
  for (const g of gaps) {
    const bucket = buckets[Math.min(count - 1, Math.floor((g.contextTokens - lo) / width))];
    bucket?.positions.push(g.contextTokens);
    bucket?.gapsMs.push(g.gapMs);
  }
  return buckets.flatMap(({ positions, gapsMs }) =>
    gapsMs.length === 0
      ? []
      : [{ contextTokens: median(positions), tpotMs: median(gapsMs), gaps: gapsMs.length }],
  );
}

/** Positions a decode fit must span to say anything: shorter spans give a slope lost in the noise. */
export const MIN_DECODE_SPAN_TOKENS = 64;

export interface DecodeSlowdown {
  /** How much longer each generated token takes per 1,000 more tokens in the KV cache. */
  msPer1kTokens: number;
  /** The line's TPOT at the smallest position measured. */
  startTpotMs: number;
  /** msPer1kTokens / startTpotMs. */
  sharePer1kTokens: number;
  fromTokens: number;
  toTokens: number;
  rSquared: number;
}

/**
 * A line through the position bins' medians (decodeByPosition): TPOT = a + b · position; msPer1kTokens = 1000·b.
 * Null when the positions span fewer than MIN_DECODE_SPAN_TOKENS or fewer than three bins have gaps.
 */
export function decodeSlowdown(runs: readonly RunResult[], bins = 24): DecodeSlowdown | null {
  const byPosition = decodeByPosition(runs, bins);
  if (byPosition.length < 3) return null;
  const fromTokens = byPosition[0]?.contextTokens ?? 0;
  const toTokens = byPosition.at(-1)?.contextTokens ?? 0;
  if (toTokens - fromTokens < MIN_DECODE_SPAN_TOKENS) return null;
  const line = fitLine(
    byPosition.map((b) => b.contextTokens),
    byPosition.map((b) => b.tpotMs),
  );
  if (!line) return null;
  const startTpotMs = line.intercept + line.slope * fromTokens;
  return {
    msPer1kTokens: line.slope * 1000,
    startTpotMs,
    sharePer1kTokens: startTpotMs > 0 ? (line.slope * 1000) / startTpotMs : Number.NaN,
    fromTokens,
    toTokens,
    rSquared: line.rSquared,
  };
}
