/**
 * The cost page's state: the scenario as typed (draft), the last scenario that validated (shown while a
 * field is being fixed, so charts never go blank) and the price table. Numbers derived from the scenario
 * are computed in components, never stored. Actions live at module level.
 */
import { create } from 'zustand';
import type { BatchCurve } from '../run/batch-curve.ts';
import { findGpu, type GpuRow, typicalUsdPerHour } from './gpus.ts';
import { DAYS_PER_MONTH, type OptionKind, type Scenario } from './model.ts';
import { loadPriceTable, type PriceRow } from './prices.ts';
import type { RunSpeeds } from './runs.ts';
import { speedText } from './runs.ts';
import {
  type CustomPriceRow,
  defaultDraft,
  encodeScenario,
  type FieldKey,
  parseField,
  type ReadScenario,
  readScenario,
  type ScenarioDraft,
  scenarioFromSearch,
  URL_PARAM,
  type VolumeUnit,
  validateDraft,
} from './scenario.ts';
import {
  benchFigures,
  benchSourceText,
  matchGpu,
  type ServerBenchmark,
  tierForParams,
} from './server-bench.ts';
import type { ServerFigures } from './server-presets.ts';
import type { OptionModel, RequiredTier } from './verdict.ts';

export type PriceTableState =
  | { status: 'loading' }
  | { status: 'ready'; rows: PriceRow[] }
  | { status: 'error'; message: string };

interface CostState {
  draft: ScenarioDraft;
  /** What could not be read from the scenario in the URL, in words; empty when all of it was. */
  urlNotes: string[];
  lastValid: Scenario;
  priceTable: PriceTableState;
}

const fallbackScenario = (): Scenario => {
  const s = validateDraft(defaultDraft()).scenario;
  if (!s) throw new Error('The default cost scenario does not validate');
  return s;
};

/** Where the last scenario is kept, for a page opened without `?cost=` (a typed address, a bookmark). */
export const STORAGE_KEY = 'inference-cost-lab.cost-scenario';

/** The stored scenario's `cost=` value, or null (no storage, nothing stored, or storage refused). */
function storedScenario(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The scenario of a query string; without `?cost=`, the one last stored on this device; else the defaults.
 * A link always wins over storage, so a shared scenario opens as it was sent.
 */
export function scenarioFromSearchOrStorage(search: string): ReadScenario {
  if (new URLSearchParams(search).has(URL_PARAM)) return scenarioFromSearch(search);
  const stored = storedScenario();
  if (stored === null) return { draft: defaultDraft(), notes: [] };
  // A stored scenario that no longer reads is dropped quietly: the user did not send it as a link.
  const read = readScenario(stored);
  return { draft: read.draft, notes: [] };
}

/** The URL's (or the stored) scenario from the first render on, so a reload never flashes the defaults. */
const initialScenario = (): ReadScenario =>
  typeof location === 'undefined'
    ? { draft: defaultDraft(), notes: [] }
    : scenarioFromSearchOrStorage(location.search);

export const useCostStore = create<CostState>()(() => {
  const { draft, notes } = initialScenario();
  return {
    draft,
    urlNotes: notes,
    lastValid: validateDraft(draft).scenario ?? fallbackScenario(),
    priceTable: { status: 'loading' },
  };
});

function setDraft(draft: ScenarioDraft) {
  const { scenario } = validateDraft(draft);
  useCostStore.setState((s) => ({ draft, lastValid: scenario ?? s.lastValid }));
}

const patchFields = (patch: Partial<Record<FieldKey, string>>) => {
  const d = useCostStore.getState().draft;
  setDraft({ ...d, fields: { ...d.fields, ...patch } });
};

export const setField = (key: FieldKey, raw: string) => patchFields({ [key]: raw });

/** Switching day ↔ month keeps the traffic the same by converting a valid number (× or ÷ 30). */
export function setVolumeUnit(unit: VolumeUnit) {
  const d = useCostStore.getState().draft;
  if (d.volumeUnit === unit) return;
  const r = parseField('requests', d.fields.requests);
  const requests =
    'value' in r
      ? String(
          Number((unit === 'month' ? r.value * DAYS_PER_MONTH : r.value / DAYS_PER_MONTH).toPrecision(6)),
        )
      : d.fields.requests;
  setDraft({ ...d, volumeUnit: unit, fields: { ...d.fields, requests } });
}

/** Takes the API prices from a table row (the user may then override any of them). */
export function selectPriceRow(row: PriceRow, label = row.model) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    apiRowId: row.id,
    models: { ...d.models, api: { ...d.models.api, name: `${row.provider} · ${label}` } },
    fields: {
      ...d.fields,
      apiInput: String(row.inputUsdPer1M),
      apiCachedInput: String(row.cachedInputUsdPer1M),
      apiOutput: String(row.outputUsdPer1M),
    },
  });
}

export const customRowId = (index: number): string => `custom/${index}`;

export const customRowToPriceRow = (r: CustomPriceRow, index: number): PriceRow => ({
  id: customRowId(index),
  provider: 'Your rows',
  model: r.name,
  inputUsdPer1M: r.inputUsdPer1M,
  cachedInputUsdPer1M: r.cachedInputUsdPer1M,
  outputUsdPer1M: r.outputUsdPer1M,
  custom: true,
});

export function addCustomRow(row: CustomPriceRow) {
  const d = useCostStore.getState().draft;
  const customRows = [...d.customRows, row];
  setDraft({ ...d, customRows });
  selectPriceRow(customRowToPriceRow(row, customRows.length - 1));
}

/**
 * Removes a custom row. Custom row ids are positions, so a selected row after the removed one moves down
 * with it, and removing the selected row clears the selection (its prices stay in the fields).
 */
export function removeCustomRow(index: number) {
  const d = useCostStore.getState().draft;
  const customRows = d.customRows.filter((_, i) => i !== index);
  const selected = d.customRows.findIndex((_, i) => customRowId(i) === d.apiRowId);
  const apiRowId =
    selected < 0
      ? d.apiRowId
      : selected === index
        ? ''
        : customRowId(selected > index ? selected - 1 : selected);
  setDraft({ ...d, customRows, apiRowId });
}

/** Takes memory, power and the middle of the $/h range from a GPU row. */
export function selectGpu(g: GpuRow) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    gpuId: g.id,
    fields: {
      ...d.fields,
      gpuUsdPerHour: String(typicalUsdPerHour(g)),
      gpuMemoryGb: String(g.memoryGb),
      gpuPowerW: String(g.tdpW),
    },
  });
}

export const selectGpuById = (id: string) => {
  const g = findGpu(id);
  if (g) selectGpu(g);
};

export const setPowerIncluded = (included: boolean) =>
  setDraft({ ...useCostStore.getState().draft, powerIncludedInPrice: included });

export const setFocus = (focus: OptionKind) => setDraft({ ...useCostStore.getState().draft, focus });

/**
 * "Use this run": a run measured in this browser prices the in-browser option, and nothing else. A
 * laptop's speeds say nothing about a server GPU, so the self-hosted figures stay as they were. A run of
 * a random-weight model is priced at quality "random weights", so it never passes a quality bar.
 */
export function applyBrowserRun(run: RunSpeeds) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    fields: {
      ...d.fields,
      browserPrefillTokPerS: speedText(run.prefillTokPerS),
      browserDecodeTokPerS: speedText(run.decodeTokPerS),
    },
    models: {
      ...d.models,
      browser: {
        name: `${run.label} (measured here)`,
        tier: run.randomWeights
          ? 'none'
          : d.models.browser.tier === 'none'
            ? 'unstated'
            : d.models.browser.tier,
      },
    },
  });
}

/** A server preset (or an imported server benchmark): the self-hosted figures and the model they price. */
export function applyServerFigures(f: ServerFigures) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    fields: {
      ...d.fields,
      weightsGb: String(f.weightsGb),
      kvCacheGb: String(f.kvCacheGb),
      gpuPrefillTokPerS: String(f.prefillTokPerS),
      gpuDecodeTokPerS: String(f.decodeTokPerS),
    },
    models: { ...d.models, selfHosted: { name: f.name, tier: f.tier } },
    serverSource: null,
  });
}

/** Longest model name the scenario keeps (its URL form refuses longer). */
const MAX_MODEL_NAME_CHARS = 160;
/** Longest source line the scenario keeps. */
const MAX_SOURCE_CHARS = 400;

/**
 * An imported server benchmark (server-bench.ts): its speeds, and its batch size and slowdown where it
 * measured them, become the self-hosted figures; its weights replace the typed ones when the file states
 * them; the GPU row is picked when the file names one of the bundled GPUs. The option's model names the
 * file, and the scenario keeps where the figures came from.
 */
export function applyServerBenchmark(b: ServerBenchmark) {
  const gpu = matchGpu(b.gpu);
  if (gpu && gpu.id !== useCostStore.getState().draft.gpuId) selectGpu(gpu);
  const d = useCostStore.getState().draft;
  const alpha = parseField('batchSlowdown', d.fields.batchSlowdown);
  const f = benchFigures(b, 'value' in alpha ? alpha.value : 0);
  const prefill = speedText(f.prefillTokPerS);
  const decode = speedText(f.decodeTokPerS);
  const fields = { ...d.fields, gpuPrefillTokPerS: prefill, gpuDecodeTokPerS: decode };
  if (f.concurrency !== null) fields.concurrency = String(f.concurrency);
  if (f.batchSlowdown !== null) fields.batchSlowdown = String(Number(f.batchSlowdown.toFixed(3)));
  if (b.weightsGb !== null) fields.weightsGb = String(Number(b.weightsGb.toPrecision(3)));
  const name = `${b.model ?? 'your model'} (benchmark: ${b.fileName})`.slice(0, MAX_MODEL_NAME_CHARS);
  const tier = tierForParams(b.paramsB);
  setDraft({
    ...d,
    fields,
    models: { ...d.models, selfHosted: { name, tier } },
    serverSource: {
      text: benchSourceText(b).slice(0, MAX_SOURCE_CHARS),
      file: b.fileName.slice(0, MAX_SOURCE_CHARS),
      detail: [b.detail, b.concurrencyNote].filter(Boolean).join('; ').slice(0, MAX_SOURCE_CHARS),
      prefill,
      decode,
    },
  });
}

/** Renames an option's model or changes its quality tier. */
export function setOptionModel(kind: OptionKind, patch: Partial<OptionModel>) {
  const d = useCostStore.getState().draft;
  setDraft({ ...d, models: { ...d.models, [kind]: { ...d.models[kind], ...patch } } });
}

/** Gives every option the same quality tier: "compare like with like". */
export function alignTiers(tier: OptionModel['tier']) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    models: {
      api: { ...d.models.api, tier },
      selfHosted: { ...d.models.selfHosted, tier },
      browser: { ...d.models.browser, tier },
    },
  });
}

export const setRequiredTier = (requiredTier: RequiredTier) =>
  setDraft({ ...useCostStore.getState().draft, requiredTier });

/**
 * "Use this curve": a measured batch sweep's fit becomes the self-hosted projection's single-stream decode speed
 * S, batching slowdown α and batch size (the largest B measured).
 */
export function applyBatchCurve(curve: BatchCurve) {
  patchFields({
    gpuDecodeTokPerS: speedText(curve.singleStreamTokPerS),
    batchSlowdown: String(Number(curve.batchSlowdown.toFixed(3))),
    concurrency: String(curve.maxSequences),
  });
}

/**
 * "Use this saving": a measured prefix-cache sweep's share of a cached token's prefill that the cache saves
 * (0–1) becomes the self-hosted projection's prompt-cache saving; the API keeps its own cached-input price.
 */
export function applyPrefixSaving(savedShare: number) {
  const pct = Number.isFinite(savedShare) ? Math.round(Math.min(1, Math.max(0, savedShare)) * 100) : 100;
  patchFields({ prefixSavingPct: String(pct) });
}

export function resetScenario() {
  setDraft(defaultDraft());
  dismissUrlNotes();
}

/** Takes the scenario from a query string (or storage, without one), keeping notes on what could not be read. */
export function loadDraftFromUrl(search: string) {
  const { draft, notes } = scenarioFromSearchOrStorage(search);
  setDraft(draft);
  useCostStore.setState({ urlNotes: notes });
}

export const dismissUrlNotes = () => useCostStore.setState({ urlNotes: [] });

/**
 * Writes the scenario into `?cost=` (replacing history: typing should not fill the back button) and into
 * this device's storage, so a reload, a copied link or a page opened without the query keeps it.
 */
export function writeDraftToUrl(draft: ScenarioDraft) {
  const encoded = encodeScenario(draft);
  const url = new URL(location.href);
  url.searchParams.set(URL_PARAM, encoded);
  if (url.href !== location.href) history.replaceState(history.state, '', url);
  try {
    localStorage.setItem(STORAGE_KEY, encoded);
  } catch {
    // Storage full or refused (private mode): the URL still carries the scenario.
  }
}

let priceLoad: Promise<void> | null = null;

/** Loads the bundled price table once (a separate chunk from this site; nothing leaves the machine). */
export function ensurePriceTable(): Promise<void> {
  priceLoad ??= loadPriceTable()
    .then((rows) => useCostStore.setState({ priceTable: { status: 'ready', rows } }))
    .catch((e: unknown) => {
      priceLoad = null;
      useCostStore.setState({
        priceTable: { status: 'error', message: e instanceof Error ? e.message : String(e) },
      });
    });
  return priceLoad;
}
