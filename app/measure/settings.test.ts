import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, formFromQuery, formToQuery, parseCount, validateRun } from './settings.ts';

const limits = { min: 1, max: 100 };

describe('parseCount', () => {
  it('accepts whole numbers within bounds', () => {
    expect(parseCount(' 42 ', 'P', limits)).toEqual({ value: 42 });
  });
  it.each([
    ['', 'P is required.'],
    ['abc', 'P must be a whole number, not "abc".'],
    ['1.5', 'P must be a whole number.'],
    ['0', 'P must be at least 1.'],
    ['-3', 'P must be at least 1.'],
    ['101', 'P must be at most 100.'],
    ['NaN', 'P must be a whole number, not "NaN".'],
    ['1e400', 'P is too large.'],
  ])('rejects %j with a message', (text, message) => {
    expect(parseCount(text, 'P', limits)).toEqual({ error: message });
  });
});

describe('validateRun', () => {
  it('accepts the defaults', () => {
    expect(validateRun(DEFAULT_FORM, 4096)).toEqual({ ok: true, promptTokens: 64, genTokens: 32, reps: 3 });
  });
  it('rejects a prompt beyond the context window', () => {
    const r = validateRun({ ...DEFAULT_FORM, promptTokens: '4090', genTokens: '32' }, 4096);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.promptTokens).toMatch(/beyond this model's context of 4,096/);
  });
  it('reports every bad field at once', () => {
    const r = validateRun({ ...DEFAULT_FORM, genTokens: '1', reps: '999' }, 4096);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['genTokens', 'reps']);
  });
});

describe('settings in links', () => {
  it('round-trips through the query string and keeps other parameters', () => {
    const form = {
      ...DEFAULT_FORM,
      modelId: 'small-random-llama',
      dtype: 'q4' as const,
      device: 'wasm' as const,
      promptTokens: '128',
    };
    const query = formToQuery(form, 'view=measure');
    expect(new URLSearchParams(query).get('view')).toBe('measure');
    expect(formFromQuery(`?${query}`)).toEqual({ form, problems: [] });
  });
  it('reports bad values and keeps defaults for them', () => {
    const { form, problems } = formFromQuery('?dtype=int3&device=tpu&p=-5&g=abc&model=<script>');
    expect(form).toEqual(DEFAULT_FORM);
    expect(problems).toHaveLength(5);
    expect(problems.join(' ')).toMatch(/dtype "int3" is unknown/);
  });
});
