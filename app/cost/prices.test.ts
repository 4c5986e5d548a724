import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRICE_ROW,
  isRetired,
  loadPriceTable,
  PRICE_TABLE_SOURCE,
  type PriceRow,
  pickerGroups,
  priceRowLabels,
  priceRowsFromProviders,
} from './prices.ts';

describe('bundled price table', () => {
  it('states the installed version of @pydantic/genai-prices', () => {
    const pkg: unknown = JSON.parse(readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8'));
    expect(pkg).toMatchObject({ version: PRICE_TABLE_SOURCE.version });
  });
  it('loads offline, with the default row at the prices the page starts from', async () => {
    const rows = await loadPriceTable(new Date('2026-11-01'));
    expect(rows.length).toBeGreaterThan(50);
    const def = rows.find((r) => r.id === DEFAULT_PRICE_ROW.id);
    expect(def).toMatchObject({
      inputUsdPer1M: DEFAULT_PRICE_ROW.inputUsdPer1M,
      cachedInputUsdPer1M: DEFAULT_PRICE_ROW.cachedInputUsdPer1M,
      outputUsdPer1M: DEFAULT_PRICE_ROW.outputUsdPer1M,
    });
    for (const r of rows) {
      for (const x of [r.inputUsdPer1M, r.cachedInputUsdPer1M, r.outputUsdPer1M]) {
        expect(Number.isFinite(x) && x >= 0).toBe(true);
      }
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});

describe('priceRowsFromProviders', () => {
  const provider = (prices: unknown, extra: Record<string, unknown> = {}) => ({
    id: 'p',
    name: 'P',
    models: [{ id: 'm', prices, ...extra }],
  });
  it('uses the tier base price, and the input price when no cached price is listed', () => {
    const rows = priceRowsFromProviders(
      [provider({ input_mtok: { base: 1, tiers: [{ start: 200000, price: 2 }] }, output_mtok: 4 })],
      new Date(),
    );
    expect(rows).toEqual([
      {
        id: 'p/m',
        provider: 'P',
        model: 'm',
        inputUsdPer1M: 1,
        cachedInputUsdPer1M: 1,
        outputUsdPer1M: 4,
        custom: false,
        retired: false,
      },
    ]);
  });
  it('picks the price in force at the date, skipping off-peak entries', () => {
    const prices = [
      { prices: { input_mtok: 1, output_mtok: 2 } },
      {
        constraint: { type: 'start_date', start_date: '2027-01-01' },
        prices: { input_mtok: 3, output_mtok: 4 },
      },
      {
        constraint: { type: 'time_of_date', start_time: '16:30:00', end_time: '00:30:00' },
        prices: { input_mtok: 0.5, output_mtok: 1 },
      },
    ];
    expect(priceRowsFromProviders([provider(prices)], new Date('2026-06-01'))[0]?.inputUsdPer1M).toBe(1);
    expect(priceRowsFromProviders([provider(prices)], new Date('2027-06-01'))[0]?.inputUsdPer1M).toBe(3);
  });
  it('keeps deprecated models marked retired; skips rows without text prices and garbage', () => {
    const rows = priceRowsFromProviders(
      [provider({ input_mtok: 1, output_mtok: 2 }, { deprecated: true })],
      new Date(),
    );
    expect(rows.map((r) => r.retired)).toEqual([true]);
    expect(priceRowsFromProviders([provider({ input_audio_mtok: 1 })], new Date())).toEqual([]);
    expect(
      priceRowsFromProviders([null, 3, { id: 1 }, provider({ input_mtok: -1, output_mtok: 2 })], new Date()),
    ).toEqual([]);
  });
});

describe('retired models and duplicate names', () => {
  it('reads retirement from the data flag, the dated list and the description, not from a retired feature', () => {
    expect(isRetired('x/a', { deprecated: true })).toBe(true);
    expect(isRetired('openai/davinci', {})).toBe(true);
    expect(isRetired('x/b', { description: 'Retired, here to match price sources' })).toBe(true);
    expect(isRetired('x/c', { description: 'First model. Retired on 2025-06-16; kept for records.' })).toBe(
      true,
    );
    expect(isRetired('x/d', { description: 'Note: This model is being deprecated.' })).toBe(true);
    expect(
      isRetired('x/e', { description: 'Fast model. The 1M context beta was retired on 2026-04-30.' }),
    ).toBe(false);
    expect(isRetired('x/f', { description: 'Our best model' })).toBe(false);
  });

  it('the bundled table hides retired rows by default and names both "gpt 4" rows by their id', async () => {
    const rows = await loadPriceTable(new Date('2026-11-01'));
    const shown = pickerGroups(rows, false, DEFAULT_PRICE_ROW.id).flatMap((g) => g.rows);
    const all = pickerGroups(rows, true, DEFAULT_PRICE_ROW.id).flatMap((g) => g.rows);
    expect(all).toHaveLength(rows.length);
    expect(shown.length).toBeLessThan(rows.length);
    for (const id of ['openai/davinci', 'openai/gpt-4-32k', 'anthropic/claude-v1', 'cerebras/llama3.1-8b'])
      expect(shown.map((r) => r.id)).not.toContain(id);
    expect(shown.map((r) => r.id)).toContain('openai/gpt-4');
    const labels = priceRowLabels(rows);
    expect(labels.get('openai/gpt-4')).toBe('gpt 4 (gpt-4)');
    expect(labels.get('openai/gpt-4-32k')).toBe('gpt 4 (gpt-4-32k)');
    expect(labels.get(DEFAULT_PRICE_ROW.id)).toBe('gpt 4.1 mini');
    // Within one provider every label the picker shows is unique.
    for (const g of pickerGroups(rows, true, '')) {
      const names = g.rows.map((r) => labels.get(r.id)?.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('groups by provider in table order and keeps a selected retired row visible', () => {
    const row = (id: string, provider: string, retired: boolean): PriceRow => ({
      id,
      provider,
      model: id,
      inputUsdPer1M: 1,
      cachedInputUsdPer1M: 1,
      outputUsdPer1M: 2,
      custom: false,
      retired,
    });
    const rows = [row('a/1', 'A', false), row('b/1', 'B', true), row('a/2', 'A', true)];
    expect(pickerGroups(rows, false, '')).toEqual([{ provider: 'A', rows: [rows[0]] }]);
    expect(pickerGroups(rows, false, 'a/2').map((g) => g.rows.map((r) => r.id))).toEqual([['a/1', 'a/2']]);
    expect(pickerGroups(rows, true, '').map((g) => g.provider)).toEqual(['A', 'B']);
  });
});
