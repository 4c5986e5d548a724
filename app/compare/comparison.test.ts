import { describe, expect, it } from 'vitest';
import type { Dtype, Ms } from '../engine/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { backendPairs, dtypeTradeoffs, leaderboards, prefillScaling, sizeSeries } from './comparison.ts';

/** A run whose repetitions have exactly these TTFTs and a token every `tpotMs` after (5 tokens). */
function exact(
  opts: { modelId?: string; dtype?: Dtype; device?: 'wasm' | 'webgpu'; promptTokens?: number; ua?: string },
  ttfts: number[],
  tpotMs: number,
  seed = 1,
): RunResult {
  const run = syntheticRun(seed, { ...opts, reps: ttfts.length, genTokens: 5, userAgent: opts.ua });
  run.repetitions = run.repetitions.map((rep, i) => {
    const ttft = ttfts[i] as number;
    const times = [0, 1, 2, 3, 4].map((k) => ttft + k * tpotMs) as Ms[];
    return { ...rep, ttftMs: ttft as Ms, e2eMs: times[4] as Ms, tokenTimesMs: times };
  });
  return run;
}

const facts = (modelId: string, dtype: string) => {
  const params: Record<string, number> = { tiny: 1e6, small: 4e6 };
  const perParam: Record<string, number> = { fp32: 4, q8: 1, q4: 0.5 };
  const p = params[modelId];
  const b = perParam[dtype];
  return p && b ? { parameters: p, bytes: p * b } : undefined;
};

describe('comparison', () => {
  it('plots decode tok/s against size with min/max error bars, pooling repeats', () => {
    const runs = [
      exact({ modelId: 'tiny', dtype: 'q8' }, [10, 10], 10, 1), // 100 tok/s ×2
      exact({ modelId: 'tiny', dtype: 'q8' }, [10], 20, 2), // 50 tok/s, pooled with the run above
      exact({ modelId: 'small', dtype: 'q8' }, [10], 40, 3), // 25 tok/s
      exact({ modelId: 'huge', dtype: 'q8' }, [10], 40, 4), // unknown size
    ];
    const { series, unsized } = sizeSeries(runs, facts, 'decodeTokPerS', 'bytes');
    expect(unsized).toBe(1);
    expect(series).toHaveLength(1);
    expect(series[0]?.name).toBe('q8 · WASM');
    expect(series[0]?.points.map((p) => [p.x, p.y, p.yError])).toEqual([
      [1e6, 100, [50, 0]],
      [4e6, 25, [0, 0]],
    ]);
  });

  it('compares dtypes of one model: speed gained against size saved', () => {
    const runs = [
      exact({ modelId: 'tiny', dtype: 'fp32' }, [10], 20, 1), // 50 tok/s
      exact({ modelId: 'tiny', dtype: 'q4' }, [10, 10], 10, 2), // 100 tok/s
    ];
    const rows = dtypeTradeoffs(runs, facts);
    expect(rows.map((r) => [r.dtype, r.baseline, r.speedup.median, r.sizeSaved])).toEqual([
      ['fp32', 'fp32', 1, 0],
      ['q4', 'fp32', 2, 0.875],
    ]);
  });

  it('finds where prefill stops being linear', () => {
    // 1 ms/token up to 256, then 2048 tokens take 4000 ms instead of ~2048.
    const runs = [64, 128, 256, 2048].map((p, i) =>
      exact({ modelId: 'tiny', promptTokens: p }, [p === 2048 ? 4000 : p], 10, i + 1),
    );
    const [scaling] = prefillScaling(runs);
    expect(scaling?.fit).toEqual({ interceptMs: 0, msPerToken: 1 });
    expect(scaling?.breaksAt?.promptTokens).toBe(2048);
    expect(scaling?.breaksAt?.excess).toBeCloseTo(4000 / 2048 - 1, 6);
  });

  it('says nothing breaks when prefill stays linear', () => {
    const runs = [64, 128, 256].map((p, i) =>
      exact({ modelId: 'tiny', promptTokens: p }, [p + 10], 10, i + 1),
    );
    expect(prefillScaling(runs)[0]?.breaksAt).toBeNull();
  });

  it('pairs WebGPU with WASM', () => {
    const runs = [
      exact({ modelId: 'tiny', device: 'wasm' }, [10], 20, 1),
      exact({ modelId: 'tiny', device: 'webgpu' }, [10], 5, 2),
      exact({ modelId: 'small', device: 'webgpu' }, [10], 5, 3),
    ];
    const pairs = backendPairs(runs);
    expect(pairs.map((p) => [p.label, p.webgpuSpeedup, p.softwareAdapter])).toEqual([
      ['tiny q8 P128 G5', 4, false],
    ]);
  });

  it('marks a WebGPU-vs-WASM pair measured on a software adapter, and prefers a real GPU run to it', () => {
    const software = exact({ modelId: 'tiny', device: 'webgpu' }, [10], 100, 2);
    if (software.env.adapter) software.env.adapter = { ...software.env.adapter, isFallbackAdapter: true };
    const wasm = exact({ modelId: 'tiny', device: 'wasm' }, [10], 20, 1);
    const [pair] = backendPairs([wasm, software]);
    expect(pair).toMatchObject({
      label: 'tiny q8 P128 G5 (software GPU)',
      softwareAdapter: true,
      webgpuSpeedup: 0.2,
    });
    const real = exact({ modelId: 'tiny', device: 'webgpu' }, [10], 5, 3);
    expect(backendPairs([wasm, software, real])[0]).toMatchObject({
      softwareAdapter: false,
      webgpuSpeedup: 4,
    });
  });

  it('never pools runs with different G, or from different machines, into one point', () => {
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
    const runs = [
      exact({ modelId: 'tiny', promptTokens: 16 }, [10], 10, 1),
      exact({ modelId: 'tiny', promptTokens: 64 }, [20], 10, 2),
      exact({ modelId: 'tiny', promptTokens: 16, ua: mac }, [30], 10, 3),
      exact({ modelId: 'tiny', promptTokens: 64, ua: mac }, [40], 10, 4),
    ];
    const curves = prefillScaling(runs);
    expect(curves.map((c) => [c.name, c.points.map((p) => p.y)])).toEqual([
      ['tiny q8 · WASM · G5 · Chrome 140 on Linux · 2 cores', [10, 20]],
      ['tiny q8 · WASM · G5 · Chrome 140 on macOS · 2 cores', [30, 40]],
    ]);
    const sizes = sizeSeries(runs, facts, 'ttftMs', 'bytes').series;
    expect(sizes.flatMap((s) => s.points.map((p) => p.spread.n))).toEqual([1, 1, 1, 1]);
  });

  it('ranks machines per model and dtype, with the spread across machines', () => {
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';
    const win =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
    const runs = [
      exact({ modelId: 'tiny', ua: mac }, [10], 20, 1), // 50
      exact({ modelId: 'tiny', ua: win }, [10], 10, 2), // 100
      exact({ modelId: 'tiny', ua: win }, [10], 10, 3), // same machine, pooled
      exact({ modelId: 'tiny', ua: 'x' }, [10], 40, 4), // 25
    ];
    const [board] = leaderboards(runs);
    expect(board?.rows.map((r) => [r.machine, r.runs, r.decodeTokPerS.median])).toEqual([
      ['Chrome 140 on Windows · 2 cores', 2, 100],
      ['Safari 17 on macOS · 2 cores', 1, 50],
      ['x · 2 cores', 1, 25],
    ]);
    expect(board?.acrossMachines).toEqual({ median: 50, min: 25, max: 100, n: 3 });
  });

  it('never puts NaN or Infinity on a chart', () => {
    const broken = exact({ modelId: 'tiny' }, [10], 0, 1); // TPOT 0 → infinite decode rate
    const empty = { ...syntheticRun(2, { modelId: 'tiny' }), repetitions: [] };
    expect(sizeSeries([broken, empty], facts, 'decodeTokPerS', 'parameters').series).toEqual([]);
    expect(leaderboards([broken, empty])).toEqual([]);
  });
});
