/**
 * Merging runs from elsewhere (a file, a link, a room's links) into a set that must lose nothing:
 * a run already present is not replaced, a different run that happens to share an id is kept
 * under a new id, and the same run arriving twice is counted once.
 */
import type { RunResult } from './run.ts';
import { isSummaryOnly, RUN_RESULT_SCHEMA } from './schema.ts';

/** The longest id a saved run may have: a longer one could not be read back. */
const MAX_ID_CHARS = RUN_RESULT_SCHEMA.shape.id.maxLength ?? 100;

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

/** `id~n` for the smallest n ≥ 2 not taken, shortening `id` so the result stays within MAX_ID_CHARS. */
function freeId(id: string, taken: (id: string) => boolean): string {
  for (let n = 2; ; n++) {
    const suffix = `~${n}`;
    const candidate = `${id.slice(0, MAX_ID_CHARS - suffix.length)}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Adds `incoming` to `existing` without replacing or losing anything. `takenIds` are ids held by
 * records that are not in `existing` (e.g. saved by a newer version and unreadable here): an
 * incoming run never takes one of them either.
 * Cost: O(n + m) lookups by id, plus a comparison per colliding id.
 */
export function mergeRuns(
  existing: readonly RunResult[],
  incoming: readonly RunResult[],
  takenIds: ReadonlySet<string> = new Set(),
): MergeOutcome {
  const byId = new Map(existing.map((run) => [run.id, run]));
  const taken = (id: string): boolean => byId.has(id) || takenIds.has(id);
  const added: RunResult[] = [];
  let duplicates = 0;
  for (const run of incoming) {
    const present = byId.get(run.id);
    if (present && sameMeasurement(present, run)) {
      duplicates++;
      continue;
    }
    if (taken(run.id)) {
      // Another run under the same id (made elsewhere), or a record this version cannot read: keep both.
      const renamed = { ...run, id: freeId(run.id, taken) };
      byId.set(renamed.id, renamed);
      added.push(renamed);
      continue;
    }
    byId.set(run.id, run);
    added.push(run);
  }
  return { runs: [...existing, ...added], added, duplicates };
}
