import { describe, expect, it } from 'vitest';
import type { TimingMethod } from '../microbench.ts';
import { type BenchWork, DEADLINE_NOTE, type MeasureContext, measureBench } from './measure.ts';

/**
 * A fake benchmark on a fake clock: one run of size s takes s × 0.5 ms and moves s × 10⁶ bytes, so every sample
 * is exactly 2 GB/s. Records what the measurement asked of it.
 */
function fakeWork(overrides: Partial<BenchWork> = {}) {
  const clock = { t: 0 };
  const log = { prepared: [] as number[], timed: [] as Array<[number, number]>, disposed: 0 };
  const work: BenchWork = {
    startSize: 1,
    maxSize: 8,
    prepare: async (size) => {
      log.prepared.push(size);
    },
    timeMs: async (size, repeats) => {
      log.timed.push([size, repeats]);
      const ms = size * repeats * 0.5;
      clock.t += ms;
      return ms;
    },
    amount: (size, repeats) => size * 1e6 * repeats,
    describe: (size, repeats) => `${size} MiB × ${repeats}`,
    timing: () => 'timestamp-query',
    dispose: () => {
      log.disposed++;
    },
    ...overrides,
  };
  return { work, clock, log };
}

const context = (clock: { t: number }, overrides: Partial<MeasureContext> = {}) => {
  const phases: string[] = [];
  const ctx: MeasureContext = {
    deadlineMs: Number.POSITIVE_INFINITY,
    now: () => clock.t,
    progress: (phase) => phases.push(phase),
    signal: new AbortController().signal,
    ...overrides,
  };
  return { ctx, phases };
};

describe('measureBench: calibrate → sample → result', () => {
  it('grows the work to the target time, samples it and reports the figure in the benchmark unit', async () => {
    const { work, clock, log } = fakeWork();
    const { ctx, phases } = context(clock);
    const result = await measureBench('gpu-read', work, ctx);
    // Sizes double while one run is under 25 / 4 ms: 1, 2, 4, 8 (the cap, 4 ms), then ⌈25 / 4⌉ = 7 repeats.
    expect(log.prepared).toEqual([1, 2, 4, 8, 8]);
    expect(phases).toEqual(['calibrating', 'sampling']);
    expect(result).toEqual({
      id: 'gpu-read',
      status: 'ok',
      value: 2, // 8 × 10⁶ × 7 bytes / (8 × 7 × 0.5 ms × 10⁶) = 2 GB/s
      unit: 'GB/s',
      timing: 'timestamp-query',
      samples: [2, 2, 2, 2, 2],
      spreadPct: 0,
      reps: 5,
      stable: true,
      work: '8 MiB × 7',
      note: null,
    });
    // One warm-up and five timed samples, all at the calibrated work.
    expect(log.timed.slice(4)).toEqual(Array(6).fill([8, 7]));
    expect(log.disposed).toBe(1);
  });

  it('reads the timing and notes after sampling, and says when the time bound cut it short', async () => {
    let timing: TimingMethod = 'timestamp-query';
    let fallback: string | null = null;
    const { work, clock } = fakeWork({
      timing: () => timing,
      notes: () => [fallback],
    });
    // Calibration ends at 7.5 ms and the warm-up at 35.5 ms; each sample takes 28 ms: two fit before 70 ms.
    const { ctx } = context(clock, {
      deadlineMs: 70,
      progress: (phase) => {
        if (phase !== 'sampling') return;
        timing = 'wall-clock';
        fallback = 'Timer fell back.';
      },
    });
    const result = await measureBench('gpu-matmul-f32', work, ctx);
    expect(result).toMatchObject({
      status: 'ok',
      unit: 'GFLOP/s',
      timing: 'wall-clock',
      reps: 2,
      stable: false,
      note: `Timer fell back. ${DEADLINE_NOTE}`,
    });
  });

  it('fails when no timed sample fits before the deadline, and still releases the work', async () => {
    const { work, clock, log } = fakeWork();
    const { ctx } = context(clock, { deadlineMs: 0 });
    await expect(measureBench('cpu-read', work, ctx)).rejects.toThrow(/no sample fitted/);
    expect(log.disposed).toBe(1);
  });

  it('refuses a sample that is not a positive figure', async () => {
    const { work, clock } = fakeWork({ amount: () => 0 });
    await expect(measureBench('cpu-read', work, context(clock).ctx)).rejects.toThrow(/positive/);
  });

  it('stops at the next run of the work once aborted', async () => {
    const controller = new AbortController();
    const { work, clock, log } = fakeWork();
    const { ctx } = context(clock, {
      signal: controller.signal,
      progress: (phase) => {
        if (phase === 'sampling') controller.abort();
      },
    });
    await expect(measureBench('cpu-read', work, ctx)).rejects.toThrow(/abort/i);
    expect(log.timed).toHaveLength(4); // the calibration runs only
    expect(log.disposed).toBe(1);
  });
});
