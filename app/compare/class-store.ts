/**
 * What the class view gathered: the pasted links and the merged runs. Kept in a store (not the component), so
 * switching to another tab and back keeps it, and saved in localStorage, so a reload keeps it too. The runs are
 * saved as a result link's payload (run/link.ts): compressed, versioned, and upgraded by the same code that opens
 * links, so a saved class opens in the next version of the lab.
 */
import { create } from 'zustand';
import { decodeReport, encodeReport } from '../run/link.ts';
import { mergeRuns } from '../run/merge.ts';
import type { RunResult } from '../run/run.ts';

/** The last "Add to the class results": how many duplicates were merged and which inputs could not be read. */
export interface GatherReport {
  duplicates: number;
  problems: string[];
}

export interface ClassState {
  /** The links as pasted (kept after gathering, so they can be gathered again after "Start over"). */
  text: string;
  runs: RunResult[];
  report: GatherReport | null;
}

const STORAGE_KEY = 'lab.classView';
/**
 * Most characters saved (localStorage holds about 5 million per origin, shared with the rest of the lab): with
 * per-token timings when they fit, else summaries (what a result link carries), else only the links.
 */
export const MAX_SAVED_CHARS = 2_000_000;

const EMPTY: ClassState = { text: '', runs: [], report: null };

/** Encoded payloads by run list and detail: typing in the links field saves the text without re-encoding runs. */
const encoded = new WeakMap<readonly RunResult[], Map<boolean, string>>();

function payloadOf(runs: readonly RunResult[], perToken: boolean): string {
  if (runs.length === 0) return '';
  const byDetail = encoded.get(runs) ?? new Map<boolean, string>();
  encoded.set(runs, byDetail);
  let payload = byDetail.get(perToken);
  if (payload === undefined) {
    payload = encodeReport(runs, { perToken });
    byDetail.set(perToken, payload);
  }
  return payload;
}

/** The saved form: the text, and the runs as a link payload. */
export function serialiseClass(state: ClassState): string {
  const text = state.text.length > MAX_SAVED_CHARS / 2 ? '' : state.text;
  for (const perToken of [true, false]) {
    const runs = payloadOf(state.runs, perToken);
    const saved = JSON.stringify({ v: 1, text, runs, report: state.report });
    if (saved.length <= MAX_SAVED_CHARS) return saved;
  }
  return JSON.stringify({ v: 1, text, runs: '', report: null });
}

/**
 * Reads what serialiseClass saved. Never throws: unreadable parts are dropped, and a saved set of runs that no
 * longer opens is reported as a problem rather than silently lost.
 */
export function deserialiseClass(saved: string | null): ClassState {
  if (saved === null) return EMPTY;
  let value: unknown;
  try {
    value = JSON.parse(saved);
  } catch {
    return EMPTY;
  }
  if (typeof value !== 'object' || value === null) return EMPTY;
  const record = value as Record<string, unknown>;
  const text = typeof record.text === 'string' ? record.text : '';
  const report = parseReport(record.report);
  if (typeof record.runs !== 'string' || record.runs === '') return { text, runs: [], report };
  const decoded = decodeReport(record.runs);
  if (!decoded.ok) {
    return {
      text,
      runs: [],
      report: { duplicates: 0, problems: [`The class results saved in this browser: ${decoded.error}`] },
    };
  }
  return { text, runs: decoded.report.runs, report };
}

function parseReport(value: unknown): GatherReport | null {
  if (typeof value !== 'object' || value === null) return null;
  const { duplicates, problems } = value as Record<string, unknown>;
  if (typeof duplicates !== 'number' || !Array.isArray(problems)) return null;
  return {
    duplicates,
    problems: problems.filter((p): p is string => typeof p === 'string').slice(0, 100),
  };
}

function load(): ClassState {
  try {
    return deserialiseClass(localStorage.getItem(STORAGE_KEY));
  } catch {
    return EMPTY;
  }
}

export const useClassView = create<ClassState>()(() => load());

function save(state: ClassState) {
  try {
    if (state.text === '' && state.runs.length === 0) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, serialiseClass(state));
  } catch {
    // Private mode or a full quota: the class view still keeps its contents until the page is closed.
  }
}

const update = (patch: Partial<ClassState>) => {
  useClassView.setState(patch);
  save(useClassView.getState());
};

export const setClassText = (text: string) => update({ text });

/** Adds runs read from links and files; the same run twice is kept once. */
export function addToClass(read: { runs: readonly RunResult[]; problems: string[] }) {
  const { runs, duplicates } = mergeRuns(useClassView.getState().runs, read.runs);
  update({ runs, report: { duplicates, problems: read.problems } });
}

/** Forgets the gathered runs (here and in this browser's storage); the pasted links stay to gather again. */
export const startClassOver = () => update({ runs: [], report: null });
