/**
 * Self-hosted presets: an open model at a precision on the picked GPU, turned into the server figures the
 * self-hosted option needs (weights, KV cache, single-stream prefill and decode speeds) by a roofline
 * estimate. These are server figures, never a browser's: a run measured in the lab prices the in-browser
 * option only. Typed figures, or a benchmark of your own server, beat any preset.
 */
import type { GpuRow } from './gpus.ts';
import type { QualityTier } from './verdict.ts';

export interface ServerModel {
  id: string;
  name: string;
  /** Parameters, billions. */
  paramsB: number;
  /** KV cache per token at 16-bit: 2 (K and V) × layers × KV heads × head dim × 2 bytes. */
  kvBytesPerToken: number;
  tier: QualityTier;
}

/** Architectures from each model's config.json on the Hugging Face Hub. */
export const SERVER_MODELS: readonly ServerModel[] = [
  // 16 layers × 8 KV heads × 64 dims
  {
    id: 'llama-3.2-1b',
    name: 'Llama 3.2 1B',
    paramsB: 1.24,
    kvBytesPerToken: 2 * 16 * 8 * 64 * 2,
    tier: 'small',
  },
  // 28 layers × 8 KV heads × 128 dims
  {
    id: 'llama-3.2-3b',
    name: 'Llama 3.2 3B',
    paramsB: 3.21,
    kvBytesPerToken: 2 * 28 * 8 * 128 * 2,
    tier: 'small',
  },
  // 32 layers × 8 KV heads × 128 dims
  {
    id: 'llama-3.1-8b',
    name: 'Llama 3.1 8B',
    paramsB: 8.03,
    kvBytesPerToken: 2 * 32 * 8 * 128 * 2,
    tier: 'medium',
  },
  // 48 layers × 8 KV heads × 128 dims
  {
    id: 'qwen2.5-14b',
    name: 'Qwen2.5 14B',
    paramsB: 14.7,
    kvBytesPerToken: 2 * 48 * 8 * 128 * 2,
    tier: 'medium',
  },
  // 80 layers × 8 KV heads × 128 dims
  {
    id: 'llama-3.3-70b',
    name: 'Llama 3.3 70B',
    paramsB: 70.6,
    kvBytesPerToken: 2 * 80 * 8 * 128 * 2,
    tier: 'large',
  },
];

export const SERVER_PRECISIONS = [
  { id: 'bf16', label: 'BF16', bytesPerParam: 2 },
  { id: 'fp8', label: 'FP8 / INT8', bytesPerParam: 1 },
  { id: 'int4', label: 'INT4 (AWQ / GPTQ)', bytesPerParam: 0.5 },
] as const;
export type ServerPrecision = (typeof SERVER_PRECISIONS)[number];

/** Context a request's KV cache is sized for in a preset. */
export const PRESET_CONTEXT_TOKENS = 4096;
/** Share of memory bandwidth a good server reaches in single-stream decode. */
export const DECODE_BANDWIDTH_EFFICIENCY = 0.6;
/** Share of dense BF16 peak a single prompt's prefill reaches. */
export const PREFILL_COMPUTE_EFFICIENCY = 0.3;

export interface ServerFigures {
  name: string;
  tier: QualityTier;
  weightsGb: number;
  kvCacheGb: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  /** False when the weights alone do not fit in the GPU's memory. */
  fits: boolean;
}

const sig3 = (x: number): number => Number(x.toPrecision(3));

/**
 * Roofline figures of a model at a precision on a GPU:
 * - weights GB = params (B) × bytes per parameter
 * - KV cache GB = KV bytes per token × 4096 tokens / 1e9
 * - decode tok/s = 0.6 × bandwidth GB/s / weights GB (each token reads every weight once)
 * - prefill tok/s = 0.3 × dense BF16 TFLOPS × 1e12 / (2 × params) (2 FLOPs per parameter per token)
 * Rounded to 3 significant digits. E.g. Llama 3.1 8B, BF16, H100 SXM: 16.1 GB, 125 decode, 18,500 prefill tok/s.
 */
export function serverFigures(model: ServerModel, precision: ServerPrecision, gpu: GpuRow): ServerFigures {
  const weightsGb = model.paramsB * precision.bytesPerParam;
  return {
    name: `${model.name} · ${precision.label} on ${gpu.name}`,
    tier: model.tier,
    weightsGb: sig3(weightsGb),
    kvCacheGb: sig3((model.kvBytesPerToken * PRESET_CONTEXT_TOKENS) / 1e9),
    decodeTokPerS: sig3((DECODE_BANDWIDTH_EFFICIENCY * gpu.bandwidthGbPerS) / weightsGb),
    prefillTokPerS: sig3(
      (PREFILL_COMPUTE_EFFICIENCY * gpu.bf16DenseTflops * 1e12) / (2 * model.paramsB * 1e9),
    ),
    fits: weightsGb < gpu.memoryGb,
  };
}

export const findServerModel = (id: string): ServerModel | undefined =>
  SERVER_MODELS.find((m) => m.id === id);
export const findPrecision = (id: string): ServerPrecision | undefined =>
  SERVER_PRECISIONS.find((p) => p.id === id);
