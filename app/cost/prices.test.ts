import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_ROW, loadPriceTable, PRICE_TABLE_SOURCE, priceRowsFromProviders } from './prices.ts';

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
  it('skips deprecated models, rows without text prices and garbage', () => {
    expect(
      priceRowsFromProviders([provider({ input_mtok: 1, output_mtok: 2 }, { deprecated: true })], new Date()),
    ).toEqual([]);
    expect(priceRowsFromProviders([provider({ input_audio_mtok: 1 })], new Date())).toEqual([]);
    expect(
      priceRowsFromProviders([null, 3, { id: 1 }, provider({ input_mtok: -1, output_mtok: 2 })], new Date()),
    ).toEqual([]);
  });
});
