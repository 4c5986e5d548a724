/**
 * What the Compare & share view needs from wherever runs are kept. app.tsx passes the history's
 * state and actions down; compare/ never reads the history feature itself, so the two can change
 * apart (docs/architecture.md).
 */
import type { RunResult } from '../run/run.ts';

/** The saved runs as the view shows them. */
export interface SavedRuns {
  /** Newest first. */
  runs: readonly RunResult[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the runs could not be read or written, in words for the user; null when all is well. */
  error: string | null;
  /** Saved records this version could not read (left untouched). */
  unreadable: ReadonlyArray<{ id: string; reason: string }>;
  /** How long the last load took, for the history benchmark. */
  loadMs: number | null;
}

/** What the view may do to the saved runs. Every action reports storage failures through `error`, never by throwing. */
export interface SavedRunActions {
  /** Inserts a run, or replaces the run with the same id (a sweep saves each repetition as it lands). */
  save: (run: RunResult) => Promise<void>;
  rename: (id: string, name: string) => Promise<void>;
  setTags: (id: string, tags: readonly string[]) => Promise<void>;
  remove: (ids: readonly string[]) => Promise<void>;
  clear: () => Promise<void>;
  /** Adds runs from a file or link without replacing any saved run. */
  importRuns: (runs: readonly RunResult[]) => Promise<{ added: RunResult[]; duplicates: number }>;
}
