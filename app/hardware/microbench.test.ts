import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adapterStamp } from '../run/machine.ts';
import { median } from '../run/stats.ts';
import {
  calibrate,
  ceilingsOf,
  DEFAULT_RULES,
  isStable,
  type MicrobenchSuite,
  relativeSpread,
  sampleUntilStable,
} from './microbench.ts';
import { instantiateWasmBench } from './microbench-wasm.ts';
import { restoreSaved, withSuite } from './saved.ts';

describe('sampling', () => {
  it('median and spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(relativeSpread([9, 10, 11])).toBeCloseTo(0.2);
  });

  it('stops as soon as the window is stable, after the discarded warm-up', async () => {
    const figures = [1, 50, 100, 101, 99, 100, 100, 100];
    let i = 0;
    const r = await sampleUntilStable(
      async () => figures[i++] ?? 100,
      DEFAULT_RULES,
      Number.POSITIVE_INFINITY,
      () => 0,
    );
    expect(r?.samples).toEqual([100, 101, 99, 100, 100]);
    expect(r?.value).toBe(100);
    expect(r?.stable).toBe(true);
    expect(r?.reps).toBe(6); // 50 kept the first window unstable; the leading 1 was the warm-up
  });

  it('gives up at maxReps with stable = false on a noisy device', async () => {
    let i = 0;
    const r = await sampleUntilStable(
      async () => (i++ % 2 === 0 ? 50 : 100),
      DEFAULT_RULES,
      Number.POSITIVE_INFINITY,
      () => 0,
    );
    expect(r?.reps).toBe(DEFAULT_RULES.maxReps);
    expect(r?.stable).toBe(false);
  });

  it('respects the deadline', async () => {
    let t = 0;
    const r = await sampleUntilStable(
      async () => {
        t += 10;
        return t;
      },
      DEFAULT_RULES,
      35,
      () => t,
    );
    expect(r?.hitDeadline).toBe(true);
    expect(r?.reps).toBe(3);
    const none = await sampleUntilStable(
      async () => 1,
      DEFAULT_RULES,
      0,
      () => 1,
    );
    expect(none).toBeNull();
  });

  it('rejects a non-positive sample instead of reporting it', async () => {
    await expect(
      sampleUntilStable(
        async () => 0,
        DEFAULT_RULES,
        Number.POSITIVE_INFINITY,
        () => 0,
      ),
    ).rejects.toThrow(/positive/);
  });

  // Windows of DEFAULT_RULES.window samples around a base value. Each sample is base × (1 + u), |u| ≤ h, so the
  // spread is at most 2h / (1 − h); h = 0.024 keeps it below the 5 % tolerance (≤ 4.92 %).
  const window = DEFAULT_RULES.window;
  const base = fc.double({ min: 1e-3, max: 1e6, noNaN: true });
  const prefix = fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { maxLength: 20 });
  const stableWindow = fc
    .tuple(
      base,
      fc.array(fc.double({ min: -0.024, max: 0.024, noNaN: true }), { minLength: window, maxLength: window }),
    )
    .map(([b, noise]) => noise.map((u) => b * (1 + u)));
  // The same, with one pair pulled apart by a gap g ≥ 6 %: with every sample in [b, b(1 + g)] the spread is at
  // least g / (1 + g) > 5.6 %, above the tolerance.
  const unstableWindow = fc
    .tuple(
      base,
      fc.double({ min: 0.06, max: 10, noNaN: true }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: window - 2, maxLength: window - 2 }),
      fc.nat({ max: window - 1 }),
    )
    .map(([b, g, rest, at]) => {
      const w = [b * (1 + g), ...rest.map((t) => b * (1 + g * t))];
      w.splice(at, 0, b);
      return w;
    });
  const spread = (w: number[]) => (Math.max(...w) - Math.min(...w)) / median(w);

  it('a window within tolerance after any earlier samples is stable (property)', () => {
    fc.assert(
      fc.property(prefix, stableWindow, (before, w) => {
        expect(spread(w)).toBeLessThanOrEqual(DEFAULT_RULES.tolerance);
        expect(isStable([...before, ...w], DEFAULT_RULES)).toBe(true);
      }),
    );
  });

  it('a window beyond tolerance is not stable, whatever came before (property)', () => {
    fc.assert(
      fc.property(prefix, unstableWindow, (before, w) => {
        expect(spread(w)).toBeGreaterThan(DEFAULT_RULES.tolerance);
        expect(isStable([...before, ...w], DEFAULT_RULES)).toBe(false);
      }),
    );
  });

  it('stable windows are within tolerance, on stable and unstable windows alike (property)', () => {
    let stableCases = 0;
    fc.assert(
      fc.property(prefix, fc.oneof(stableWindow, unstableWindow), (before, w) => {
        const xs = [...before, ...w];
        if (!isStable(xs, DEFAULT_RULES)) return;
        stableCases++;
        expect(spread(xs.slice(-window))).toBeLessThanOrEqual(DEFAULT_RULES.tolerance);
      }),
      { numRuns: 200 },
    );
    // The implication above is vacuous unless the generator reaches stable windows: about half its cases are.
    expect(stableCases).toBeGreaterThan(50);
  });

  it('calibrates size, then repeats, to reach the target time', async () => {
    // 1 ms per MiB.
    const r = await calibrate(async (size, repeats) => size * repeats, {
      startSize: 1,
      maxSize: 8,
      targetMs: 100,
      maxRepeats: 64,
      deadlineMs: Number.POSITIVE_INFINITY,
      now: () => 0,
    });
    expect(r.size).toBe(8);
    expect(r.repeats).toBe(13);
    expect(r.ms).toBeGreaterThanOrEqual(100);
  });
});

describe('saved results', () => {
  const suite: MicrobenchSuite = {
    stamp: adapterStamp(
      { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' },
      'UA',
    ),
    deviceLabel: 'SwiftShader',
    adapter: null,
    webgpuUnavailableReason: null,
    measuredAt: '2025-01-01T00:00:00.000Z',
    totalMs: 9000,
    complete: true,
    results: [
      {
        id: 'gpu-read',
        status: 'ok',
        value: 12.5,
        unit: 'GB/s',
        timing: 'timestamp-query',
        samples: [12, 12.5, 13],
        spreadPct: 8,
        reps: 6,
        stable: false,
        work: '64 MiB × 2',
        note: null,
      },
      {
        id: 'gpu-matmul-f32',
        status: 'ok',
        value: 40,
        unit: 'GFLOP/s',
        timing: 'wall-clock',
        samples: [40],
        spreadPct: 0,
        reps: 5,
        stable: true,
        work: 'N = 512',
        note: null,
      },
      { id: 'gpu-matmul-f16', status: 'skipped', reason: 'no shader-f16' },
    ],
  };

  it('round-trips through its serialised form', () => {
    const saved = withSuite(restoreSaved(null), suite);
    expect(restoreSaved(JSON.stringify(saved))).toEqual(saved);
  });

  it('replaces the suite of the same device and keeps others', () => {
    const other = { ...suite, stamp: adapterStamp(null, 'UA') };
    const saved = withSuite(withSuite(withSuite(restoreSaved(null), suite), other), { ...suite, totalMs: 1 });
    expect(saved.suites.map((s) => s.totalMs)).toEqual([1, 9000]);
  });

  it('restores garbage and old versions to empty', () => {
    expect(restoreSaved('not json').suites).toEqual([]);
    expect(restoreSaved('{"version":0,"suites":[]}').suites).toEqual([]);
    fc.assert(fc.property(fc.string(), (s) => Array.isArray(restoreSaved(s).suites)));
  });

  it('picks the roofline ceilings by backend, falling back from f16 to f32', () => {
    expect(ceilingsOf(suite, 'webgpu', true)).toMatchObject({
      bandwidthGBps: 12.5,
      computeGflops: 40,
      computeFrom: 'gpu-matmul-f32',
    });
    expect(ceilingsOf(suite, 'wasm', false)).toBeNull();
  });
});

describe('WASM benchmark module', () => {
  it('sums f64 lanes with SIMD loads and copies with memory.copy', async () => {
    const bench = await instantiateWasmBench(1 << 16);
    const f64 = new Float64Array(bench.memory.buffer, 0, 64);
    for (let i = 0; i < 64; i++) f64[i] = i + 1;
    expect(bench.sum(0, 512)).toBe((64 * 65) / 2);
    expect(bench.sum(64, 128)).toBe(9 + 10 + 11 + 12 + 13 + 14 + 15 + 16);
    bench.copy(1024, 0, 512);
    expect(new Float64Array(bench.memory.buffer, 1024, 64)[63]).toBe(64);
  });
});
