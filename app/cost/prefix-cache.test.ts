import { describe, expect, it } from 'vitest';
import { projectSelfHosted, type Scenario } from './model.ts';
import { defaultDraft, validateDraft } from './scenario.ts';

const scenario = (promptCachePct: string, prefixSavingPct: string): Scenario => {
  const d = defaultDraft();
  const s = validateDraft({ ...d, fields: { ...d.fields, promptCachePct, prefixSavingPct } }).scenario;
  if (!s) throw new Error('scenario does not validate');
  return s;
};

describe('the measured prefix-cache saving in the self-hosted projection', () => {
  it('prices a cached token at the share of its prefill the cache does not save', () => {
    const full = projectSelfHosted(scenario('50', '100'));
    const threeQuarters = projectSelfHosted(scenario('50', '75'));
    const none = projectSelfHosted(scenario('50', '0'));
    const uncached = projectSelfHosted(scenario('0', '100'));
    // A cache that saves nothing costs as much as no cache; one that saves 75 % lies a quarter of the way back.
    expect(none.inputUsdPer1M).toBeCloseTo(uncached.inputUsdPer1M, 10);
    expect(threeQuarters.inputUsdPer1M).toBeCloseTo(
      full.inputUsdPer1M + 0.25 * (none.inputUsdPer1M - full.inputUsdPer1M),
      10,
    );
    expect(full.inputUsdPer1M).toBeCloseTo(uncached.inputUsdPer1M / 2, 10);
    expect(threeQuarters.perMonthUsd).toBeGreaterThanOrEqual(full.perMonthUsd);
  });

  it('defaults to a free cache hit, as before the saving was measured', () => {
    expect(defaultDraft().fields.prefixSavingPct).toBe('100');
  });
});
