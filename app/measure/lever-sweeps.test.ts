import { describe, expect, it } from 'vitest';
import type { RunSettings } from '../run/run.ts';
import { planLengthSweep } from './length-sweep.ts';
import { parseShares, planPrefixSweep } from './prefix-sweep.ts';
import type { SweepBase, SweepPlan } from './run-kinds.ts';

const settings: RunSettings = {
  modelId: 'tiny-random-llama',
  sourceKind: 'embedded',
  dtype: 'q8',
  device: 'wasm',
  promptTokens: 64,
  genTokens: 16,
  reps: 3,
};
const base = (patch: Partial<SweepBase> = {}, s: Partial<RunSettings> = {}): SweepBase => ({
  settings: { ...settings, ...s },
  contextTokens: 4096,
  kvTokenRoom: null,
  ...patch,
});
const errorsOf = (plan: SweepPlan) => (plan.ok ? {} : plan.errors);

describe('prefix-cache sweep plan', () => {
  it('measures K = 0, 25, 50, 75, 90 % of P by default, cold first', () => {
    const plan = planPrefixSweep(base(), { cachedShares: '0, 25, 50, 75, 90' });
    expect(plan.ok && plan.points.map((p) => p.settings.cachedPrefixTokens ?? 0)).toEqual([
      0, 16, 32, 48, 57,
    ]);
    expect(plan.ok && plan.points.map((p) => p.label)).toContain('K = 32 (50 %)');
    // The cold point is a plain run: no K in its settings.
    expect(plan.ok && 'cachedPrefixTokens' in (plan.points[0]?.settings ?? {})).toBe(false);
  });

  it('adds the cold reference and merges shares that round to the same K, saying so', () => {
    const plan = planPrefixSweep(base({}, { promptTokens: 4 }), { cachedShares: '50 60%' });
    expect(plan.ok && plan.points.map((p) => p.settings.cachedPrefixTokens ?? 0)).toEqual([0, 2]);
    expect(plan.ok && plan.notes.join(' ')).toMatch(/cold prompt\) is added.*round to the same K/);
  });

  it('refuses K out of range, garbage, and a sweep beyond memory before anything runs', () => {
    expect(parseShares('100')).toEqual({ error: expect.stringContaining('no prompt token to prefill') });
    expect(parseShares('25, lots')).toEqual({ error: '"lots" is not a percentage.' });
    expect(parseShares(' ')).toEqual({ error: expect.stringContaining('at least one') });
    expect(parseShares('-5')).toEqual({ error: '"-5" is not a percentage.' });
    expect(
      errorsOf(planPrefixSweep(base({}, { promptTokens: 1 }), { cachedShares: '50' })).cachedShares,
    ).toMatch(/P ≥ 2/);
    expect(errorsOf(planPrefixSweep(base({ kvTokenRoom: 50 }), { cachedShares: '50' }))['']).toMatch(
      /P \+ G = 80 tokens of KV cache.*about 50/,
    );
  });
});

describe('length sweep plan', () => {
  it('log-spaces P up to the model context minus G when asked for "max"', () => {
    const plan = planLengthSweep(base(), { minPrompt: '16', maxPrompt: 'max' });
    expect(plan.ok && plan.points.map((p) => p.settings.promptTokens)).toEqual([
      16, 32, 64, 128, 256, 512, 1024, 2048, 4080,
    ]);
  });

  it('stops "max" at the memory the device is expected to hold', () => {
    const plan = planLengthSweep(base({ kvTokenRoom: 1000 }), { minPrompt: '16', maxPrompt: 'max' });
    expect(plan.ok && plan.points.at(-1)?.settings.promptTokens).toBe(984);
  });

  it('says what fits when the longest P is beyond the context or the memory', () => {
    expect(errorsOf(planLengthSweep(base(), { minPrompt: '16', maxPrompt: '4090' })).maxPrompt).toBe(
      "P = 4,090 + G = 16 exceeds the model's context of 4,096 tokens: the longest P is 4,080.",
    );
    expect(
      errorsOf(planLengthSweep(base({ kvTokenRoom: 500 }), { minPrompt: '16', maxPrompt: '1000' })).maxPrompt,
    ).toMatch(/longest P that fits is 484\.$/);
  });

  it('refuses reversed, too narrow and unreadable ranges', () => {
    expect(errorsOf(planLengthSweep(base(), { minPrompt: '512', maxPrompt: '64' })).maxPrompt).toMatch(
      /below/,
    );
    expect(errorsOf(planLengthSweep(base(), { minPrompt: '16', maxPrompt: '20' })).maxPrompt).toMatch(
      /three/,
    );
    expect(errorsOf(planLengthSweep(base(), { minPrompt: 'x', maxPrompt: '64' })).minPrompt).toMatch(
      /whole number/,
    );
    expect(errorsOf(planLengthSweep(base(), { minPrompt: '16', maxPrompt: 'all' })).maxPrompt).toMatch(
      /"max"/,
    );
    expect(
      errorsOf(planLengthSweep(base({ contextTokens: 16 }), { minPrompt: '16', maxPrompt: 'max' }))[''],
    ).toMatch(/no room for a prompt/);
  });
});
