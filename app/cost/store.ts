/**
 * The cost page's state: the scenario as typed (draft), the last scenario that validated (shown while a
 * field is being fixed, so charts never go blank) and the price table. Numbers derived from the scenario
 * are computed in components, never stored. Actions live at module level.
 */
import { create } from 'zustand';
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
  type ScenarioDraft,
  scenarioFromSearch,
  URL_PARAM,
  type VolumeUnit,
  validateDraft,
} from './scenario.ts';

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

/** The URL's scenario from the first render on, so a reload never flashes the defaults. */
const initialScenario = (): ReadScenario =>
  typeof location === 'undefined'
    ? { draft: defaultDraft(), notes: [] }
    : scenarioFromSearch(location.search);

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
export function selectPriceRow(row: PriceRow) {
  const d = useCostStore.getState().draft;
  setDraft({
    ...d,
    apiRowId: row.id,
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

/** "Use this run": a measured run's median speeds become the single-stream and in-browser speeds. */
export function applyRunSpeeds(run: RunSpeeds) {
  const prefill = speedText(run.prefillTokPerS);
  const decode = speedText(run.decodeTokPerS);
  patchFields({
    gpuPrefillTokPerS: prefill,
    gpuDecodeTokPerS: decode,
    browserPrefillTokPerS: prefill,
    browserDecodeTokPerS: decode,
  });
}

export function resetScenario() {
  setDraft(defaultDraft());
  dismissUrlNotes();
}

/** Takes the scenario from a query string, keeping notes on whatever in it could not be read. */
export function loadDraftFromUrl(search: string) {
  const { draft, notes } = scenarioFromSearch(search);
  setDraft(draft);
  useCostStore.setState({ urlNotes: notes });
}

export const dismissUrlNotes = () => useCostStore.setState({ urlNotes: [] });

/** Writes the scenario into `?cost=` (replacing history: typing should not fill the back button). */
export function writeDraftToUrl(draft: ScenarioDraft) {
  const url = new URL(location.href);
  url.searchParams.set(URL_PARAM, encodeScenario(draft));
  if (url.href !== location.href) history.replaceState(history.state, '', url);
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
