import { describe, expect, it } from 'vitest';
import { ms } from '../engine/protocol.ts';
import type { Repetition } from './run.ts';
import {
  interTokenLatencies,
  maxOf,
  minOf,
  percentile,
  repetitionMetrics,
  spread,
  summarize,
} from './stats.ts';

const rep = (times: number[], extra: Partial<Repetition> = {}): Repetition => ({
  rep: 0,
  promptTokens: 100,
  ttftMs: ms(times[0] ?? 0),
  e2eMs: ms(times.at(-1) ?? 0),
  tokenTimesMs: times.map(ms),
  startEpochMs: 0,
  endEpochMs: 0,
  text: '',
  partial: false,
  hidden: false,
  ...extra,
});

describe('percentile (numpy linear interpolation, as vLLM)', () => {
  it('matches hand-computed values', () => {
    // numpy.percentile([1,2,3,4], 50) = 2.5; 90 -> 3.7; 99 -> 3.97
    expect(percentile([4, 1, 3, 2], 50)).toBeCloseTo(2.5, 12);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4], 99)).toBeCloseTo(3.97, 12);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('spread gives median, min and max', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
  });
  it('spread takes a million values (a link with 140 runs x 1,000 repetitions pools 140,000)', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => ((i * 7919) % 1_000_003) / 10);
    const s = spread(values);
    expect(s.min).toBe(0);
    expect(s.max).toBe(100_000.2);
    expect(s.n).toBe(1_000_000);
  });
  it('minOf and maxOf agree with Math.min and Math.max, NaN and empty included', () => {
    expect(minOf([3, -1, 2])).toBe(-1);
    expect(maxOf([3, -1, 2])).toBe(3);
    expect(minOf([1, Number.NaN])).toBeNaN();
    expect(maxOf([Number.NaN, 1])).toBeNaN();
    expect(minOf([])).toBe(Number.POSITIVE_INFINITY);
    expect(maxOf([])).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('repetition metrics', () => {
  it('computes TTFT, TPOT, rates and ITLs from token times', () => {
    // tokens at 50, 60, 70, 90 ms: TTFT 50, E2E 90, TPOT (90-50)/3 = 13.33
    const m = repetitionMetrics(rep([50, 60, 70, 90]));
    expect(m).not.toBeNull();
    expect(m?.ttftMs).toBe(50);
    expect(m?.e2eMs).toBe(90);
    expect(m?.tpotMs).toBeCloseTo(40 / 3, 12);
    expect(m?.prefillTokPerS).toBeCloseTo(100 / 0.05, 9); // 2000 tok/s
    expect(m?.decodeTokPerS).toBeCloseTo(1000 / (40 / 3), 9); // 75 tok/s
    expect(m?.itlMs).toEqual([10, 10, 20]);
  });
  it('is undefined with fewer than two tokens', () => {
    expect(repetitionMetrics(rep([5]))).toBeNull();
  });
  it('inter-token latencies are consecutive differences', () => {
    expect(interTokenLatencies([1, 4, 9])).toEqual([3, 5]);
  });
});

describe('summarize', () => {
  it('takes medians over valid repetitions and pools ITLs', () => {
    const s = summarize([rep([10, 12, 14]), rep([20, 23, 26]), rep([30, 34, 38])]);
    expect(s?.validReps).toBe(3);
    expect(s?.ttftMs).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(s?.tpotMs.median).toBe(3);
    expect(s?.itlMs.n).toBe(6);
    expect(s?.itlMs.p50).toBe(3);
  });
  it('leaves out partial repetitions and those measured while the tab was hidden', () => {
    const s = summarize([
      rep([10, 12, 14]),
      rep([1, 2], { partial: true }),
      rep([100, 200, 300], { hidden: true }),
    ]);
    expect(s?.validReps).toBe(1);
    expect(s?.totalReps).toBe(3);
    expect(s?.ttftMs.median).toBe(10);
  });
  it('summarises the repetitions of many runs pooled (140 runs x 1,000 repetitions and more)', () => {
    const reps = Array.from({ length: 300_000 }, (_, i) => rep([10 + (i % 7), 20 + (i % 7)]));
    const s = summarize(reps);
    expect(s?.validReps).toBe(300_000);
    expect(s?.ttftMs).toMatchObject({ min: 10, max: 16 });
    expect(s?.tpotMs).toEqual({ median: 10, min: 10, max: 10, n: 300_000 });
  });
  it('is null when nothing is valid', () => {
    expect(summarize([rep([1, 2], { hidden: true })])).toBeNull();
    expect(summarize([])).toBeNull();
  });
});
