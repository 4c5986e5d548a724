import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import {
  estimateSweep,
  formatDuration,
  GUESS_WEIGHT_BYTES_PER_S,
  parsePromptLengths,
  planSweep,
  type SweepCell,
  type SweepModel,
  sweepSecondsLeft,
} from './sweep.ts';

const models: SweepModel[] = [
  { id: 'tiny', source: { kind: 'embedded', id: 'tiny' }, dtypes: ['fp32', 'q8', 'q4'] },
  { id: 'small', source: { kind: 'embedded', id: 'small' }, dtypes: ['fp32', 'q8'] },
];

describe('planSweep', () => {
  it('runs the cross product, one model load per model/dtype/device', () => {
    const plan = planSweep(
      {
        modelIds: ['tiny', 'small'],
        dtypes: ['fp32', 'q4'],
        devices: ['wasm'],
        promptTokens: [16, 64],
        genTokens: 8,
        reps: 2,
      },
      models,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(
      plan.cells.map((c) => `${c.settings.modelId}/${c.settings.dtype}/P${c.settings.promptTokens}`),
    ).toEqual([
      'tiny/fp32/P16',
      'tiny/fp32/P64',
      'tiny/q4/P16',
      'tiny/q4/P64',
      'small/fp32/P16',
      'small/fp32/P64',
    ]);
    expect(plan.skipped).toEqual(['small has no q4 file.']);
    expect(plan.cells[0]?.settings).toEqual({
      modelId: 'tiny',
      sourceKind: 'embedded',
      dtype: 'fp32',
      device: 'wasm',
      promptTokens: 16,
      genTokens: 8,
      reps: 2,
    });
  });

  it('explains every missing choice', () => {
    const plan = planSweep(
      { modelIds: [], dtypes: [], devices: [], promptTokens: [], genTokens: 1, reps: 0 },
      models,
    );
    expect(plan).toEqual({
      ok: false,
      errors: [
        'Pick at least one model.',
        'Pick at least one dtype.',
        'Pick at least one device.',
        'Enter at least one prompt length.',
        expect.stringMatching(/Generated tokens/),
        expect.stringMatching(/Repetitions/),
      ],
    });
  });

  it('refuses sweeps too large to finish', () => {
    const all: SweepModel[] = models.map((m) => ({ ...m, dtypes: ['fp32', 'fp16', 'q8', 'q4'] }));
    const plan = planSweep(
      {
        modelIds: ['tiny', 'small'],
        dtypes: ['fp32', 'fp16', 'q8', 'q4'],
        devices: ['wasm', 'webgpu'],
        promptTokens: [1, 2, 3, 4, 5, 6, 7, 8],
        genTokens: 8,
        reps: 1,
      },
      all,
    );
    expect(plan).toEqual({
      ok: false,
      errors: [expect.stringMatching(/That is 128 measurements; a sweep runs at most 120/)],
    });
  });
});

describe('parsePromptLengths', () => {
  it('reads lists in any separator, sorted and unique', () => {
    expect(parsePromptLengths('512, 128 2048;128')).toEqual({ ok: true, values: [128, 512, 2048] });
  });
  it.each(['', 'abc', '12.5', '0', '-4', '99999999'])('rejects %j with a message', (text) => {
    const result = parsePromptLengths(text);
    expect(result.ok).toBe(false);
  });
});

describe('estimateSweep', () => {
  const here = { userAgent: 'UA-here', hardwareConcurrency: 8 };
  const bytes: Record<string, number> = { tiny: 1e6, small: 4e6 };
  const facts = (modelId: string, dtype: string) => {
    const b = bytes[modelId];
    return b && dtype === 'q8' ? { parameters: b, bytes: b } : undefined;
  };
  const cell = (modelId: string, promptTokens = 100): SweepCell => ({
    source: { kind: 'embedded', id: modelId },
    settings: {
      modelId,
      sourceKind: 'embedded',
      dtype: 'q8',
      device: 'wasm',
      promptTokens,
      genTokens: 50,
      reps: 2,
    },
  });
  /** An earlier run here: decode 100 tok/s, prefill 1000 tok/s, loaded in 2 s. */
  const earlier = (modelId: string, ua = here.userAgent): RunResult => {
    const r = syntheticRun(1, { modelId, userAgent: ua, reps: 1, genTokens: 3, promptTokens: 100 });
    r.env.hardwareConcurrency = 8;
    r.load.ms = 2000;
    // TTFT 100 ms (prefill 100/0.1 = 1000 tok/s), then 10 ms per token (100 tok/s).
    r.repetitions = r.repetitions.map((rep) => ({
      ...rep,
      ttftMs: 100 as Ms,
      e2eMs: 120 as Ms,
      tokenTimesMs: [100, 110, 120] as Ms[],
    }));
    return r;
  };

  it('adds load, warm-up and R × (P ÷ prefill + G ÷ decode) from earlier runs of the same model here', () => {
    const est = estimateSweep([cell('tiny'), cell('tiny', 300)], [earlier('tiny')], facts, here);
    // load 2 s once; warm-up max(5 s, 384 tokens ÷ 100 tok/s = 3.84 s) = 5 s; rep = 0.1 + 0.5 s, ×2.
    expect(est.cells.map((c) => c.basis)).toEqual(['measured', 'measured']);
    expect(est.cells[0]?.seconds).toBeCloseTo(2 + 5 + 2 * 0.6);
    // Same model again: no second load; P = 300 → 0.3 + 0.5 s per rep.
    expect(est.cells[1]?.seconds).toBeCloseTo(5 + 2 * 0.8);
    expect(est.guessed).toBe(0);
  });

  it('scales another model measured here by size, and guesses without any', () => {
    const scaled = estimateSweep([cell('small')], [earlier('tiny')], facts, here).cells[0];
    // 4× the bytes → 25 tok/s decode, 250 prefill: warm-up 384/25 = 15.36 s; rep 0.4 + 2 s.
    expect(scaled?.basis).toBe('scaled');
    expect(scaled?.seconds).toBeCloseTo(1 + 4e6 / 200e6 + 15.36 + 2 * 2.4, 1);
    // Runs from another machine do not count.
    const guessed = estimateSweep([cell('small')], [earlier('tiny', 'UA-elsewhere')], facts, here);
    expect(guessed.guessed).toBe(1);
    const decode = GUESS_WEIGHT_BYTES_PER_S.wasm / 4e6;
    expect(guessed.totalSeconds).toBeGreaterThan(2 * (50 / decode));
  });

  it('corrects the time left by how the estimate has fared, and formats it', () => {
    expect(sweepSecondsLeft([10, 10, 10], 0, 0, 0)).toBe(30);
    // Half of the estimate done in twice the estimated time: the rest will take twice as long too.
    expect(sweepSecondsLeft([10, 10, 10], 1, 0.5, 30)).toBeCloseTo(30);
    expect(sweepSecondsLeft([10], 1, 0, 12)).toBe(0);
    expect(formatDuration(42)).toBe('40 s');
    expect(formatDuration(150)).toBe('3 min');
    expect(formatDuration(4800)).toBe('1 h 20 min');
  });
});
