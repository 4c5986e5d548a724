import { describe, expect, it } from 'vitest';
import { findGpu } from './gpus.ts';
import {
  findPrecision,
  findServerModel,
  SERVER_MODELS,
  SERVER_PRECISIONS,
  serverFigures,
} from './server-presets.ts';

describe('server presets', () => {
  it('Llama 3.1 8B at BF16 on an H100: 16.1 GB, 125 decode and 18,500 prefill tok/s', () => {
    const [m, p, g] = [findServerModel('llama-3.1-8b'), findPrecision('bf16'), findGpu('h100-sxm')];
    if (!m || !p || !g) throw new Error('preset missing');
    const f = serverFigures(m, p, g);
    // 8.03 × 2 = 16.06 GB; 0.6 × 3350 / 16.06 = 125.2; 0.3 × 989e12 / (2 × 8.03e9) = 18,474.
    expect(f).toMatchObject({
      weightsGb: 16.1,
      decodeTokPerS: 125,
      prefillTokPerS: 18_500,
      fits: true,
      tier: 'medium',
    });
    // 2 × 32 layers × 8 KV heads × 128 dims × 2 bytes × 4096 tokens = 0.537 GB.
    expect(f.kvCacheGb).toBe(0.537);
  });

  it('halving the bytes per weight doubles decode; a 70B at BF16 does not fit in 80 GB', () => {
    const g = findGpu('h100-sxm');
    const m = findServerModel('llama-3.3-70b');
    const [bf16, fp8] = SERVER_PRECISIONS;
    if (!g || !m || !bf16 || !fp8) throw new Error('preset missing');
    expect(serverFigures(m, bf16, g).fits).toBe(false);
    expect(serverFigures(m, fp8, g).fits).toBe(true);
    const ratio = serverFigures(m, fp8, g).decodeTokPerS / serverFigures(m, bf16, g).decodeTokPerS;
    expect(ratio).toBeCloseTo(2, 1);
  });

  it('every preset gives finite, positive figures on every GPU', () => {
    for (const m of SERVER_MODELS)
      for (const p of SERVER_PRECISIONS)
        for (const id of ['h200', 'l4', 't4', 'rtx4090']) {
          const g = findGpu(id);
          if (!g) throw new Error(id);
          const f = serverFigures(m, p, g);
          for (const x of [f.weightsGb, f.kvCacheGb, f.prefillTokPerS, f.decodeTokPerS])
            expect(Number.isFinite(x) && x > 0).toBe(true);
        }
  });
});
