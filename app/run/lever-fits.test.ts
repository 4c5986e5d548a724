import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeByPosition,
  decodeSlowdown,
  lengthPoints,
  logSpacedLengths,
  prefillScaling,
} from './context-length.ts';
import { fitLine } from './linear-fit.ts';
import { cachedTokensFor, fitPrefixSaving, PREFIX_SHARES, prefixPoints } from './prefix-saving.ts';
import { runWithTokenTimes as runWith } from './synthetic.ts';

/** Token times of a generation: the first at `ttftMs`, then a gap per token from `gapMs(i)`. */
const times = (ttftMs: number, genTokens: number, gapMs: (i: number) => number) => {
  const t = [ttftMs];
  for (let i = 1; i < genTokens; i++) t.push((t[i - 1] as number) + gapMs(i));
  return t;
};

describe('fitLine', () => {
  it('recovers an exact line and says when there is none', () => {
    expect(fitLine([0, 1, 2, 3], [5, 7, 9, 11])).toMatchObject({ intercept: 5, slope: 2, rSquared: 1, n: 4 });
    expect(fitLine([1], [1])).toBeNull();
    expect(fitLine([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(fitLine([1, 2], [1, Number.NaN])).toBeNull();
  });
});

describe('prefix caching', () => {
  it('takes K as a share of P, keeping at least one prompt token to prefill', () => {
    expect(PREFIX_SHARES.map((share) => cachedTokensFor(share, 64))).toEqual([0, 16, 32, 48, 57]);
    expect(cachedTokensFor(0.9, 4)).toBe(3);
    expect(cachedTokensFor(0.99, 2)).toBe(1);
  });

  it('fits the prefill time saved per cached token and its share of the cold per-token prefill', () => {
    // P = 100; cold TTFT = 2 ms/token × 100 + 5 ms first decode step; a cached token saves 1.5 ms of its 2 ms.
    const runs = [0, 25, 50, 75, 90].map((k) =>
      runWith(
        { promptTokens: 100, genTokens: 4, cachedPrefixTokens: k },
        times(205 - 1.5 * k, 4, () => 5),
      ),
    );
    const points = prefixPoints(runs);
    expect(points.map((p) => p.cachedShare)).toEqual([0, 0.25, 0.5, 0.75, 0.9]);
    const fit = fitPrefixSaving(points);
    expect(fit?.coldTtftMs).toBe(205);
    expect(fit?.coldPrefillMsPerToken).toBeCloseTo(2, 10);
    expect(fit?.savedMsPerCachedToken).toBeCloseTo(1.5, 10);
    expect(fit?.savedShare).toBeCloseTo(0.75, 10);
    expect(fit?.rSquared).toBeCloseTo(1, 10);
    // At K = 90: 205 − 135 = 70 ms, 1 − 70/205 of the cold TTFT saved
    expect(fit?.largestSaving.ttftSavedShare).toBeCloseTo(1 - 70 / 205, 10);
  });

  it('needs the cold point and one cached point at the same P; a failed run is not a point', () => {
    const cold = runWith(
      { promptTokens: 100, genTokens: 4 },
      times(205, 4, () => 5),
    );
    const cached = runWith(
      { promptTokens: 100, genTokens: 4, cachedPrefixTokens: 50 },
      times(105, 4, () => 5),
    );
    expect(fitPrefixSaving(prefixPoints([cached]))).toBeNull();
    expect(fitPrefixSaving(prefixPoints([cold]))).toBeNull();
    expect(fitPrefixSaving(prefixPoints([cold, { ...cached, status: 'failed' }]))).toBeNull();
    const otherP = runWith(
      { promptTokens: 80, genTokens: 4, cachedPrefixTokens: 40 },
      times(90, 4, () => 5),
    );
    expect(fitPrefixSaving(prefixPoints([cold, otherP]))).toBeNull();
    expect(fitPrefixSaving(prefixPoints([cold, cached]))?.savedShare).toBeCloseTo(1, 10);
  });

  it('keeps the saved share within [0, 1] whatever the measurements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 1, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 5 }),
        (ttfts) => {
          const runs = ttfts.map((ttft, i) =>
            runWith({ promptTokens: 64, genTokens: 2, cachedPrefixTokens: i * 10 }, [ttft, ttft + 1]),
          );
          const fit = fitPrefixSaving(prefixPoints(runs));
          return fit === null || (fit.savedShare >= 0 && fit.savedShare <= 1);
        },
      ),
    );
  });
});

describe('context length', () => {
  it('log-spaces prompt lengths up to the largest asked', () => {
    expect(logSpacedLengths(16, 4096)).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
    expect(logSpacedLengths(16, 3000)).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 3000]);
    expect(logSpacedLengths(16, 16)).toEqual([16]);
  });

  it('finds where prefill stops scaling linearly', () => {
    // 0.5 ms per token + 10 ms, until P = 512 where attention doubles it
    const ttft = (p: number) => 10 + 0.5 * p + (p >= 512 ? 0.5 * p : 0);
    const runs = [16, 32, 64, 128, 256, 512, 1024].map((p) =>
      runWith(
        { promptTokens: p, genTokens: 4 },
        times(ttft(p), 4, () => 3),
      ),
    );
    const scaling = prefillScaling(lengthPoints(runs));
    expect(scaling?.msPerToken).toBeCloseTo(0.5, 10);
    expect(scaling?.overheadMs).toBeCloseTo(10, 10);
    expect(scaling?.linearUpToTokens).toBe(256);
    expect(scaling?.breakTokens).toBe(512);
    expect(scaling?.excessAtBreak).toBeCloseTo(522 / 266, 10);
  });

  it('reports no break when every length is on the line, and nothing with fewer than three lengths', () => {
    const runs = [16, 64, 256, 1024].map((p) =>
      runWith(
        { promptTokens: p, genTokens: 4 },
        times(5 + p, 4, () => 3),
      ),
    );
    expect(prefillScaling(lengthPoints(runs))).toMatchObject({ breakTokens: null, linearUpToTokens: 1024 });
    expect(prefillScaling(lengthPoints(runs.slice(0, 2)))).toBeNull();
  });

  it('measures how much decode slows per 1,000 tokens of context from the per-token times', () => {
    // P = 100; the gap before token i attends to 100 + i tokens and takes 2 ms + 0.004 ms per cached token.
    const gap = (i: number) => 2 + 0.004 * (100 + i);
    const run = runWith({ promptTokens: 100, genTokens: 1000 }, times(50, 1000, gap));
    const bins = decodeByPosition([run], 10);
    expect(bins).toHaveLength(10);
    expect(bins[0]?.gaps).toBe(300); // 100 positions × 3 repetitions
    const slowdown = decodeSlowdown([run], 10);
    expect(slowdown?.msPer1kTokens).toBeCloseTo(4, 6);
    expect(slowdown?.fromTokens).toBeCloseTo(150.5, 6);
    expect(slowdown?.startTpotMs).toBeCloseTo(2 + 0.004 * 150.5, 6);
  });

  it('says nothing about decode over a span too short to show a slope', () => {
    const run = runWith(
      { promptTokens: 100, genTokens: 32 },
      times(50, 32, () => 2),
    );
    expect(decodeSlowdown([run])).toBeNull();
    expect(decodeByPosition([])).toEqual([]);
  });
});
