import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextScore } from '../engine/protocol.ts';
import { compareScores, perplexity, positionKl } from './quality.ts';

const top = (probs: Array<[number, number]>) => probs.map(([id, p]) => ({ id, logProb: Math.log(p) }));

const score = (
  tokenIds: number[],
  positions: Array<{ target: number; top: Array<[number, number]> }>,
): TextScore => ({
  tokenIds,
  positions: positions.map((p) => ({ targetLogProb: Math.log(p.target), top: top(p.top) })),
});

describe('perplexity', () => {
  it('is exp(−mean log p)', () => {
    const s = score(
      [1, 2, 3],
      [
        { target: 0.5, top: [[2, 0.5]] },
        { target: 0.125, top: [[3, 0.5]] },
      ],
    );
    // mean log p = (ln 0.5 + ln 0.125)/2 = ln(0.25) → perplexity 4.
    expect(perplexity(s)).toBeCloseTo(4, 10);
  });

  it('a uniform model over V tokens has perplexity V', () => {
    const s = score(
      [0, 1, 2, 3, 4],
      Array.from({ length: 4 }, () => ({ target: 1 / 1000, top: [[0, 1 / 1000]] })),
    );
    expect(perplexity(s)).toBeCloseTo(1000, 6);
  });

  it('stays finite when a token has probability 0, and is NaN with no positions', () => {
    const s: TextScore = {
      tokenIds: [1, 2],
      positions: [{ targetLogProb: Number.NEGATIVE_INFINITY, top: [] }],
    };
    expect(Number.isFinite(perplexity(s))).toBe(true);
    expect(perplexity({ tokenIds: [1], positions: [] })).toBeNaN();
  });
});

describe('KL over top-k with an "other" bucket', () => {
  it('is 0 for identical distributions', () => {
    const t = top([
      [5, 0.6],
      [7, 0.3],
    ]);
    expect(positionKl(t, t)).toBeCloseTo(0, 12);
  });

  it('matches the hand-computed value on two buckets plus other', () => {
    // P = (0.6, 0.3, other 0.1); Q = (0.5, 0.3, other 0.2).
    const kl = positionKl(
      top([
        [5, 0.6],
        [7, 0.3],
      ]),
      top([
        [5, 0.5],
        [7, 0.3],
      ]),
    );
    const expected = 0.6 * Math.log(0.6 / 0.5) + 0.3 * Math.log(1) + 0.1 * Math.log(0.1 / 0.2);
    expect(kl).toBeCloseTo(expected, 12);
  });

  it('bounds a reference token missing from the candidate list by the candidate’s smallest listed probability', () => {
    // Candidate lists 5 (0.9) and 8 (0.05): token 7 has at most min(0.05, 0.05 unlisted).
    const kl = positionKl(
      top([
        [5, 0.6],
        [7, 0.3],
      ]),
      top([
        [5, 0.9],
        [8, 0.05],
      ]),
    );
    const expected =
      0.6 * Math.log(0.6 / 0.9) + 0.3 * Math.log(0.3 / 0.05) + 0.1 * Math.log(0.1 / (1 - 0.95));
    expect(kl).toBeCloseTo(expected, 12);
  });

  it('is never negative nor NaN for any pair of top-k lists', () => {
    const dist = fc
      .uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 5 })
      .chain((ids) =>
        fc
          .array(fc.double({ min: 0.01, max: 1, noNaN: true }), {
            minLength: ids.length,
            maxLength: ids.length,
          })
          .map((ws) => {
            const sum = ws.reduce((a, b) => a + b, 0) * 1.25; // leave some mass unlisted
            return ids.map((id, i) => ({ id, logProb: Math.log((ws[i] ?? 0) / sum) }));
          }),
      );
    fc.assert(fc.property(dist, dist, (p, q) => Number.isFinite(positionKl(p, q)) && positionKl(p, q) >= 0));
  });
});

describe('compareScores', () => {
  const ref = score(
    [1, 2, 3, 4],
    [
      {
        target: 0.5,
        top: [
          [2, 0.5],
          [9, 0.2],
        ],
      },
      {
        target: 0.4,
        top: [
          [3, 0.4],
          [9, 0.3],
        ],
      },
      {
        target: 0.25,
        top: [
          [9, 0.5],
          [4, 0.25],
        ],
      },
    ],
  );

  it('is a perfect match against itself', () => {
    const r = compareScores(ref, ref);
    expect(r).toMatchObject({ ok: true, value: { positions: 3, top1Agreement: 1 } });
    expect(r.ok && r.value.meanKlNats).toBeCloseTo(0, 12);
  });

  it('counts top-1 agreement per position', () => {
    const cand = score(
      [1, 2, 3, 4],
      [
        {
          target: 0.5,
          top: [
            [2, 0.5],
            [9, 0.2],
          ],
        },
        {
          target: 0.2,
          top: [
            [9, 0.5],
            [3, 0.2],
          ],
        },
        {
          target: 0.25,
          top: [
            [9, 0.5],
            [4, 0.25],
          ],
        },
      ],
    );
    const r = compareScores(ref, cand);
    expect(r.ok && r.value.top1Agreement).toBeCloseTo(2 / 3, 12);
    expect(r.ok && r.value.meanKlNats).toBeGreaterThan(0);
    expect(r.ok && r.value.candidatePerplexity).toBeGreaterThan(r.ok ? r.value.referencePerplexity : 0);
  });

  it('refuses scores of different texts and empty scores', () => {
    expect(compareScores(ref, { ...ref, tokenIds: [1, 2, 3, 5] })).toMatchObject({ ok: false });
    expect(compareScores(ref, { tokenIds: [1], positions: [] })).toMatchObject({ ok: false });
  });
});
