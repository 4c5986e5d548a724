/**
 * Hosted API prices: an adapter over the price data bundled in `@pydantic/genai-prices`, read
 * offline (the package ships its table; we never call its auto-update, which would fetch from GitHub),
 * plus the user's own custom rows.
 */

/** Where the bundled prices come from and how old they are: shown next to the table. */
export const PRICE_TABLE_SOURCE = {
  name: '@pydantic/genai-prices',
  version: '0.1.8',
  /** npm publish date of that version: the data cannot be newer than this. */
  publishedOn: '2026-09-23',
  url: 'https://github.com/pydantic/genai-prices',
} as const;

/** Providers offered in the picker: first-party model makers and the large open-model hosts. */
export const PRICE_PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'mistral',
  'deepseek',
  'x-ai',
  'cohere',
  'groq',
  'together',
  'fireworks',
  'cerebras',
] as const;

export interface PriceRow {
  /** `provider/model` for table rows, `custom/<n>` for the user's. */
  id: string;
  provider: string;
  model: string;
  inputUsdPer1M: number;
  /** Price of input tokens read from the provider's prompt cache; the input price where none is listed. */
  cachedInputUsdPer1M: number;
  outputUsdPer1M: number;
  custom: boolean;
}

export const DEFAULT_PRICE_ROW: PriceRow = {
  id: 'openai/gpt-4.1-mini',
  provider: 'OpenAI',
  model: 'gpt-4.1-mini',
  inputUsdPer1M: 0.4,
  cachedInputUsdPer1M: 0.1,
  outputUsdPer1M: 1.6,
  custom: false,
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** A price field is a number or a tiered price `{ base, tiers }`; we use the base (short prompts). */
function priceValue(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) && x >= 0 ? x : null;
  if (isRecord(x) && typeof x.base === 'number') return priceValue(x.base);
  return null;
}

/**
 * The prices in force at `now`, following genai-prices' own rule: the last entry whose constraint holds.
 * Time-of-day (off-peak) entries are skipped: a budget should use the standard price.
 */
function currentPrices(prices: unknown, now: Date): Record<string, unknown> | null {
  if (!Array.isArray(prices)) return isRecord(prices) ? prices : null;
  for (let i = prices.length - 1; i >= 0; i--) {
    const entry: unknown = prices[i];
    if (!isRecord(entry) || !isRecord(entry.prices)) continue;
    const c = entry.constraint;
    if (c === undefined) return entry.prices;
    if (isRecord(c) && c.type === 'start_date' && typeof c.start_date === 'string') {
      if (now >= new Date(c.start_date)) return entry.prices;
    }
  }
  const first: unknown = prices[0];
  return isRecord(first) && isRecord(first.prices) ? first.prices : null;
}

/**
 * Rows with input and output prices per 1M tokens from genai-prices' provider objects (read as
 * `unknown`: the shape is the package's, checked here). Deprecated models and models without a text
 * input and output price are left out.
 */
export function priceRowsFromProviders(providers: readonly unknown[], now: Date): PriceRow[] {
  const rows: PriceRow[] = [];
  for (const p of providers) {
    if (!isRecord(p) || typeof p.id !== 'string' || !Array.isArray(p.models)) continue;
    const providerName = typeof p.name === 'string' ? p.name : p.id;
    for (const m of p.models as unknown[]) {
      if (!isRecord(m) || typeof m.id !== 'string' || m.deprecated === true) continue;
      const prices = currentPrices(m.prices, now);
      if (!prices) continue;
      const input = priceValue(prices.input_mtok);
      const output = priceValue(prices.output_mtok);
      if (input === null || output === null) continue;
      rows.push({
        id: `${p.id}/${m.id}`,
        provider: providerName,
        model: typeof m.name === 'string' && m.name.length > 0 ? m.name : m.id,
        inputUsdPer1M: input,
        cachedInputUsdPer1M: priceValue(prices.cache_read_mtok) ?? input,
        outputUsdPer1M: output,
        custom: false,
      });
    }
  }
  return rows;
}

/**
 * Loads the bundled table. A dynamic import, so the ~800 kB of price data is its own chunk, fetched from
 * this site only when the cost page opens.
 */
export async function loadPriceTable(now = new Date()): Promise<PriceRow[]> {
  const { findProvider } = await import('@pydantic/genai-prices');
  const providers = PRICE_PROVIDERS.map((providerId) => findProvider({ providerId })).filter(
    (p) => p !== undefined,
  );
  return priceRowsFromProviders(providers, now);
}
