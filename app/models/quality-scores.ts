/**
 * Quality scores of a model's dtypes, kept on this device: what the quantization-quality panel measured (each
 * dtype against the most precise one of the same model, on the same text), keyed by model id and dtype, so the
 * comparison's verdict can apply a quality bar to runs of that model and dtype whenever they were measured.
 *
 * A score belongs to a model and dtype, not to a run: one scoring serves every run of that variant, before or
 * after it, on any device. The hardware view writes scores and the comparison reads them, both through props
 * from app.tsx; this module is the table, its stored form (validated on the way in) and a small store.
 */
import { z } from 'zod';
import { create } from 'zustand';
import { DTYPES, type Dtype } from '../engine/protocol.ts';

/** One dtype's score against its model's reference dtype. */
export interface QualityScoreEntry {
  modelId: string;
  dtype: Dtype;
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

/** Scores by `qualityKey(modelId, dtype)`. */
export type QualityTable = Readonly<Record<string, QualityScoreEntry>>;

/** The table's key for a model's dtype. */
export const qualityKey = (modelId: string, dtype: string): string => `${modelId}\u0000${dtype}`;

const entrySchema = z.object({
  modelId: z.string().min(1).max(200),
  dtype: z.enum(DTYPES),
  top1Agreement: z.number().min(0).max(1),
  meanKlNats: z.number().finite().min(0),
  referenceDtype: z.enum(DTYPES),
  randomWeights: z.boolean(),
  scoredAt: z.string().max(40),
});

/** The stored form: a version and a list of entries. */
const STORED_VERSION = 1;
const storedSchema = z.object({ v: z.literal(STORED_VERSION), scores: z.array(z.unknown()).max(10_000) });

/**
 * The table with `entries` added; a newer score of a model's dtype replaces the older one. Scoring a model again
 * replaces all of its dtypes' scores, since they share one reference.
 */
export function withScores(table: QualityTable, entries: readonly QualityScoreEntry[]): QualityTable {
  const rescored = new Set(entries.map((e) => e.modelId));
  const next: Record<string, QualityScoreEntry> = {};
  for (const [k, e] of Object.entries(table)) if (!rescored.has(e.modelId)) next[k] = e;
  for (const e of entries) next[qualityKey(e.modelId, e.dtype)] = e;
  return next;
}

/** The score of a model's dtype, or undefined where none was measured. */
export const scoreOf = (table: QualityTable, modelId: string, dtype: string): QualityScoreEntry | undefined =>
  table[qualityKey(modelId, dtype)];

/** The stored text of a table. */
export const encodeScores = (table: QualityTable): string =>
  JSON.stringify({ v: STORED_VERSION, scores: Object.values(table) });

/**
 * A table from its stored text; entries that do not validate are dropped, and anything unreadable gives an
 * empty table. Never throws: storage may hold anything.
 */
export function decodeScores(text: string | null): QualityTable {
  if (text === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const stored = storedSchema.safeParse(json);
  if (!stored.success) return {};
  const entries: QualityScoreEntry[] = [];
  for (const raw of stored.data.scores) {
    const e = entrySchema.safeParse(raw);
    if (e.success) entries.push(e.data);
  }
  return Object.fromEntries(entries.map((e) => [qualityKey(e.modelId, e.dtype), e]));
}

/** Where the table is kept on this device. */
export const QUALITY_STORAGE_KEY = 'inference-cost-lab.quality-scores';

function readStored(): QualityTable {
  try {
    return typeof localStorage === 'undefined' ? {} : decodeScores(localStorage.getItem(QUALITY_STORAGE_KEY));
  } catch {
    return {};
  }
}

export const useQualityScores = create<{ table: QualityTable }>()(() => ({ table: readStored() }));

/** Adds scores to the table and keeps it on this device (storage refused: it lasts until the tab closes). */
export function recordQualityScores(entries: readonly QualityScoreEntry[]) {
  if (entries.length === 0) return;
  const table = withScores(useQualityScores.getState().table, entries);
  useQualityScores.setState({ table });
  try {
    localStorage.setItem(QUALITY_STORAGE_KEY, encodeScores(table));
  } catch {
    // Private mode or storage full: the scores still count in this tab.
  }
}

/** A lookup by model id and dtype over a table (what the comparison's verdict asks). */
export const qualityLookup =
  (table: QualityTable) =>
  (modelId: string, dtype: string): QualityScoreEntry | undefined =>
    scoreOf(table, modelId, dtype);
