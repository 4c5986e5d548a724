/**
 * Measured runs as inputs to the cost model: the median prefill and decode speeds of a run's valid
 * repetitions, and a label in the user's words (model · dtype · device).
 */
import type { RunResult } from '../run/run.ts';
import { summarize } from '../run/stats.ts';

export interface RunSpeeds {
  runId: string;
  label: string;
  modelId: string;
  dtype: string;
  device: string;
  /** The lab's embedded models have random weights: their speed is real, their answers are not. */
  randomWeights: boolean;
  prefillTokPerS: number;
  decodeTokPerS: number;
}

/** Median speeds of a run; null when it has no valid repetition or a speed is not a finite positive number. */
export function runSpeeds(run: RunResult): RunSpeeds | null {
  const summary = summarize(run.repetitions);
  if (!summary) return null;
  const prefill = summary.prefillTokPerS.median;
  const decode = summary.decodeTokPerS.median;
  const ok = (x: number) => Number.isFinite(x) && x > 0;
  if (!ok(prefill) || !ok(decode)) return null;
  const { modelId, dtype } = run.settings;
  const device = run.env.device;
  return {
    runId: run.id,
    // The lab's default names already say dtype and device; say them only when a name does not.
    label:
      run.name.includes(dtype) && run.name.includes(device)
        ? run.name
        : `${run.name || modelId} · ${dtype} · ${device}`,
    modelId,
    dtype,
    device,
    randomWeights: run.settings.sourceKind === 'embedded',
    prefillTokPerS: prefill,
    decodeTokPerS: decode,
  };
}

/** Speeds rounded for an input box: 3 significant digits is more than any measurement supports. */
export const speedText = (tokPerS: number): string => String(Number(tokPerS.toPrecision(3)));
