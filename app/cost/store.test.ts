import { beforeEach, describe, expect, it } from 'vitest';
import { findGpu } from './gpus.ts';
import { projectSelfHosted } from './model.ts';
import { FIELD_KEYS, FIELDS, validateDraft } from './scenario.ts';
import {
  addCustomRow,
  applyBrowserRun,
  applyServerFigures,
  customRowId,
  loadDraftFromUrl,
  removeCustomRow,
  resetScenario,
  selectGpu,
  setField,
  setVolumeUnit,
  useCostStore,
} from './store.ts';

const fields = () => useCostStore.getState().draft.fields;

describe('cost store', () => {
  beforeEach(resetScenario);

  it('"Use this run" prices the in-browser option only: a browser run never changes self-hosted fields', () => {
    const before = useCostStore.getState().draft;
    applyBrowserRun({
      runId: 'r',
      label: 'medium · q8 · wasm',
      modelId: 'medium',
      dtype: 'q8',
      device: 'wasm',
      randomWeights: true,
      prefillTokPerS: 512.345,
      decodeTokPerS: 41.27,
    });
    const after = useCostStore.getState().draft;
    expect(fields().browserPrefillTokPerS).toBe('512');
    expect(fields().browserDecodeTokPerS).toBe('41.3');
    expect(useCostStore.getState().lastValid.browser.decodeTokPerS).toBe(41.3);
    expect(after.models.browser).toEqual({ name: 'medium · q8 · wasm (measured here)', tier: 'none' });
    // Every self-hosted input, the GPU and the self-hosted model stay exactly as they were.
    for (const k of FIELD_KEYS.filter((key) => FIELDS[key].group === 'selfHosted'))
      expect(after.fields[k]).toBe(before.fields[k]);
    expect(after.gpuId).toBe(before.gpuId);
    expect(after.models.selfHosted).toEqual(before.models.selfHosted);
    expect(useCostStore.getState().lastValid.selfHosted).toEqual(validateDraft(before).scenario?.selfHosted);
  });

  it('a server preset sets the self-hosted figures and names the model it prices', () => {
    applyServerFigures({
      name: 'Llama 3.1 8B · FP8 / INT8 on H100 SXM 80 GB',
      tier: 'medium',
      weightsGb: 8.03,
      kvCacheGb: 0.537,
      prefillTokPerS: 18_500,
      decodeTokPerS: 250,
      fits: true,
    });
    expect(fields().gpuDecodeTokPerS).toBe('250');
    expect(fields().weightsGb).toBe('8.03');
    expect(fields().browserDecodeTokPerS).toBe(String(FIELDS.browserDecodeTokPerS.default));
    expect(useCostStore.getState().draft.models.selfHosted.tier).toBe('medium');
  });

  it('keeps the last valid scenario while a field is wrong', () => {
    setField('gpuUsdPerHour', '2');
    const before = projectSelfHosted(useCostStore.getState().lastValid).perMonthUsd;
    setField('utilisationPct', '0');
    expect(useCostStore.getState().lastValid.selfHosted.utilisation).toBe(0.6);
    expect(projectSelfHosted(useCostStore.getState().lastValid).perMonthUsd).toBe(before);
  });

  it('switching per day → per month keeps the traffic', () => {
    setField('requests', '1000');
    setVolumeUnit('month');
    expect(fields().requests).toBe('30000');
    expect(useCostStore.getState().lastValid.workload.requestsPerDay).toBe(1000);
  });

  it('a custom row is added, selected and can be removed', () => {
    addCustomRow({ name: 'Quote', inputUsdPer1M: 1, cachedInputUsdPer1M: 0.5, outputUsdPer1M: 3 });
    expect(useCostStore.getState().draft.apiRowId).toBe('custom/0');
    expect(fields().apiOutput).toBe('3');
    removeCustomRow(0);
    expect(useCostStore.getState().draft.customRows).toEqual([]);
    expect(useCostStore.getState().draft.apiRowId).toBe('');
  });

  it('removing a custom row keeps the selection on the same row, not on whichever took its place', () => {
    for (const name of ['A', 'B', 'C']) {
      addCustomRow({ name, inputUsdPer1M: 1, cachedInputUsdPer1M: 0.5, outputUsdPer1M: 3 });
    }
    const selectedName = () => {
      const { apiRowId, customRows } = useCostStore.getState().draft;
      return customRows.find((_, i) => customRowId(i) === apiRowId)?.name ?? null;
    };
    expect(selectedName()).toBe('C');
    removeCustomRow(0);
    expect(selectedName()).toBe('C');
    removeCustomRow(0);
    expect(selectedName()).toBe('C');
    removeCustomRow(0);
    expect(useCostStore.getState().draft.apiRowId).toBe('');
  });

  it('a scenario link from a newer version opens with what can be read and a note that says so', () => {
    loadDraftFromUrl(`?view=cost&cost=${encodeURIComponent('{"v":4,"f":{"requests":"77"}}')}`);
    expect(fields().requests).toBe('77');
    expect(useCostStore.getState().urlNotes).toEqual([expect.stringMatching(/newer version/)]);
    resetScenario();
    expect(useCostStore.getState().urlNotes).toEqual([]);
  });

  it('picking a GPU takes its memory, power and typical $/h', () => {
    const l4 = findGpu('l4');
    if (!l4) throw new Error('l4 missing');
    selectGpu(l4);
    expect(fields().gpuMemoryGb).toBe('24');
    expect(fields().gpuPowerW).toBe('72');
    expect(fields().gpuUsdPerHour).toBe('0.65');
  });
});
