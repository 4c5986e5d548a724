import { describe, expect, it } from 'vitest';
import { latencyBars } from './live-chart.tsx';

const tokens = (times: number[]) => times.map((timeMs, index) => ({ rep: 0, index, timeMs }));

describe('latencyBars', () => {
  it('gives TTFT as the first bar and one bar per inter-token latency', () => {
    expect(latencyBars(tokens([50, 60, 75]))).toEqual([
      { from: 1, to: 1, prefillMs: 50, decodeMs: 0, maxDecodeMs: 0 },
      { from: 2, to: 2, prefillMs: 0, decodeMs: 10, maxDecodeMs: 10 },
      { from: 3, to: 3, prefillMs: 0, decodeMs: 15, maxDecodeMs: 15 },
    ]);
  });
  it('groups long runs into at most maxBars bars, keeping each group mean and max', () => {
    // 1 prefill + 8 gaps, at most 3 bars: 2 decode bars of 4 gaps each
    const bars = latencyBars(tokens([10, 11, 12, 13, 20, 21, 22, 23, 24]), 3);
    expect(bars).toHaveLength(3);
    expect(bars[1]).toEqual({ from: 2, to: 5, prefillMs: 0, decodeMs: 2.5, maxDecodeMs: 7 });
    expect(bars[2]).toEqual({ from: 6, to: 9, prefillMs: 0, decodeMs: 1, maxDecodeMs: 1 });
  });
  it('is empty without tokens and tolerates arrival out of order', () => {
    expect(latencyBars([])).toEqual([]);
    expect(
      latencyBars([
        { rep: 0, index: 1, timeMs: 9 },
        { rep: 0, index: 0, timeMs: 5 },
      ])[1]?.decodeMs,
    ).toBe(4);
  });
});
