import { describe, expect, it } from 'vitest';
import { FAMILY } from '../../scripts/models/family.ts';
import { EMBEDDED_DTYPES } from '../../scripts/models/manifest.ts';
import { RUN_LIMITS } from '../engine/protocol.ts';
import type { ResultRow } from '../room/protocol.ts';
import { electricityUsdPerHour } from '../run/hourly-cost.ts';
import type { RunResult } from '../run/run.ts';
import { runWithTokenTimes, syntheticRun } from '../run/synthetic.ts';
import {
  consequenceSentence,
  LESSON_TRAFFIC,
  lessonConsequences,
  stepRequestMs,
  usdPerMonth,
} from './cost.ts';
import {
  experimentFraction,
  latestLessonRuns,
  lessonTag,
  runExperiment,
  stepSettings,
} from './experiment.ts';
import { LESSON_LEVERS, type Lesson, type LessonStep } from './lesson.ts';
import { LESSONS, lessonById } from './lessons.ts';
import { lessonPoints, requestMs } from './points.ts';

/** Round figures for hand-checked arithmetic: 1M requests a month, $0.10 per device hour. */
const AT_10_CENTS = { requestsPerMonth: 1e6, deviceUsdPerHour: 0.1 };

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('every lesson definition', () => {
  it('has a unique kebab-case id, and the levers are all covered', () => {
    const ids = LESSONS.map((l) => l.id);
    for (const id of ids) expect(id).toMatch(KEBAB);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(LESSONS.map((l) => l.lever))).toEqual(new Set(LESSON_LEVERS));
  });

  for (const lesson of LESSONS) {
    describe(lesson.id, () => {
      it('has 2–3 paragraphs, a question and at least two steps', () => {
        expect(lesson.paragraphs.length).toBeGreaterThanOrEqual(2);
        expect(lesson.paragraphs.length).toBeLessThanOrEqual(3);
        expect(lesson.question.trim().endsWith('?')).toBe(true);
        expect(lesson.steps.length).toBeGreaterThanOrEqual(2);
      });

      it('runs embedded models in dtypes they ship, within the run limits and the model context', () => {
        for (const step of lesson.steps) {
          const model = FAMILY.find((m) => m.id === step.modelId);
          expect(model, `${step.modelId} is not an embedded model`).toBeDefined();
          expect(EMBEDDED_DTYPES as readonly string[]).toContain(step.dtype);
          expect(step.promptTokens).toBeGreaterThanOrEqual(RUN_LIMITS.promptTokens.min);
          expect(step.genTokens).toBeGreaterThanOrEqual(RUN_LIMITS.genTokens.min);
          expect(step.reps).toBeGreaterThanOrEqual(2);
          expect(step.promptTokens + step.genTokens).toBeLessThanOrEqual(model?.maxContextTokens ?? 0);
          expect(step.cachedPrefixTokens ?? 0).toBeLessThan(step.promptTokens);
        }
      });

      it('has unique kebab-case step ids and distinct settings (each run belongs to one step)', () => {
        const ids = lesson.steps.map((s) => s.id);
        for (const id of ids) expect(id).toMatch(KEBAB);
        expect(new Set(ids).size).toBe(ids.length);
        const keys = lesson.steps.map((s) => JSON.stringify(stepSettings(s, 'wasm')));
        expect(new Set(keys).size).toBe(keys.length);
      });

      it('prices steps that exist', () => {
        expect(lesson.costs.length).toBeGreaterThan(0);
        const ids = new Set(lesson.steps.map((s) => s.id));
        for (const c of lesson.costs) {
          const named =
            c.kind === 'compare'
              ? [c.baseline, c.lever]
              : c.kind === 'routing'
                ? [c.large, c.small]
                : [c.step];
          for (const id of named) expect(ids.has(id), `${lesson.id}: cost names ${id}`).toBe(true);
        }
      });
    });
  }

  it('finds a lesson by id, and nothing for an unknown or missing id', () => {
    expect(lessonById('batching')?.title).toBe('Batch the requests');
    expect(lessonById('nope')).toBeUndefined();
    expect(lessonById(null)).toBeUndefined();
  });
});

/** A step's settings as one line, every field named and sorted, so that any change (or a stray field) shows. */
const stepLine = (step: LessonStep): string =>
  Object.entries(step)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');

describe('the lessons’ experiments', () => {
  // Pinned: a class's runs are matched to a lesson's steps by these settings (the board, the cost), so editing a
  // lesson's experiment is a deliberate change to this list too.
  it('keeps every lesson, in order, with its steps in order and exactly these settings', () => {
    expect(LESSONS.map((l) => [l.id, l.steps.map(stepLine)])).toEqual([
      [
        'model-size',
        [
          'dtype="q8" genTokens=16 id="tiny-q8" label="tiny" modelId="tiny-random-llama" promptTokens=64 reps=3 series="q8"',
          'dtype="q8" genTokens=16 id="small-q8" label="small" modelId="small-random-llama" promptTokens=64 reps=3 series="q8"',
          'dtype="q8" genTokens=16 id="medium-q8" label="medium" modelId="medium-random-llama" promptTokens=64 reps=3 series="q8"',
        ],
      ],
      [
        'input-length',
        [
          'dtype="q8" genTokens=8 id="p-32" label="P = 32" modelId="small-random-llama" promptTokens=32 reps=3 series="small q8"',
          'dtype="q8" genTokens=8 id="p-128" label="P = 128" modelId="small-random-llama" promptTokens=128 reps=3 series="small q8"',
          'dtype="q8" genTokens=8 id="p-512" label="P = 512" modelId="small-random-llama" promptTokens=512 reps=3 series="small q8"',
        ],
      ],
      [
        'output-length',
        [
          'dtype="q8" genTokens=8 id="g-8" label="G = 8" modelId="small-random-llama" promptTokens=64 reps=3 series="small q8"',
          'dtype="q8" genTokens=32 id="g-32" label="G = 32" modelId="small-random-llama" promptTokens=64 reps=3 series="small q8"',
          'dtype="q8" genTokens=96 id="g-96" label="G = 96" modelId="small-random-llama" promptTokens=64 reps=3 series="small q8"',
        ],
      ],
      [
        'quantization',
        [
          'dtype="fp32" genTokens=16 id="small-fp32" label="fp32" modelId="small-random-llama" promptTokens=64 reps=3 series="small"',
          'dtype="q8" genTokens=16 id="small-q8" label="q8" modelId="small-random-llama" promptTokens=64 reps=3 series="small"',
          'dtype="q4" genTokens=16 id="small-q4" label="q4" modelId="small-random-llama" promptTokens=64 reps=3 series="small"',
        ],
      ],
      [
        'caching',
        [
          'dtype="q8" genTokens=8 id="k-0" label="K = 0" modelId="small-random-llama" promptTokens=256 reps=3 series="small q8"',
          'cachedPrefixTokens=128 dtype="q8" genTokens=8 id="k-128" label="K = 128" modelId="small-random-llama" promptTokens=256 reps=3 series="small q8"',
          'cachedPrefixTokens=230 dtype="q8" genTokens=8 id="k-230" label="K = 230" modelId="small-random-llama" promptTokens=256 reps=3 series="small q8"',
        ],
      ],
      [
        'batching',
        [
          'dtype="q8" genTokens=16 id="b-1" label="B = 1" modelId="small-random-llama" promptTokens=32 reps=3 series="small q8"',
          'dtype="q8" genTokens=16 id="b-2" label="B = 2" modelId="small-random-llama" parallelSequences=2 promptTokens=32 reps=3 series="small q8"',
          'dtype="q8" genTokens=16 id="b-4" label="B = 4" modelId="small-random-llama" parallelSequences=4 promptTokens=32 reps=3 series="small q8"',
          'dtype="q8" genTokens=16 id="b-8" label="B = 8" modelId="small-random-llama" parallelSequences=8 promptTokens=32 reps=3 series="small q8"',
        ],
      ],
      [
        'routing',
        [
          'dtype="q8" genTokens=16 id="tiny-q8" label="tiny (small tier)" modelId="tiny-random-llama" promptTokens=64 reps=3 series="q8"',
          'dtype="q8" genTokens=16 id="medium-q8" label="medium (large tier)" modelId="medium-random-llama" promptTokens=64 reps=3 series="q8"',
        ],
      ],
    ]);
  });
});

/** A complete run of a lesson step with given per-repetition TTFT and TPOT (G tokens evenly spaced). */
function stepRun(lesson: Lesson, stepId: string, ttftMs: number, tpotMs: number, id = stepId): RunResult {
  const step = lesson.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(stepId);
  const times = Array.from({ length: step.genTokens }, (_, i) => ttftMs + i * tpotMs);
  return { ...runWithTokenTimes(stepSettings(step, 'wasm'), times), id, status: 'complete' };
}

const row = (over: Partial<ResultRow>): ResultRow => ({
  runId: 'r',
  participantId: 'p1',
  participant: 'Ada',
  lessonId: 'input-length',
  receivedAt: '2026-12-02T00:00:00Z',
  modelId: 'small-random-llama',
  dtype: 'q8',
  modelKey: 'small-random-llama|q8',
  device: 'wasm',
  gpuVendor: null,
  status: 'complete',
  promptTokens: 128,
  genTokens: 8,
  parallelSequences: 1,
  cachedPrefixTokens: 0,
  ttftMs: 40,
  tpotMs: 5,
  prefillTokPerS: 3200,
  decodeTokPerS: 200,
  ...over,
});

describe('lessonPoints', () => {
  const input = lessonById('input-length') as Lesson;

  it('puts each run of a step at the step’s x and the run’s y (TTFT for trimming prompts)', () => {
    const runs = [stepRun(input, 'p-512', 300, 5), stepRun(input, 'p-32', 20, 5)];
    expect(lessonPoints(input, runs).map((p) => [p.stepId, p.x, p.y])).toEqual([
      ['p-32', 32, 20],
      ['p-512', 512, 300],
    ]);
  });

  it('drops runs of no step, incomplete runs and rows without a median', () => {
    const other = {
      ...stepRun(input, 'p-32', 20, 5),
      settings: { ...stepRun(input, 'p-32', 20, 5).settings, promptTokens: 33 },
    };
    const partial = { ...stepRun(input, 'p-128', 50, 5), status: 'partial' as const };
    expect(lessonPoints(input, [other, partial])).toEqual([]);
    expect(lessonPoints(input, [row({ ttftMs: null }), row({ status: 'failed' })])).toEqual([]);
  });

  it('reads the class’s rows with the same code, naming who ran each', () => {
    const points = lessonPoints(input, [
      row({ runId: 'a' }),
      row({ runId: 'b', participant: 'Bo', ttftMs: 60 }),
    ]);
    expect(points.map((p) => [p.participant, p.x, p.y])).toEqual([
      ['Ada', 128, 40],
      ['Bo', 128, 60],
    ]);
  });

  it('draws requests as TTFT + (G − 1) × TPOT, batches as B × decode speed, steps by index', () => {
    const size = lessonById('model-size') as Lesson;
    const [p] = lessonPoints(size, [stepRun(size, 'medium-q8', 100, 20)]);
    expect(p).toMatchObject({ x: 2, y: 100 + 15 * 20 });
    const batching = lessonById('batching') as Lesson;
    const [b] = lessonPoints(batching, [stepRun(batching, 'b-4', 50, 10)]);
    expect(b?.x).toBe(4);
    expect(b?.y).toBeCloseTo(4 * 100, 6);
    const caching = lessonById('caching') as Lesson;
    expect(lessonPoints(caching, [stepRun(caching, 'k-128', 50, 10)])[0]?.x).toBe(50);
  });
});

describe('cost consequence', () => {
  it('prices a device hour as the Cost page prices running in the browser: its electricity', () => {
    expect(LESSON_TRAFFIC.deviceUsdPerHour).toBeCloseTo(electricityUsdPerHour(), 12);
  });

  it('prices device time by the hour: 1M requests of 360 ms at $0.10/h is $10', () => {
    expect(usdPerMonth(360, { requestsPerMonth: 1e6, deviceUsdPerHour: 0.1 })).toBeCloseTo(10, 9);
  });

  it('compares the baseline with the lever from the student’s own numbers', () => {
    const size = lessonById('model-size') as Lesson;
    const runs = [stepRun(size, 'medium-q8', 60, 20), stepRun(size, 'small-q8', 15, 5)];
    const [c] = lessonConsequences(size, runs, AT_10_CENTS);
    // medium: 60 + 15 × 20 = 360 ms → $10; small: 15 + 15 × 5 = 90 ms → $2.50.
    expect(c?.without.usdPerMonth).toBeCloseTo(10, 9);
    expect(c?.with.usdPerMonth).toBeCloseTo(2.5, 9);
    expect(c?.savedShare).toBeCloseTo(0.75, 9);
    expect(c && consequenceSentence(c)).toBe(
      'At 1,000,000 requests a month, this device’s time costs $10.00 for medium q8 (P = 64, G = 16) and $2.50 for small q8 (P = 64, G = 16): 75 % less.',
    );
  });

  it('waits until every step it needs is measured', () => {
    const size = lessonById('model-size') as Lesson;
    expect(lessonConsequences(size, [stepRun(size, 'medium-q8', 60, 20)])).toEqual([null]);
  });

  it('divides a batch’s device time among its B requests', () => {
    const batching = lessonById('batching') as Lesson;
    const ms = stepRequestMs(batching, [stepRun(batching, 'b-1', 20, 10), stepRun(batching, 'b-8', 40, 20)]);
    expect(ms.get('b-1')).toBeCloseTo(20 + 15 * 10, 9);
    expect(ms.get('b-8')).toBeCloseTo((40 + 15 * 20) / 8, 9);
  });

  it('models a response cache and routing as shares of requests', () => {
    const caching = lessonById('caching') as Lesson;
    const [, response] = lessonConsequences(caching, [stepRun(caching, 'k-0', 353, 1)], AT_10_CENTS);
    // k-0: 353 + 7 × 1 = 360 ms → $10; 30 % answered from the cache → $7.
    expect(response?.with.usdPerMonth).toBeCloseTo(7, 9);
    const routing = lessonById('routing') as Lesson;
    const [r] = lessonConsequences(
      routing,
      [stepRun(routing, 'medium-q8', 60, 20), stepRun(routing, 'tiny-q8', 15, 5)],
      AT_10_CENTS,
    );
    expect(r?.with.usdPerMonth).toBeCloseTo(0.3 * 10 + 0.7 * 2.5, 9);
  });

  it('uses the class median for rows', () => {
    const input = lessonById('input-length') as Lesson;
    const ms = stepRequestMs(input, [row({ ttftMs: 10 }), row({ ttftMs: 30 }), row({ ttftMs: 100 })]);
    expect(ms.get('p-128')).toBe(requestMs({ ttftMs: 30, tpotMs: 5, genTokens: 8 }));
  });
});

describe('the experiment', () => {
  it('reports progress from 0 to 1 across steps and repetitions', () => {
    expect(experimentFraction(0, 3, 0, 3)).toBe(0);
    expect(experimentFraction(1, 4, 2, 4)).toBeCloseTo(1.5 / 4, 9);
    expect(experimentFraction(3, 3, 0, 3)).toBe(1);
  });

  it('measures each step in order, tags the runs with the lesson, and stops at a failed step', async () => {
    const lesson = lessonById('output-length') as Lesson;
    const asked: number[] = [];
    const outcome = await runExperiment(lesson, 'wasm', {}, undefined, async (settings) => {
      asked.push(settings.genTokens);
      const run = { ...syntheticRun(1, { genTokens: settings.genTokens }), settings };
      return settings.genTokens === 32
        ? { ...run, status: 'failed', error: { code: 'out-of-memory', message: 'OOM' } }
        : { ...run, status: 'complete' };
    });
    expect(asked).toEqual([8, 32]);
    expect(outcome.end).toBe('failed');
    expect(outcome.message).toContain('OOM');
    expect(outcome.runs[0]?.tags).toContain('lesson:output-length');
  });

  it('keeps what finished when stopped', async () => {
    const lesson = lessonById('output-length') as Lesson;
    const controller = new AbortController();
    const outcome = await runExperiment(lesson, 'wasm', {}, controller.signal, async (settings) => {
      controller.abort();
      return { ...syntheticRun(1), settings, status: 'complete' };
    });
    expect(outcome.end).toBe('stopped');
    expect(outcome.runs).toHaveLength(1);
  });
});

describe('a lesson’s runs after a reload', () => {
  it('brings back the latest complete run of each step tagged with the lesson, in step order', () => {
    const lesson = lessonById('output-length') as Lesson;
    const tagged = (run: RunResult, createdAt: string) => ({ ...run, createdAt, tags: [lessonTag(lesson)] });
    const old = tagged(stepRun(lesson, 'g-32', 50, 5, 'old'), '2026-01-01T00:00:00Z');
    const fresh = tagged(stepRun(lesson, 'g-32', 40, 5, 'fresh'), '2026-01-02T00:00:00Z');
    const first = tagged(stepRun(lesson, 'g-8', 40, 5, 'first'), '2026-01-01T00:00:00Z');
    const untagged = stepRun(lesson, 'g-96', 40, 5, 'untagged');
    const failed = {
      ...tagged(stepRun(lesson, 'g-96', 40, 5, 'failed'), '2026-01-03T00:00:00Z'),
      status: 'failed' as const,
    };
    expect(latestLessonRuns(lesson, [fresh, untagged, old, failed, first]).map((r) => r.id)).toEqual([
      'first',
      'fresh',
    ]);
  });
});
