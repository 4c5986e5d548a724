/**
 * Joins a measured run with its model's arithmetic: what the run had to move and compute, and how long it took.
 */

import {
  type CatalogModel,
  type ModelArithmetic,
  modelArithmetic,
  parseModelConfig,
  prefillFlops,
} from '../models/arithmetic.ts';
import type { RunResult } from '../run/run.ts';
import { summarize } from '../run/stats.ts';
import { deviceStamp } from './microbench.ts';

export interface RunAnalysis {
  run: RunResult;
  model: CatalogModel;
  /** Arithmetic at the mean decode context: prompt + half the generated tokens. */
  decode: ModelArithmetic;
  /** Median TPOT, ms. */
  tpotMs: number;
  /** Median TTFT, ms: prefill of the prompt plus the first decode step. */
  ttftMs: number;
  prefillFlops: number;
  /** Weights read once plus the prompt's KV cache written. */
  prefillBytes: number;
  /** Runs with the same key ran on the same browser, adapter and backend. */
  deviceKey: string;
}

export type Analyzed = { ok: true; value: RunAnalysis } | { ok: false; reason: string };

/** The device a run used, in the same form as the microbenchmarks' stamp, plus the backend. */
export const runDeviceKey = (run: RunResult): string =>
  `${run.env.device}|${deviceStamp(run.env.device === 'webgpu' ? run.env.adapter : null, run.env.userAgent)}`;

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
  const summary = summarize(run.repetitions);
  if (!summary) return { ok: false, reason: 'The run has no complete repetition with at least two tokens.' };
  const p = run.settings.promptTokens;
  const decode = modelArithmetic(
    shape.value,
    run.settings.dtype,
    p + run.settings.genTokens / 2,
    model.dtypeBytes[run.settings.dtype],
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
      ttftMs,
      prefillFlops: prefillFlops(shape.value, p),
      prefillBytes: decode.weight.streamedBytes + decode.kvBytesPerToken * p,
      deviceKey: runDeviceKey(run),
    },
  };
}

/**
 * Whether a run and a microbenchmark suite describe the same device: same browser build, and for WebGPU runs the
 * same adapter. A WASM run only needs the same browser (the CPU figures do not depend on the GPU).
 */
export function sameDeviceAsSuite(run: RunResult, suiteStamp: string): boolean {
  if (run.env.device === 'wasm') return suiteStamp.endsWith(`|${run.env.userAgent}`);
  return deviceStamp(run.env.adapter, run.env.userAgent) === suiteStamp;
}
