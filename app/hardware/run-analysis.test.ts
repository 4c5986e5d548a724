import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../models/arithmetic.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { deviceStamp } from './microbench.ts';
import { analyzeRun, sameDeviceAsSuite } from './run-analysis.ts';

/** The lab's tiny embedded model: 111,552 parameters, untied LM head. */
const TINY: CatalogModel = {
  id: 'tiny-random-llama',
  label: 'Tiny',
  config: {
    model_type: 'llama',
    vocab_size: 293,
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
    max_position_embeddings: 4096,
    tie_word_embeddings: false,
  },
  dtypeBytes: { fp32: 461_551 },
};

describe('analyzeRun', () => {
  it('joins a run with its model: bytes per token at the mean decode context, median TPOT', () => {
    const run = syntheticRun(1, {
      modelId: TINY.id,
      dtype: 'fp32',
      promptTokens: 128,
      genTokens: 64,
      decodeTokPerS: 100,
    });
    const a = analyzeRun(run, [TINY]);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value.decode.params.total).toBe(111_552);
    expect(a.value.decode.contextTokens).toBe(160);
    // KV: 2 × 2 layers × 2 heads × 16 × 4 bytes = 512 B per token.
    expect(a.value.decode.kvBytesPerToken).toBe(512);
    expect(a.value.tpotMs).toBeGreaterThan(8);
    expect(a.value.tpotMs).toBeLessThan(12);
    // The untied embedding table is not streamed: fewer bytes than the file.
    expect(a.value.decode.weight.streamedBytes).toBeLessThan(461_551);
  });

  it('explains runs it cannot analyse', () => {
    const run = syntheticRun(1, { modelId: 'unknown' });
    expect(analyzeRun(run, [TINY])).toMatchObject({ ok: false });
    const broken = analyzeRun(syntheticRun(1, { modelId: TINY.id }), [
      { ...TINY, config: { model_type: 'llama' } },
    ]);
    expect(!broken.ok && broken.reason).toMatch(/hidden_size/);
  });

  it('matches a WASM run to a suite by browser, a WebGPU run by adapter too', () => {
    const wasm = syntheticRun(1, { device: 'wasm', userAgent: 'UA1' });
    const stamp = deviceStamp({ vendor: 'v', architecture: 'a', device: 'd', description: 'x' }, 'UA1');
    expect(sameDeviceAsSuite(wasm, stamp)).toBe(true);
    expect(sameDeviceAsSuite(syntheticRun(1, { device: 'wasm', userAgent: 'UA2' }), stamp)).toBe(false);
    const gpu = syntheticRun(1, { device: 'webgpu', userAgent: 'UA1' });
    expect(sameDeviceAsSuite(gpu, deviceStamp(gpu.env.adapter, 'UA1'))).toBe(true);
    expect(sameDeviceAsSuite(gpu, stamp)).toBe(false);
  });
});
