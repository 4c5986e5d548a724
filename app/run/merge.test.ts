import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from './link.ts';
import { mergeRuns } from './merge.ts';
import { parseRunResult, RUN_RESULT_SCHEMA } from './schema.ts';
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

  it('keeps a renamed id within the id limit, so the run can be read back', () => {
    const maxChars = RUN_RESULT_SCHEMA.shape.id.maxLength ?? 0;
    const longId = 'x'.repeat(maxChars);
    const mine = syntheticRun(1, { id: longId, name: 'mine' });
    const incoming = [2, 3, 4].map((seed) => syntheticRun(seed, { id: longId, name: `theirs ${seed}` }));
    const { added } = mergeRuns([mine], incoming);
    expect(added).toHaveLength(3);
    expect(new Set([longId, ...added.map((r) => r.id)]).size).toBe(4);
    for (const run of added) {
      expect(run.id.length).toBeLessThanOrEqual(maxChars);
      expect(parseRunResult(run).ok).toBe(true);
    }
  });

  it('never gives an incoming run an id that is taken by a record it cannot read', () => {
    const theirs = syntheticRun(2, { id: 'shared' });
    const { added } = mergeRuns([], [theirs], new Set(['shared', 'shared~2']));
    expect(added.map((r) => r.id)).toEqual(['shared~3']);
  });
});
