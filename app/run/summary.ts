/**
 * Per-run summaries: the spread of each metric over a run's valid repetitions, computed once per run. The metrics
 * themselves are defined in stats.ts only; this module decides which repetitions are summarised together.
 */
import type { RunResult } from './run.ts';
import { type RunSummary, summarize } from './stats.ts';

const summaries = new WeakMap<RunResult, RunSummary | null>();

/**
 * A run's summary, computed once per run object (runs are immutable once saved); null when no repetition is
 * valid (complete, tab visible, at least two tokens).
 */
export function runSummary(run: RunResult): RunSummary | null {
  let summary = summaries.get(run);
  if (summary === undefined) {
    summary = summarize(run.repetitions);
    summaries.set(run, summary);
  }
  return summary;
}

/**
 * One summary over runs measured with the same settings: their repetitions are pooled, repetition by repetition,
 * before the spread is taken (not the medians of the runs' medians).
 */
export const pooledSummary = (runs: readonly RunResult[]): RunSummary | null =>
  runs.length === 1 && runs[0] ? runSummary(runs[0]) : summarize(runs.flatMap((run) => run.repetitions));
