/**
 * The hardware page's state: the device probe and the microbenchmark suite (running, saved, reused).
 * Actions live at module level; the worker's events are turned into state here and nowhere else.
 */
import { create } from 'zustand';
import { describeAdapter, requestAdapter } from '../engine/adapter.ts';
import { adapterStamp } from '../run/machine.ts';
import {
  type AdapterSummary,
  adapterSummary,
  type BenchBackend,
  type BenchId,
  type BenchResult,
  type MicrobenchEvent,
  type MicrobenchSuite,
  SUITE_BUDGET_MS,
  SUITE_PLAN_MS,
} from './microbench.ts';
import { restoreSaved, STORAGE_KEY, withSuite } from './saved.ts';

/** What the browser tells without running anything: enough to find saved results and to answer "will it fit?". */
export interface DeviceProbe {
  adapter: AdapterSummary | null;
  webgpuUnavailableReason: string | null;
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  /** navigator.deviceMemory, GB; null where the browser does not say. */
  deviceMemoryGB: number | null;
  stamp: string;
}

export type SuiteStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'timed-out' | 'failed';

interface HardwareState {
  probe: DeviceProbe | null;
  status: SuiteStatus;
  /** The suite on screen: saved for this device, or the one being measured (partial while running). */
  suite: MicrobenchSuite | null;
  /** The suite on screen came from storage rather than from a measurement in this page visit. */
  fromStorage: boolean;
  progress: { bench: BenchId; phase: 'calibrating' | 'sampling' } | null;
  startedAtMs: number | null;
  /** The hard time bound of the current or last run, ms. */
  budgetMs: number;
  error: string | null;
}

export const useHardwareStore = create<HardwareState>()(() => ({
  probe: null,
  status: 'idle',
  suite: null,
  fromStorage: false,
  progress: null,
  startedAtMs: null,
  budgetMs: SUITE_BUDGET_MS,
  error: null,
}));

const set = useHardwareStore.setState;
const get = useHardwareStore.getState;

const readSaved = () => {
  try {
    return restoreSaved(localStorage.getItem(STORAGE_KEY));
  } catch {
    return restoreSaved(null); // storage disabled (privacy mode): nothing saved, nothing broken
  }
};

const save = (suite: MicrobenchSuite) => {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(withSuite(readSaved(), suite)));
  } catch {
    // Quota or privacy mode: the results stay on screen, they just will not be reused.
  }
};

const adapterLabel = (a: AdapterSummary | null): string =>
  a
    ? [a.description || a.device, a.vendor, a.architecture].filter((x) => x !== '').join(' · ') ||
      'Unnamed GPU adapter'
    : 'No WebGPU adapter';

/** Asks the browser about its GPU adapter (the same request the worker makes) and loads saved results for it. */
export async function probeDevice(): Promise<void> {
  const request = await requestAdapter(navigator.gpu);
  const reason = request.reason;
  const report = request.adapter ? describeAdapter(request.adapter) : null;
  const adapter: AdapterSummary | null = report ? adapterSummary(report) : null;
  const maxBufferSize = request.adapter?.limits.maxBufferSize ?? null;
  const maxStorageBufferBindingSize = request.adapter?.limits.maxStorageBufferBindingSize ?? null;
  const memory = (navigator as { deviceMemory?: unknown }).deviceMemory;
  const stamp = adapterStamp(adapter, navigator.userAgent);
  const probe: DeviceProbe = {
    adapter,
    webgpuUnavailableReason: reason,
    maxBufferSize,
    maxStorageBufferBindingSize,
    deviceMemoryGB: typeof memory === 'number' && Number.isFinite(memory) ? memory : null,
    stamp,
  };
  const saved = readSaved().suites.find((s) => s.stamp === stamp) ?? null;
  // A measurement started before the probe answered wins over anything saved.
  if (get().status === 'running' || (get().suite && !get().fromStorage)) set({ probe });
  else set({ probe, suite: saved, fromStorage: saved !== null });
}

/** The hard time bound; `?debug&microbenchBudgetMs=N` shortens it so tests can exercise the cut-off. */
function suiteBudgetMs(): number {
  const params = new URLSearchParams(location.search);
  const override = params.has('debug') ? Number(params.get('microbenchBudgetMs')) : Number.NaN;
  return Number.isFinite(override) && override > 0 ? Math.min(override, SUITE_BUDGET_MS) : SUITE_BUDGET_MS;
}

let worker: Worker | null = null;
let hardStop: ReturnType<typeof setTimeout> | null = null;
let nextId = 1;

const stopWorker = () => {
  worker?.terminate();
  worker = null;
  if (hardStop !== null) clearTimeout(hardStop);
  hardStop = null;
};

const patchSuite = (update: (s: MicrobenchSuite) => MicrobenchSuite) => {
  const s = get().suite;
  if (s) set({ suite: update(s) });
};

const upsertResult = (results: BenchResult[], r: BenchResult): BenchResult[] => [
  ...results.filter((x) => x.id !== r.id),
  r,
];

/** Runs the suite in a worker. Results stream in; the suite is saved for this device when it finishes. */
export function runMicrobench(backends?: BenchBackend[]): void {
  if (get().status === 'running') return;
  // Without an adapter on the main thread there is none in the worker either: measure the CPU only.
  const probe = get().probe;
  const chosen: BenchBackend[] =
    backends ?? (probe && probe.adapter === null ? ['wasm'] : ['wasm', 'webgpu']);
  stopWorker();
  const id = nextId++;
  const startedAtMs = performance.now();
  const budgetMs = suiteBudgetMs();
  set({
    status: 'running',
    error: null,
    progress: null,
    startedAtMs,
    budgetMs,
    fromStorage: false,
    suite: {
      stamp: get().probe?.stamp ?? adapterStamp(null, navigator.userAgent),
      deviceLabel: adapterLabel(get().probe?.adapter ?? null),
      adapter: get().probe?.adapter ?? null,
      webgpuUnavailableReason: get().probe?.webgpuUnavailableReason ?? null,
      measuredAt: new Date().toISOString(),
      totalMs: 0,
      complete: false,
      results: [],
    },
  });
  let w: Worker;
  try {
    w = new Worker(new URL('./microbench.worker.ts', import.meta.url), { type: 'module' });
  } catch (e) {
    set({
      status: 'failed',
      error: `The benchmark worker could not start: ${e instanceof Error ? e.message : String(e)}`,
    });
    return;
  }
  worker = w;
  w.onmessage = (e: MessageEvent<MicrobenchEvent>) => {
    const ev = e.data;
    if (ev.id !== id || worker !== w) return;
    switch (ev.type) {
      case 'started':
        patchSuite((s) => ({
          ...s,
          adapter: ev.adapter,
          deviceLabel: adapterLabel(ev.adapter),
          webgpuUnavailableReason: ev.adapter
            ? null
            : (get().probe?.webgpuUnavailableReason ?? ev.webgpuUnavailableReason),
          stamp: adapterStamp(ev.adapter, navigator.userAgent),
        }));
        break;
      case 'progress':
        set({ progress: { bench: ev.bench, phase: ev.phase } });
        break;
      case 'result':
        patchSuite((s) => ({ ...s, results: upsertResult(s.results, ev.result) }));
        break;
      case 'done': {
        stopWorker();
        patchSuite((s) => ({ ...s, totalMs: ev.totalMs, complete: true }));
        const suite = get().suite;
        if (suite) save(suite);
        set({ status: 'done', progress: null });
        break;
      }
      case 'error':
        stopWorker();
        set({ status: 'failed', progress: null, error: `The benchmarks stopped: ${ev.message}` });
        break;
      default:
        ev satisfies never;
    }
  };
  w.onerror = (e) => {
    if (worker !== w) return;
    stopWorker();
    set({
      status: 'failed',
      progress: null,
      error: `The benchmark worker crashed: ${e.message || 'no message'}`,
    });
  };
  hardStop = setTimeout(() => {
    if (worker !== w) return;
    stopWorker();
    patchSuite((s) => ({ ...s, totalMs: performance.now() - startedAtMs, complete: false }));
    const suite = get().suite;
    // Keep what finished: a partial suite is still worth reusing, and the table says it is partial.
    if (suite?.results.some((r) => r.status === 'ok')) save(suite);
    set({ status: 'timed-out', progress: null, error: null });
  }, budgetMs);
  w.postMessage({ type: 'run', id, planMs: SUITE_PLAN_MS, backends: chosen });
}

/** Stops the suite now. GPU work cannot be interrupted mid-dispatch, so the worker is terminated. */
export function cancelMicrobench(): void {
  if (get().status !== 'running') return;
  stopWorker();
  set({ status: 'cancelled', progress: null });
}
