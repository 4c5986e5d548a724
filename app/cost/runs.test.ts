import { describe, expect, it } from 'vitest';
import type { Repetition, RunResult } from '../run/run.ts';
import { runSpeeds, speedText } from './runs.ts';

/** A repetition with prompt P whose tokens arrive at `times` ms. */
const rep = (i: number, promptTokens: number, times: number[], extra: Partial<Repetition> = {}): Repetition =>
  ({ rep: i, promptTokens, tokenTimesMs: times, partial: false, hidden: false, ...extra }) as Repetition;

const run = (repetitions: Repetition[]): RunResult =>
  ({
    id: 'r1',
    createdAt: '2026-11-28T00:00:00Z',
    name: '',
    tags: [],
    settings: {
      modelId: 'tiny-llama',
      sourceKind: 'embedded',
      dtype: 'q4',
      device: 'wasm',
      promptTokens: 100,
      genTokens: 5,
      reps: 2,
    },
    env: { device: 'webgpu' },
    load: { ms: 1, fromCache: true, downloadedBytes: 0 },
    warmupMs: null,
    repetitions,
    status: 'complete',
    notes: [],
  }) as unknown as RunResult;

describe('runSpeeds', () => {
  it('median prefill = P / TTFT and decode = (n − 1) / (E2E − TTFT)', () => {
    // TTFT 200 ms for 100 tokens -> 500 tok/s; 4 tokens in 100 ms after the first -> 40 tok/s.
    const measured = run([rep(0, 100, [200, 225, 250, 275, 300]), rep(1, 100, [200, 225, 250, 275, 300])]);
    const s = runSpeeds(measured);
    expect(s?.prefillTokPerS).toBeCloseTo(500, 10);
    expect(s?.decodeTokPerS).toBeCloseTo(40, 10);
    expect(s?.label).toBe('tiny-llama · q4 · webgpu');
    // A default name that already says dtype and device is not repeated.
    expect(runSpeeds({ ...measured, name: 'tiny-llama q4 webgpu P64 G32' })?.label).toBe(
      'tiny-llama q4 webgpu P64 G32',
    );
  });
  it('null without a valid repetition', () => {
    expect(runSpeeds(run([]))).toBeNull();
    expect(runSpeeds(run([rep(0, 100, [200, 300], { hidden: true })]))).toBeNull();
    expect(runSpeeds(run([rep(0, 100, [0, 0])]))).toBeNull();
  });
  it('speeds go into inputs with 3 significant digits', () => {
    expect(speedText(1234.567)).toBe('1230');
    expect(speedText(12.3456)).toBe('12.3');
  });
});
