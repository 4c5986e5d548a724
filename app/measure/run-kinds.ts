/**
 * The Measure page's run kinds: a single run (R repetitions of one setting) or a sweep, a series of single runs
 * whose settings differ in one lever (batch size, cached prefix, prompt length). Pure: what a sweep kind asks
 * for, how its points are planned and validated, how far a sweep has got and how it ended. The runner
 * (sweep-runner.ts), the store (sweep-store.ts) and the views (sweep-panel.tsx, sweep-charts.tsx) build on it.
 *
 * Adding a sweep kind: write its planner (a `SweepKindSpec`, in its own module with tests), register it in
 * SWEEP_KINDS (sweep-kinds.ts), and its chart in sweep-charts.tsx. A point is a full RunSettings; a lever the worker must
 * know about is a new optional RunSettings field that engine/runner.ts passes on in RunParams.
 */
import type { RunSettings } from '../run/run.ts';

export const RUN_KINDS = ['single', 'batch', 'prefix', 'length'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export type SweepKind = Exclude<RunKind, 'single'>;

export const RUN_KIND_LABEL: Record<RunKind, string> = {
  single: 'Single run',
  batch: 'Batch sweep',
  prefix: 'Prefix-cache sweep',
  length: 'Length sweep',
};

/** One extra input of a sweep kind, typed as text and validated by the kind's planner. */
export interface SweepField {
  key: string;
  label: string;
  hint: string;
  default: string;
}

/** What every planner gets: the Measure form's checked settings and what is known of the device's room. */
export interface SweepBase {
  /** P, G, R, model, dtype, device as validated on the form (the single-run settings). */
  settings: RunSettings;
  /** The model's context window, in tokens. */
  contextTokens: number;
  /**
   * Most KV-cache tokens (all sequences together) the device is expected to hold beside the weights, from the
   * model's arithmetic and the browser's limits (models/fit.ts); null when unknown (no config, no limits).
   */
  kvTokenRoom: number | null;
}

/** One measurement of a sweep: the value of the swept lever (the chart's x) and the settings it runs with. */
export interface SweepPoint {
  value: number;
  /** In the user's words, e.g. "B = 4". */
  label: string;
  settings: RunSettings;
}

export type SweepPlan =
  | { ok: true; points: SweepPoint[]; notes: string[] }
  /** Errors by field key ('' for one about the whole sweep), each a sentence saying what to change. */
  | { ok: false; errors: Record<string, string> };

/** A sweep kind: its inputs and its planner. */
export interface SweepKindSpec {
  kind: SweepKind;
  /** What the sweep measures, one sentence under the run-kind control. */
  summary: string;
  /** The swept lever's name in the result table's first column, e.g. "B". */
  leverLabel: string;
  fields: readonly SweepField[];
  plan(base: SweepBase, inputs: Readonly<Record<string, string>>): SweepPlan;
}

/** The run kinds offered: the single run and every sweep kind registered (sweep-kinds.ts). */
export const offeredRunKinds = (registered: Partial<Record<SweepKind, SweepKindSpec>>): RunKind[] =>
  RUN_KINDS.filter((k) => k === 'single' || registered[k]);

/** A kind's inputs with its defaults filled in for any the user has not typed. */
export function sweepInputs(
  spec: SweepKindSpec,
  typed: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return Object.fromEntries(spec.fields.map((f) => [f.key, typed?.[f.key] ?? f.default]));
}

/**
 * Overall progress of a sweep in [0, 1]: finished points count whole, the running point by its finished
 * repetitions: (pointsDone + repsDone / reps) / points. The warm-up and load are not counted (their length is
 * unknown beforehand).
 */
export function sweepProgress(pointsDone: number, points: number, repsDone: number, reps: number): number {
  if (points <= 0) return 0;
  const current = reps > 0 ? Math.min(1, Math.max(0, repsDone / reps)) : 0;
  return Math.min(1, Math.max(0, (pointsDone + (pointsDone < points ? current : 0)) / points));
}

/** How a sweep ended. */
export type SweepEnd =
  | { kind: 'complete' }
  | { kind: 'stopped'; atPoint: number }
  /** A point failed (out of memory, device lost…): the sweep ends there, finished points kept. */
  | { kind: 'failed'; atPoint: number; outOfMemory: boolean; message: string };

/**
 * The sentence that reports a sweep's end: what finished, and for a failure the limit it found (the last
 * point that ran is the largest that fits when the next one ran out of memory).
 */
export function sweepEndMessage(points: readonly SweepPoint[], end: SweepEnd): string {
  const finished = end.kind === 'complete' ? points.length : end.atPoint;
  const of = `${finished} of ${points.length} point${points.length === 1 ? '' : 's'}`;
  switch (end.kind) {
    case 'complete':
      return `Sweep complete: ${of} measured.`;
    case 'stopped':
      return `Sweep stopped: ${of} finished and kept.`;
    case 'failed': {
      const failed = points[end.atPoint]?.label ?? `point ${end.atPoint + 1}`;
      const last = end.atPoint > 0 ? points[end.atPoint - 1]?.label : undefined;
      const limit = end.outOfMemory
        ? last
          ? ` The largest that ran is ${last}: that is this device's limit.`
          : ' Nothing fitted: try a smaller model, dtype or lever range.'
        : '';
      return `Sweep ended at ${failed}: ${end.message}${limit} ${of} kept.`;
    }
    default:
      return end satisfies never;
  }
}
