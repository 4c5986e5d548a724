import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import {
  type BatchPoint,
  batchPoints,
  batchThroughput,
  costAtLatencyTarget,
  fitBatchCurve,
  LATENCY_PRESETS,
} from './batch-curve.ts';
import type { Repetition, RunResult } from './run.ts';
import { batchSummary } from './stats.ts';
import { syntheticRun } from './synthetic.ts';

const spreadOf = (median: number, min = median, max = median) => ({ median, min, max, n: 3 });

/** A repetition whose n tokens arrive at ttft, ttft + tpot, …: TPOT = tpot exactly. */
function rep(ttftMs: number, tpotMs: number, n: number): Repetition {
  const tokenTimesMs = Array.from({ length: n }, (_, i) => (ttftMs + i * tpotMs) as Ms);
  return {
    rep: 0,
    promptTokens: 16,
    ttftMs: ttftMs as Ms,
    e2eMs: tokenTimesMs.at(-1) as Ms,
    tokenTimesMs,
    startEpochMs: 0,
    endEpochMs: 1,
    text: '',
    partial: false,
    hidden: false,
  };
}

describe('batchSummary', () => {
  it('aggregate decode tok/s = B × (n − 1) / (E2E − TTFT); per-sequence TTFT and TPOT are the step times', () => {
    // 9 tokens, TTFT 40 ms, TPOT 20 ms: decode time 160 ms for 8 tokens per sequence, 4 sequences.
    const s = batchSummary([rep(40, 20, 9)], 4);
    expect(s?.tpotMs.median).toBeCloseTo(20, 9);
    expect(s?.ttftMs.median).toBeCloseTo(40, 9);
    expect(s?.aggregateDecodeTokPerS.median).toBeCloseTo((4 * 8) / 0.16, 9); // 200 tok/s
    expect(s?.aggregatePrefillTokPerS.median).toBeCloseTo((4 * 16) / 0.04, 9); // 1600 tok/s
  });

  it('with B = 1 it is the single-stream decode rate', () => {
    expect(batchSummary([rep(40, 20, 9)], 1)?.aggregateDecodeTokPerS.median).toBeCloseTo(50, 9);
  });
});

describe('batchPoints', () => {
  it('one point per B from complete runs, sorted by B; runs saved before batching count as B = 1', () => {
    const make = (
      seed: number,
      b: number | undefined,
      status: RunResult['status'] = 'complete',
    ): RunResult => {
      const run = syntheticRun(seed, { decodeTokPerS: 50 });
      return {
        ...run,
        status,
        settings: { ...run.settings, ...(b === undefined ? {} : { parallelSequences: b }) },
      };
    };
    const points = batchPoints([make(1, 4), make(2, undefined), make(3, 2), make(4, 8, 'partial')]);
    expect(points.map((p) => p.sequences)).toEqual([1, 2, 4]);
    const [one, , four] = points;
    // The same per-step speed: B = 4 moves four times the tokens.
    expect(
      (four?.aggregateDecodeTokPerS.median ?? 0) / (one?.aggregateDecodeTokPerS.median ?? 1),
    ).toBeCloseTo(4, 1);
  });
});

describe('fitBatchCurve: T(B) = S·B / (1 + α(B − 1))', () => {
  it('recovers S and α from points on the curve (S = 100, α = 0.2), R² = 1', () => {
    // By hand: T(2) = 200 / 1.2 = 166.67, T(4) = 400 / 1.6 = 250, T(8) = 800 / 2.4 = 333.33.
    const pts = [100, 200 / 1.2, 250, 800 / 2.4].map((t, i) => ({ sequences: 2 ** i, tokPerS: t }));
    expect(batchThroughput(100, 0.2, 8)).toBeCloseTo(800 / 2.4, 9);
    const fit = fitBatchCurve(pts);
    expect(fit?.singleStreamTokPerS).toBeCloseTo(100, 6);
    expect(fit?.batchSlowdown).toBeCloseTo(0.2, 6);
    expect(fit?.rSquared).toBeCloseTo(1, 9);
    expect(fit?.clamped).toBe(false);
  });

  it('super-linear points clamp α to 0: S = Σ T·B / Σ B² = 600 / 5 = 120, SSE = 20² + 10² = 500', () => {
    const fit = fitBatchCurve([
      { sequences: 1, tokPerS: 100 },
      { sequences: 2, tokPerS: 250 },
    ]);
    expect(fit?.batchSlowdown).toBe(0);
    expect(fit?.singleStreamTokPerS).toBeCloseTo(120, 9);
    // SST = 2 × 75² = 11250 → R² = 1 − 500 / 11250; rms residual = √(500 / 2).
    expect(fit?.rSquared).toBeCloseTo(1 - 500 / 11250, 9);
    expect(fit?.rmsResidualTokPerS).toBeCloseTo(Math.sqrt(250), 9);
    expect(fit?.clamped).toBe(true);
  });

  it('a batch that is slower than one stream clamps α to 1: S = mean = 90, R² = 0', () => {
    const fit = fitBatchCurve([
      { sequences: 1, tokPerS: 100 },
      { sequences: 2, tokPerS: 80 },
    ]);
    expect(fit?.batchSlowdown).toBe(1);
    expect(fit?.singleStreamTokPerS).toBeCloseTo(90, 9);
    expect(fit?.rSquared).toBeCloseTo(0, 9);
    expect(fit?.rmsResidualTokPerS).toBeCloseTo(10, 9);
  });

  it('needs two distinct batch sizes and finite positive speeds', () => {
    expect(fitBatchCurve([{ sequences: 1, tokPerS: 100 }])).toBeNull();
    expect(
      fitBatchCurve([
        { sequences: 2, tokPerS: 100 },
        { sequences: 2, tokPerS: 120 },
      ]),
    ).toBeNull();
    expect(
      fitBatchCurve([
        { sequences: 1, tokPerS: 100 },
        { sequences: 2, tokPerS: Number.NaN },
      ]),
    ).toBeNull();
  });
});

describe('costAtLatencyTarget', () => {
  const point = (b: number, tokPerS: number, ttftMaxMs: number, tpotMaxMs: number): BatchPoint => ({
    sequences: b,
    aggregateDecodeTokPerS: spreadOf(tokPerS),
    ttftMs: spreadOf(ttftMaxMs * 0.9, ttftMaxMs * 0.8, ttftMaxMs),
    tpotMs: spreadOf(tpotMaxMs * 0.9, tpotMaxMs * 0.8, tpotMaxMs),
  });
  const points = [
    point(1, 100, 50, 10),
    point(2, 180, 60, 11.1),
    point(4, 300, 90, 13.3),
    point(8, 400, 150, 20),
  ];
  const price = { gpuUsdPerHour: 2, utilisation: 0.5 };

  it('picks the largest B whose worst repetition meets both targets, priced as the cost model prices decode', () => {
    const r = costAtLatencyTarget(points, { ttftMs: 100, tpotMs: 15 }, price);
    expect(r.atTarget?.sequences).toBe(4);
    // $2 / (300 tok/s × 3600 s × 0.5) × 1e6 = $3.7037 per 1M tokens.
    expect(r.atTarget?.usdPer1M).toBeCloseTo(2e6 / 540_000, 9);
    expect(r.unconstrained?.sequences).toBe(8);
    expect(r.unconstrained?.usdPer1M).toBeCloseTo(2e6 / 720_000, 9);
    expect(r.atTarget && r.unconstrained && r.atTarget.usdPer1M > r.unconstrained.usdPer1M).toBe(true);
  });

  it('a target met only by the median is not met: the slowest repetition decides', () => {
    // B = 4's median TPOT is 12 ms, its worst 13.3 ms.
    expect(costAtLatencyTarget(points, { ttftMs: 100, tpotMs: 13 }, price).atTarget?.sequences).toBe(2);
  });

  it('no point meeting the targets gives null beside the unconstrained cost', () => {
    const r = costAtLatencyTarget(points, { ttftMs: 40, tpotMs: 50 }, price);
    expect(r.atTarget).toBeNull();
    expect(r.unconstrained?.sequences).toBe(8);
  });

  it("MLPerf's interactive preset is stricter than its server preset", () => {
    const [server, interactive] = LATENCY_PRESETS;
    expect(interactive.targets.ttftMs).toBeLessThan(server.targets.ttftMs);
    expect(interactive.targets.tpotMs).toBeLessThan(server.targets.tpotMs);
  });
});
