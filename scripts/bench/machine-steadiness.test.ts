import { describe, expect, it } from 'vitest';
import { COPY_BYTES, probeCopyMs, steadinessOf, steadinessText } from './machine-steadiness.ts';

describe('steadinessOf', () => {
  it('gives bandwidth at the fast, median and slow copy times and the p90/p10 swing', () => {
    // Eleven copies from 50 to 100 ms: p10 = 55 ms, p50 = 75 ms, p90 = 95 ms.
    const times = Array.from({ length: 11 }, (_, i) => 50 + 5 * i);
    const s = steadinessOf(times);
    expect(s).not.toBeNull();
    expect(s?.samples).toBe(11);
    expect(s?.fastGBps).toBeCloseTo(COPY_BYTES / 1e9 / 0.055, 9);
    expect(s?.medianGBps).toBeCloseTo(COPY_BYTES / 1e9 / 0.075, 9);
    expect(s?.slowGBps).toBeCloseTo(COPY_BYTES / 1e9 / 0.095, 9);
    expect(s?.swing).toBeCloseTo(95 / 55 - 1, 12);
    expect(steadinessText(s, 20, 2)).toMatch(/swings by 73 % within 20 s/);
  });
  it('says nothing from too few or broken samples', () => {
    expect(steadinessOf([50, 60, 70, 80])).toBeNull();
    expect(steadinessOf([50, 60, Number.NaN, 0, -1, 70, 80])).toBeNull();
    expect(steadinessText(null, 20, 2)).toBe('memory bandwidth: not measured');
  });
});

it('probes with real worker threads: every thread returns its copy times', async () => {
  const times = await probeCopyMs(1, 2);
  expect(times.length).toBeGreaterThanOrEqual(2);
  expect(times.every((ms) => ms > 0)).toBe(true);
}, 20_000);
