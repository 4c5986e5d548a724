/**
 * Runs a lesson's experiment: each step a full measurement through the engine session (engine/runner.ts), in the
 * lesson's order, on the device the student picked. Abortable (finished steps are kept), with overall progress
 * in [0, 1] and a label in the user's words. Used by the Lessons tab and the bench CLI's lesson page.
 */
import type { Device } from '../engine/protocol.ts';
import { runMeasurement } from '../engine/runner.ts';
import type { RunResult, RunSettings } from '../run/run.ts';
import type { Lesson, LessonStep } from './lesson.ts';
import { runSample, stepName, stepOf } from './points.ts';

/** A step's settings for the run, on `device`, from the embedded models. */
export function stepSettings(step: LessonStep, device: Device): RunSettings {
  return {
    modelId: step.modelId,
    sourceKind: 'embedded',
    dtype: step.dtype,
    device,
    promptTokens: step.promptTokens,
    genTokens: step.genTokens,
    reps: step.reps,
    ...(step.parallelSequences && step.parallelSequences > 1
      ? { parallelSequences: step.parallelSequences }
      : {}),
    ...(step.cachedPrefixTokens ? { cachedPrefixTokens: step.cachedPrefixTokens } : {}),
  };
}

export interface ExperimentProgress {
  /** In [0, 1]: finished steps count whole, the running one by its finished repetitions. */
  fraction: number;
  /** e.g. "Step 2 of 3: small q4, P = 128 — repetition 1 of 3". */
  label: string;
}

export interface ExperimentHooks {
  onProgress?: (progress: ExperimentProgress) => void;
  /** A step's growing result: after load, each repetition, and at the end (save it as it lands). */
  onRun?: (stepIndex: number, run: RunResult) => void;
}

export interface ExperimentOutcome {
  /** One result per step that started, in order. */
  runs: RunResult[];
  /** complete: every step ran; stopped: aborted; failed: a step failed (message says why). */
  end: 'complete' | 'stopped' | 'failed';
  message: string;
}

/**
 * Overall progress: (steps done + repetitions done / R of the running step) / steps, clamped to [0, 1].
 */
export function experimentFraction(stepsDone: number, steps: number, repsDone: number, reps: number): number {
  if (steps <= 0) return 0;
  const current = stepsDone < steps && reps > 0 ? Math.min(1, Math.max(0, repsDone / reps)) : 0;
  return Math.min(1, Math.max(0, (stepsDone + current) / steps));
}

type Measure = typeof runMeasurement;

/** The tag a lesson's runs carry in the history ("lesson:batching"), so they can be found again. */
export const lessonTag = (lesson: Pick<Lesson, 'id'>): string => `lesson:${lesson.id}`;

/**
 * The student's latest complete run of each step among saved runs tagged with the lesson (after a reload, the
 * lesson's chart comes back from the history). Runs of no step are left out.
 */
export function latestLessonRuns(lesson: Lesson, saved: readonly RunResult[]): RunResult[] {
  const tag = lessonTag(lesson);
  const latest = new Map<string, RunResult>();
  for (const run of saved) {
    if (run.status !== 'complete' || !run.tags.includes(tag)) continue;
    const sample = runSample(run);
    const step = sample && stepOf(lesson, sample);
    if (!step) continue;
    const seen = latest.get(step.id);
    if (!seen || seen.createdAt < run.createdAt) latest.set(step.id, run);
  }
  return lesson.steps.flatMap((step) => latest.get(step.id) ?? []);
}

/** Runs every step in turn. Never throws; stops at the first step that does not complete. */
export async function runExperiment(
  lesson: Lesson,
  device: Device,
  hooks: ExperimentHooks = {},
  signal?: AbortSignal,
  measure: Measure = runMeasurement,
): Promise<ExperimentOutcome> {
  const runs: RunResult[] = [];
  const steps = lesson.steps;
  const report = (index: number, repsDone: number, what: string) =>
    hooks.onProgress?.({
      fraction: experimentFraction(index, steps.length, repsDone, steps[index]?.reps ?? 1),
      label: `Step ${Math.min(index + 1, steps.length)} of ${steps.length}: ${what}`,
    });
  for (const [index, step] of steps.entries()) {
    if (signal?.aborted) return { runs, end: 'stopped', message: stoppedMessage(runs.length, steps.length) };
    const name = stepName(step);
    report(index, 0, `${name}, loading and warming up`);
    const run = await measure(
      stepSettings(step, device),
      { kind: 'embedded', id: step.modelId },
      {
        onUpdate: (r) => {
          const done = r.repetitions.filter((rep) => !rep.partial).length;
          if (done > 0) report(index, done, `${name}, repetition ${done} of ${step.reps}`);
          hooks.onRun?.(index, { ...r, tags: [...r.tags, lessonTag(lesson)] });
        },
      },
      signal,
    );
    const tagged = { ...run, tags: [...run.tags, lessonTag(lesson)] };
    runs.push(tagged);
    hooks.onRun?.(index, tagged);
    if (signal?.aborted) return { runs, end: 'stopped', message: stoppedMessage(index, steps.length) };
    if (run.status !== 'complete') {
      return {
        runs,
        end: 'failed',
        message: `Step ${index + 1} (${name}) did not complete: ${run.error?.message ?? run.notes.at(-1) ?? 'unknown error'}`,
      };
    }
  }
  hooks.onProgress?.({ fraction: 1, label: `All ${steps.length} steps measured.` });
  return { runs, end: 'complete', message: `All ${steps.length} steps measured.` };
}

const stoppedMessage = (done: number, steps: number) =>
  `Stopped: ${done} of ${steps} step${steps === 1 ? '' : 's'} finished and kept.`;
