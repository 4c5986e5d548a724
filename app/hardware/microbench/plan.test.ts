import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BENCH_ORDER } from '../microbench.ts';
import { MIN_SHARE_MS, NO_F16_REASON, planSuite, shareDeadlineMs } from './plan.ts';

describe('planSuite', () => {
  it('runs every benchmark, in the order the page lists them, on a GPU with shader-f16', () => {
    const steps = planSuite({ backends: ['wasm', 'webgpu'], gpu: { hasF16: true }, gpuReason: null });
    expect(steps.map((s) => s.bench)).toEqual(BENCH_ORDER);
    expect(steps.every((s) => s.run)).toBe(true);
  });

  it('skips only the f16 matmul on a GPU without shader-f16, and says why', () => {
    const steps = planSuite({ backends: ['webgpu'], gpu: { hasF16: false }, gpuReason: null });
    expect(steps).toEqual([
      { bench: 'gpu-read', run: true },
      { bench: 'gpu-copy', run: true },
      { bench: 'gpu-matmul-f32', run: true },
      { bench: 'gpu-matmul-f16', run: false, reason: NO_F16_REASON },
    ]);
  });

  it('skips every GPU benchmark with the reason the GPU could not be opened', () => {
    const steps = planSuite({ backends: ['wasm', 'webgpu'], gpu: null, gpuReason: 'No adapter.' });
    expect(steps.filter((s) => s.run).map((s) => s.bench)).toEqual([
      'cpu-read',
      'cpu-copy',
      'cpu-matmul-f32',
    ]);
    expect(steps.filter((s) => !s.run)).toHaveLength(4);
    for (const s of steps) if (!s.run) expect(s.reason).toBe('No adapter.');
  });

  it('plans nothing for a backend that was not asked for', () => {
    expect(
      planSuite({ backends: ['wasm'], gpu: { hasF16: true }, gpuReason: null }).map((s) => s.bench),
    ).toEqual(['cpu-read', 'cpu-copy', 'cpu-matmul-f32']);
    expect(planSuite({ backends: [], gpu: null, gpuReason: null })).toEqual([]);
  });
});

describe('shareDeadlineMs', () => {
  it('gives each remaining benchmark an equal share of what is left of the plan', () => {
    // 11 500 ms plan, 7 benchmarks: the first gets 11 500 / 7 ms.
    expect(shareDeadlineMs(0, 11_500, 7)).toBeCloseTo(1642.857, 3);
    // Half-way through with 2 left, the next gets half of the remaining 5 000 ms.
    expect(shareDeadlineMs(6500, 11_500, 2)).toBe(9000);
  });

  it('never gives less than the minimum share, even past the end of the plan', () => {
    expect(shareDeadlineMs(12_000, 11_500, 3)).toBe(12_000 + MIN_SHARE_MS);
  });

  it('shares add up to the plan when every benchmark uses its whole share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 2000, max: 60_000 }),
        (count, planMs) => {
          let t = 0;
          for (let remaining = count; remaining > 0; remaining--) t = shareDeadlineMs(t, planMs, remaining);
          // planMs ≥ count × MIN_SHARE_MS here, so no share is raised to the floor and the last ends on the plan.
          expect(t).toBeCloseTo(planMs, 6);
        },
      ),
    );
  });
});
