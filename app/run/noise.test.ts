import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PressureState } from '../engine/pressure.ts';
import { ms } from '../engine/protocol.ts';
import {
  coefficientOfVariation,
  describeNoiseReason,
  driftOf,
  linearTrend,
  noiseAdvice,
  noiseOf,
} from './noise.ts';
import type { Repetition } from './run.ts';

/** A repetition whose decode speed is exactly `decodeTokPerS` (8 tokens, TTFT 50 ms). */
const repAt = (
  rep: number,
  decodeTokPerS: number,
  extra: { pressure?: PressureState | null; hidden?: boolean; ttftMs?: number } = {},
): Repetition => {
  const tpotMs = 1000 / decodeTokPerS;
  const ttftMs = extra.ttftMs ?? 50;
  const times = Array.from({ length: 8 }, (_, i) => ms(ttftMs + i * tpotMs));
  return {
    rep,
    promptTokens: 64,
    ttftMs: ms(ttftMs),
    e2eMs: times.at(-1) ?? ms(0),
    tokenTimesMs: times,
    startEpochMs: rep * 1000,
    endEpochMs: rep * 1000 + 500,
    text: '',
    partial: false,
    hidden: extra.hidden ?? false,
    ...(extra.pressure === undefined ? {} : { pressure: extra.pressure }),
  };
};
const run = (rates: readonly number[]) => rates.map((r, i) => repAt(i, r));

describe('coefficientOfVariation (sample standard deviation / mean)', () => {
  it('matches hand-computed values', () => {
    // mean 5, Σ(x − 5)² = 32, s = √(32/7) = 2.13809, CV = 0.427618
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(0.427618, 5);
    // 100, 120, 80: mean 100, s = √(800/2) = 20
    expect(coefficientOfVariation([100, 120, 80])).toBeCloseTo(0.2, 12);
    expect(coefficientOfVariation([7, 7, 7])).toBe(0);
  });
  it('is null where the spread says nothing', () => {
    expect(coefficientOfVariation([5])).toBeNull();
    expect(coefficientOfVariation([])).toBeNull();
    expect(coefficientOfVariation([0, 0])).toBeNull();
    expect(coefficientOfVariation([1, Number.POSITIVE_INFINITY])).toBeNull();
    expect(coefficientOfVariation([1, Number.NaN])).toBeNull();
  });
  it('does not change with the unit (scale invariance)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (values, k) => {
          const a = coefficientOfVariation(values) as number;
          const b = coefficientOfVariation(values.map((v) => v * k)) as number;
          expect(b).toBeCloseTo(a, 9);
        },
      ),
    );
  });
});

describe('linearTrend and driftOf', () => {
  it('fits hand-computed lines', () => {
    expect(linearTrend([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1, residualSd: 0 });
    // slope 4.5/5 = 0.9, intercept 0.9, residuals .1 .2 −.7 .4, √(0.7/2)
    const fit = linearTrend([0, 1, 2, 3], [1, 2, 2, 4]);
    expect(fit?.slope).toBeCloseTo(0.9, 12);
    expect(fit?.intercept).toBeCloseTo(0.9, 12);
    expect(fit?.residualSd).toBeCloseTo(Math.sqrt(0.35), 12);
    expect(linearTrend([3, 3], [1, 2])).toBeNull();
  });
  it('calls a steady 8 % rise drift, and scatter of the same size not', () => {
    // 100 → 108 in equal steps: change 8/104 = 7.69 % of the median, no scatter
    const rising = driftOf([0, 1, 2, 3, 4], [100, 102, 104, 106, 108]);
    expect(rising?.change).toBeCloseTo(8 / 104, 12);
    expect(rising?.drifting).toBe(true);
    // 100, 120, 80: fitted change −20 %, but the scatter around the line is ±24.5 %
    const scattered = driftOf([0, 1, 2], [100, 120, 80]);
    expect(scattered?.change).toBeCloseTo(-0.2, 12);
    expect(scattered?.scatter).toBeCloseTo(Math.sqrt(600) / 100, 12);
    expect(scattered?.drifting).toBe(false);
    expect(driftOf([0, 1], [100, 200])).toBeNull(); // two points: no scatter to tell a trend from
  });
});

describe('noiseOf', () => {
  it('finds a quiet run quiet, with a CV for every metric', () => {
    const report = noiseOf(run([100, 101, 99, 100.5]));
    expect(report.noisy).toBe(false);
    expect(report.reasons).toEqual([]);
    expect(report.validReps).toBe(4);
    expect(report.cv.decodeTokPerS).toBeCloseTo(coefficientOfVariation([100, 101, 99, 100.5]) as number, 9);
    expect(report.cv.ttftMs).toBe(0); // every TTFT is 50 ms
    expect(report.cv.prefillTokPerS).toBe(0);
    expect(report.cv.tpotMs).toBeGreaterThan(0);
    expect(report.cv.e2eMs).toBeGreaterThan(0);
  });
  it('flags a wide spread (decode CV 20 %) and says what to do', () => {
    const report = noiseOf(run([100, 120, 80]));
    expect(report.noisy).toBe(true);
    expect(report.reasons).toHaveLength(1);
    const reason = report.reasons[0];
    expect(reason?.kind).toBe('spread');
    expect(reason?.kind === 'spread' && reason.decodeCv).toBeCloseTo(0.2, 6);
    if (reason === undefined) throw new Error('no reason');
    expect(describeNoiseReason(reason)).toBe(
      'Decode speed varies by 20.0 % across repetitions (CV; above 5 %).',
    );
    expect(noiseAdvice(reason)).toMatch(/more repetitions/);
  });
  it('flags a drift that stays under the CV limit (3 % CV, 7.7 % rise)', () => {
    const report = noiseOf(run([100, 102, 104, 106, 108]));
    expect(report.cv.decodeTokPerS).toBeCloseTo(Math.sqrt(10) / 104, 6);
    expect(report.reasons.map((r) => r.kind)).toEqual(['drift']);
    const reason = report.reasons[0];
    if (reason === undefined) throw new Error('no reason');
    expect(describeNoiseReason(reason)).toMatch(/^Decode speed rose by 7\.7 % .*warming up/);
    const falling = noiseOf(run([108, 106, 104, 102, 100])).reasons[0];
    if (falling === undefined) throw new Error('no reason');
    expect(describeNoiseReason(falling)).toMatch(/fell by 7\.7 %.*thermal throttling/);
    expect(noiseAdvice(falling)).toMatch(/Plug the laptop in/);
  });
  it("flags issue 9's warming WASM run for both spread and drift", () => {
    const report = noiseOf(run([205, 160, 207, 207, 238, 223, 255, 143, 219, 198, 438, 505]));
    expect(report.reasons.map((r) => r.kind)).toEqual(['spread', 'drift']);
  });
  it('flags valid repetitions under serious or critical CPU pressure, and ignores invalid ones', () => {
    const reps = [
      repAt(0, 100, { pressure: 'nominal' }),
      repAt(1, 100, { pressure: 'serious' }),
      repAt(2, 100, { pressure: 'critical', hidden: true }),
      repAt(3, 100, { pressure: 'fair' }),
      repAt(4, 100, { pressure: null }),
    ];
    const report = noiseOf(reps);
    expect(report.pressuredReps).toEqual([1]);
    expect(report.reasons).toEqual([{ kind: 'pressure', reps: [1], worst: 'serious' }]);
    const reason = report.reasons[0];
    if (reason === undefined) throw new Error('no reason');
    expect(describeNoiseReason(reason)).toBe(
      'The browser reported serious CPU pressure during repetition 2.',
    );
    const critical = noiseOf([
      repAt(0, 100, { pressure: 'critical' }),
      repAt(5, 100, { pressure: 'serious' }),
    ]);
    expect(critical.reasons).toEqual([{ kind: 'pressure', reps: [0, 5], worst: 'critical' }]);
  });
  it('says nothing about spread with fewer than two valid repetitions', () => {
    const report = noiseOf([repAt(0, 100), repAt(1, 300, { hidden: true })]);
    expect(report.validReps).toBe(1);
    expect(report.cv.decodeTokPerS).toBeNull();
    expect(report.noisy).toBe(false);
  });

  type RunCase = { kind: 'quiet' | 'alternating' | 'trend'; base: number; jitter: number[]; depth: number };
  // Runs built from a known kind: quiet ones (±1 % jitter) must never be flagged, busy ones (alternating busy and
  // idle repetitions, or a steady trend) always. The counters show the generator reaches both.
  const jitter = (n: number) =>
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n });
  const runArb = fc.integer({ min: 3, max: 20 }).chain((n) =>
    fc.oneof(
      fc.record({
        kind: fc.constant('quiet' as const),
        base: fc.double({ min: 5, max: 2000, noNaN: true }),
        jitter: jitter(n),
        depth: fc.constant(0),
      }),
      fc.record({
        kind: fc.constant('alternating' as const),
        base: fc.double({ min: 5, max: 2000, noNaN: true }),
        jitter: jitter(n),
        depth: fc.double({ min: 0.2, max: 0.7, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant('trend' as const),
        base: fc.double({ min: 5, max: 2000, noNaN: true }),
        jitter: jitter(n),
        depth: fc.oneof(
          fc.double({ min: 0.1, max: 0.5, noNaN: true }),
          fc.double({ min: -0.5, max: -0.1, noNaN: true }),
        ),
      }),
    ),
  );
  const ratesOf = (r: RunCase): number[] =>
    r.jitter.map((j, i) => {
      const n = r.jitter.length;
      if (r.kind === 'quiet') return r.base * (1 + 0.01 * j);
      if (r.kind === 'alternating') return r.base * (i % 2 === 0 ? 1 : 1 - r.depth) * (1 + 0.005 * j);
      return r.base * (1 + (r.depth * i) / (n - 1)) * (1 + 0.005 * j);
    });

  it('never flags a quiet run and always flags a busy one', () => {
    const seen = { quiet: 0, alternating: 0, trend: 0 };
    fc.assert(
      fc.property(runArb, (r) => {
        seen[r.kind]++;
        const report = noiseOf(run(ratesOf(r)));
        expect(report.noisy).toBe(r.kind !== 'quiet');
        if (r.kind === 'alternating') expect(report.reasons.map((x) => x.kind)).toContain('spread');
        if (r.kind === 'trend') expect(report.reasons.map((x) => x.kind)).toContain('drift');
      }),
      { numRuns: 300 },
    );
    expect(seen.quiet).toBeGreaterThan(50);
    expect(seen.alternating).toBeGreaterThan(50);
    expect(seen.trend).toBeGreaterThan(50);
  });

  it('does not depend on the order repetitions are listed in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 5, max: 500, noNaN: true }), { minLength: 0, maxLength: 12 }),
        fc.integer(),
        (rates, seed) => {
          const reps = run(rates);
          const shuffled = [...reps].sort(
            (a, b) => ((a.rep * 7919 + seed) % 13) - ((b.rep * 7919 + seed) % 13),
          );
          expect(noiseOf(shuffled)).toEqual(noiseOf(reps));
        },
      ),
    );
  });
});
