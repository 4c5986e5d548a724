/**
 * A lesson's chart points from runs: the student's own (RunResult) or the class's (the room's ResultRow), through
 * the same code, so the lesson page and the class board draw the same thing. A run belongs to a step of the lesson
 * when its settings are the step's (model, dtype, P, G, B, K; R and the device aside). Pure.
 */
import type { ResultRow } from '../room/protocol.ts';
import { electricityUsdPerHour } from '../run/hourly-cost.ts';
import { cachedPrefixOf, type RunResult, sequencesOf } from '../run/run.ts';
import { summarize } from '../run/stats.ts';
import type { Lesson, LessonStep, LessonX, LessonY } from './lesson.ts';

/** What a point needs of a run: its settings and the medians of its valid repetitions. */
export interface LessonSample {
  runId: string;
  /** Who ran it (the room's display name); null for the student's own runs. */
  participant: string | null;
  modelId: string;
  dtype: string;
  promptTokens: number;
  genTokens: number;
  parallelSequences: number;
  cachedPrefixTokens: number;
  ttftMs: number;
  tpotMs: number;
  /** One sequence's decode speed, 1000 / TPOT. */
  decodeTokPerS: number;
}

export interface LessonPoint {
  stepId: string;
  series: string;
  /** The chart's x: the step's index when the lesson's x is 'step', else the setting's value (K/P in %). */
  x: number;
  y: number;
  participant: string | null;
  runId: string;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A complete run as a sample; null when it is not complete or has no valid repetition. */
export function runSample(run: RunResult): LessonSample | null {
  if (run.status !== 'complete') return null;
  const s = summarize(run.repetitions);
  if (!s) return null;
  const { modelId, dtype, promptTokens, genTokens } = run.settings;
  return {
    runId: run.id,
    participant: null,
    modelId,
    dtype,
    promptTokens,
    genTokens,
    parallelSequences: sequencesOf(run.settings),
    cachedPrefixTokens: cachedPrefixOf(run.settings),
    ttftMs: s.ttftMs.median,
    tpotMs: s.tpotMs.median,
    decodeTokPerS: s.decodeTokPerS.median,
  };
}

/** A room's result row as a sample; null when it is not complete or a median is missing. */
export function rowSample(row: ResultRow): LessonSample | null {
  if (row.status !== 'complete' || !finite(row.ttftMs) || !finite(row.tpotMs)) return null;
  return {
    runId: row.runId,
    participant: row.participant,
    modelId: row.modelId,
    dtype: row.dtype,
    promptTokens: row.promptTokens,
    genTokens: row.genTokens,
    parallelSequences: row.parallelSequences,
    cachedPrefixTokens: row.cachedPrefixTokens,
    ttftMs: row.ttftMs,
    tpotMs: row.tpotMs,
    decodeTokPerS: finite(row.decodeTokPerS) ? row.decodeTokPerS : 1000 / row.tpotMs,
  };
}

const isRun = (item: RunResult | ResultRow): item is RunResult => 'repetitions' in item;

/** Whether a sample was measured with a step's settings. */
export const matchesStep = (step: LessonStep, s: LessonSample): boolean =>
  s.modelId === step.modelId &&
  s.dtype === step.dtype &&
  s.promptTokens === step.promptTokens &&
  s.genTokens === step.genTokens &&
  s.parallelSequences === (step.parallelSequences ?? 1) &&
  s.cachedPrefixTokens === (step.cachedPrefixTokens ?? 0);

/** The step a sample belongs to, or undefined. */
export const stepOf = (lesson: Lesson, s: LessonSample): LessonStep | undefined =>
  lesson.steps.find((step) => matchesStep(step, s));

/**
 * A sample's y:
 * - requestMs = TTFT + (G − 1) × TPOT (the device time of one request; TTFT holds the first token);
 * - aggregateDecodeTokPerS = B × 1000 / TPOT (every sequence of the batch);
 * - requestCostUsdPer1M: see lessons/cost.ts (requestMs / B priced by the hour, × 1M).
 */
export function sampleY(y: LessonY, s: LessonSample, deviceUsdPerHour: number): number {
  switch (y) {
    case 'ttftMs':
      return s.ttftMs;
    case 'tpotMs':
      return s.tpotMs;
    case 'requestMs':
      return requestMs(s);
    case 'decodeTokPerS':
      return s.decodeTokPerS;
    case 'aggregateDecodeTokPerS':
      return s.parallelSequences * s.decodeTokPerS;
    case 'requestCostUsdPer1M':
      return (deviceMsPerRequest(s) / 3_600_000) * deviceUsdPerHour * 1e6;
    default:
      return y satisfies never;
  }
}

/** The device time one request occupies, ms: TTFT + (G − 1) × TPOT. */
export const requestMs = (s: Pick<LessonSample, 'ttftMs' | 'tpotMs' | 'genTokens'>): number =>
  s.ttftMs + Math.max(0, s.genTokens - 1) * s.tpotMs;

/** Device time per request when B requests run together: requestMs / B. */
export const deviceMsPerRequest = (s: LessonSample): number =>
  requestMs(s) / Math.max(1, s.parallelSequences);

function stepX(lesson: Lesson, step: LessonStep, x: LessonX): number {
  switch (x) {
    case 'step':
      return lesson.steps.indexOf(step);
    case 'promptTokens':
      return step.promptTokens;
    case 'genTokens':
      return step.genTokens;
    case 'parallelSequences':
      return step.parallelSequences ?? 1;
    case 'cachedShare':
      return (100 * (step.cachedPrefixTokens ?? 0)) / step.promptTokens;
    default:
      return x satisfies never;
  }
}

/** Turns runs or room rows into samples, dropping what is incomplete. */
export function lessonSamples(items: ReadonlyArray<RunResult | ResultRow>): LessonSample[] {
  return items
    .map((item) => (isRun(item) ? runSample(item) : rowSample(item)))
    .filter((s): s is LessonSample => s !== null);
}

/**
 * The price of the device's time in the chart's cost axis and the cost consequence (lessons/cost.ts): its
 * electricity while generating, as the Cost page's in-browser option and the class board price a laptop's hour
 * (one figure across the lab: 30 W at $0.20/kWh).
 */
export const DEVICE_USD_PER_HOUR = electricityUsdPerHour();

/**
 * The lesson's chart points from runs or room rows: one point per complete run whose settings are one of the
 * lesson's steps, at (the step's x, the run's y); runs of no step, incomplete runs and non-finite y are dropped.
 * Ordered by step, then as given.
 */
export function lessonPoints(lesson: Lesson, items: ReadonlyArray<RunResult | ResultRow>): LessonPoint[] {
  const points: Array<LessonPoint & { order: number }> = [];
  for (const s of lessonSamples(items)) {
    const step = stepOf(lesson, s);
    if (!step) continue;
    const y = sampleY(lesson.chart.y, s, DEVICE_USD_PER_HOUR);
    if (!Number.isFinite(y)) continue;
    points.push({
      stepId: step.id,
      series: step.series,
      x: stepX(lesson, step, lesson.chart.x),
      y,
      participant: s.participant,
      runId: s.runId,
      order: lesson.steps.indexOf(step),
    });
  }
  return points.sort((a, b) => a.order - b.order).map(({ order: _, ...p }) => p);
}

const shortModel = (modelId: string) => modelId.replace(/-random-llama$/, '');

/** A step in words: "small q4 (P = 64, G = 16)", with B and K when set. */
export function stepName(step: LessonStep): string {
  const extra = [
    `P = ${step.promptTokens}`,
    `G = ${step.genTokens}`,
    ...(step.parallelSequences && step.parallelSequences > 1 ? [`B = ${step.parallelSequences}`] : []),
    ...(step.cachedPrefixTokens ? [`K = ${step.cachedPrefixTokens} cached`] : []),
  ];
  return `${shortModel(step.modelId)} ${step.dtype} (${extra.join(', ')})`;
}

/** Each axis in the user's words, with its unit (empty for the steps, named by their labels, and for B). */
export const LESSON_AXIS: Record<LessonX | LessonY, { label: string; unit: string }> = {
  step: { label: '', unit: '' },
  promptTokens: { label: 'prompt length P', unit: 'tokens' },
  genTokens: { label: 'answer length G', unit: 'tokens' },
  parallelSequences: { label: 'sequences in the batch B', unit: '' },
  cachedShare: { label: 'share of the prompt already cached K / P', unit: '%' },
  ttftMs: { label: 'time to first token, TTFT', unit: 'ms' },
  tpotMs: { label: 'time per output token, TPOT', unit: 'ms' },
  requestMs: { label: 'time per request', unit: 'ms' },
  decodeTokPerS: { label: 'decode speed', unit: 'tokens/s' },
  aggregateDecodeTokPerS: { label: 'total decode speed, all sequences', unit: 'tokens/s' },
  requestCostUsdPer1M: { label: 'device time of 1M requests', unit: '$' },
};
