import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cheapestOption, OPTION_KINDS, project, projectApi } from './model.ts';
import {
  customRowError,
  decodeScenario,
  defaultDraft,
  draftFromSearch,
  encodeScenario,
  FIELD_KEYS,
  FIELDS,
  type FieldKey,
  fieldSpec,
  parseField,
  readScenario,
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
      models: {
        api: { name: 'Anthropic · Claude Haiku 4.5', tier: 'large' },
        selfHosted: { name: 'Llama 3.1 8B · BF16 on L4 24 GB', tier: 'medium' },
        browser: { name: 'tiny · q4 · webgpu (measured here)', tier: 'none' },
      },
      requiredTier: 'medium',
    };
    expect(decodeScenario(encodeScenario(d))).toEqual(d);
    expect(draftFromSearch(`?view=cost&cost=${encodeURIComponent(encodeScenario(d))}`)).toEqual(d);
  });
  it('a link without models or a quality bar (older links) opens with the defaults for them', () => {
    const d = decodeScenario('{"v":1,"f":{"requests":"5"}}');
    expect(d.models).toEqual(defaultDraft().models);
    expect(d.requiredTier).toBe('any');
    const bad = readScenario('{"v":1,"m":{"api":{"n":"x","t":"godlike"}},"q":"best"}');
    expect(bad.draft.models).toEqual(defaultDraft().models);
    expect(bad.notes.join(' ')).toContain('which model each option prices');
    expect(bad.notes.join(' ')).toContain('the quality you need');
  });
  it('only what differs from the defaults is written', () => {
    expect(encodeScenario(defaultDraft())).not.toContain('requests');
    expect(encodeScenario(edit({ requests: '5' }))).toContain('"requests":"5"');
  });
  it('missing or garbage values give the defaults, and say so unless nothing was there', () => {
    expect(readScenario(null)).toEqual({ draft: defaultDraft(), notes: [] });
    expect(readScenario('{')).toEqual({
      draft: defaultDraft(),
      notes: [expect.stringMatching(/could not be read/)],
    });
    expect(readScenario('[1]').notes).toEqual([expect.stringMatching(/could not be read/)]);
    expect(draftFromSearch('?cost=%E0%A4%A')).toEqual(defaultDraft());
  });
  it('a link from the current version reads without notes', () => {
    const d = edit({ requests: '77' });
    expect(readScenario(encodeScenario(d))).toEqual({ draft: d, notes: [] });
  });
  it('a newer version is read for what this page knows, and says so', () => {
    const read = readScenario('{"v":3,"f":{"requests":"77","tokensPerJoule":"5"},"u":"month","x":{"y":1}}');
    expect(read.draft.fields.requests).toBe('77');
    expect(read.draft.volumeUnit).toBe('month');
    expect(read.notes).toEqual([
      expect.stringMatching(
        /newer version of the lab \(format v3; this page reads up to v1\).*Not read: "x"/,
      ),
      expect.stringMatching(/Inputs this page does not have were left out: "tokensPerJoule"/),
    ]);
  });
  it('a link without a version this page knows is read as far as it can be, and says so', () => {
    for (const text of [
      '{"f":{"requests":"77"}}',
      '{"v":0,"f":{"requests":"77"}}',
      '{"v":"1","f":{"requests":"77"}}',
    ]) {
      const read = readScenario(text);
      expect(read.draft.fields.requests).toBe('77');
      expect(read.notes).toEqual([expect.stringMatching(/no format version this page knows/)]);
    }
  });
  it('a bad part is replaced by its default, the rest survives, and the notes name what was reset', () => {
    const { draft: d, notes } = readScenario(
      '{"v":1,"f":{"requests":42,"nope":"1"},"u":"year","gpu":"zzz","cr":"x"}',
    );
    expect(d.fields.requests).toBe('42');
    expect(d.volumeUnit).toBe('day');
    expect(d.gpuId).toBe(defaultDraft().gpuId);
    expect(d.customRows).toEqual([]);
    expect(notes).toEqual([
      'Not read from the link, so at the default: per day or per month, your custom price rows, the GPU.',
      'Inputs this page does not have were left out: "nope".',
    ]);
  });
  it('notes quote at most a short piece of a hostile key', () => {
    const { notes } = readScenario(JSON.stringify({ v: 9, ['k'.repeat(15_000)]: 1 }));
    expect(notes.join(' ').length).toBeLessThan(500);
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

describe('physical bounds', () => {
  it.each([
    ['gpuDecodeTokPerS', '1e-310'],
    ['gpuPrefillTokPerS', '0.001'],
    ['browserDecodeTokPerS', '1e-310'],
    ['browserPrefillTokPerS', '5e-324'],
    ['utilisationPct', '5e-324'],
    ['kvCacheGb', '5e-324'],
    ['gpuMemoryGb', '1e-300'],
    ['weightsGb', '1e-300'],
    ['gpuUsdPerHour', '1e-300'],
    ['requests', '1e-300'],
  ] as const)('%s = %s is refused with a reason, and what was typed stays', (key, raw) => {
    expect(errorOf(key, raw)).toMatch(/^Must be at least [\d.,]+( %)?\. \S/);
    const v = validateDraft(edit({ [key]: raw }));
    expect(v.scenario).toBeNull();
    expect(v.errors[key]).toBeDefined();
  });

  it('the smallest and largest allowed values of every field price every option finitely', () => {
    const value = (key: FieldKey) => {
      const spec = FIELDS[key];
      const lo = spec.min;
      const hi = key === 'weightsGb' || key === 'kvCacheGb' ? 1 : spec.max;
      return fc.oneof(fc.constant(lo), fc.constant(hi), fc.double({ min: lo, max: hi, noNaN: true }));
    };
    const fixed = new Set<FieldKey>(['gpuMemoryGb']);
    const arbFields = fc.record(
      Object.fromEntries(
        FIELD_KEYS.filter((k) => !fixed.has(k)).map((k) => [
          k,
          value(k).map((n) => (fieldSpec(k).integer ? String(Math.round(n)) : String(n))),
        ]),
      ) as Record<FieldKey, fc.Arbitrary<string>>,
    );
    let priced = 0;
    fc.assert(
      fc.property(arbFields, fc.boolean(), (fields, perMonth) => {
        const draft: ScenarioDraft = {
          ...defaultDraft(),
          volumeUnit: perMonth ? 'month' : 'day',
          fields: { ...defaultDraft().fields, ...fields, gpuMemoryGb: '10000' },
        };
        const { scenario, errors } = validateDraft(draft);
        expect(errors).toEqual({});
        if (!scenario) return;
        priced++;
        const p = project(scenario);
        for (const kind of OPTION_KINDS) {
          for (const [name, x] of Object.entries(p[kind])) {
            if (typeof x === 'number') expect([name, Number.isFinite(x)]).toEqual([name, true]);
          }
        }
        expect(cheapestOption(p)).not.toBeNull();
      }),
      { numRuns: 300 },
    );
    expect(priced).toBe(300);
  });
});
