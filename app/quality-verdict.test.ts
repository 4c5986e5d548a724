/**
 * The path a quality score takes: scored on "Why this fast" (hardware/quality.ts), kept in the shared table
 * (models/quality-scores.ts), read by the comparison's verdict (compare/verdict.ts) through app.tsx's lookup.
 * Here at the top of app/, since only app.tsx may join two features.
 */
import { describe, expect, it } from 'vitest';
import { recommend } from './compare/verdict.ts';
import type { Dtype, Ms, TextScore } from './engine/protocol.ts';
import { scoreEntries } from './hardware/quality.ts';
import { qualityLookup, withScores } from './models/quality-scores.ts';
import { syntheticRun } from './run/synthetic.ts';

/** A score of 10 positions whose top token is `tops[i]`. */
const textScore = (tops: number[]): TextScore => ({
  tokenIds: [0, ...tops.map((_, i) => i + 1)],
  positions: tops.map((id) => ({
    targetLogProb: Math.log(0.5),
    top: [
      { id, logProb: Math.log(0.6) },
      { id: 999, logProb: Math.log(0.3) },
    ],
  })),
});

let seed = 0;
const run = (dtype: Dtype, decodeTokPerS: number) => {
  seed += 1;
  const r = syntheticRun(seed, { id: `q${seed}`, modelId: 'small', dtype, reps: 3, genTokens: 5 });
  r.repetitions = r.repetitions.map((rep) => {
    const times = [0, 1, 2, 3, 4].map((k) => 50 + (k * 1000) / decodeTokPerS) as Ms[];
    return { ...rep, ttftMs: 50 as Ms, e2eMs: times[4] as Ms, tokenTimesMs: times };
  });
  return r;
};

const facts = (_m: string, dtype: string) =>
  ({
    fp32: { parameters: 4e6, bytes: 16e6 },
    q8: { parameters: 4e6, bytes: 4e6 },
    q4: { parameters: 4e6, bytes: 2e6 },
  })[dtype];

describe('a quality score reaches the verdict', () => {
  const reference = textScore([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // q8 agrees at all 10 positions, q4 at 6 of 10.
  const q8 = textScore([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const q4 = textScore([1, 2, 3, 4, 5, 6, 70, 80, 90, 100]);
  const entries = scoreEntries(
    { id: 'small', randomWeights: false },
    ['fp32', 'q8', 'q4'],
    { fp32: reference, q8, q4 },
    't',
  );

  it('the reference scores 1, each other dtype its agreement with it', () => {
    expect(entries.map((e) => [e.dtype, e.top1Agreement])).toEqual([
      ['fp32', 1],
      ['q8', 1],
      ['q4', 0.6],
    ]);
    expect(scoreEntries({ id: 'small', randomWeights: false }, ['fp32', 'q8'], { q8 }, 't')).toEqual([]);
  });

  it('each score names the weight file it scored, so it reaches runs of that file only', () => {
    const sha = (c: string) => c.repeat(64);
    const [, q8Entry] = scoreEntries(
      { id: 'small', randomWeights: false },
      ['fp32', 'q8'],
      { fp32: { ...reference, weightSha256: sha('a') }, q8: { ...q8, weightSha256: sha('b') } },
      't',
    );
    expect(q8Entry?.weightSha256).toBe(sha('b'));
    const lookup = qualityLookup(withScores({}, q8Entry ? [q8Entry] : []));
    const q8Run = run('q8', 40);
    expect(lookup({ ...q8Run, weightSha256: sha('b') })?.top1Agreement).toBe(1);
    expect(lookup({ ...q8Run, weightSha256: sha('c') })).toBeUndefined();
  });

  it('the fastest dtype below the bar is left out, and the verdict no longer says quality was not scored', () => {
    const runs = [run('q8', 40), run('q4', 60)];
    const unscored = recommend(runs, facts)[0];
    expect(unscored?.kind === 'pick' && unscored.pick.dtype).toBe('q4');
    expect(unscored?.caveats.join(' ')).toMatch(/Quality not scored/);

    const scored = recommend(runs, facts, { quality: qualityLookup(withScores({}, entries)) })[0];
    expect(scored?.kind === 'pick' && scored.pick.dtype).toBe('q8');
    expect(scored?.caveats.join(' ')).toMatch(/below the quality bar/);
    expect(scored?.caveats.join(' ')).not.toMatch(/Quality not scored/);
  });
});
