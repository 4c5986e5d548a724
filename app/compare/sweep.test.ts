import { describe, expect, it } from 'vitest';
import { parsePromptLengths, planSweep, type SweepModel } from './sweep.ts';

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
