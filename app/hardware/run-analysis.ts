/**
 * Joins a measured run with its model's arithmetic: what the run had to move and compute, and how long it took.
 */

import {
  type ModelArithmetic,
  modelArithmetic,
  parseModelConfig,
  prefillFlops,
} from '../models/arithmetic.ts';
import { type CatalogModel, fileBytes } from '../models/catalog.ts';
import { machineBackendKey } from '../run/machine.ts';
import type { RunResult } from '../run/run.ts';
import { runSummary } from '../run/summary.ts';

export interface RunAnalysis {
  run: RunResult;
  model: CatalogModel;
  /** Arithmetic at the mean decode context: prompt + half the generated tokens. */
  decode: ModelArithmetic;
  /** Median TPOT, ms. */
  tpotMs: number;
  /** Median decode tok/s over the repetitions (stats.ts: 1000 / TPOT per repetition). */
  decodeTokPerS: number;
  /** Median TTFT, ms: prefill of the prompt plus the first decode step. */
  ttftMs: number;
  prefillFlops: number;
  /** Weights read once plus the prompt's KV cache written. */
  prefillBytes: number;
  /** Runs with the same key ran on the same machine and backend (machineBackendKey). */
  machineKey: string;
}

export type Analyzed = { ok: true; value: RunAnalysis } | { ok: false; reason: string };

/**
 * Analyses one run. decode context = P + G/2 (the mean context over the generated tokens);
 * prefill FLOPs = prefillFlops(P); prefill bytes = streamed weights + KV/token × P.
 */
export function analyzeRun(run: RunResult, models: readonly CatalogModel[]): Analyzed {
  const model = models.find((m) => m.id === run.settings.modelId);
  if (!model)
    return {
      ok: false,
      reason: `The model "${run.settings.modelId}" is not in the catalog, so its size is unknown.`,
    };
  const shape = parseModelConfig(model.config);
  if (!shape.ok) return { ok: false, reason: `${model.label}: ${shape.errors.join(' ')}` };
  const summary = runSummary(run);
  if (!summary) return { ok: false, reason: 'The run has no complete repetition with at least two tokens.' };
  const p = run.settings.promptTokens;
  const decode = modelArithmetic(
    shape.value,
    run.settings.dtype,
    p + run.settings.genTokens / 2,
    fileBytes(model, run.settings.dtype),
  );
  const tpotMs = summary.tpotMs.median;
  const ttftMs = summary.ttftMs.median;
  if (!(tpotMs > 0 && ttftMs > 0) || !Number.isFinite(tpotMs) || !Number.isFinite(ttftMs)) {
    return { ok: false, reason: 'The run’s timings are not positive finite numbers.' };
  }
  return {
    ok: true,
    value: {
      run,
      model,
      decode,
      tpotMs,
      decodeTokPerS: summary.decodeTokPerS.median,
      ttftMs,
      prefillFlops: prefillFlops(shape.value, p),
      prefillBytes: decode.weight.streamedBytes + decode.kvBytesPerToken * p,
      machineKey: machineBackendKey(run.env),
    },
  };
}
