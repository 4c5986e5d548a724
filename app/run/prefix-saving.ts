/**
 * Prefix (prompt) caching, measured: TTFT of the same P-token prompt with its first K tokens already in the KV
 * cache, against the prompt cold (K = 0). A cached token skips its share of the prefill, so
 *   TTFT(K) ≈ TTFT(0) − s · K
 * with s the prefill time saved per cached token. Compared with the cold prefill time per token
 * c = (TTFT(0) − TPOT(0)) / P (TTFT holds one decode step besides the prefill), s / c is the share of a token's
 * prefill a cache hit saves on this device: 1 when caching is free, less when the suffix still attends to the
 * cached prefix. Pure: the Measure page draws it, the Cost view receives the saving through app.tsx.
 */
import { fitLine } from './linear-fit.ts';
import { cachedPrefixOf, type RunResult } from './run.ts';
import { type Spread, summarize } from './stats.ts';
import { pointsBy } from './sweep-points.ts';

/** The cached shares of P a prefix-cache sweep measures by default: 0 (cold), 25, 50, 75 and 90 %. */
export const PREFIX_SHARES = [0, 0.25, 0.5, 0.75, 0.9] as const;

/** K for a share of P: floor(share × P), at most P − 1 (one prompt token is always prefilled). */
export const cachedTokensFor = (share: number, promptTokens: number): number =>
  Math.max(0, Math.min(promptTokens - 1, Math.floor(share * promptTokens)));

/** One measured cached prefix: TTFT and TPOT across its valid repetitions. */
export interface PrefixPoint {
  cachedTokens: number;
  promptTokens: number;
  /** K / P. */
  cachedShare: number;
  ttftMs: Spread;
  tpotMs: Spread;
}

/** The points of a prefix-cache sweep's complete runs, by K (a K measured twice keeps its last run). */
export function prefixPoints(runs: readonly RunResult[]): PrefixPoint[] {
  return pointsBy(
    runs,
    (run) => cachedPrefixOf(run.settings),
    (run, cachedTokens) => {
      const s = summarize(run.repetitions);
      const { promptTokens } = run.settings;
      return (
        s && {
          cachedTokens,
          promptTokens,
          cachedShare: cachedTokens / promptTokens,
          ttftMs: s.ttftMs,
          tpotMs: s.tpotMs,
        }
      );
    },
  );
}

export interface PrefixSaving {
  promptTokens: number;
  /** TTFT of the cold prompt (K = 0), median. */
  coldTtftMs: number;
  /** c: the cold prefill per prompt token, (TTFT(0) − TPOT(0)) / P. */
  coldPrefillMsPerToken: number;
  /** s: prefill time saved per cached token, the negated slope of TTFT against K. */
  savedMsPerCachedToken: number;
  /** s / c in [0, 1]: the share of a token's prefill that a cache hit saves. */
  savedShare: number;
  /** Of the line's fit to the medians. */
  rSquared: number;
  /** TTFT saved at the largest K measured, as a share of the cold TTFT. */
  largestSaving: { cachedShare: number; ttftSavedShare: number };
}

/**
 * Fits the saving to the sweep's points (medians): needs the cold point (K = 0) and at least one cached one,
 * all at the same P; null otherwise. savedShare = clamp(s / c, 0, 1).
 */
export function fitPrefixSaving(points: readonly PrefixPoint[]): PrefixSaving | null {
  const cold = points.find((p) => p.cachedTokens === 0);
  if (!cold || points.length < 2 || points.some((p) => p.promptTokens !== cold.promptTokens)) return null;
  const line = fitLine(
    points.map((p) => p.cachedTokens),
    points.map((p) => p.ttftMs.median),
  );
  if (!line) return null;
  const coldTtftMs = cold.ttftMs.median;
  const firstDecodeMs = Number.isFinite(cold.tpotMs.median) ? cold.tpotMs.median : 0;
  const coldPrefillMsPerToken = Math.max(0, coldTtftMs - firstDecodeMs) / cold.promptTokens;
  const savedMsPerCachedToken = -line.slope;
  const savedShare =
    coldPrefillMsPerToken > 0 ? Math.min(1, Math.max(0, savedMsPerCachedToken / coldPrefillMsPerToken)) : 0;
  const last = points.at(-1) ?? cold;
  return {
    promptTokens: cold.promptTokens,
    coldTtftMs,
    coldPrefillMsPerToken,
    savedMsPerCachedToken,
    savedShare,
    rSquared: line.rSquared,
    largestSaving: {
      cachedShare: last.cachedShare,
      ttftSavedShare: coldTtftMs > 0 ? 1 - last.ttftMs.median / coldTtftMs : 0,
    },
  };
}
