/**
 * Quality scores of a model's dtypes, kept on this device: what the quantization-quality panel measured (each
 * dtype against the most precise one of the same model, on the same text), keyed by the model's identity
 * (run/model-key.ts: name | dtype | the weight file's SHA-256), so the comparison's verdict can apply a quality bar
 * to runs of that very file whenever they were measured, and a Hub copy of the embedded weights shares their score.
 *
 * A score belongs to a model file, not to a run: one scoring serves every run of that variant, before or after
 * it, on any device. The hardware view writes scores and the comparison reads them, both through props from
 * app.tsx; this module is the table, its stored form (validated on the way in, older forms upgraded) and a store.
 */
import { z } from 'zod';
import { create } from 'zustand';
import { DTYPES, type Dtype } from '../engine/protocol.ts';
import { modelKey, modelKeyOf } from '../run/model-key.ts';
import type { RunResult } from '../run/run.ts';

/** One dtype's score against its model's reference dtype. */
export interface QualityScoreEntry {
  /** The catalog model that was scored. */
  modelId: string;
  dtype: Dtype;
  /** SHA-256 of the weight file scored, when the load knew it (run/model-key.ts); absent when it did not. */
  weightSha256?: string;
  /** Share of positions where this dtype's most likely next token is the reference's, 0–1 (1 for the reference). */
  top1Agreement: number;
  /** Mean KL(reference ‖ this dtype) per position, nats (0 for the reference). */
  meanKlNats: number;
  /** The most precise dtype it was compared with. */
  referenceDtype: Dtype;
  /** The model has random weights: the score checks the mechanism, not what quantization costs. */
  randomWeights: boolean;
  /** When it was scored (ISO 8601). */
  scoredAt: string;
}

/** Scores by `qualityKey(entry)`. */
export type QualityTable = Readonly<Record<string, QualityScoreEntry>>;

/** The table's key for a score: the identity of the file scored (modelKey), or model id | dtype without a hash. */
export const qualityKey = (e: Pick<QualityScoreEntry, 'modelId' | 'dtype' | 'weightSha256'>): string =>
  modelKeyOf(e.modelId, e.dtype, e.weightSha256);

const entrySchema = z.object({
  modelId: z.string().min(1).max(200),
  dtype: z.enum(DTYPES),
  weightSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  top1Agreement: z.number().min(0).max(1),
  meanKlNats: z.number().finite().min(0),
  referenceDtype: z.enum(DTYPES),
  randomWeights: z.boolean(),
  scoredAt: z.string().max(40),
});

/**
 * The stored form: a version and a list of entries. Version 1 keyed the table by model id and dtype and its
 * entries had no hash; they read as version 2 entries whose file is unknown (see qualityLookup), so a score
 * saved then keeps serving the runs it served.
 */
const STORED_VERSION = 2;
const storedSchema = z.object({
  v: z.union([z.literal(1), z.literal(2)]),
  scores: z.array(z.unknown()).max(10_000),
});

/**
 * The table with `entries` added; a newer score of the same file replaces the older one. Scoring a model again
 * replaces all of its dtypes' scores, since they share one reference.
 */
export function withScores(table: QualityTable, entries: readonly QualityScoreEntry[]): QualityTable {
  const rescored = new Set(entries.map((e) => e.modelId));
  const next: Record<string, QualityScoreEntry> = {};
  for (const [k, e] of Object.entries(table)) if (!rescored.has(e.modelId)) next[k] = e;
  for (const e of entries) next[qualityKey(e)] = e;
  return next;
}

/** The newest score kept for a catalog model's dtype (whatever file it was), or undefined where none was. */
export const scoreOf = (table: QualityTable, modelId: string, dtype: string): QualityScoreEntry | undefined =>
  newest(Object.values(table).filter((e) => e.modelId === modelId && e.dtype === dtype));

const newest = (entries: readonly QualityScoreEntry[]): QualityScoreEntry | undefined =>
  entries.reduce<QualityScoreEntry | undefined>((a, e) => (a && a.scoredAt >= e.scoredAt ? a : e), undefined);

/** The stored text of a table. */
export const encodeScores = (table: QualityTable): string =>
  JSON.stringify({ v: STORED_VERSION, scores: Object.values(table) });

/** What stored text holds: the table, and whether it was in an older form (to be written back in the new one). */
export interface DecodedScores {
  table: QualityTable;
  outdated: boolean;
}

/**
 * A table from its stored text, version 1 or 2; entries that do not validate are dropped, and anything
 * unreadable gives an empty table. Never throws: storage may hold anything.
 */
export function readScores(text: string | null): DecodedScores {
  const none = { table: {}, outdated: false };
  if (text === null) return none;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return none;
  }
  const stored = storedSchema.safeParse(json);
  if (!stored.success) return none;
  const entries: QualityScoreEntry[] = [];
  for (const raw of stored.data.scores) {
    const e = entrySchema.safeParse(raw);
    if (e.success) entries.push(e.data);
  }
  return {
    table: Object.fromEntries(entries.map((e) => [qualityKey(e), e])),
    outdated: stored.data.v !== STORED_VERSION,
  };
}

/** Where the table is kept on this device. */
export const QUALITY_STORAGE_KEY = 'inference-cost-lab.quality-scores';

type ScoreStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const storage = (): ScoreStorage | null => (typeof localStorage === 'undefined' ? null : localStorage);

/**
 * The table kept in `store`. Scores kept in an older form are written back in the current one, once: later
 * reads find them migrated. Storage that refuses (private mode, locked down) gives what could be read.
 */
export function loadScores(store: ScoreStorage | null): QualityTable {
  if (!store) return {};
  try {
    const { table, outdated } = readScores(store.getItem(QUALITY_STORAGE_KEY));
    if (outdated) keep(store, table);
    return table;
  } catch {
    return {};
  }
}

function keep(store: ScoreStorage | null, table: QualityTable) {
  try {
    if (Object.keys(table).length === 0) store?.removeItem(QUALITY_STORAGE_KEY);
    else store?.setItem(QUALITY_STORAGE_KEY, encodeScores(table));
  } catch {
    // Private mode or storage full: the table still counts in this tab.
  }
}

export const useQualityScores = create<{ table: QualityTable }>()(() => ({ table: loadScores(storage()) }));

/** Adds scores to the table and keeps it on this device (storage refused: it lasts until the tab closes). */
export function recordQualityScores(entries: readonly QualityScoreEntry[]) {
  if (entries.length === 0) return;
  const table = withScores(useQualityScores.getState().table, entries);
  useQualityScores.setState({ table });
  keep(storage(), table);
}

/** Forgets every kept score, here and in this device's storage. */
export function clearQualityScores() {
  useQualityScores.setState({ table: {} });
  keep(storage(), {});
}

/**
 * A lookup by run over a table (what the comparison's verdict asks): the score of the run's file (modelKey);
 * when the run's file or a score's file is unknown, the newest score of the same model id and dtype, as before
 * files had identities. Two known files that differ never share a score.
 */
export const qualityLookup =
  (table: QualityTable) =>
  (run: Pick<RunResult, 'settings' | 'weightSha256'>): QualityScoreEntry | undefined =>
    table[modelKey(run)] ??
    newest(
      Object.values(table).filter(
        (e) =>
          e.modelId === run.settings.modelId &&
          e.dtype === run.settings.dtype &&
          !(e.weightSha256 && run.weightSha256),
      ),
    );
