/**
 * How many tokens of KV cache the device is expected to hold beside a model's weights: the bound a sweep is
 * checked against before it runs (a batch of B holds B × (P + G) tokens).
 */
import type { Device, Dtype } from '../engine/protocol.ts';
import { modelArithmetic, parseModelConfig } from '../models/arithmetic.ts';
import type { CatalogModel } from '../models/catalog.ts';
import { WASM_HEAP_LIMIT_BYTES } from '../models/fit.ts';

const GiB = 1024 ** 3;
/** Share of a memory budget left to weights + KV cache; the rest holds activations, logits and the page. */
const USABLE_SHARE = 0.75;
/** Chromium caps navigator.deviceMemory at 8 (GB): 8 means "8 or more", so it bounds nothing. */
const DEVICE_MEMORY_CAP_GB = 8;

/**
 * KV-cache tokens that fit: (budget × 0.75 − weight bytes) / KV bytes per token, where the budget is the 4 GiB
 * WASM heap on WASM, and the reported device memory on WebGPU (unknown when it reports the 8 GB cap or nothing).
 * Null when the model's config or the budget is unknown; 0 when the weights alone fill it.
 */
export function kvTokenRoom(
  model: Pick<CatalogModel, 'config' | 'dtypes'>,
  dtype: Dtype,
  device: Device,
  deviceMemoryGB: number | null,
): number | null {
  const shape = parseModelConfig(model.config);
  if (!shape.ok) return null;
  const exact = model.dtypes[dtype];
  const a = modelArithmetic(shape.value, dtype, 0, exact?.exact ? exact.bytes : undefined);
  let budgetBytes: number | null = null;
  if (device === 'wasm') budgetBytes = WASM_HEAP_LIMIT_BYTES;
  else if (deviceMemoryGB !== null && deviceMemoryGB > 0 && deviceMemoryGB < DEVICE_MEMORY_CAP_GB)
    budgetBytes = deviceMemoryGB * GiB;
  if (budgetBytes === null || !(a.kvBytesPerToken > 0)) return null;
  return Math.max(0, Math.floor((budgetBytes * USABLE_SHARE - a.weight.bytes) / a.kvBytesPerToken));
}
