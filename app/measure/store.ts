/**
 * The Measure page's state. Actions live at module level (zustand docs' pattern) so the engine callbacks
 * and tests call them without React. Token events are buffered and flushed once per animation frame.
 */
import { create } from 'zustand';
import { autoDevice } from '../engine/adapter.ts';
import type { ProgressInfo } from '../engine/client.ts';
import { hubHost } from '../engine/hub-host.ts';
import {
  type CapabilityReport,
  type Device,
  DTYPE_FILE,
  DTYPES,
  type ModelSource,
} from '../engine/protocol.ts';
import { runMeasurement } from '../engine/runner.ts';
import { session } from '../engine/session.ts';
import {
  availableDtypes,
  type CatalogModel,
  customHubModel,
  HUB_MODELS,
  loadEmbeddedCatalog,
  modelSource,
} from '../models/catalog.ts';
import type { RunResult } from '../run/run.ts';
import { clipForMessage } from '../ui/quote.ts';
import { DEFAULT_FORM, formFromQuery, formToQuery, type MeasureForm, validateRun } from './settings.ts';

export interface LiveToken {
  rep: number;
  index: number;
  timeMs: number;
}

/** 'waiting': another caller (a sweep, quality scoring) holds the engine; this run is queued behind it. */
export type Phase = 'idle' | 'waiting' | 'loading' | 'warming-up' | 'running';

export interface MeasureState {
  embedded: CatalogModel[];
  catalogError: string | null;
  capabilities: CapabilityReport | null;
  form: MeasureForm;
  /** Models the user typed or picked from disk, beyond the curated lists. */
  extraModels: CatalogModel[];
  pickedFiles: Record<string, Record<string, File>>;
  /** Context windows read from loaded models' config.json, by model id. */
  learnedContextTokens: Record<string, number>;
  phase: Phase;
  liveTokens: LiveToken[];
  liveText: string;
  currentRep: number;
  result: RunResult | null;
  /** Messages about the last action: errors, fallbacks, link problems. */
  messages: Array<{ kind: 'error' | 'warn' | 'info'; text: string }>;
}

export const useMeasure = create<MeasureState>()(() => ({
  embedded: [],
  catalogError: null,
  capabilities: null,
  form: DEFAULT_FORM,
  extraModels: [],
  pickedFiles: {},
  learnedContextTokens: {},
  phase: 'idle',
  liveTokens: [],
  liveText: '',
  currentRep: 0,
  result: null,
  messages: [],
}));

/**
 * Download progress of the model being loaded, per file. A store of its own: it changes on every network chunk
 * (once per frame after batching), and only the progress component subscribes to it, so the page does not
 * re-render with every frame of a download.
 */
export const useDownloadProgress = create<{ files: Record<string, ProgressInfo> }>()(() => ({ files: {} }));

/**
 * What the Measure page itself renders from: the state minus what changes on every token batch (LiveTokens
 * subscribes to that); download progress lives in useDownloadProgress. Shallow-compared by the page.
 */
export const pageSelection = ({
  liveTokens: _t,
  liveText: _x,
  currentRep: _r,
  ...rest
}: MeasureState): MeasureState => ({ ...rest, liveTokens: EMPTY_TOKENS, liveText: '', currentRep: 0 });
const EMPTY_TOKENS: LiveToken[] = [];

/** Every model the picker offers, embedded first. */
export const allModels = (s: MeasureState): CatalogModel[] => [
  ...s.embedded,
  ...HUB_MODELS,
  ...s.extraModels,
];

export const selectedModel = (s: MeasureState): CatalogModel | undefined =>
  allModels(s).find((m) => m.id === s.form.modelId);

/** A model's context window: from its loaded config.json once known, else from the catalog. */
export const contextTokensOf = (s: MeasureState, model: CatalogModel): number =>
  s.learnedContextTokens[model.id] ?? model.maxContextTokens;

/** The device a run will use: the forced one, or what "auto" picks (engine/adapter.ts: never a software GPU). */
export const effectiveDevice = (s: MeasureState): Device =>
  s.form.device === 'auto' ? autoDevice(s.capabilities).device : s.form.device;

// ------------------------------------------------------------------ sinks

let runSink: (run: RunResult) => void = () => {};
/** Where finished and in-progress runs go (the history); set by the app's composition. */
export function setRunSink(sink: (run: RunResult) => void) {
  runSink = sink;
}
/** Hands a run to the sink, as a single run's updates are: every point of a sweep is saved as it lands. */
export const sinkRun = (run: RunResult) => runSink(run);

// ------------------------------------------------------------------ actions

const say = (kind: 'error' | 'warn' | 'info', text: string) =>
  useMeasure.setState((s) => ({ messages: [...s.messages, { kind, text }] }));

export const dismissMessages = () => useMeasure.setState({ messages: [] });

let initialized = false;
/** Loads the catalog and the browser's capabilities, and reads settings from the link. */
export async function initMeasure() {
  if (initialized) return;
  initialized = true;
  const { form, problems } = formFromQuery(location.search);
  useMeasure.setState({ form });
  for (const p of problems) say('warn', `${p} Using the default instead.`);
  session.onNotice((notice) => say('error', notice.reason));
  const [catalog, caps] = await Promise.allSettled([loadEmbeddedCatalog(), session.capabilities()]);
  if (catalog.status === 'fulfilled') useMeasure.setState({ embedded: catalog.value });
  else
    useMeasure.setState({
      catalogError: String(catalog.reason instanceof Error ? catalog.reason.message : catalog.reason),
    });
  if (caps.status === 'fulfilled') useMeasure.setState({ capabilities: caps.value });
  else say('error', `Could not read this browser's capabilities: ${String(caps.reason)}`);
  const state = useMeasure.getState();
  if (!selectedModel(state)) {
    if (/^[\w.-]+\/[\w.-]+$/.test(state.form.modelId)) addHubModel(state.form.modelId);
    else {
      say(
        'warn',
        `The model "${clipForMessage(state.form.modelId)}" is not in the catalog. Using the default model instead.`,
      );
      setForm({ modelId: DEFAULT_FORM.modelId });
    }
  }
  fixDtype();
}

/** Keeps the chosen dtype among those the model and device offer. */
function fixDtype() {
  const s = useMeasure.getState();
  const model = selectedModel(s);
  if (!model) return;
  const offered = availableDtypes(model, effectiveDevice(s), s.capabilities?.webgpu?.features ?? []);
  if (offered.length > 0 && !offered.includes(s.form.dtype)) {
    const preferred = offered.includes('q8') && effectiveDevice(s) === 'wasm' ? 'q8' : (offered[0] ?? 'fp32');
    useMeasure.setState({ form: { ...s.form, dtype: preferred } });
  }
}

export function setForm(patch: Partial<MeasureForm>) {
  useMeasure.setState((s) => ({ form: { ...s.form, ...patch } }));
  fixDtype();
  const url = new URL(location.href);
  url.search = formToQuery(useMeasure.getState().form, url.search);
  history.replaceState(history.state, '', url);
}

/** A Hub model id the user typed. */
export function addHubModel(id: string) {
  const s = useMeasure.getState();
  if (!allModels(s).some((m) => m.id === id))
    useMeasure.setState({ extraModels: [...s.extraModels, customHubModel(id)] });
  setForm({ modelId: id });
}

/** A model folder picked from disk: needs config.json, tokenizer files and onnx/*.onnx. */
export function addPickedFolder(files: File[]) {
  const byPath: Record<string, File> = {};
  for (const file of files) {
    const rel = (file.webkitRelativePath || file.name).split('/').slice(1).join('/') || file.name;
    byPath[rel] = file;
  }
  const folder = (files[0]?.webkitRelativePath.split('/')[0] || 'local-model').slice(0, 80);
  const missing = ['config.json', 'tokenizer.json'].filter((f) => !byPath[f]);
  const onnx = Object.keys(byPath).filter((p) => /^onnx\/model.*\.onnx$/.test(p));
  if (missing.length > 0 || onnx.length === 0) {
    say(
      'error',
      `The folder "${folder}" is not a transformers.js model: ${[...missing.map((m) => `${m} is missing`), ...(onnx.length === 0 ? ['there is no onnx/model*.onnx file'] : [])].join('; ')}.`,
    );
    return;
  }
  const id = `local/${folder}`;
  const dtypes: CatalogModel['dtypes'] = {};
  for (const dtype of DTYPES) {
    const f = byPath[DTYPE_FILE[dtype]];
    if (f) dtypes[dtype] = { bytes: f.size, exact: true };
  }
  const model: CatalogModel = {
    ...customHubModel(id),
    label: `${folder} (from disk)`,
    dtypes,
    note: 'Picked from disk: files stay on this device.',
  };
  useMeasure.setState((s) => ({
    extraModels: [...s.extraModels.filter((m) => m.id !== id), model],
    pickedFiles: { ...s.pickedFiles, [id]: byPath },
  }));
  setForm({ modelId: id });
}

/** Where the engine loads a model from: the picked files, the embedded folder or the Hub host. */
export function sourceFor(model: CatalogModel, s: MeasureState): ModelSource {
  return modelSource(model, hubHost(), s.pickedFiles[model.id]);
}

// Token events arrive faster than React should render: buffer them and flush once per frame.
let tokenBuffer: Array<LiveToken & { text: string }> = [];
let frameRequested = false;
// Download progress arrives per network chunk: it joins the same once-per-frame flush.
let pendingProgress: Record<string, ProgressInfo> = {};

/** Applies a frame's worth of download progress (file → latest progress). */
export function applyProgressFrame(progress: Record<string, ProgressInfo>) {
  useDownloadProgress.setState((s) => ({ files: { ...s.files, ...progress } }));
}

function flushTokens() {
  frameRequested = false;
  if (Object.keys(pendingProgress).length > 0) {
    const progress = pendingProgress;
    pendingProgress = {};
    applyProgressFrame(progress);
  }
  const batch = tokenBuffer;
  tokenBuffer = [];
  if (batch.length === 0) return;
  useMeasure.setState((s) => {
    const rep = batch[batch.length - 1]?.rep ?? s.currentRep;
    const fresh = rep !== s.currentRep;
    const sameRep = batch.filter((t) => t.rep === rep);
    return {
      currentRep: rep,
      liveTokens: [
        ...(fresh ? [] : s.liveTokens),
        ...sameRep.map(({ rep: r, index, timeMs }) => ({ rep: r, index, timeMs })),
      ],
      liveText: (fresh ? '' : s.liveText) + sameRep.map((t) => t.text).join(''),
    };
  });
}
const scheduleFlush = () => {
  if (frameRequested) return;
  frameRequested = true;
  // rAF does not fire in hidden tabs; a timer keeps the buffer from growing without bound there.
  if (document.visibilityState === 'visible') requestAnimationFrame(flushTokens);
  else setTimeout(flushTokens, 250);
};

let controller: AbortController | null = null;

/** Validates the form, then loads (if needed), warms up and runs R repetitions. */
export async function startRun(): Promise<RunResult | null> {
  const s = useMeasure.getState();
  if (s.phase !== 'idle') return null;
  const model = selectedModel(s);
  if (!model) {
    say('error', 'Pick a model first.');
    return null;
  }
  const checked = validateRun(s.form, contextTokensOf(s, model));
  if (!checked.ok) return null;
  // A forced device goes to the worker as asked, so a fallback is decided and noted where it happens.
  const device = s.form.device === 'auto' ? effectiveDevice(s) : s.form.device;
  controller = new AbortController();
  useDownloadProgress.setState({ files: {} });
  pendingProgress = {};
  useMeasure.setState({
    phase: 'waiting',
    liveTokens: [],
    liveText: '',
    currentRep: 0,
    messages: [],
    result: null,
  });
  if (s.form.device === 'webgpu' && !s.capabilities?.webgpu) {
    say(
      'warn',
      `WebGPU is not available here (${s.capabilities?.webgpuUnavailableReason ?? 'no adapter'}). Running on WASM.`,
    );
  }
  const result = await runMeasurement(
    {
      modelId: model.id,
      sourceKind: s.pickedFiles[model.id] ? 'files' : model.source,
      dtype: s.form.dtype,
      device,
      promptTokens: checked.promptTokens,
      genTokens: checked.genTokens,
      reps: checked.reps,
    },
    sourceFor(model, s),
    {
      onStarted: () => useMeasure.setState({ phase: 'loading' }),
      onProgress: (p) => {
        pendingProgress[p.file] = p;
        scheduleFlush();
      },
      onLoaded: (loaded) => {
        useMeasure.setState({ phase: 'warming-up' });
        // The model's own config.json is the authority on its context (a typed-in Hub id starts with a guess).
        if (loaded.maxContextTokens > 0) {
          useMeasure.setState((st) => ({
            learnedContextTokens: { ...st.learnedContextTokens, [model.id]: loaded.maxContextTokens },
          }));
        }
      },
      onWarmup: () => useMeasure.setState({ phase: 'running' }),
      onToken: (t) => {
        tokenBuffer.push(t);
        scheduleFlush();
      },
      onUpdate: (run) => {
        useMeasure.setState({ result: run });
        if (run.repetitions.length > 0 || run.status !== 'running') runSink(run);
      },
    },
    controller.signal,
  );
  flushTokens();
  controller = null;
  useMeasure.setState({ phase: 'idle', result });
  if (result.error) {
    say(result.status === 'failed' ? 'error' : 'warn', result.error.message);
    if (result.error.code === 'device-lost' && device === 'webgpu') {
      setForm({ device: 'wasm' });
      say(
        'info',
        'Switched to WASM after the WebGPU device was lost. Completed repetitions are kept; press Run to measure on WASM.',
      );
    }
  }
  return result;
}

/** Stops the run at the next token; completed repetitions are kept and the run is marked partial. */
export function interruptRun() {
  controller?.abort();
}

/** Fault injection for end-to-end tests (?debug). */
export function simulateFault(action: 'crash' | 'hang' | 'lose-device') {
  session.simulate(action);
}
