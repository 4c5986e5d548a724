/**
 * Runs a sweep's points one after another, each a full measurement through the engine session
 * (engine/runner.ts), so a sweep waits its turn like any run and reuses the loaded model between points.
 * Stop keeps the finished points; a point that fails (out of memory, device lost) ends the sweep there.
 */
import { runMeasurement } from '../engine/runner.ts';
import type { ModelRef } from '../engine/session.ts';
import type { RunResult } from '../run/run.ts';
import type { SweepEnd, SweepPoint } from './run-kinds.ts';

export interface SweepHooks {
  /** A point's measurement starts (0-based). */
  onPoint?: (index: number) => void;
  /** A point's growing result: after load, after each repetition, at the end (save it as it lands). */
  onUpdate?: (index: number, run: RunResult) => void;
}

export interface SweepOutcome {
  /** One result per point that started, in order; the last may be partial or failed. */
  runs: RunResult[];
  end: SweepEnd;
}

type Measure = typeof runMeasurement;

/**
 * Measures each point in turn. Never throws: an abort ends it as 'stopped', a failed point as 'failed' with
 * the run's error (`outOfMemory` when the engine said so).
 */
export async function runSweep(
  points: readonly SweepPoint[],
  source: ModelRef,
  hooks: SweepHooks = {},
  signal?: AbortSignal,
  measure: Measure = runMeasurement,
): Promise<SweepOutcome> {
  const runs: RunResult[] = [];
  for (const [index, point] of points.entries()) {
    if (signal?.aborted) return { runs, end: { kind: 'stopped', atPoint: index } };
    hooks.onPoint?.(index);
    const run = await measure(
      point.settings,
      source,
      { onUpdate: (r) => hooks.onUpdate?.(index, r) },
      signal,
    );
    runs.push(run);
    if (signal?.aborted) return { runs, end: { kind: 'stopped', atPoint: index } };
    if (run.status !== 'complete') {
      return {
        runs,
        end: {
          kind: 'failed',
          atPoint: index,
          outOfMemory: run.error?.code === 'out-of-memory',
          message: run.error?.message ?? 'the measurement did not complete.',
        },
      };
    }
  }
  return { runs, end: { kind: 'complete' } };
}
