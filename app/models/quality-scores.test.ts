import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeScores,
  encodeScores,
  type QualityScoreEntry,
  qualityLookup,
  scoreOf,
  withScores,
} from './quality-scores.ts';

const entry = (
  modelId: string,
  dtype: QualityScoreEntry['dtype'],
  top1Agreement: number,
): QualityScoreEntry => ({
  modelId,
  dtype,
  top1Agreement,
  meanKlNats: 1 - top1Agreement,
  referenceDtype: 'fp32',
  randomWeights: false,
  scoredAt: '2026-12-02T02:00:00.000Z',
});

describe('quality score table', () => {
  it('finds a score by model and dtype, and nothing for a variant never scored', () => {
    const t = withScores({}, [entry('small', 'fp32', 1), entry('small', 'q4', 0.82)]);
    expect(scoreOf(t, 'small', 'q4')?.top1Agreement).toBe(0.82);
    expect(qualityLookup(t)('small', 'fp32')?.top1Agreement).toBe(1);
    expect(qualityLookup(t)('small', 'q8')).toBeUndefined();
    expect(qualityLookup(t)('tiny', 'q4')).toBeUndefined();
  });

  it("scoring a model again replaces all its dtypes' scores and leaves other models alone", () => {
    const first = withScores({}, [
      entry('small', 'fp32', 1),
      entry('small', 'q4', 0.82),
      entry('tiny', 'q8', 0.9),
    ]);
    const again = withScores(first, [entry('small', 'fp32', 1), entry('small', 'q8', 0.97)]);
    expect(scoreOf(again, 'small', 'q4')).toBeUndefined();
    expect(scoreOf(again, 'small', 'q8')?.top1Agreement).toBe(0.97);
    expect(scoreOf(again, 'tiny', 'q8')?.top1Agreement).toBe(0.9);
  });

  it('survives its stored form; storage holding anything else reads as no scores, never throws', () => {
    const t = withScores({}, [entry('org/model', 'q4f16', 0.75), entry('org/model', 'fp16', 1)]);
    expect(decodeScores(encodeScores(t))).toEqual(t);
    expect(decodeScores(null)).toEqual({});
    expect(decodeScores('{"v":2,"scores":[]}')).toEqual({});
    fc.assert(fc.property(fc.string(), (s) => typeof decodeScores(s) === 'object'));
    fc.assert(fc.property(fc.jsonValue(), (j) => typeof decodeScores(JSON.stringify(j)) === 'object'));
  });

  it('drops stored entries that do not validate and keeps the rest', () => {
    const good = entry('small', 'q8', 0.95);
    const text = JSON.stringify({
      v: 1,
      scores: [good, { ...good, dtype: 'int3' }, { ...good, top1Agreement: 1.5 }, 'x'],
    });
    expect(Object.values(decodeScores(text))).toEqual([good]);
  });
});
