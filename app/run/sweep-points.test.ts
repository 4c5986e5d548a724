import { describe, expect, it } from 'vitest';
import { pointsBy } from './sweep-points.ts';
import { syntheticRun } from './synthetic.ts';

describe('pointsBy', () => {
  const at = (promptTokens: number, seed: number) =>
    syntheticRun(seed, { promptTokens, id: `p${promptTokens}-${seed}` });

  it('gives one point per value in ascending order, the last run of a value replacing an earlier one', () => {
    const runs = [at(64, 1), at(16, 2), at(64, 3), at(32, 4)];
    const points = pointsBy(
      runs,
      (run) => run.settings.promptTokens,
      (run, p) => ({ p, id: run.id }),
    );
    expect(points).toEqual([
      { p: 16, id: 'p16-2' },
      { p: 32, id: 'p32-4' },
      { p: 64, id: 'p64-3' },
    ]);
  });

  it('leaves out runs that did not complete and runs the point builder refuses', () => {
    const failed = { ...at(8, 5), status: 'failed' as const };
    const points = pointsBy(
      [failed, at(16, 6), at(32, 7)],
      (run) => run.settings.promptTokens,
      (_run, p) => (p === 32 ? null : p),
    );
    expect(points).toEqual([16]);
  });
});
