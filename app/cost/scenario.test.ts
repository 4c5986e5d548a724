import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectApi } from './model.ts';
import {
  customRowError,
  decodeScenario,
  defaultDraft,
  draftFromSearch,
  encodeScenario,
  FIELD_KEYS,
  type FieldKey,
  parseField,
  type ScenarioDraft,
  validateDraft,
} from './scenario.ts';

const edit = (
  patch: Partial<Record<FieldKey, string>>,
  d: ScenarioDraft = defaultDraft(),
): ScenarioDraft => ({
  ...d,
  fields: { ...d.fields, ...patch },
});
const errorOf = (key: FieldKey, raw: string): string | null => {
  const r = parseField(key, raw);
  return 'error' in r ? r.error : null;
};

describe('parseField', () => {
  it('reads plain numbers, thousands separators, exponents and percentages', () => {
    expect(parseField('requests', '10,000')).toEqual({ value: 10_000 });
    expect(parseField('requests', ' 1e6 ')).toEqual({ value: 1e6 });
    expect(parseField('promptCachePct', '25')).toEqual({ value: 0.25 });
    expect(parseField('promptCachePct', '25%')).toEqual({ value: 0.25 });
  });
  it('says what is wrong with bad values', () => {
    expect(errorOf('requests', '')).toBe('Enter a number.');
    expect(errorOf('requests', 'abc')).toContain('is not a number');
    expect(errorOf('requests', 'NaN')).toContain('is not a number');
    expect(errorOf('requests', '-5')).toBe('Must not be negative.');
    expect(errorOf('requests', '0')).toContain('Must be more than 0');
    expect(errorOf('requests', 'Infinity')).toContain('too large');
    expect(errorOf('requests', '1e300')).toContain('too large');
    expect(errorOf('concurrency', '2.5')).toBe('Must be a whole number.');
    expect(errorOf('pue', '0.5')).toBe('Must be at least 1.');
    expect(errorOf('promptCachePct', '150')).toContain('at most 100 %');
  });
  it('a utilisation of 0 explains why it cannot be', () => {
    expect(errorOf('utilisationPct', '0')).toContain('infinitely');
  });
});

describe('validateDraft', () => {
  it('the defaults are valid', () => {
    const v = validateDraft(defaultDraft());
    expect(v.errors).toEqual({});
    expect(v.scenario).not.toBeNull();
  });
  it('requests per month are converted to per day (÷ 30)', () => {
    const v = validateDraft({ ...edit({ requests: '300000' }), volumeUnit: 'month' });
    expect(v.scenario?.workload.requestsPerDay).toBe(10_000);
  });
  it('weights bigger than the GPU and a KV cache that does not fit are flagged', () => {
    expect(validateDraft(edit({ weightsGb: '90' })).errors.weightsGb).toContain('do not fit');
    expect(validateDraft(edit({ kvCacheGb: '70' })).errors.kvCacheGb).toContain('does not fit');
  });
  it('the default scenario prices the API at $324 a month', () => {
    const s = validateDraft(defaultDraft()).scenario;
    expect(s && projectApi(s).perMonthUsd).toBeCloseTo(324, 6);
  });
});

describe('customRowError', () => {
  it('needs a name and valid prices; cached price may be empty', () => {
    expect(customRowError({ name: ' ', input: '1', cachedInput: '', output: '2' })).toBe(
      'Give the row a name.',
    );
    expect(customRowError({ name: 'x', input: '', cachedInput: '', output: '2' })).toContain('Input price');
    expect(customRowError({ name: 'x', input: '1', cachedInput: '-1', output: '2' })).toContain(
      'Cached input',
    );
    expect(customRowError({ name: 'x', input: '1', cachedInput: '', output: '2' })).toBeNull();
  });
});

describe('URL form', () => {
  it('round-trips a draft', () => {
    const d: ScenarioDraft = {
      ...edit({ requests: '123456', apiOutput: '7.5', utilisationPct: 'oops' }),
      volumeUnit: 'month',
      apiRowId: 'anthropic/claude-haiku-4-5',
      gpuId: 'l4',
      powerIncludedInPrice: false,
      customRows: [{ name: 'Our quote', inputUsdPer1M: 0.3, cachedInputUsdPer1M: 0.1, outputUsdPer1M: 1.2 }],
      focus: 'api',
    };
    expect(decodeScenario(encodeScenario(d))).toEqual(d);
    expect(draftFromSearch(`?view=cost&cost=${encodeURIComponent(encodeScenario(d))}`)).toEqual(d);
  });
  it('only what differs from the defaults is written', () => {
    expect(encodeScenario(defaultDraft())).not.toContain('requests');
    expect(encodeScenario(edit({ requests: '5' }))).toContain('"requests":"5"');
  });
  it('missing, garbage or future-version values give the defaults', () => {
    expect(decodeScenario(null)).toEqual(defaultDraft());
    expect(decodeScenario('{')).toEqual(defaultDraft());
    expect(decodeScenario('{"v":2}')).toEqual(defaultDraft());
    expect(draftFromSearch('?cost=%E0%A4%A')).toEqual(defaultDraft());
  });
  it('a bad part is replaced by its default, the rest survives', () => {
    const d = decodeScenario('{"v":1,"f":{"requests":42,"nope":"1"},"u":"year","gpu":"zzz","cr":"x"}');
    expect(d.fields.requests).toBe('42');
    expect(d.volumeUnit).toBe('day');
    expect(d.gpuId).toBe(defaultDraft().gpuId);
    expect(d.customRows).toEqual([]);
  });
  it('garbage never throws and always yields a complete draft', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((j) => JSON.stringify({ v: 1, f: j })),
        ),
        (s) => {
          const d = decodeScenario(s);
          for (const k of FIELD_KEYS) expect(typeof d.fields[k]).toBe('string');
          expect(() => validateDraft(d)).not.toThrow();
        },
      ),
    );
  });
});
