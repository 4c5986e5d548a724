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
  /** Retired or deprecated: hidden from the picker unless asked for (see `isRetired`). */
  retired?: boolean;
}

/**
 * Shutdowns the bundled data does not flag (`deprecated` is set on a few models only), from the providers'
 * own deprecation pages, read on the date below. A row here is hidden by default, like a flagged one.
 */
export const KNOWN_RETIRED = {
  asOf: '2025-10',
  sources: [
    'https://platform.openai.com/docs/deprecations',
    'https://docs.anthropic.com/en/docs/about-claude/model-deprecations',
  ],
  ids: [
    'openai/ada',
    'openai/babbage',
    'openai/curie',
    'openai/davinci',
    'openai/text-davinci-002',
    'openai/text-davinci-003',
    'openai/gpt-3.5-0301',
    'openai/gpt-3.5-turbo-0613',
    'openai/gpt-4-32k',
    'openai/gpt-4-vision-preview',
    'openai/gpt-4.5-preview',
    'openai/o1-preview',
    'anthropic/claude-v1',
    'anthropic/claude-2',
    'anthropic/claude-3-sonnet',
  ],
} as const;

/**
 * Whether a model of the data is retired: flagged `deprecated: true`, listed in KNOWN_RETIRED, or described
 * as such in its own description ("Retired, …", "(deprecated) …", "This model is being deprecated",
 * "Deprecated 2025-09-15", "No longer listed"). A lowercase "retired" inside a sentence (a feature that was
 * retired) does not count.
 */
export function isRetired(rowId: string, model: Record<string, unknown>): boolean {
  if (model.deprecated === true) return true;
  if ((KNOWN_RETIRED.ids as readonly string[]).includes(rowId)) return true;
  const d = typeof model.description === 'string' ? model.description : '';
  return (
    /(^|[.!]\s+)(Retired|Deprecated)\b/.test(d) ||
    /\(deprecated\)|being deprecated|no longer (listed|available)/i.test(d)
  );
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
 * `unknown`: the shape is the package's, checked here). Models without a text input and output price are
 * left out; retired ones are kept, marked `retired` (see `isRetired`), for the picker to hide by default.
 */
export function priceRowsFromProviders(providers: readonly unknown[], now: Date): PriceRow[] {
  const rows: PriceRow[] = [];
  for (const p of providers) {
    if (!isRecord(p) || typeof p.id !== 'string' || !Array.isArray(p.models)) continue;
    const providerName = typeof p.name === 'string' ? p.name : p.id;
    for (const m of p.models as unknown[]) {
      if (!isRecord(m) || typeof m.id !== 'string') continue;
      const prices = currentPrices(m.prices, now);
      if (!prices) continue;
      const input = priceValue(prices.input_mtok);
      const output = priceValue(prices.output_mtok);
      if (input === null || output === null) continue;
      const id = `${p.id}/${m.id}`;
      rows.push({
        id,
        provider: providerName,
        model: typeof m.name === 'string' && m.name.length > 0 ? m.name : m.id,
        inputUsdPer1M: input,
        cachedInputUsdPer1M: priceValue(prices.cache_read_mtok) ?? input,
        outputUsdPer1M: output,
        custom: false,
        retired: isRetired(id, m),
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

/** The model id of a table row (`provider/model` → `model`). */
const modelIdOf = (r: PriceRow): string => r.id.slice(r.id.indexOf('/') + 1);

/**
 * What the picker shows for each row: the model's name, and where two rows of one provider share a name
 * (the data has two "gpt 4" rows, gpt-4 and gpt-4-32k, at different prices), the exact model id after it.
 * Returns a map from row id to label.
 */
export function priceRowLabels(rows: readonly PriceRow[]): Map<string, string> {
  const count = new Map<string, number>();
  const key = (r: PriceRow) => `${r.provider}\u0000${r.model.toLowerCase()}`;
  for (const r of rows) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return new Map(
    rows.map((r) => [
      r.id,
      (count.get(key(r)) ?? 0) > 1 && !r.custom ? `${r.model} (${modelIdOf(r)})` : r.model,
    ]),
  );
}

/**
 * The rows the picker offers, grouped by provider in table order: retired rows only when `showRetired`,
 * except the selected row, which always stays so the picker never shows a price it cannot name.
 */
export function pickerGroups(
  rows: readonly PriceRow[],
  showRetired: boolean,
  selectedId: string,
): { provider: string; rows: PriceRow[] }[] {
  const groups = new Map<string, PriceRow[]>();
  for (const r of rows) {
    if (r.retired && !showRetired && r.id !== selectedId) continue;
    groups.set(r.provider, [...(groups.get(r.provider) ?? []), r]);
  }
  return [...groups].map(([provider, rs]) => ({ provider, rows: rs }));
}
