/**
 * The size of a KV cache, read from its tensors. Pure, so the arithmetic is tested without a model: the worker
 * hands it the cache's entries (name, element type, dims) at the end of a generation.
 */
import type { KvCacheSize } from './runtime.ts';

/** Bytes per element of the tensor types a KV cache is kept in (ONNX Runtime's names). */
const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int8: 1,
  uint8: 1,
};

/** What the size needs from one cache entry. */
export interface CacheEntry {
  name: string;
  type: string;
  dims: readonly number[];
}

/**
 * KV-cache size: bytes = Σ over the `past_key_values.*` entries of (Π dims) × bytes per element; tokens = the
 * sequence axis (dims[-2]) of the first entry. Null when there is no such entry or an element type is unknown
 * (a hybrid model's recurrent state is not a KV cache and is left out).
 */
export function kvCacheSizeOf(entries: Iterable<CacheEntry>): KvCacheSize | null {
  let bytes = 0;
  let tokens: number | null = null;
  for (const { name, type, dims } of entries) {
    if (!name.startsWith('past_key_values.')) continue;
    const perElement = BYTES_PER_ELEMENT[type];
    if (perElement === undefined) return null;
    bytes += dims.reduce((a, b) => a * b, 1) * perElement;
    tokens ??= dims.at(-2) ?? null;
  }
  return tokens === null ? null : { bytes, tokens };
}
