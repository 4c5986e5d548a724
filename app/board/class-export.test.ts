import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from '../run/link.ts';
import { toMarkdown } from '../run/llama-bench.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { classRuns } from './class-export.ts';

/** The room's export.json as server/app.ts writes it. */
const exportOf = (entries: { participant: string | null; run: unknown }[]) => ({
  exportedAt: '2026-12-02T10:00:00.000Z',
  participants: [],
  results: entries.map((e, i) => ({
    runId: `r${i}`,
    participantId: `p${i}`,
    lessonId: null,
    receivedAt: '2026-12-02T10:00:00.000Z',
    ...e,
  })),
});

describe('classRuns', () => {
  it("names each run by its participant, for the Markdown's run column and the class link", () => {
    const a = syntheticRun(1, { reps: 2 });
    const b = syntheticRun(2, { reps: 2, device: 'webgpu' });
    const out = classRuns(
      exportOf([
        { participant: 'Ana', run: a },
        { participant: 'Bo', run: b },
      ]),
    );
    if (!out.ok) throw new Error(out.error);
    expect(out.unreadable).toBe(0);
    expect(out.runs.map((r) => [r.participant, r.name])).toEqual([
      ['Ana', `Ana · ${a.name}`],
      ['Bo', `Bo · ${b.name}`],
    ]);
    const md = toMarkdown(out.runs);
    expect(md).toContain(`| Ana · ${a.name}`);
    // The class link opens as the same runs, participants included.
    const back = decodeReport(encodeReport(out.runs));
    expect(back.ok && back.report.runs.map((r) => r.participant)).toEqual(['Ana', 'Bo']);
  });

  it('counts runs that do not restore instead of guessing, and refuses what is not an export', () => {
    const out = classRuns(
      exportOf([
        { participant: 'Ana', run: { id: 'x' } },
        { participant: null, run: syntheticRun(3) },
      ]),
    );
    expect(out.ok && out.unreadable).toBe(1);
    expect(out.ok && out.runs).toHaveLength(1);
    expect(classRuns({ error: 'nope' })).toMatchObject({ ok: false });
    expect(classRuns(null)).toMatchObject({ ok: false });
  });
});
