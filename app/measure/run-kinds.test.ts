import { describe, expect, it } from 'vitest';
import type { RunResult, RunSettings } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { batchSizes, largestFittingBatch, planBatchSweep } from './batch-sweep.ts';
import {
  offeredRunKinds,
  type SweepBase,
  type SweepPoint,
  sweepEndMessage,
  sweepProgress,
} from './run-kinds.ts';
import { SWEEP_KINDS } from './sweep-kinds.ts';
import { runSweep } from './sweep-runner.ts';

const settings: RunSettings = {
  modelId: 'tiny-random-llama',
  sourceKind: 'embedded',
  dtype: 'fp32',
  device: 'wasm',
  promptTokens: 16,
  genTokens: 8,
  reps: 2,
};
const base = (kvTokenRoom: number | null): SweepBase => ({ settings, contextTokens: 4096, kvTokenRoom });

describe('run kinds', () => {
  it('offers the single run and every registered sweep kind, in order', () => {
    expect(offeredRunKinds({})).toEqual(['single']);
    expect(offeredRunKinds(SWEEP_KINDS)[0]).toBe('single');
    expect(offeredRunKinds(SWEEP_KINDS)).toContain('batch');
  });

  it('progress counts finished points whole and the running point by its repetitions', () => {
    expect(sweepProgress(0, 4, 0, 3)).toBe(0);
    expect(sweepProgress(1, 4, 2, 4)).toBeCloseTo(1.5 / 4, 9);
    expect(sweepProgress(4, 4, 0, 3)).toBe(1);
    expect(sweepProgress(0, 0, 0, 3)).toBe(0);
  });
});

describe('batch sweep plan', () => {
  it('B = 1, 2, 4, … up to the largest B asked for, which is always the last point', () => {
    expect(batchSizes(16)).toEqual([1, 2, 4, 8, 16]);
    expect(batchSizes(12)).toEqual([1, 2, 4, 8, 12]);
    expect(batchSizes(2)).toEqual([1, 2]);
  });

  it('each point carries B in its settings, the rest of the form unchanged', () => {
    const plan = planBatchSweep(base(null), { maxSequences: '4' });
    if (!plan.ok) throw new Error('plan failed');
    expect(plan.points.map((p) => p.settings.parallelSequences)).toEqual([1, 2, 4]);
    expect(plan.points.every((p) => p.settings.promptTokens === 16 && p.settings.reps === 2)).toBe(true);
    // Unknown memory: said, not silently assumed.
    expect(plan.notes.join(' ')).toMatch(/not known/);
  });

  it('a largest B out of range is refused with the range', () => {
    for (const [input, message] of [
      ['1', /at least 2/],
      ['100000', /at most 256/],
      ['four', /whole number/],
      ['', /required/],
    ] as const) {
      const plan = planBatchSweep(base(null), { maxSequences: input });
      expect(plan.ok).toBe(false);
      if (!plan.ok) expect(plan.errors.maxSequences).toMatch(message);
    }
  });

  it('a B whose KV cache B × (P + G) exceeds the device room is refused, naming the largest B that fits', () => {
    // 24 tokens per sequence, room for 100 tokens: 4 sequences fit (96), 16 do not.
    expect(largestFittingBatch(24, 100)).toBe(4);
    const plan = planBatchSweep(base(100), { maxSequences: '16' });
    expect(plan.ok).toBe(false);
    if (!plan.ok)
      expect(plan.errors.maxSequences).toMatch(/B = 16 needs 384 tokens.*largest B that fits is 4/);
    expect(planBatchSweep(base(100), { maxSequences: '4' }).ok).toBe(true);
    const none = planBatchSweep(base(30), { maxSequences: '2' });
    if (!none.ok) expect(none.errors.maxSequences).toMatch(/Even B = 2/);
    else throw new Error('expected a refusal');
  });
});

describe('runSweep', () => {
  const points: SweepPoint[] = [1, 2, 4].map((b) => ({
    value: b,
    label: `B = ${b}`,
    settings: { ...settings, parallelSequences: b },
  }));
  const done = (s: RunSettings, status: RunResult['status'] = 'complete'): RunResult => ({
    ...syntheticRun(s.parallelSequences ?? 1),
    settings: s,
    status,
  });

  it('measures every point in order and reports each update', async () => {
    const updates: number[] = [];
    const outcome = await runSweep(
      points,
      { kind: 'embedded', id: 'x' },
      { onUpdate: (i) => updates.push(i) },
      undefined,
      async (s, _src, hooks) => {
        const run = done(s);
        hooks?.onUpdate?.(run);
        return run;
      },
    );
    expect(outcome.end).toEqual({ kind: 'complete' });
    expect(outcome.runs.map((r) => r.settings.parallelSequences)).toEqual([1, 2, 4]);
    expect(updates).toEqual([0, 1, 2]);
    expect(sweepEndMessage(points, outcome.end)).toBe('Sweep complete: 3 of 3 points measured.');
  });

  it('a point that runs out of memory ends the sweep, keeps the points before it and reports the limit', async () => {
    const outcome = await runSweep(points, { kind: 'embedded', id: 'x' }, {}, undefined, async (s) =>
      s.parallelSequences === 2
        ? {
            ...done(s, 'failed'),
            repetitions: [],
            error: { code: 'out-of-memory', message: 'Out of memory.' },
          }
        : done(s),
    );
    expect(outcome.end).toMatchObject({ kind: 'failed', atPoint: 1, outOfMemory: true });
    expect(outcome.runs.map((r) => r.status)).toEqual(['complete', 'failed']);
    expect(sweepEndMessage(points, outcome.end)).toBe(
      "Sweep ended at B = 2: Out of memory. The largest that ran is B = 1: that is this device's limit. 1 of 3 points kept.",
    );
  });

  it('Stop ends the sweep after the running point, keeping the points that finished', async () => {
    const controller = new AbortController();
    let measured = 0;
    const outcome = await runSweep(
      points,
      { kind: 'embedded', id: 'x' },
      {},
      controller.signal,
      async (s) => {
        measured++;
        if (s.parallelSequences === 2) {
          controller.abort();
          return done(s, 'partial');
        }
        return done(s);
      },
    );
    expect(measured).toBe(2);
    expect(outcome.end).toEqual({ kind: 'stopped', atPoint: 1 });
    expect(sweepEndMessage(points, outcome.end)).toBe('Sweep stopped: 1 of 3 points finished and kept.');
  });
});
