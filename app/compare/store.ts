/**
 * The Compare page's state: which saved runs are selected, and the sweep runner. The sweep lives in
 * the store (not a component) so it keeps running, and keeps reporting, while the user looks at
 * another tab.
 */
import { create } from 'zustand';
import { runMeasurement } from '../engine/runner.ts';
import type { RunResult } from '../run/run.ts';
import type { SweepCell } from './sweep.ts';

export interface SweepState {
  status: 'idle' | 'running' | 'done' | 'stopped';
  /** What the sweep is for: the user's own sweep, or re-running a shared report here. */
  purpose: 'sweep' | 'same-as-report';
  cells: SweepCell[];
  /** Cells finished (whatever their outcome). */
  done: number;
  /** The cell being measured, and its repetitions so far. */
  current: { label: string; repsDone: number; reps: number; loading: string | null } | null;
  /** Ids of the runs this sweep saved, in order. */
  runIds: string[];
  /** Cells that failed, with the reason. */
  failures: string[];
  /** Estimated seconds per cell (sweep.ts's estimateSweep), for the running ETA; empty when none was made. */
  estimates: number[];
  /** When the sweep started (Date.now()); null when idle. */
  startedAtMs: number | null;
}

export interface CompareState {
  selectedIds: string[];
  sweep: SweepState;
}

const IDLE: SweepState = {
  status: 'idle',
  purpose: 'sweep',
  cells: [],
  done: 0,
  current: null,
  runIds: [],
  failures: [],
  estimates: [],
  startedAtMs: null,
};

export const useCompare = create<CompareState>()(() => ({ selectedIds: [], sweep: IDLE }));

export function toggleSelected(id: string) {
  useCompare.setState((s) => ({
    selectedIds: s.selectedIds.includes(id) ? s.selectedIds.filter((x) => x !== id) : [...s.selectedIds, id],
  }));
}

export const setSelected = (ids: readonly string[]) =>
  useCompare.setState({ selectedIds: [...new Set(ids)] });

const patchSweep = (patch: Partial<SweepState>) =>
  useCompare.setState((s) => ({ sweep: { ...s.sweep, ...patch } }));

let controller: AbortController | null = null;

export const cellLabel = (cell: SweepCell): string => {
  const s = cell.settings;
  return `${s.modelId} ${s.dtype} ${s.device === 'webgpu' ? 'WebGPU' : 'WASM'} P${s.promptTokens} G${s.genTokens}`;
};

/**
 * Measures the cells one after another. Every repetition of every cell is saved as it lands, so a
 * stopped or crashed sweep keeps what finished. Resolves with the saved runs.
 */
export async function startSweep(
  cells: readonly SweepCell[],
  options: {
    tag: string;
    purpose: SweepState['purpose'];
    /** Keeps a run (insert or replace by id); app.tsx passes the history's save down. */
    save: (run: RunResult) => Promise<void>;
    /** Estimated seconds per cell, for the running ETA. */
    estimates?: readonly number[];
  },
): Promise<RunResult[]> {
  if (useCompare.getState().sweep.status === 'running') return [];
  controller = new AbortController();
  const signal = controller.signal;
  useCompare.setState({
    sweep: {
      ...IDLE,
      status: 'running',
      purpose: options.purpose,
      cells: [...cells],
      estimates: [...(options.estimates ?? [])],
      startedAtMs: Date.now(),
    },
  });
  const results: RunResult[] = [];
  for (const [index, cell] of cells.entries()) {
    if (signal.aborted) break;
    patchSweep({ current: { label: cellLabel(cell), repsDone: 0, reps: cell.settings.reps, loading: null } });
    const tagged = (run: RunResult): RunResult => ({
      ...run,
      tags: [...new Set([...run.tags, options.tag])],
    });
    const run = await runMeasurement(
      cell.settings,
      cell.source,
      {
        onUpdate: (partial) => {
          void options.save(tagged(partial));
          patchSweep({
            current: {
              label: cellLabel(cell),
              repsDone: partial.repetitions.length,
              reps: cell.settings.reps,
              loading: null,
            },
          });
        },
        onProgress: (p) => {
          const percent = p.totalBytes > 0 ? Math.round((p.loadedBytes / p.totalBytes) * 100) : null;
          patchSweep({
            current: {
              label: cellLabel(cell),
              repsDone: 0,
              reps: cell.settings.reps,
              loading: percent === null ? 'loading model' : `loading model ${percent} %`,
            },
          });
        },
      },
      signal,
    );
    const final = tagged(run);
    await options.save(final);
    results.push(final);
    const sweep = useCompare.getState().sweep;
    patchSweep({
      done: index + 1,
      runIds: [...sweep.runIds, final.id],
      failures:
        final.status === 'failed'
          ? [...sweep.failures, `${cellLabel(cell)}: ${final.notes.at(-1) ?? 'failed'}`]
          : sweep.failures,
    });
  }
  patchSweep({ status: signal.aborted ? 'stopped' : 'done', current: null });
  controller = null;
  return results;
}

/** Stops the sweep at the next token; the current cell keeps the repetitions it finished. */
export function stopSweep() {
  controller?.abort();
}

export const resetSweep = () => useCompare.setState({ sweep: IDLE });
