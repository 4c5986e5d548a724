/**
 * The embedded models' manifest (/models/index.json), read defensively: the page falls back to it when the lab
 * passes no catalog.
 */
import { DTYPES, type Dtype } from '../engine/protocol.ts';
import type { CatalogModel } from '../models/arithmetic.ts';
import type { CatalogModel as LabCatalogModel } from '../models/catalog.ts';

export interface IndexEntry {
  id: string;
  label: string;
  randomWeights: boolean;
  dtypeBytes: Partial<Record<Dtype, number>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses index.json: `{ models: [{ id, label, randomWeights, dtypes: { fp32: { file, bytes }, … } }] }`.
 * Entries without an id are dropped; unknown dtypes and sizes that are not positive numbers are ignored.
 */
export function parseModelIndex(json: unknown): IndexEntry[] {
  if (!isRecord(json) || !Array.isArray(json.models)) return [];
  const out: IndexEntry[] = [];
  for (const m of json.models) {
    if (!isRecord(m) || typeof m.id !== 'string' || m.id === '' || !/^[\w.-]+$/.test(m.id)) continue;
    const dtypeBytes: Partial<Record<Dtype, number>> = {};
    if (isRecord(m.dtypes)) {
      for (const d of DTYPES) {
        const entry = m.dtypes[d];
        if (
          isRecord(entry) &&
          typeof entry.bytes === 'number' &&
          Number.isFinite(entry.bytes) &&
          entry.bytes > 0
        ) {
          dtypeBytes[d] = entry.bytes;
        }
      }
    }
    out.push({
      id: m.id,
      label: typeof m.label === 'string' && m.label !== '' ? m.label : m.id,
      randomWeights: m.randomWeights === true,
      dtypeBytes,
    });
  }
  return out;
}

/** Fetches the embedded catalog and every model's config.json. A config that fails to load becomes `null`. */
export async function fetchEmbeddedCatalog(signal?: AbortSignal): Promise<CatalogModel[]> {
  const res = await fetch('/models/index.json', { signal });
  if (!res.ok) throw new Error(`/models/index.json answered ${res.status}`);
  const entries = parseModelIndex(await res.json());
  return Promise.all(
    entries.map(async (e): Promise<CatalogModel> => {
      let config: unknown = null;
      try {
        const r = await fetch(`/models/${e.id}/config.json`, { signal });
        if (r.ok) config = await r.json();
      } catch {
        // Shown as a config error in the table rather than failing the whole catalog.
      }
      return {
        id: e.id,
        label: e.label,
        config,
        dtypeBytes: e.dtypeBytes,
        randomWeights: e.randomWeights,
        source: 'embedded',
      };
    }),
  );
}

/**
 * Converts the lab's model catalog (app/models/catalog.ts) to what this page needs. Only exact file sizes are
 * kept: Hub sizes guessed before download are left to this page's own per-dtype estimate, which is labelled so.
 */
export function fromLabCatalog(m: LabCatalogModel): CatalogModel {
  const dtypeBytes: Partial<Record<Dtype, number>> = {};
  const dtypes: Dtype[] = [];
  for (const d of DTYPES) {
    const entry = m.dtypes[d];
    if (!entry) continue;
    dtypes.push(d);
    if (entry.exact && Number.isFinite(entry.bytes) && entry.bytes > 0) dtypeBytes[d] = entry.bytes;
  }
  return {
    id: m.id,
    label: m.label,
    config: m.config,
    dtypeBytes,
    dtypes,
    randomWeights: m.randomWeights,
    source: m.source,
  };
}
