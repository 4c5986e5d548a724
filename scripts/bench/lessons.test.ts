import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../app/lessons/lessons.ts';
import { formatLessonTimings, parseLessonsArgs } from './lessons.ts';

describe('bench:lessons arguments', () => {
  it('times every lesson on WASM against 120 s by default', () => {
    const parsed = parseLessonsArgs([]);
    expect(parsed.kind === 'plan' && parsed.plan).toMatchObject({
      lessons: LESSONS.map((l) => l.id),
      device: 'wasm',
      limitS: 120,
    });
  });

  it('names an unknown lesson, device or limit', () => {
    expect(parseLessonsArgs(['-l', 'batching,nope'])).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('"nope"'),
    });
    expect(parseLessonsArgs(['-d', 'cuda'])).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('"cuda"'),
    });
    expect(parseLessonsArgs(['--limit', 'soon'])).toMatchObject({ kind: 'error' });
  });
});

describe('bench:lessons report', () => {
  it('passes a complete lesson within the limit and fails a slow or failed one, saying why', () => {
    const table = formatLessonTimings(
      [
        { lessonId: 'batching', steps: 4, durationMs: 61_234, end: 'complete', message: '' },
        { lessonId: 'model-size', steps: 3, durationMs: 130_000, end: 'complete', message: '' },
        { lessonId: 'caching', steps: 3, durationMs: 5_000, end: 'failed', message: 'Step 2 failed' },
      ],
      120,
      'wasm',
    );
    expect(table).toContain('| batching | 4 | 61.2 | PASS |');
    expect(table).toContain('| model-size | 3 | 130.0 | FAIL (too slow) |');
    expect(table).toContain('| caching | 3 | 5.0 | FAIL: Step 2 failed |');
  });
});
