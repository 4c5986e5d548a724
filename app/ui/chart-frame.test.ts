import { describe, expect, it } from 'vitest';
import { axisTitle, chartAxisTitle, titleLines, tooltipLines, withUnit } from './chart-frame.tsx';

describe('chart frame text', () => {
  it('names each axis with its unit, and says when it is on a log scale', () => {
    expect(axisTitle({ label: 'TPOT per sequence', unit: 'ms' })).toBe('TPOT per sequence (ms)');
    expect(axisTitle({ label: 'sequences in the batch B', unit: '' })).toBe('sequences in the batch B');
    expect(chartAxisTitle({ label: 'Performance', unit: 'GFLOP/s', log: true })).toBe(
      'Performance (GFLOP/s, log scale)',
    );
    expect(chartAxisTitle({ label: 'TTFT', unit: 'ms' })).toBe('TTFT (ms)');
    expect(withUnit(12.345, 'ms')).toBe('12.3 ms');
    expect(withUnit(2048, 'tokens')).toBe('2,048 tokens');
    expect(withUnit(4, '')).toBe('4');
  });

  it('gives a point in the tooltip as its series and name, then x and y with their units', () => {
    const x = { label: 'TPOT per sequence', unit: 'ms' };
    const y = { label: 'aggregate decode', unit: 'tok/s' };
    expect(tooltipLines([{ x: 12.345, y: 410.2, series: 'measured', label: 'B = 4' }], x, y)).toEqual([
      ['measured — B = 4', 'TPOT per sequence: 12.3 ms', 'aggregate decode: 410 tok/s'],
    ]);
    // An axis of named steps has no title: the tooltip gives the step's name alone.
    const steps = { label: '', unit: '', valueText: (v: number) => ['tiny', 'small'][v] ?? '' };
    expect(
      tooltipLines([{ x: 1, y: 80, series: 'q8' }], steps, { label: 'time per request', unit: 'ms' }),
    ).toEqual([['q8', 'small', 'time per request: 80 ms']]);
  });

  it('puts an axis title longer than the plot on two lines, before its unit where it can', () => {
    expect(titleLines('TTFT (ms)', 30)).toEqual(['TTFT (ms)']);
    expect(titleLines('total decode speed, all sequences (tokens/s)', 34)).toEqual([
      'total decode speed, all sequences',
      '(tokens/s)',
    ]);
    expect(titleLines('share of the prompt already cached K / P (%)', 24)).toEqual([
      'share of the prompt',
      'already cached K / P (%)',
    ]);
    expect(titleLines('GFLOP/s', 3)).toEqual(['GFLOP/s']);
  });
});
