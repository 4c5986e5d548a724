/**
 * A guided lesson, as data: why a lever of inference cost matters (two or three short paragraphs), a predefined
 * experiment (a few measurements on this device, built from the catalog's embedded models), the chart of its
 * numbers, the cost consequence in dollars, and a question to discuss. An instructor adds or edits a lesson in
 * lessons.ts without touching a view; the lesson page, the experiment runner and the class board all read it.
 */
import type { Dtype } from '../engine/protocol.ts';

/** The drivers and levers of inference cost, one lesson each. */
export const LESSON_LEVERS = [
  'model-size',
  'input-length',
  'output-length',
  'quantization',
  'caching',
  'batching',
  'routing',
] as const;
export type LessonLever = (typeof LESSON_LEVERS)[number];

/**
 * One measurement of a lesson's experiment: the settings of a single run (the device is the student's choice,
 * the model always an embedded one). Two runs belong to the same step when these settings are equal (R aside).
 */
export interface LessonStep {
  /** Stable within the lesson (kebab-case): the cost consequence names steps by it. */
  id: string;
  /** The series the step's point is drawn in, e.g. "medium q4". */
  series: string;
  /** The step in the user's words, e.g. "P = 256"; the x label when the chart's x is 'step'. */
  label: string;
  modelId: string;
  dtype: Dtype;
  /** P. */
  promptTokens: number;
  /** G. */
  genTokens: number;
  /** R, timed repetitions (after the steady-state warm-up). */
  reps: number;
  /** B; absent = 1. */
  parallelSequences?: number;
  /** K, prompt tokens already in the KV cache; absent = 0. */
  cachedPrefixTokens?: number;
}

/**
 * What a chart's x axis shows: a setting that the steps vary (numeric), or the steps themselves as categories
 * (model size, quantization, routing compare things that are not on a number line).
 */
export const LESSON_X = ['step', 'promptTokens', 'genTokens', 'parallelSequences', 'cachedShare'] as const;
export type LessonX = (typeof LESSON_X)[number];

/**
 * What a chart's y axis shows, from a run's valid repetitions (medians):
 * - ttftMs: time to the first token; tpotMs: time per output token after it;
 * - requestMs: what one request occupies the device, TTFT + (G − 1) × TPOT;
 * - decodeTokPerS: one sequence's decode speed; aggregateDecodeTokPerS: B × G / decode time (all sequences);
 * - requestCostUsdPer1M: the device time of 1M requests priced by the hour (lessons/cost.ts), per sequence.
 */
export const LESSON_Y = [
  'ttftMs',
  'tpotMs',
  'requestMs',
  'decodeTokPerS',
  'aggregateDecodeTokPerS',
  'requestCostUsdPer1M',
] as const;
export type LessonY = (typeof LESSON_Y)[number];

export interface LessonChartSpec {
  x: LessonX;
  y: LessonY;
  /** A y axis on a log scale (speeds across model sizes span orders of magnitude). */
  logY?: boolean;
}

/**
 * The cost consequence: dollars per month at a traffic, from the student's own numbers, pricing the device's time
 * by the hour (lessons/cost.ts). Steps are named by id.
 * - compare: the baseline step against the lever applied (a smaller model, a shorter prompt, q4, B = 8, …);
 * - response-cache: one step, with a modelled share of requests answered from a cache (no model call);
 * - routing: every request on the large step, against `routedShare` of them on the small one.
 */
export type LessonCost =
  | { kind: 'compare'; baseline: string; lever: string }
  | { kind: 'response-cache'; step: string; hitShare: number }
  | { kind: 'routing'; large: string; small: string; routedShare: number };

export interface Lesson {
  /** Stable kebab-case id: the room's lessonId, the URL's ?lesson=. */
  id: string;
  title: string;
  lever: LessonLever;
  /** Two or three short paragraphs on why, plain text. */
  paragraphs: readonly string[];
  /** The experiment, run in this order (same model first, so the model loads once). */
  steps: readonly LessonStep[];
  chart: LessonChartSpec;
  /** One or more cost consequences (caching shows the measured prefix cache and a modelled response cache). */
  costs: readonly LessonCost[];
  /** A question to discuss once the numbers are in. */
  question: string;
}
