import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from './link.ts';
import { mergeRuns } from './merge.ts';
import { syntheticRun } from './synthetic.ts';

describe('mergeRuns', () => {
  it('never replaces a run that is already there', () => {
    const mine = syntheticRun(1, { name: 'mine' });
    const theirs = syntheticRun(99, { id: mine.id, name: 'theirs' });
    const outcome = mergeRuns([mine], [theirs]);
    expect(outcome.runs[0]).toBe(mine);
    expect(outcome.added.map((r) => [r.id, r.name])).toEqual([[`${mine.id}~2`, 'theirs']]);
  });

  it('counts the same run arriving twice once, summary copies included', () => {
    const run = syntheticRun(1);
    const decoded = decodeReport(encodeReport([run]));
    if (!decoded.ok) throw new Error(decoded.error);
    const outcome = mergeRuns([], [run, run, ...decoded.report.runs]);
    expect(outcome.added).toEqual([run]);
    expect(outcome.duplicates).toBe(2);
  });
});
