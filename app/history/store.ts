/**
 * The saved runs, in memory and in IndexedDB. Actions live at module level so the app can call
 * `saveRun` from the Measure page's update callback (after every repetition) and the sweep runner
 * can save each finished cell, without either holding a React hook.
 */
import { create } from 'zustand';
import { mergeRuns } from '../run/merge.ts';
import type { RunResult } from '../run/run.ts';
import { addRuns, putRun, putRuns, readAllIds, readAllRuns, removeAllRuns, removeRuns } from './db.ts';

export interface HistoryState {
  /** Newest first. */
  runs: RunResult[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the history could not be read or written, in words for the user; null when all is well. */
  error: string | null;
  /** Saved records this version could not read (left untouched in the database). */
  unreadable: Array<{ id: string; reason: string }>;
  /** How long the last load from IndexedDB took, for the history benchmark. */
  loadMs: number | null;
}

export const useHistory = create<HistoryState>()(() => ({
  runs: [],
  status: 'idle',
  error: null,
  unreadable: [],
  loadMs: null,
}));

/** Set when the tab closed while a run was still going: what finished is kept, and says so. */
const INTERRUPTED_NOTE = 'The page closed during this run: the repetitions that finished are kept.';

const storageMessage = (error: unknown): string => {
  const name = error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError')
    return 'The browser is out of storage for this site: new results are kept in this tab only.';
  if (name === 'MissingAPIError' || name === 'InvalidStateError') {
    return 'This browser does not allow saving results here (private mode?): results are kept in this tab only.';
  }
  return `Results could not be saved: ${error instanceof Error ? error.message : String(error)}.`;
};

const byNewest = (a: RunResult, b: RunResult): number =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

let loading: Promise<void> | null = null;

/** Loads the history from IndexedDB (once; later calls wait for the same load). */
export function loadHistory(): Promise<void> {
  loading ??= (async () => {
    useHistory.setState({ status: 'loading' });
    const started = performance.now();
    try {
      const loaded = await readAllRuns();
      const stale: RunResult[] = [];
      const runs = loaded.runs.map((run) => {
        if (run.status !== 'running') return run;
        const closed: RunResult = { ...run, status: 'partial', notes: [...run.notes, INTERRUPTED_NOTE] };
        stale.push(closed);
        return closed;
      });
      // Runs saved while the load was in flight are newer than what was read.
      const fresh = new Map(useHistory.getState().runs.map((run) => [run.id, run]));
      const merged = [...fresh.values(), ...runs.filter((run) => !fresh.has(run.id))].sort(byNewest);
      useHistory.setState({
        runs: merged,
        status: 'ready',
        unreadable: loaded.unreadable,
        loadMs: performance.now() - started,
      });
      if (stale.length > 0) await putRuns(stale);
    } catch (error) {
      useHistory.setState({ status: 'error', error: storageMessage(error) });
    }
  })();
  return loading;
}

/** Replaces (by id) or adds runs in memory, keeping newest first. */
function upsertInMemory(changed: readonly RunResult[]) {
  useHistory.setState((state) => {
    const byId = new Map(changed.map((run) => [run.id, run]));
    const runs = state.runs.map((run) => byId.get(run.id) ?? run);
    const known = new Set(state.runs.map((run) => run.id));
    const added = changed.filter((run) => !known.has(run.id));
    return { runs: added.length > 0 ? [...added, ...runs].sort(byNewest) : runs };
  });
}

async function persist(write: () => Promise<unknown>) {
  try {
    await write();
    if (useHistory.getState().error) useHistory.setState({ error: null });
  } catch (error) {
    useHistory.setState({ error: storageMessage(error) });
  }
}

/**
 * Saves a run (insert, or replace the run with the same id). Called on every repetition of a
 * running run, so closing the tab mid-run keeps what finished. Never throws: a storage failure is
 * shown in the history panel and the run stays in memory.
 */
export async function saveRun(run: RunResult): Promise<void> {
  upsertInMemory([run]);
  await persist(() => putRun(run));
}

const findRun = (id: string): RunResult | undefined =>
  useHistory.getState().runs.find((run) => run.id === id);

export async function renameRun(id: string, name: string): Promise<void> {
  const run = findRun(id);
  if (!run) return;
  await saveRun({ ...run, name: name.trim().slice(0, 200) || run.name });
}

/** Sets a run's tags (trimmed, de-duplicated, empty ones dropped). */
export async function setRunTags(id: string, tags: readonly string[]): Promise<void> {
  const run = findRun(id);
  if (!run) return;
  const clean = [...new Set(tags.map((tag) => tag.trim().slice(0, 60)).filter(Boolean))].slice(0, 50);
  await saveRun({ ...run, tags: clean });
}

export async function deleteRuns(ids: readonly string[]): Promise<void> {
  const gone = new Set(ids);
  useHistory.setState((state) => ({ runs: state.runs.filter((run) => !gone.has(run.id)) }));
  await persist(() => removeRuns(ids));
}

export async function clearHistory(): Promise<void> {
  useHistory.setState({ runs: [], unreadable: [] });
  await persist(() => removeAllRuns());
}

/**
 * Adds runs from a file or link. Existing records are never replaced, including those this version
 * cannot read: the same run is skipped, and a different run with a taken id is saved under a new id.
 */
export async function importRuns(
  incoming: readonly RunResult[],
): Promise<{ added: RunResult[]; duplicates: number }> {
  await loadHistory();
  let storedIds = new Set<string>();
  try {
    storedIds = await readAllIds();
  } catch {
    // No storage: the runs are kept in this tab only, and there is nothing stored to overwrite.
  }
  const { added, duplicates } = mergeRuns(useHistory.getState().runs, incoming, storedIds);
  if (added.length > 0) {
    upsertInMemory(added);
    await persist(() => addRuns(added));
  }
  return { added, duplicates };
}

// The history is read as soon as the page starts, so every page sees the saved runs.
if (typeof window !== 'undefined' && typeof indexedDB !== 'undefined') void loadHistory();
