/**
 * Noise, named: how much a run's repetitions disagree, and whether that disagreement says the machine was busy
 * while it measured. A lab number is a median with its spread; this module says when the spread is too wide to
 * trust the median, why, and what to do about it.
 *
 * A run is **noisy** when, over its valid repetitions (stats.ts's isValidRepetition, with at least two tokens):
 * - spread: the coefficient of variation of decode tok/s is above NOISE_CV_LIMIT (5 %);
 * - drift: decode tok/s trends from the first repetition to the last (a least-squares line over the repetition
 *   index, three repetitions or more) by more than DRIFT_MIN_RELATIVE (5 %) of the median and by more than twice
 *   the scatter around that line: rising is an engine still warming up, falling is thermal throttling or a job
 *   that started meanwhile;
 * - pressure: the browser reported CPU pressure "serious" or "critical" during a valid repetition (Compute
 *   Pressure API, where it exists).
 */
import { isPressured } from '../engine/pressure.ts';
import type { Repetition } from './run.ts';
import { isValidRepetition, median, type RepetitionMetrics, repetitionMetrics } from './stats.ts';

/** Decode CV above which a run is noisy (5 %). */
export const NOISE_CV_LIMIT = 0.05;
/** Smallest first-to-last trend, relative to the median, that counts as drift (5 %). */
export const DRIFT_MIN_RELATIVE = 0.05;
/** How many residual standard deviations a trend must exceed to stand out of the scatter. */
export const DRIFT_SCATTER_FACTOR = 2;

/** The metrics whose variation is reported, as named in stats.ts. */
export const NOISE_METRICS = ['ttftMs', 'prefillTokPerS', 'tpotMs', 'decodeTokPerS', 'e2eMs'] as const;
export type NoiseMetric = (typeof NOISE_METRICS)[number];

/** Why a run is noisy. Percentages are fractions (0.05 = 5 %). */
export type NoiseReason =
  | { kind: 'spread'; decodeCv: number }
  | {
      kind: 'drift';
      /** Fitted change of decode tok/s from the first valid repetition to the last, relative to the median. */
      change: number;
      /** Residual standard deviation around the fitted line, relative to the median. */
      scatter: number;
    }
  | { kind: 'pressure'; reps: number[]; worst: 'serious' | 'critical' };

export interface NoiseReport {
  /** Valid repetitions the figures are taken over. */
  validReps: number;
  /** Coefficient of variation per metric; null with fewer than two valid repetitions or a non-finite value. */
  cv: Record<NoiseMetric, number | null>;
  /** Valid repetitions (their `rep` index) measured under "serious" or "critical" CPU pressure. */
  pressuredReps: number[];
  noisy: boolean;
  reasons: NoiseReason[];
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/**
 * Sample coefficient of variation: s / x̄, with the sample standard deviation s = √(Σ(x − x̄)² / (n − 1))
 * (Bessel's correction, since repetitions are a sample of what the machine would do). Null when n < 2, the mean
 * is not positive, or a value is not finite: the spread of such a sample says nothing.
 */
export function coefficientOfVariation(values: readonly number[]): number | null {
  if (values.length < 2 || !values.every(Number.isFinite)) return null;
  const m = mean(values);
  if (!(m > 0)) return null;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1)) / m;
}

/**
 * Least-squares line y = a + b·x through (x_i, y_i): returns the slope b and the residual standard deviation
 * √(Σ(y − a − b·x)² / (n − 2)) (NaN when n < 3). Null when fewer than two points or all x are equal.
 */
export function linearTrend(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number; residualSd: number } | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const mx = mean(xs.slice(0, n));
  const my = mean(ys.slice(0, n));
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += ((ys[i] as number) - intercept - slope * (xs[i] as number)) ** 2;
  return { slope, intercept, residualSd: n > 2 ? Math.sqrt(ssr / (n - 2)) : Number.NaN };
}

/**
 * Drift of a series in repetition order: the fitted change from the first repetition to the last,
 * slope × (rep_last − rep_first), and the residual standard deviation, both relative to the median.
 * It is drift when |change| > DRIFT_MIN_RELATIVE and |change| > DRIFT_SCATTER_FACTOR × scatter.
 * Null with fewer than three points (two points have no scatter to tell a trend from) or a non-finite value.
 */
export function driftOf(
  reps: readonly number[],
  values: readonly number[],
): { change: number; scatter: number; drifting: boolean } | null {
  if (values.length < 3 || !values.every(Number.isFinite)) return null;
  const fit = linearTrend(reps, values);
  const mid = median(values);
  if (fit === null || !(mid > 0)) return null;
  const span = (reps[reps.length - 1] as number) - (reps[0] as number);
  const change = (fit.slope * span) / mid;
  const scatter = fit.residualSd / mid;
  const drifting = Math.abs(change) > DRIFT_MIN_RELATIVE && Math.abs(change) > DRIFT_SCATTER_FACTOR * scatter;
  return { change, scatter, drifting };
}

/** Metrics of the valid repetitions, in repetition order. */
function validMetrics(reps: readonly Repetition[]): RepetitionMetrics[] {
  return reps
    .filter(isValidRepetition)
    .map(repetitionMetrics)
    .filter((m): m is RepetitionMetrics => m !== null)
    .sort((a, b) => a.rep - b.rep);
}

/** The noise report of a run's repetitions (see the module comment for the rules). */
export function noiseOf(reps: readonly Repetition[]): NoiseReport {
  const metrics = validMetrics(reps);
  const cv = Object.fromEntries(
    NOISE_METRICS.map((k) => [k, coefficientOfVariation(metrics.map((m) => m[k]))]),
  ) as Record<NoiseMetric, number | null>;
  const reasons: NoiseReason[] = [];
  if (cv.decodeTokPerS !== null && cv.decodeTokPerS > NOISE_CV_LIMIT)
    reasons.push({ kind: 'spread', decodeCv: cv.decodeTokPerS });
  const drift = driftOf(
    metrics.map((m) => m.rep),
    metrics.map((m) => m.decodeTokPerS),
  );
  if (drift?.drifting) reasons.push({ kind: 'drift', change: drift.change, scatter: drift.scatter });
  const pressured = reps
    .filter((r) => isValidRepetition(r) && isPressured(r.pressure))
    .sort((a, b) => a.rep - b.rep);
  if (pressured.length > 0)
    reasons.push({
      kind: 'pressure',
      reps: pressured.map((r) => r.rep),
      worst: pressured.some((r) => r.pressure === 'critical') ? 'critical' : 'serious',
    });
  return {
    validReps: metrics.length,
    cv,
    pressuredReps: pressured.map((r) => r.rep),
    noisy: reasons.length > 0,
    reasons,
  };
}

const pct = (fraction: number, digits = 1): string => `${(fraction * 100).toFixed(digits)} %`;

/** One sentence saying what was seen (repetitions numbered from 1, as the result card shows them). */
export function describeNoiseReason(reason: NoiseReason): string {
  switch (reason.kind) {
    case 'spread':
      return `Decode speed varies by ${pct(reason.decodeCv)} across repetitions (CV; above ${pct(NOISE_CV_LIMIT, 0)}).`;
    case 'drift':
      return `Decode speed ${reason.change > 0 ? 'rose' : 'fell'} by ${pct(Math.abs(reason.change))} from the first repetition to the last, beyond the scatter around that trend (±${pct(reason.scatter)}): ${reason.change > 0 ? 'the engine was still warming up' : 'thermal throttling or a background job'}.`;
    case 'pressure':
      return `The browser reported ${reason.worst} CPU pressure during repetition${reason.reps.length > 1 ? 's' : ''} ${reason.reps
        .map((r) => r + 1)
        .join(', ')}.`;
    default:
      return reason satisfies never;
  }
}

/** What to do about it, one sentence. */
export function noiseAdvice(reason: NoiseReason): string {
  switch (reason.kind) {
    case 'spread':
      return 'Close other tabs and apps, plug the laptop in, and run more repetitions so the median settles.';
    case 'drift':
      return reason.change > 0
        ? 'Run again (a longer warm-up, or more repetitions) and compare the later repetitions.'
        : 'Plug the laptop in, let it cool, stop background work, and run again.';
    case 'pressure':
      return 'Close other apps and tabs, plug the laptop in, let it cool, and run again.';
    default:
      return reason satisfies never;
  }
}
