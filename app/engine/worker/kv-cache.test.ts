import { describe, expect, it } from 'vitest';
import { kvBytesPerElement, kvBytesPerToken, parseModelConfig } from '../../models/arithmetic.ts';
import { TINY_RANDOM_LLAMA_CONFIG } from '../../models/test-configs.ts';
import { kvCacheSizeOf } from './kv-cache.ts';

/** The entries transformers.js keeps for a LLaMA-style model: key and value per layer, [batch, Hkv, seq, hd]. */
const llamaCache = (layers: number, kvHeads: number, seq: number, headDim: number, type: string) =>
  Array.from({ length: layers }, (_, l) =>
    ['key', 'value'].map((kind) => ({
      name: `past_key_values.${l}.${kind}`,
      type,
      dims: [1, kvHeads, seq, headDim],
    })),
  ).flat();

describe('kvCacheSizeOf', () => {
  it('sums dims × bytes per element over the key and value tensors', () => {
    // 2 layers × (K + V) × 2 heads × 10 tokens × 16 dims × 4 bytes = 5,120
    expect(kvCacheSizeOf(llamaCache(2, 2, 10, 16, 'float32'))).toEqual({ bytes: 5_120, tokens: 10 });
    expect(kvCacheSizeOf(llamaCache(2, 2, 10, 16, 'float16'))).toEqual({ bytes: 2_560, tokens: 10 });
  });

  it('equals the model arithmetic for the tiny embedded model at any context length', () => {
    const shape = parseModelConfig(TINY_RANDOM_LLAMA_CONFIG);
    if (!shape.ok) throw new Error(shape.errors.join());
    for (const [dtype, type] of [
      ['q8', 'float32'],
      ['fp16', 'float16'],
    ] as const) {
      for (const seq of [1, 47, 4095]) {
        const measured = kvCacheSizeOf(llamaCache(2, 2, seq, 16, type));
        expect(measured?.bytes).toBe(kvBytesPerToken(shape.value, kvBytesPerElement(dtype)) * seq);
      }
    }
  });

  it('leaves out entries that are not a KV cache, and gives up on an unknown element type', () => {
    const conv = { name: 'past_conv.0', type: 'float32', dims: [1, 64, 3] };
    expect(kvCacheSizeOf([conv, ...llamaCache(1, 1, 4, 8, 'float32')])).toEqual({ bytes: 256, tokens: 4 });
    expect(kvCacheSizeOf([conv])).toBeNull();
    expect(kvCacheSizeOf(llamaCache(1, 1, 4, 8, 'int4'))).toBeNull();
    expect(kvCacheSizeOf([])).toBeNull();
  });
});
