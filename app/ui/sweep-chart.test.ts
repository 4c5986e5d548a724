import { describe, expect, it } from 'vitest';
import { formatSpread } from './sweep-chart.tsx';

describe('sweep chart text', () => {
  it('gives a measured figure as median (min–max), the median alone without a spread', () => {
    expect(formatSpread({ median: 12.345, min: 10, max: 15.55 })).toBe('12.3 (10–15.6)');
    expect(formatSpread({ median: 7, min: 7, max: 7 })).toBe('7');
    expect(formatSpread({ median: 20.5 })).toBe('20.5');
    expect(formatSpread({ median: Number.NaN })).toBe('—');
  });
});
