import { describe, expect, it } from 'vitest';
import type { OptionCost, OptionKind } from './model.ts';
import { answerParts, costVerdict, meetsTier, type OptionModel, type VerdictInput } from './verdict.ts';

const cost = (kind: OptionKind, perMonthUsd: number, latencyS: number | null): OptionCost => ({
  kind,
  inputUsdPer1M: 0,
  outputUsdPer1M: 0,
  blendedUsdPer1M: 0,
  effectiveUsdPer1M: 0,
  perRequestUsd: 0,
  perDayUsd: perMonthUsd / 30,
  perMonthUsd,
  prefillUsdPerMonth: 0,
  decodeUsdPerMonth: 0,
  idleUsdPerMonth: 0,
  energyKwhPer1M: null,
  latencyS,
});

/** The case: API $1,620 in 4 s, self-host $3,276 in 5 s, in-browser $972 in 20 s. */
const input = (over: Partial<VerdictInput> = {}): VerdictInput => ({
  projection: {
    api: cost('api', 1620, 4),
    selfHosted: cost('selfHosted', 3276, 5),
    browser: cost('browser', 972, 20),
  },
  models: {
    api: { name: 'OpenAI · gpt 4.1 mini', tier: 'large' },
    selfHosted: { name: 'Llama 3.1 8B', tier: 'medium' },
    browser: { name: 'tiny-random-llama · q8 · wasm', tier: 'none' },
  },
  latencyTargetS: 10,
  requiredTier: 'any',
  ...over,
});

describe('cost verdict', () => {
  it('a 20-second option is never the cheapest that meets a 10-second target', () => {
    const v = costVerdict(input());
    expect(v.winner).toBe('api');
    expect(v.options.find((o) => o.kind === 'browser')?.exclusions).toEqual(['tooSlow']);
    // With a looser target the cheaper in-browser option wins.
    expect(costVerdict(input({ latencyTargetS: 30 })).winner).toBe('browser');
  });

  it('a quality bar removes lower and unstated tiers', () => {
    expect(costVerdict(input({ latencyTargetS: 30, requiredTier: 'small' })).winner).toBe('api');
    const models: Record<OptionKind, OptionModel> = {
      ...input().models,
      api: { name: 'x', tier: 'unstated' },
    };
    const v = costVerdict(input({ models, requiredTier: 'medium' }));
    expect(v.winner).toBe('selfHosted');
    expect(v.options.find((o) => o.kind === 'api')?.exclusions).toEqual(['qualityUnstated']);
    expect(v.options.find((o) => o.kind === 'browser')?.exclusions).toEqual(['tooSlow', 'qualityBelow']);
  });

  it('an option with unknown latency or a non-finite bill is never the answer', () => {
    const projection = {
      api: cost('api', 10, null),
      selfHosted: cost('selfHosted', Number.POSITIVE_INFINITY, 1),
      browser: cost('browser', 100, 1),
    };
    const v = costVerdict(input({ projection }));
    expect(v.winner).toBe('browser');
    expect(v.options.map((o) => o.exclusions)).toEqual([['latencyUnknown'], ['unpriced'], []]);
  });

  it('says when the options price different tiers', () => {
    expect(costVerdict(input()).mixedModels).toBe(true);
    const same: OptionModel = { name: 'an 8B', tier: 'medium' };
    expect(costVerdict(input({ models: { api: same, selfHosted: same, browser: same } })).mixedModels).toBe(
      false,
    );
  });

  it('tiers rank: unstated meets only "any", random weights meet no tier', () => {
    expect(meetsTier('unstated', 'any')).toBe(true);
    expect(meetsTier('unstated', 'tiny')).toBe(false);
    expect(meetsTier('none', 'tiny')).toBe(false);
    expect(meetsTier('large', 'medium')).toBe(true);
    expect(meetsTier('medium', 'large')).toBe(false);
  });
});

describe('answer line', () => {
  it('names the bills, the winner, its latency and its quality', () => {
    const i = input();
    const { costs, answer } = answerParts(i, costVerdict(i), '50,000 req/day');
    expect(costs).toBe('50,000 req/day: API $1,620/mo · self-host $3,276/mo · in-browser $972/mo');
    expect(answer).toBe(
      'cheapest that meets ≤ 10 s a request: API ($1,620/mo, 4 s a request, quality large (30–70B))',
    );
  });
  it('when nothing qualifies, says why each option is out', () => {
    const i = input({ latencyTargetS: 3, requiredTier: 'large' });
    const { answer } = answerParts(i, costVerdict(i), '1 req/day');
    expect(answer).toBe(
      'no option meets ≤ 3 s a request, quality large (30–70B) or better: API too slow (4 s > 3 s); ' +
        'self-host too slow (5 s > 3 s), quality medium (7–14B) is below large (30–70B); ' +
        'in-browser too slow (20 s > 3 s), quality random weights (speed only) is below large (30–70B)',
    );
  });
});
