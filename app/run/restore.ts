/**
 * Upgrades what an older version of the lab saved into today's RunResult. Records in IndexedDB
 * are `{ id, createdAt, schemaVersion, run }`; the first version (database v1) stored bare runs,
 * some without the fields added since (tags, notes, a name, the per-repetition hidden flag); version 2 runs
 * predate the recorded warm-up (`warmup`, `firstRequest`); version 3 runs predate `participant`,
 * `weightSha256` and `hubHost`.
 */
import type { RunResult } from './run.ts';
import { parseRunResult } from './schema.ts';

/** The shape of a run this version writes. Bump it, and add a step to UPGRADES, when RunResult changes. */
export const RUN_SCHEMA_VERSION = 4;

/** What the history table holds. */
export interface StoredRun {
  id: string;
  createdAt: string;
  schemaVersion: number;
  run: RunResult;
}

export class RestoreError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * UPGRADES[v] turns a version-v run into a version v+1 run. Each step touches only what changed,
 * and leaves anything it does not recognise for the final validation to report.
 */
const UPGRADES: Record<number, (run: Record<string, unknown>) => Record<string, unknown>> = {
  1: (run) => {
    const settings = isObject(run.settings) ? run.settings : {};
    return {
      ...run,
      name:
        typeof run.name === 'string'
          ? run.name
          : `${String(settings.modelId ?? 'run')} ${String(settings.dtype ?? '')} ${String(settings.device ?? '')}`.trim(),
      tags: Array.isArray(run.tags) ? run.tags : [],
      notes: Array.isArray(run.notes) ? run.notes : [],
      warmupMs: run.warmupMs ?? null,
      repetitions: Array.isArray(run.repetitions)
        ? run.repetitions.map((rep: unknown) => (isObject(rep) ? { hidden: false, ...rep } : rep))
        : run.repetitions,
    };
  },
  // v3 records the warm-up until steady and the cold first request; older runs had one fixed warm-up.
  2: (run) => ({ ...run, warmup: run.warmup ?? null, firstRequest: run.firstRequest ?? null }),
  // v4 adds who measured it (participant), the weight file's SHA-256 and the Hub host, all optional: a v3 run
  // knows none of them. A v3 writer never set them, so any that a hand-edited record carries are dropped rather
  // than trusted as if this version had recorded them.
  3: ({ participant: _participant, weightSha256: _sha, hubHost: _host, ...run }) => run,
};

/**
 * Restores a saved or imported run of any known version: a `StoredRun` record, or a bare run
 * (version 1 when it carries no version). Throws RestoreError with a readable reason otherwise.
 */
export function restoreRun(value: unknown): RunResult {
  if (!isObject(value)) throw new RestoreError('not a saved run');
  let version: number;
  let run: unknown;
  if ('run' in value && 'schemaVersion' in value) {
    version = typeof value.schemaVersion === 'number' ? value.schemaVersion : Number.NaN;
    run = value.run;
  } else {
    version = 1;
    run = value;
  }
  if (!Number.isInteger(version) || version < 1) throw new RestoreError('unknown schema version');
  if (version > RUN_SCHEMA_VERSION) {
    throw new RestoreError(
      `saved by a newer version of the lab (schema ${version}; this one reads up to ${RUN_SCHEMA_VERSION})`,
    );
  }
  for (let v = version; v < RUN_SCHEMA_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step || !isObject(run)) break;
    run = step(run);
  }
  const parsed = parseRunResult(run);
  if (!parsed.ok) throw new RestoreError(parsed.error);
  return parsed.run;
}

/** `restoreRun` as a value: the run, or why it could not be read. */
export function tryRestoreRun(value: unknown): { ok: true; run: RunResult } | { ok: false; error: string } {
  try {
    return { ok: true, run: restoreRun(value) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'unreadable' };
  }
}

/** The record this version writes for a run. */
export const toStored = (run: RunResult): StoredRun => ({
  id: run.id,
  createdAt: run.createdAt,
  schemaVersion: RUN_SCHEMA_VERSION,
  run,
});
