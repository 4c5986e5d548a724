import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attainableGflops,
  bandwidthFloorMs,
  computeFloorMs,
  fitOverhead,
  flopUtilisation,
  memoryBandwidthUtilisation,
  ridgeIntensity,
  rooflinePoint,
  tokenBreakdown,
} from './roofline.ts';

describe('floors and utilisation', () => {
  it('1 GB at 100 GB/s takes 10 ms; 2 GFLOP at 1000 GFLOP/s takes 2 ms', () => {
    expect(bandwidthFloorMs(1e9, 100)).toBeCloseTo(10, 10);
    expect(computeFloorMs(2e9, 1000)).toBeCloseTo(2, 10);
    expect(bandwidthFloorMs(1e9, 0)).toBeNaN();
  });

  it('MBU and FLOP utilisation are floor / measured', () => {
    // 1 GB per token at 100 GB/s = 10 ms floor; measured 40 ms → 25%.
    expect(memoryBandwidthUtilisation(1e9, 40, 100)).toBeCloseTo(0.25, 10);
    expect(flopUtilisation(2e9, 8, 1000)).toBeCloseTo(0.25, 10);
    expect(memoryBandwidthUtilisation(1e9, 0, 100)).toBeNaN();
  });

  it('breaks a token into floors and overhead', () => {
    const b = tokenBreakdown(1e9, 2e9, 20, { bandwidthGBps: 100, computeGflops: 1000 });
    expect(b).not.toBeNull();
    expect(b?.bandwidthFloorMs).toBeCloseTo(10);
    expect(b?.computeFloorMs).toBeCloseTo(2);
    expect(b?.overheadMs).toBeCloseTo(8);
    expect(b?.measuredBelowFloor).toBe(false);
    const fast = tokenBreakdown(1e9, 2e9, 5, { bandwidthGBps: 100, computeGflops: 1000 });
    expect(fast?.overheadMs).toBe(0);
    expect(fast?.measuredBelowFloor).toBe(true);
    expect(tokenBreakdown(1e9, 2e9, Number.NaN, { bandwidthGBps: 100, computeGflops: 1000 })).toBeNull();
  });

  it('roofline: the ridge sits at C / BW and attainable is min(C, I × BW)', () => {
    const c = { bandwidthGBps: 50, computeGflops: 500 };
    expect(ridgeIntensity(c)).toBe(10);
    expect(attainableGflops(1, c)).toBe(50);
    expect(attainableGflops(100, c)).toBe(500);
    expect(rooflinePoint(2e9, 1e9, 100)).toEqual({ intensityFlopPerByte: 2, achievedGflops: 20 });
    expect(rooflinePoint(2e9, 0, 100)).toBeNull();
  });
});

describe('fixed-overhead fit t = t0 + bytes / BW', () => {
  it('recovers a known t0 and BW from exact points', () => {
    // t0 = 12 ms, BW = 25 GB/s → 1 GB costs 40 ms.
    const pts = [50e6, 200e6, 500e6, 1e9].map((bytes) => ({
      bytesPerToken: bytes,
      tpotMs: 12 + bytes / 25e6,
    }));
    const fit = fitOverhead(pts);
    expect(fit.ok).toBe(true);
    if (!fit.ok) return;
    expect(fit.t0Ms).toBeCloseTo(12, 6);
    expect(fit.bandwidthEffGBps).toBeCloseTo(25, 6);
    expect(fit.r2).toBeCloseTo(1, 9);
  });

  it('says overhead dominates for small models', () => {
    // Tiny models: 1–8 MB per token at 20 GB/s is 0.05–0.4 ms, against 15 ms of fixed cost.
    const pts = [1e6, 2e6, 4e6, 8e6].map((b) => ({ bytesPerToken: b, tpotMs: 15 + b / 20e6 }));
    const fit = fitOverhead(pts);
    expect(fit.ok && fit.dominatedBy).toBe('overhead');
    const big = [1e9, 2e9].map((b) => ({ bytesPerToken: b, tpotMs: 1 + b / 20e6 }));
    const fitBig = fitOverhead(big);
    expect(fitBig.ok && fitBig.dominatedBy).toBe('bandwidth');
  });

  it('recovers t0 and BW within noise (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: 5, maxLength: 5 }),
        (t0, bw, noise) => {
          const sizes = [1e7, 5e7, 1e8, 5e8, 1e9];
          // Noise of up to 1% of the largest model's bandwidth time: the slope stays identifiable.
          const spanMs = 1e9 / (bw * 1e6);
          const pts = sizes.map((b, i) => ({
            bytesPerToken: b,
            tpotMs: t0 + b / (bw * 1e6) + (noise[i] ?? 0) * spanMs,
          }));
          const fit = fitOverhead(pts);
          if (!fit.ok) return false;
          return (
            Math.abs(fit.bandwidthEffGBps / bw - 1) < 0.05 && Math.abs(fit.t0Ms - t0) < 0.02 * spanMs + 1e-9
          );
        },
      ),
    );
  });

  it('explains why it cannot fit', () => {
    expect(fitOverhead([])).toMatchObject({ ok: false });
    const one = fitOverhead([{ bytesPerToken: 1e6, tpotMs: 3 }]);
    expect(!one.ok && one.reason).toMatch(/at least two/);
    const same = fitOverhead([
      { bytesPerToken: 1e6, tpotMs: 3 },
      { bytesPerToken: 1e6, tpotMs: 4 },
    ]);
    expect(!same.ok && same.reason).toMatch(/same bytes/);
    const flat = fitOverhead([
      { bytesPerToken: 1e6, tpotMs: 5 },
      { bytesPerToken: 2e6, tpotMs: 4 },
    ]);
    expect(!flat.ok && flat.reason).toMatch(/does not grow/);
    const junk = fitOverhead([
      { bytesPerToken: Number.NaN, tpotMs: 3 },
      { bytesPerToken: 1e6, tpotMs: Number.POSITIVE_INFINITY },
    ]);
    expect(junk.ok).toBe(false);
  });
});
