import { describe, expect, it } from 'vitest';
import { electricityUsdPerHour, usdPer1MTokens } from './hourly-cost.ts';

describe('usdPer1MTokens', () => {
  it('$2.00/h at 100 tok/s and full utilisation is $5.56 per 1M tokens', () => {
    expect(usdPer1MTokens(2, 100, 1)).toBeCloseTo(5.5556, 4);
  });
  it('halving utilisation doubles the price: $3/h, 8000 tok/s, 60 % -> $0.1736', () => {
    expect(usdPer1MTokens(3, 8000, 0.6)).toBeCloseTo((3 / (8000 * 3600 * 0.6)) * 1e6, 10);
    expect(usdPer1MTokens(3, 8000, 0.6)).toBeCloseTo(0.17361, 5);
    expect(usdPer1MTokens(2, 100, 0.5)).toBeCloseTo(11.1111, 4);
  });
  it('a GPU that serves no tokens has no price per token (Infinity), never $0', () => {
    expect(usdPer1MTokens(2, 0, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(usdPer1MTokens(2, 100, 0)).toBe(Number.POSITIVE_INFINITY);
    // So slow that the price overflows, or so rarely used that the product underflows to 0.
    expect(usdPer1MTokens(2, 1e-310, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(usdPer1MTokens(2, 1e-310, 1e-20)).toBe(Number.POSITIVE_INFINITY);
    expect(usdPer1MTokens(0, 100, 1)).toBe(0);
  });
});

describe('electricityUsdPerHour', () => {
  it('a 30 W laptop at $0.20/kWh costs $0.006 an hour (the Cost page defaults)', () => {
    expect(electricityUsdPerHour()).toBeCloseTo(0.006, 10);
    expect(electricityUsdPerHour(700, 0.12)).toBeCloseTo(0.084, 10);
  });
  it('at 20 tok/s that hour makes 72 000 tokens: $0.083 per 1M', () => {
    expect(usdPer1MTokens(electricityUsdPerHour(), 20, 1)).toBeCloseTo(0.08333, 5);
  });
});
