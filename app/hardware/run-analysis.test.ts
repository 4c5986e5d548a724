import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../models/catalog.ts';
import { TINY_RANDOM_LLAMA_CONFIG } from '../models/test-configs.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { analyzeRun } from './run-analysis.ts';

/** The lab's tiny embedded model: 111,552 parameters, untied LM head. */
const TINY: CatalogModel = {
  id: 'tiny-random-llama',
  label: 'Tiny',
  source: 'embedded',
  parameters: 111_552,
  randomWeights: true,
  maxContextTokens: 4096,
  config: TINY_RANDOM_LLAMA_CONFIG,
  dtypes: { fp32: { bytes: 461_551, exact: true } },
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

  it('groups runs by machine and backend', () => {
    const key = (run: ReturnType<typeof syntheticRun>) => {
      const a = analyzeRun(run, [TINY]);
      return a.ok ? a.value.machineKey : null;
    };
    const wasm = syntheticRun(1, { modelId: TINY.id, dtype: 'fp32' });
    expect(key(syntheticRun(2, { modelId: TINY.id, dtype: 'fp32' }))).toBe(key(wasm));
    expect(key(syntheticRun(3, { modelId: TINY.id, dtype: 'fp32', device: 'webgpu' }))).not.toBe(key(wasm));
    expect(key(syntheticRun(4, { modelId: TINY.id, dtype: 'fp32', userAgent: 'other' }))).not.toBe(key(wasm));
  });

  it('uses an estimate of the weights when the catalog has no file size', () => {
    const run = syntheticRun(1, { modelId: TINY.id, dtype: 'fp32' });
    const estimated = analyzeRun(run, [{ ...TINY, dtypes: { fp32: { bytes: 1, exact: false } } }]);
    expect(estimated.ok && estimated.value.decode.weight.source).toBe('estimate');
  });
});
