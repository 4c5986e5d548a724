/**
 * Sweep planning: the cross product of models × dtypes × devices × prompt lengths the user picked,
 * as the list of measurements the runner performs one after another.
 */
import type { Device, Dtype, ModelSource } from '../engine/protocol.ts';
import { RUN_LIMITS } from '../engine/protocol.ts';
import { type CatalogModel, catalogDtypes, modelSource } from '../models/catalog.ts';
import type { RunSettings } from '../run/run.ts';
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
