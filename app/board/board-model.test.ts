import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Participant, ResultRow } from '../room/protocol.ts';
import {
  costConclusion,
  deviceSpreads,
  LAPTOP_HOUR,
  type LessonGoal,
  leaderboards,
  seats,
} from './board-model.ts';

const person = (id: string, name = id): Participant => ({ id, name, joinedAt: '2026-12-02T09:00:00.000Z' });

let nextRun = 0;
/** A finished single-sequence run of medium q4 on WASM unless told otherwise. */
function row(participantId: string, decodeTokPerS: number | null, over: Partial<ResultRow> = {}): ResultRow {
  nextRun++;
  return {
    runId: `run-${nextRun}`,
    participantId,
    participant: participantId,
    lessonId: null,
    receivedAt: '2026-12-02T09:05:00.000Z',
    modelId: 'medium-random-llama',
    dtype: 'q4',
    modelKey: 'medium-random-llama|q4',
    device: 'wasm',
    gpuVendor: null,
    status: 'complete',
    promptTokens: 64,
    genTokens: 16,
    parallelSequences: 1,
    cachedPrefixTokens: 0,
    ttftMs: 100,
    tpotMs: decodeTokPerS ? 1000 / decodeTokPerS : null,
    prefillTokPerS: 640,
    decodeTokPerS,
    ...over,
  };
}

const step = { series: 'medium', reps: 2, modelId: 'medium-random-llama', promptTokens: 64, genTokens: 16 };
const lesson: LessonGoal = {
  id: 'quantization',
  steps: [
    { ...step, id: 'fp32', label: 'fp32', dtype: 'fp32' },
    { ...step, id: 'q4', label: 'q4', dtype: 'q4' },
  ],
};

describe('seats', () => {
  it('lists everyone who joined, in order, and who finished every step of the lesson', () => {
    const people = [person('ana'), person('bo'), person('cy')];
    const rows = [
      row('ana', 10, { lessonId: 'quantization', dtype: 'fp32' }),
      row('ana', 20, { lessonId: 'quantization' }),
      // Bo did one step, and the other outside the lesson or with another G: not finished.
      row('bo', 20, { lessonId: 'quantization' }),
      row('bo', 10, { dtype: 'fp32' }),
      row('bo', 10, { dtype: 'fp32', lessonId: 'quantization', genTokens: 32 }),
      // Cy's second step failed: not finished.
      row('cy', 10, { lessonId: 'quantization', dtype: 'fp32' }),
      row('cy', null, { lessonId: 'quantization', status: 'failed' }),
    ];
    const out = seats(people, rows, lesson);
    expect(out.map((s) => [s.participant.name, s.results, s.lessonStepsDone, s.finishedLesson])).toEqual([
      ['ana', 2, 2, true],
      ['bo', 3, 1, false],
      ['cy', 2, 1, false],
    ]);
  });

  it('without a lesson nobody has finished one; a lesson without steps is finished by any finished run', () => {
    const rows = [row('ana', 10, { lessonId: 'free' })];
    expect(seats([person('ana')], rows, null)[0]?.finishedLesson).toBe(false);
    expect(seats([person('ana')], rows, { id: 'free', steps: [] })[0]?.finishedLesson).toBe(true);
    expect(seats([], rows, lesson)).toEqual([]);
  });
});

describe('leaderboards', () => {
  it("ranks each participant's best single-sequence decode speed, fastest first, one board per model", () => {
    const rows = [
      row('ana', 12),
      row('ana', 30, { device: 'webgpu', gpuVendor: 'apple' }),
      row('bo', 25),
      // Batched, failed and invalid runs never rank.
      row('bo', 90, { parallelSequences: 8 }),
      row('cy', 99, { status: 'failed' }),
      row('cy', null),
      row('bo', 5, { modelId: 'tiny-random-llama', modelKey: 'tiny-random-llama|q4' }),
    ];
    const boards = leaderboards(rows);
    expect(boards.map((b) => b.label)).toEqual(['medium-random-llama q4', 'tiny-random-llama q4']);
    expect(boards[0]?.entries.map((e) => [e.rank, e.participant, e.decodeTokPerS, e.device])).toEqual([
      [1, 'ana', 30, 'webgpu'],
      [2, 'bo', 25, 'wasm'],
    ]);
  });

  it('equal speeds share a rank (1, 1, 3) and ties list by name', () => {
    const boards = leaderboards([row('zed', 20), row('amy', 20), row('kim', 10)]);
    expect(boards[0]?.entries.map((e) => [e.rank, e.participant])).toEqual([
      [1, 'amy'],
      [1, 'zed'],
      [3, 'kim'],
    ]);
  });

  it('the same model from the mirror or embedded shares one board (by modelKey)', () => {
    const boards = leaderboards([
      row('ana', 20, { modelId: 'lab/medium-random-llama' }),
      row('bo', 10, { modelId: 'medium-random-llama' }),
    ]);
    expect(boards).toHaveLength(1);
    expect(boards[0]?.entries).toHaveLength(2);
  });

  it('every participant appears at most once per board, and ranks never decrease down a board', () => {
    const arb = fc.array(
      fc.record({
        who: fc.constantFrom('a', 'b', 'c', 'd'),
        speed: fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: null }),
        model: fc.constantFrom('m1', 'm2'),
      }),
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const boards = leaderboards(specs.map((s) => row(s.who, s.speed, { modelKey: s.model })));
        for (const b of boards) {
          const ids = b.entries.map((e) => e.participantId);
          expect(new Set(ids).size).toBe(ids.length);
          for (let i = 1; i < b.entries.length; i++) {
            expect(b.entries[i]?.rank).toBeGreaterThanOrEqual(b.entries[i - 1]?.rank ?? 0);
            expect(b.entries[i]?.decodeTokPerS).toBeLessThanOrEqual(b.entries[i - 1]?.decodeTokPerS ?? 0);
          }
        }
      }),
    );
  });
});

describe('deviceSpreads', () => {
  it('gives median and min–max over devices, by backend and by GPU vendor', () => {
    const rows = [
      row('ana', 40, { device: 'webgpu', gpuVendor: 'nvidia' }),
      row('ana', 10),
      row('bo', 20, { device: 'webgpu', gpuVendor: 'apple' }),
      row('cy', 8),
      row('di', 6, { device: 'webgpu', gpuVendor: '' }),
    ];
    const [s] = deviceSpreads(rows);
    // Best per device: 40, 20, 8, 6 → median 14, min 6, max 40.
    expect(s?.all).toEqual({ median: 14, min: 6, max: 40, n: 4 });
    expect(s?.byBackend).toEqual([
      { label: 'WebGPU', spread: { median: 20, min: 6, max: 40, n: 3 } },
      // Ana's WASM run counts for WASM even though her best was on WebGPU.
      { label: 'WASM', spread: { median: 9, min: 8, max: 10, n: 2 } },
    ]);
    expect(s?.byVendor.map((g) => [g.label, g.spread.median, g.spread.n])).toEqual([
      ['Apple', 20, 1],
      ['GPU (vendor unknown)', 6, 1],
      ['NVIDIA', 40, 1],
    ]);
  });
});

describe('costConclusion', () => {
  it('prices the median laptop on the model most of the room ran, and names the hourly price', () => {
    const rows = [
      row('ana', 30),
      row('bo', 20),
      row('cy', 10),
      row('di', 500, { modelKey: 'tiny|q4', modelId: 'tiny' }),
    ];
    const c = costConclusion(rows);
    // Median of 30, 20, 10 = 20 tok/s; $0.006/h ÷ (20 × 3600) × 1e6 = $0.0833.
    expect(c?.label).toBe('medium-random-llama q4');
    expect(c?.medianDecodeTokPerS).toBe(20);
    expect(c?.usdPerHour).toBeCloseTo(0.006, 10);
    expect(c?.usdPer1MOutputTokens).toBeCloseTo(0.08333, 5);
    expect(c?.sentence).toBe(
      'On the median laptop in this room (of 3), medium-random-llama q4 generates at 20.0 tok/s: ' +
        '$0.0833 per 1M output tokens at $0.006/hour.',
    );
    expect(LAPTOP_HOUR.source).toMatch(/30 W .* \$0\.20\/kWh/);
  });

  it('a dearer hour or a slower laptop costs more per token; an empty room has no conclusion', () => {
    const rows = [row('ana', 20)];
    const cheap = costConclusion(rows);
    const dear = costConclusion(rows, { usdPerHour: 1, source: 'a rented hour' });
    expect(dear?.usdPer1MOutputTokens).toBeGreaterThan(cheap?.usdPer1MOutputTokens ?? Infinity);
    expect(costConclusion([row('ana', 10)])?.usdPer1MOutputTokens).toBeGreaterThan(
      cheap?.usdPer1MOutputTokens ?? Infinity,
    );
    expect(cheap?.sentence).toMatch(/^On the one laptop in this room so far,/);
    expect(costConclusion([])).toBeNull();
    expect(costConclusion([row('ana', null)])).toBeNull();
  });
});
