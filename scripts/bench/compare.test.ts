import { describe, expect, it } from 'vitest';
import {
  bareRepetitions,
  type CompareRound,
  compareRounds,
  formatCompareMarkdown,
  roundOrder,
  type SideFigures,
  sideFigures,
} from './compare.ts';

const side = (decodeTokPerS: number, ttftMs: number, text = 'same'): SideFigures => ({
  decodeTokPerS,
  ttftMs,
  bestDecodeTokPerS: decodeTokPerS * 1.1,
  bestTtftMs: ttftMs * 0.9,
  itlMs: [1000 / decodeTokPerS],
  validReps: 3,
  texts: [text],
});

describe('roundOrder', () => {
  it('alternates which side goes first', () => {
    expect([0, 1, 2, 3].map(roundOrder)).toEqual([
      ['lab', 'bare'],
      ['bare', 'lab'],
      ['lab', 'bare'],
      ['bare', 'lab'],
    ]);
  });
});

describe('bareRepetitions + sideFigures', () => {
  it('summarizes the bare page the way the lab is summarized', () => {
    const reps = bareRepetitions(
      [
        { ttftMs: 10, e2eMs: 20, tokenTimesMs: [10, 15, 20], text: 'x' },
        { ttftMs: 12, e2eMs: 32, tokenTimesMs: [12, 22, 32], text: 'x' },
        { ttftMs: 11, e2eMs: 15, tokenTimesMs: [11, 15], text: 'x' },
      ],
      64,
      3,
    );
    expect(reps.map((r) => r.partial)).toEqual([false, false, true]);
    // valid reps: TPOT 5 and 10 ms -> decode 200 and 100 tok/s, median 150; TTFT median 11
    expect(sideFigures(reps)).toEqual({
      decodeTokPerS: 150,
      ttftMs: 11,
      bestDecodeTokPerS: 200,
      bestTtftMs: 10,
      itlMs: [5, 5, 10, 10],
      validReps: 2,
      texts: ['x', 'x', 'x'],
    });
    expect(sideFigures([])).toBeNull();
  });
});

describe('compareRounds', () => {
  const rounds: CompareRound[] = [
    { round: 0, order: ['lab', 'bare'], lab: side(98, 10.2), bare: side(100, 10) },
    { round: 1, order: ['bare', 'lab'], lab: side(90, 11), bare: side(100, 10) },
    { round: 2, order: ['lab', 'bare'], lab: side(99, 10), bare: side(98, 10) },
  ];

  it('compares the medians over rounds and reports the per-round ratios', () => {
    const summary = compareRounds(rounds);
    expect(summary.lab.decodeTokPerS.median).toBe(98);
    expect(summary.bare.decodeTokPerS.median).toBe(100);
    expect(summary.decodeRatio).toBeCloseTo(0.98, 10);
    expect(summary.ttftRatio).toBeCloseTo(1.02, 10);
    expect(summary.pairedDecodeRatio.min).toBeCloseTo(0.9, 10);
    expect(summary.pairedDecodeRatio.max).toBeCloseTo(99 / 98, 10);
    // best of each side: lab 99 * 1.1 vs bare 100 * 1.1; TTFT lab 10 * 0.9 vs bare 10 * 0.9
    expect(summary.bestDecodeRatio).toBeCloseTo(0.99, 10);
    expect(summary.bestTtftRatio).toBeCloseTo(1, 10);
    // ITL pooled: lab 1000/98, 1000/90, 1000/99 -> p50 1000/98; bare 1000/100, 1000/100, 1000/98 -> p50 10
    expect(summary.itlMs.lab.p50).toBeCloseTo(1000 / 98, 10);
    expect(summary.itlDecodeRatio).toBeCloseTo(0.98, 10);
    expect(summary.decodeWithinTarget).toBe(true);
    expect(summary.ttftWithinTarget).toBe(true);
    expect(summary.sameText).toBe(true);
  });

  it('flags a slower lab and differing outputs', () => {
    const slow = compareRounds([
      { round: 0, order: ['lab', 'bare'], lab: side(90, 12, 'a'), bare: side(100, 10, 'b') },
    ]);
    expect(slow.decodeWithinTarget).toBe(false);
    expect(slow.ttftWithinTarget).toBe(false);
    expect(slow.sameText).toBe(false);
    expect(() => compareRounds([])).toThrow(RangeError);
  });

  it('prints a table per round and the verdicts', () => {
    const text = formatCompareMarkdown(
      {
        model: 'small-random-llama',
        dtype: 'q8',
        device: 'wasm',
        promptTokens: 64,
        genTokens: 64,
        reps: 3,
        browser: '156',
        transformersVersion: '4.3.1',
        wasmThreads: 1,
      },
      rounds,
      compareRounds(rounds),
    );
    expect(text).toContain('|     2 | bare→lab |');
    expect(text).toContain('lab/bare decode tok/s = 0.980');
    expect(text).toContain('target ≥ 0.97: within target');
    expect(text).toContain('same generated text on both sides: yes');
  });
});
