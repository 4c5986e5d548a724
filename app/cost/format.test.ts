import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmtUsd } from '../ui/format.ts';
import { fmtCount, fmtKwh, fmtSeconds, fmtUsdAxis, fmtUsdDelta } from './format.ts';

describe('format', () => {
  it('dollars', () => {
    expect(fmtUsd(5.5556)).toBe('$5.56');
    expect(fmtUsd(0.00031234)).toBe('$0.000312');
    expect(fmtUsd(1440)).toBe('$1,440');
    expect(fmtUsd(0)).toBe('$0.00');
    expect(fmtUsd(2.5e6)).toBe('$2.5M');
    expect(fmtUsdAxis(1500)).toBe('$1.5k');
    expect(fmtUsdDelta(-35.2)).toBe('−$35.20');
  });
  it('other units', () => {
    expect(fmtCount(66666.67)).toBe('66,667');
    expect(fmtCount(2_000_000)).toBe('2M');
    expect(fmtKwh(2.33333)).toBe('2.33 kWh');
    expect(fmtKwh(null)).toBe('not disclosed');
    expect(fmtSeconds(0.25)).toBe('250 ms');
    expect(fmtSeconds(20)).toBe('20 s');
  });
  it('never prints NaN, Infinity or a negative cost', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        for (const f of [fmtUsd, fmtUsdAxis, fmtUsdDelta, fmtCount, fmtKwh, fmtSeconds]) {
          expect(f(x)).not.toMatch(/NaN|Infinity/);
        }
        expect(fmtUsd(x)).not.toContain('-');
      }),
    );
  });
});

describe('fmtUsd below a dollar', () => {
  it('keeps two decimals and three significant digits', () => {
    expect(fmtUsd(0.4)).toBe('$0.40');
    expect(fmtUsd(0.135)).toBe('$0.135');
    expect(fmtUsd(0.0375)).toBe('$0.0375');
    expect(fmtUsd(0.1)).toBe('$0.10');
    expect(fmtUsd(0.99999)).toBe('$1.00');
  });
});
