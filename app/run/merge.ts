/**
 * Merging runs from elsewhere (a file, a link, a room's links) into a set that must lose nothing:
 * a run already present is not replaced, a different run that happens to share an id is kept
 * under a new id, and the same run arriving twice is counted once.
 */
import type { RunResult } from './run.ts';
import { isSummaryOnly } from './schema.ts';

export interface MergeOutcome {
  /** Existing runs first, untouched, then the new ones. */
  runs: RunResult[];
  /** The runs that were not there before (with their final ids). */
  added: RunResult[];
  /** Incoming runs already present (same id and the same measurement). */
  duplicates: number;
}

/** Same measurement: same settings, start time and timings (a summary-only copy matches its detailed original). */
function sameMeasurement(a: RunResult, b: RunResult): boolean {
  if (a.createdAt !== b.createdAt || JSON.stringify(a.settings) !== JSON.stringify(b.settings)) return false;
  if (a.repetitions.length !== b.repetitions.length) return false;
  if (isSummaryOnly(a) || isSummaryOnly(b)) {
    return a.repetitions.every((rep, i) => {
      const other = b.repetitions[i];
      return (
        other !== undefined &&
        rep.tokenTimesMs.length === other.tokenTimesMs.length &&
        Math.abs(rep.ttftMs - other.ttftMs) < 0.01 &&
        Math.abs(rep.e2eMs - other.e2eMs) < 0.01
      );
    });
  }
  return JSON.stringify(a.repetitions) === JSON.stringify(b.repetitions);
}

/**
 * Adds `incoming` to `existing` without replacing or losing anything.
 * Cost: O(n + m) lookups by id, plus a comparison per colliding id.
 */
export function mergeRuns(existing: readonly RunResult[], incoming: readonly RunResult[]): MergeOutcome {
  const byId = new Map(existing.map((run) => [run.id, run]));
  const added: RunResult[] = [];
  let duplicates = 0;
  for (const run of incoming) {
    const present = byId.get(run.id);
    if (present) {
      if (sameMeasurement(present, run)) {
        duplicates++;
        continue;
      }
      // Another run under the same id (made elsewhere): keep both.
      let n = 2;
      while (byId.has(`${run.id}~${n}`)) n++;
      const renamed = { ...run, id: `${run.id}~${n}` };
      byId.set(renamed.id, renamed);
      added.push(renamed);
      continue;
    }
    byId.set(run.id, run);
    added.push(run);
  }
  return { runs: [...existing, ...added], added, duplicates };
}
