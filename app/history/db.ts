/**
 * The history's IndexedDB database (through Dexie). Database versions:
 * - 1: `runs` keyed by id, each record a bare RunResult.
 * - 2: records become `{ id, createdAt, schemaVersion, run }` with a createdAt index, so the run
 *   shape can evolve on its own (restore.ts upgrades it on read) and the list loads newest first.
 * A record that cannot be read is left in place untouched: a newer version of the lab may read it.
 */
import { Dexie, type EntityTable } from 'dexie';
import { type StoredRun, toStored, tryRestoreRun } from '../run/restore.ts';
import type { RunResult } from '../run/run.ts';

export const DB_NAME = 'inference-cost-lab';

export class HistoryDb extends Dexie {
  runs!: EntityTable<StoredRun, 'id'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({ runs: 'id' });
    this.version(2)
      .stores({ runs: 'id, createdAt' })
      .upgrade((tx) =>
        tx
          .table('runs')
          .toCollection()
          .modify((record: Record<string, unknown>, ref: { value: unknown }) => {
            if ('schemaVersion' in record && 'run' in record) return;
            // Wrap as it is: restoreRun upgrades the run itself when it is read.
            ref.value = {
              id: record.id,
              createdAt: typeof record.createdAt === 'string' ? record.createdAt : '',
              schemaVersion: 1,
              run: record,
            };
          }),
      );
  }
}

let shared: HistoryDb | null = null;
/** The page's database connection, opened on first use. */
export function historyDb(): HistoryDb {
  shared ??= new HistoryDb();
  return shared;
}

export interface LoadedHistory {
  /** Newest first. */
  runs: RunResult[];
  /** Records kept in the database that this version could not read, with the reason. */
  unreadable: Array<{ id: string; reason: string }>;
}

/** Reads every saved run, newest first, upgrading older records on the way. */
export async function readAllRuns(db: HistoryDb = historyDb()): Promise<LoadedHistory> {
  const records: unknown[] = await db.runs.orderBy('createdAt').reverse().toArray();
  const runs: RunResult[] = [];
  const unreadable: LoadedHistory['unreadable'] = [];
  for (const record of records) {
    const restored = tryRestoreRun(record);
    if (restored.ok) runs.push(restored.run);
    else {
      const id = typeof record === 'object' && record !== null && 'id' in record ? String(record.id) : '?';
      unreadable.push({ id, reason: restored.error });
    }
  }
  return { runs, unreadable };
}

/**
 * The id of every stored record, readable here or not: an import must not take any of them, and a
 * record written by a newer version is not among the runs `readAllRuns` returns.
 */
export async function readAllIds(db: HistoryDb = historyDb()): Promise<Set<string>> {
  const keys = await db.runs.toCollection().primaryKeys();
  return new Set(keys.map(String));
}

/** Adds runs whose ids are new; fails rather than replace a stored record with the same id. */
export const addRuns = (runs: readonly RunResult[], db: HistoryDb = historyDb()): Promise<string> =>
  db.runs.bulkAdd(runs.map(toStored));

export const putRun = (run: RunResult, db: HistoryDb = historyDb()): Promise<string> =>
  db.runs.put(toStored(run));

export const putRuns = (runs: readonly RunResult[], db: HistoryDb = historyDb()): Promise<string> =>
  db.runs.bulkPut(runs.map(toStored));

export const removeRuns = (ids: readonly string[], db: HistoryDb = historyDb()): Promise<void> =>
  db.runs.bulkDelete([...ids]);

export const removeAllRuns = (db: HistoryDb = historyDb()): Promise<void> => db.runs.clear();
