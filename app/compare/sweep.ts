/**
 * Sweep planning: the cross product of models × dtypes × devices × prompt lengths the user picked,
 * as the list of measurements the runner performs one after another.
 */
import type { Device, Dtype, ModelSource } from '../engine/protocol.ts';
import { RUN_LIMITS } from '../engine/protocol.ts';
import { STEADY_STATE_RULES } from '../engine/steady-state.ts';
import { type CatalogModel, catalogDtypes, type ModelFactsLookup, modelSource } from '../models/catalog.ts';
import { browserKey } from '../run/machine.ts';
import type { RunResult, RunSettings } from '../run/run.ts';
import { median } from '../run/stats.ts';
import { pooledSummary } from '../run/summary.ts';
import { clipForMessage } from '../ui/quote.ts';

/** More cells than this is a day of measuring: ask the user to narrow the sweep. */
export const MAX_SWEEP_CELLS = 120;

export interface SweepRequest {
  modelIds: readonly string[];
  dtypes: readonly Dtype[];
  devices: readonly Device[];
  promptTokens: readonly number[];
  genTokens: number;
  reps: number;
}

/** What the planner needs to know about a model: where it comes from and which dtypes it has. */
export interface SweepModel {
  id: string;
  source: ModelSource;
  dtypes: readonly Dtype[];
}

/** The catalog as sweep choices: every model with its source (Hub models from `hubHost`) and published dtypes. */
export const sweepModels = (models: readonly CatalogModel[], hubHost: string): SweepModel[] =>
  models.map((m) => ({ id: m.id, source: modelSource(m, hubHost), dtypes: catalogDtypes(m) }));

export interface SweepCell {
  settings: RunSettings;
  source: ModelSource;
}

export type SweepPlan = { ok: true; cells: SweepCell[]; skipped: string[] } | { ok: false; errors: string[] };

/**
 * Reads prompt lengths typed as "128, 512 2048": whole numbers within the run limits, de-duplicated
 * and sorted. Returns an error sentence for anything else.
 */
export function parsePromptLengths(
  text: string,
): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: 'Enter at least one prompt length, e.g. 128, 512.' };
  const { min, max } = RUN_LIMITS.promptTokens;
  const values: number[] = [];
  for (const part of parts) {
    const value = Number(part);
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(value) || value < min || value > max) {
      return {
        ok: false,
        error: `"${clipForMessage(part, 20)}" is not a prompt length: use whole numbers from ${min} to ${max.toLocaleString('en')}.`,
      };
    }
    values.push(value);
  }
  if (values.length > 8) return { ok: false, error: 'At most 8 prompt lengths per sweep.' };
  return { ok: true, values: [...new Set(values)].sort((a, b) => a - b) };
}

/**
 * The cells of a sweep, in the order they run: grouped by model, dtype and device so each model is
 * loaded once and reused for every prompt length. Combinations a model does not have (a dtype it
 * was not exported in) are skipped and listed.
 */
export function planSweep(request: SweepRequest, models: readonly SweepModel[]): SweepPlan {
  const errors: string[] = [];
  if (request.modelIds.length === 0) errors.push('Pick at least one model.');
  if (request.dtypes.length === 0) errors.push('Pick at least one dtype.');
  if (request.devices.length === 0) errors.push('Pick at least one device.');
  if (request.promptTokens.length === 0) errors.push('Enter at least one prompt length.');
  const { genTokens, reps } = RUN_LIMITS;
  if (
    !Number.isInteger(request.genTokens) ||
    request.genTokens < genTokens.min ||
    request.genTokens > genTokens.max
  ) {
    errors.push(`Generated tokens must be a whole number from ${genTokens.min} to ${genTokens.max}.`);
  }
  if (!Number.isInteger(request.reps) || request.reps < reps.min || request.reps > reps.max) {
    errors.push(`Repetitions must be a whole number from ${reps.min} to ${reps.max}.`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const cells: SweepCell[] = [];
  const skipped: string[] = [];
  for (const modelId of request.modelIds) {
    const model = models.find((m) => m.id === modelId);
    if (!model) {
      skipped.push(`${modelId}: not in the model list.`);
      continue;
    }
    for (const dtype of request.dtypes) {
      if (!model.dtypes.includes(dtype)) {
        skipped.push(`${modelId} has no ${dtype} file.`);
        continue;
      }
      for (const device of request.devices) {
        for (const promptTokens of request.promptTokens) {
          cells.push({
            source: model.source,
            settings: {
              modelId,
              sourceKind: model.source.kind,
              dtype,
              device,
              promptTokens,
              genTokens: request.genTokens,
              reps: request.reps,
            },
          });
        }
      }
    }
  }
  if (cells.length === 0)
    return {
      ok: false,
      errors: ['Nothing to run: none of the picked models has the picked dtypes.', ...skipped],
    };
  if (cells.length > MAX_SWEEP_CELLS) {
    return {
      ok: false,
      errors: [
        `That is ${cells.length} measurements; a sweep runs at most ${MAX_SWEEP_CELLS}. Pick fewer models, dtypes or lengths.`,
      ],
    };
  }
  return { ok: true, cells, skipped };
}

// ------------------------------------------------------------------ duration estimate

/**
 * Weight bytes streamed per second while decoding, when this machine has measured nothing to go by: decode is
 * memory-bound, so tok/s ≈ this ÷ weight bytes. Deliberately modest (a laptop's WASM, a mid-range GPU).
 */
export const GUESS_WEIGHT_BYTES_PER_S: Record<Device, number> = { wasm: 1.5e9, webgpu: 6e9 };
/** Prefill reads the weights once per batch of prompt tokens: assumed this many times the decode rate. */
export const GUESS_PREFILL_OVER_DECODE = 8;
/** Loading from the browser cache or the embedded folder, bytes per second, plus a fixed second. */
export const GUESS_LOAD_BYTES_PER_S = 200e6;

/** How a cell's duration was estimated: earlier runs of the same model and dtype here, scaled from another model measured here, or a guess from its size. */
export type EstimateBasis = 'measured' | 'scaled' | 'guess';

export interface CellEstimate {
  seconds: number;
  basis: EstimateBasis;
}

export interface SweepEstimate {
  cells: CellEstimate[];
  totalSeconds: number;
  /** Cells with no earlier run on this machine to go by. */
  guessed: number;
}

interface Speeds {
  decodeTokPerS: number;
  prefillTokPerS: number;
  loadMs: number | null;
}

const speedsOf = (runs: readonly RunResult[]): Speeds | null => {
  const summary = pooledSummary(runs);
  const decode = summary?.decodeTokPerS.median;
  const prefill = summary?.prefillTokPerS.median;
  if (!decode || !prefill || !(decode > 0) || !(prefill > 0)) return null;
  const loads = runs.map((r) => r.load.ms).filter((ms) => ms > 0);
  return { decodeTokPerS: decode, prefillTokPerS: prefill, loadMs: loads.length > 0 ? median(loads) : null };
};

/**
 * How long a sweep will take on this machine, cell by cell, from earlier runs here (same browser and cores):
 * - measured: the median decode and prefill tok/s of earlier runs of the same model, dtype and backend;
 * - scaled: decode is memory-bound, so another model's speeds on the same backend scale by its bytes ÷ these bytes;
 * - guess: tok/s = GUESS_WEIGHT_BYTES_PER_S ÷ bytes (prefill ×GUESS_PREFILL_OVER_DECODE).
 * A cell takes: load (once per model, dtype and backend, as the sweep runs them) + warm-up (at least
 * STEADY_STATE_RULES.minDurationMs and minTokens of decoding, at most capMs) + R × (P ÷ prefill + G ÷ decode).
 */
export function estimateSweep(
  cells: readonly SweepCell[],
  earlier: readonly RunResult[],
  facts: ModelFactsLookup,
  here: { userAgent: string; hardwareConcurrency: number },
): SweepEstimate {
  const mine = earlier.filter((r) => browserKey(r.env) === browserKey(here));
  const out: CellEstimate[] = [];
  let previousLoad = '';
  for (const cell of cells) {
    const s = cell.settings;
    const bytes = facts(s.modelId, s.dtype)?.bytes ?? null;
    const same = speedsOf(
      mine.filter(
        (r) =>
          r.settings.modelId === s.modelId && r.settings.dtype === s.dtype && r.settings.device === s.device,
      ),
    );
    let basis: EstimateBasis = 'measured';
    let speeds = same;
    if (!speeds && bytes !== null) {
      // The closest measured size on this backend scales best.
      const sized = mine
        .filter((r) => r.settings.device === s.device)
        .map((r) => ({ run: r, bytes: facts(r.settings.modelId, r.settings.dtype)?.bytes ?? 0 }))
        .filter((x) => x.bytes > 0)
        .sort((a, b) => Math.abs(Math.log(a.bytes / bytes)) - Math.abs(Math.log(b.bytes / bytes)));
      const nearest = sized[0];
      const measured = nearest ? speedsOf([nearest.run]) : null;
      if (nearest && measured) {
        const k = nearest.bytes / bytes;
        speeds = {
          decodeTokPerS: measured.decodeTokPerS * k,
          prefillTokPerS: measured.prefillTokPerS * k,
          loadMs: null,
        };
        basis = 'scaled';
      }
    }
    if (!speeds) {
      const decode = bytes ? GUESS_WEIGHT_BYTES_PER_S[s.device] / bytes : 20;
      speeds = { decodeTokPerS: decode, prefillTokPerS: decode * GUESS_PREFILL_OVER_DECODE, loadMs: null };
      basis = 'guess';
    }
    const loadKey = `${s.modelId}|${s.dtype}|${s.device}`;
    const loadMs =
      loadKey === previousLoad ? 0 : (speeds.loadMs ?? ((bytes ?? 0) / GUESS_LOAD_BYTES_PER_S) * 1000 + 1000);
    previousLoad = loadKey;
    const rules = STEADY_STATE_RULES;
    const warmupMs = Math.min(
      rules.capMs,
      Math.max(rules.minDurationMs, (rules.minTokens / speeds.decodeTokPerS) * 1000),
    );
    const repMs = (s.promptTokens / speeds.prefillTokPerS + s.genTokens / speeds.decodeTokPerS) * 1000;
    out.push({ seconds: (loadMs + warmupMs + s.reps * repMs) / 1000, basis });
  }
  return {
    cells: out,
    totalSeconds: out.reduce((sum, c) => sum + c.seconds, 0),
    guessed: out.filter((c) => c.basis === 'guess').length,
  };
}

/**
 * Time left in a running sweep: the estimate of what remains, corrected by how the estimate has fared so far.
 * With E_done = Σ estimates of finished cells + the current cell's estimate × its fraction done, and the real
 * elapsed time T: left = (Σ estimates − E_done) × T ÷ E_done. Before anything is done (E_done = 0) the raw
 * estimate is returned.
 */
export function sweepSecondsLeft(
  estimates: readonly number[],
  done: number,
  currentFraction: number,
  elapsedSeconds: number,
): number {
  const total = estimates.reduce((sum, s) => sum + s, 0);
  const finished =
    estimates.slice(0, done).reduce((sum, s) => sum + s, 0) +
    (estimates[done] ?? 0) * Math.min(1, Math.max(0, currentFraction));
  const left = Math.max(0, total - finished);
  if (!(finished > 0) || !(elapsedSeconds > 0)) return left;
  return left * (elapsedSeconds / finished);
}

/** '45 s', '3 min', '1 h 20 min': a duration at the precision an estimate deserves. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds / 5) * 5)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
