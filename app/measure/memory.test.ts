import { describe, expect, it } from 'vitest';
import { TINY_RANDOM_LLAMA_CONFIG } from '../models/test-configs.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { memoryComparison } from './memory.ts';

// 512 bytes of fp32 KV cache per token (models/test-configs.ts)
const tiny = {
  config: TINY_RANDOM_LLAMA_CONFIG,
  dtypes: { q8: { bytes: 193_202, exact: true } },
};

describe('memoryComparison', () => {
  it('predicts the KV cache of the measured length and the weight file, beside the measured figures', () => {
    const run = {
      ...syntheticRun(1, { promptTokens: 16, genTokens: 8 }),
      memory: {
        weightBytes: 193_202,
        kvCacheBytes: 512 * 23,
        kvCacheTokens: 23,
        gpuBufferBytes: null,
        gpuPeakBufferBytes: null,
        heapBytes: 9_000_000,
      },
    };
    const { rows, kvTokens, verdict } = memoryComparison(run, tiny);
    const row = (key: string) => rows.find((r) => r.key === key);
    expect(row('kv')).toMatchObject({ measuredBytes: 11_776, predictedBytes: 11_776 });
    expect(row('weights')).toMatchObject({ measuredBytes: 193_202, predictedBytes: 193_202 });
    expect(row('heap')).toMatchObject({ measuredBytes: 9_000_000, predictedBytes: null });
    expect(kvTokens).toBe(23);
    expect(verdict).toBe('fits');
  });

  it('predicts P + G − 1 tokens of KV cache for B sequences when the run measured none, and nothing without a config', () => {
    const run = { ...syntheticRun(1, { promptTokens: 16, genTokens: 8 }) };
    run.settings = { ...run.settings, parallelSequences: 2 };
    expect(memoryComparison(run, tiny).rows.find((r) => r.key === 'kv')?.predictedBytes).toBe(512 * 2 * 23);
    expect(memoryComparison(run, undefined).rows.every((r) => r.predictedBytes === null)).toBe(true);
  });

  it('predicts nothing for a model typed by id whose sizes are unknown until it loads (not 0 bytes)', () => {
    const run = syntheticRun(1, { promptTokens: 16, genTokens: 8 });
    const typed = { config: {}, dtypes: { q8: { bytes: 0, exact: false } } };
    expect(memoryComparison(run, typed).rows.find((r) => r.key === 'weights')?.predictedBytes).toBeNull();
  });
});
