import { describe, expect, it } from 'vitest';
import { cpuBenches, matmulInto } from './cpu-suite.ts';
import { measureBench } from './measure.ts';

describe('CPU matmul kernel', () => {
  it('multiplies the leading n×n blocks', () => {
    // [1 2; 3 4] × [5 6; 7 8] = [19 22; 43 50]
    const a = Float32Array.of(1, 2, 3, 4, 9, 9, 9, 9, 9);
    const b = Float32Array.of(5, 6, 7, 8, 9, 9, 9, 9, 9);
    const c = Float32Array.of(1, 1, 1, 1, 7);
    matmulInto(a, b, c, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50, 7]);
  });
});

describe('CPU benchmarks, shrunk, on the real clock', () => {
  const now = () => performance.now();
  const MiB = 1024 * 1024;
  const benches = cpuBenches(now, { readBytes: MiB, copyBytes: MiB, matmulMaxN: 64 });
  const measure = async (id: keyof typeof benches) =>
    measureBench(id, await benches[id](), {
      deadlineMs: now() + 200,
      now,
      progress: () => {},
      signal: new AbortController().signal,
    });

  it('report read and copy bandwidth in GB/s with the work they timed', async () => {
    for (const id of ['cpu-read', 'cpu-copy'] as const) {
      const result = await measure(id);
      expect(result).toMatchObject({ id, status: 'ok', unit: 'GB/s', timing: 'wall-clock' });
      if (result.status !== 'ok') continue;
      expect(result.value).toBeGreaterThan(0);
      expect(result.work).toMatch(/^1 MiB × \d+$/);
    }
  });

  it('report matmul speed in GFLOP/s at the largest size it allows', async () => {
    const result = await measure('cpu-matmul-f32');
    expect(result).toMatchObject({ status: 'ok', unit: 'GFLOP/s' });
    if (result.status === 'ok') expect(result.work).toMatch(/^N = 64 × \d+$/);
  });
});
