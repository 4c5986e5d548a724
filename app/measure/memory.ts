/**
 * A run's memory, measured beside "will it fit?"'s prediction for the same model, dtype and context: the
 * arithmetic (models/arithmetic.ts) says what the weights and the KV cache should take, the run says what they
 * took. Pure.
 */
import {
  kvBytesPerElement,
  kvBytesPerToken,
  modelArithmetic,
  parseModelConfig,
} from '../models/arithmetic.ts';
import type { CatalogModel } from '../models/catalog.ts';
import { type FitVerdict, willItFit } from '../models/fit.ts';
import { type RunResult, sequencesOf } from '../run/run.ts';

/** One row of the memory table: what was measured and, where the arithmetic says, what was predicted. */
export interface MemoryRow {
  key: 'weights' | 'kv' | 'gpu' | 'gpuPeak' | 'heap';
  label: string;
  measuredBytes: number | null;
  predictedBytes: number | null;
}

export interface MemoryComparison {
  rows: MemoryRow[];
  /** Tokens the measured KV cache held (all sequences: B × its sequence length). */
  kvTokens: number | null;
  /** "Will it fit?" for weights + KV at P + G tokens; null without the model's config. */
  verdict: FitVerdict | null;
}

/**
 * Measured against predicted. Predicted weights = the catalog's file size (exact for embedded and picked models,
 * estimated from the config for the Hub); predicted KV = KV bytes per token × B × the cache's measured length
 * (P + G − 1 without a measurement: the last token is never fed back). GPU buffers and the heap have no
 * prediction: they include the runtime's pools and the page itself.
 */
export function memoryComparison(
  run: RunResult,
  model: Pick<CatalogModel, 'config' | 'dtypes'> | undefined,
): MemoryComparison {
  const { settings, memory } = run;
  const shape = model ? parseModelConfig(model.config) : null;
  const sequences = sequencesOf(settings);
  const kvLength = memory?.kvCacheTokens ?? settings.promptTokens + settings.genTokens - 1;
  const kvPerToken = shape?.ok ? kvBytesPerToken(shape.value, kvBytesPerElement(settings.dtype)) : null;
  const file = model?.dtypes[settings.dtype];
  // A model typed by id has size 0 until it loads: no prediction, not a prediction of 0 bytes.
  let predictedWeights: number | null = file && file.bytes > 0 ? file.bytes : null;
  let verdict: FitVerdict | null = null;
  if (shape?.ok) {
    const contextTokens = sequences * (settings.promptTokens + settings.genTokens);
    const a = modelArithmetic(
      shape.value,
      settings.dtype,
      contextTokens,
      file?.exact ? file.bytes : undefined,
    );
    predictedWeights = a.weight.bytes;
    verdict = willItFit(
      {
        weightBytes: a.weight.bytes,
        kvBytesPerToken: a.kvBytesPerToken,
        contextTokens,
        largestTensorBytes: a.largestTensorBytes,
        maxContextTokens: shape.value.maxContextTokens,
      },
      {
        backend: run.env.device,
        maxBufferSize: run.env.adapter?.limits.maxBufferSize ?? null,
        maxStorageBufferBindingSize: run.env.adapter?.limits.maxStorageBufferBindingSize ?? null,
        deviceMemoryGB: null,
      },
    ).verdict;
  }
  return {
    rows: [
      {
        key: 'weights',
        label: 'Weights (files loaded)',
        measuredBytes: memory?.weightBytes ?? null,
        predictedBytes: predictedWeights,
      },
      {
        key: 'kv',
        label: 'KV cache at the end of generation',
        measuredBytes: memory?.kvCacheBytes ?? null,
        predictedBytes: kvPerToken === null ? null : kvPerToken * sequences * kvLength,
      },
      {
        key: 'gpu',
        label: 'GPU buffers held at the end',
        measuredBytes: memory?.gpuBufferBytes ?? null,
        predictedBytes: null,
      },
      {
        key: 'gpuPeak',
        label: 'GPU buffers at peak',
        measuredBytes: memory?.gpuPeakBufferBytes ?? null,
        predictedBytes: null,
      },
      {
        key: 'heap',
        label: 'JS + WASM heap (page and workers)',
        measuredBytes: memory?.heapBytes ?? null,
        predictedBytes: null,
      },
    ],
    kvTokens:
      memory?.kvCacheTokens === null || memory?.kvCacheTokens === undefined
        ? null
        : sequences * memory.kvCacheTokens,
    verdict,
  };
}
