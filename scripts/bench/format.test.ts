import { describe, expect, it } from 'vitest';
import { type Ms, ms } from '../../app/engine/protocol.ts';
import type { RunResult } from '../../app/run/run.ts';
import {
  type BenchRecord,
  batchFitLines,
  benchRecord,
  CSV_COLUMNS,
  formatCsv,
  formatJson,
  formatMarkdown,
  round,
  withBatchFits,
  withSpread,
} from './format.ts';

/** A run with hand-picked token times: P = 10, G = 3. */
function run(tokenTimes: number[][], overrides: Partial<RunResult> = {}): RunResult {
  return {
    id: 'r1',
    createdAt: '2025-01-01T00:00:00.000Z',
    name: 'test',
    tags: [],
    settings: {
      modelId: 'tiny-random-llama',
      sourceKind: 'embedded',
      dtype: 'q8',
      device: 'wasm',
      promptTokens: 10,
      genTokens: 3,
      reps: tokenTimes.length,
    },
    env: {
      userAgent: 'UA',
      transformersVersion: '4.3.1',
      onnxruntimeVersion: '1.31.0',
      device: 'wasm',
      adapter: null,
      crossOriginIsolated: true,
      wasmThreads: 2,
      hardwareConcurrency: 4,
      timerResolutionMs: 0.005,
    },
    load: { ms: 120, fromCache: false, downloadedBytes: 0 },
    warmupMs: 7,
    warmup: null,
    firstRequest: null,
    repetitions: tokenTimes.map((times, rep) => ({
      rep,
      promptTokens: 10,
      ttftMs: ms(times[0] ?? 0),
      e2eMs: ms(times.at(-1) ?? 0),
      tokenTimesMs: times.map(ms) as Ms[],
      startEpochMs: 0,
      endEpochMs: 1,
      text: 'abc',
      partial: times.length < 3,
      hidden: false,
    })),
    status: 'complete',
    notes: [],
    ...overrides,
  };
}

const browser = { version: '156.0.1', capabilities: null };

describe('benchRecord', () => {
  // TTFT 10, 20, 40 ms; TPOT (e2e - ttft) / 2 = 5, 10, 5 ms.
  const record = benchRecord(
    run([
      [10, 15, 20],
      [20, 30, 40],
      [40, 45, 50],
    ]),
    'wasm',
    browser,
  );

  it('takes medians and ranges over the repetitions', () => {
    expect(record).toMatchObject({
      model: 'tiny-random-llama',
      dtype: 'q8',
      device: 'wasm',
      device_requested: 'wasm',
      n_prompt: 10,
      n_gen: 3,
      reps: 3,
      valid_reps: 3,
      status: 'complete',
      ttft_ms: 20,
      ttft_ms_min: 10,
      ttft_ms_max: 40,
      // P / TTFT: 10 / 0.01 s = 1000, 500, 250 tok/s
      prefill_tok_s: 500,
      prefill_tok_s_min: 250,
      prefill_tok_s_max: 1000,
      tpot_ms: 5,
      tpot_ms_min: 5,
      tpot_ms_max: 10,
      decode_tok_s: 200,
      decode_tok_s_min: 100,
      decode_tok_s_max: 200,
      e2e_ms: 40,
      load_ms: 120,
      warmup_ms: 7,
      error: null,
    });
    // ITLs pooled: 5, 5, 10, 10, 5, 5 -> p50 5, p90 10, p99 10
    expect([record.itl_p50_ms, record.itl_p90_ms, record.itl_p99_ms]).toEqual([5, 10, 10]);
  });

  it('reports the warm-up, whether it settled, and the cold first request', () => {
    const warm = run([[10, 15, 20]], {
      warmupMs: 1900,
      warmup: { windows: 7, tokens: 224, steady: true, reason: 'steady: …' },
      // 32 tokens, TTFT 300 ms, last at 920 ms: TPOT (920 − 300) / 31 = 20 ms, 50 tok/s
      firstRequest: { promptTokens: 10, generatedTokens: 32, ttftMs: ms(300), e2eMs: ms(920) },
    });
    const r = benchRecord(warm, 'wasm', browser);
    expect(r).toMatchObject({
      steady: true,
      warmup: { windows: 7, tokens: 224, duration_ms: 1900 },
      first_request: { ttft_ms: 300, decode_tok_s: 50, n_gen: 32 },
    });
    const md = formatMarkdown([r]);
    expect(md).toContain('warm-up 7 generations, 224 tokens, 1.9 s, steady');
    expect(md).toContain(
      'first request (cold, after load) ttft 300.00 ms, decode 50.00 tok/s over 32 tokens',
    );
    const unsettled = benchRecord(
      run([[10, 15, 20]], {
        warmupMs: 30_500,
        warmup: { windows: 90, tokens: 2880, steady: false, reason: 'did not settle within the 30 s cap: …' },
      }),
      'wasm',
      browser,
    );
    expect(unsettled.steady).toBe(false);
    expect(formatMarkdown([unsettled])).toContain('DID NOT SETTLE (did not settle within the 30 s cap: …)');
    expect(record).toMatchObject({ steady: null, warmup: null, first_request: null });
  });

  it('gives the CV of each metric and flags the run noisy with its reason', () => {
    // decode 200, 100, 200 tok/s: mean 166.67, s = √(3333.3) = 57.735, CV 0.3464
    // TTFT 10, 20, 40 ms: mean 23.33, s = √(466.67 / 2) = 15.275, CV 0.6547
    expect(record.decode_tok_s_cv).toBe(0.3464);
    expect(record.ttft_ms_cv).toBe(0.6547);
    expect(record.noisy).toBe(true);
    expect(record.noise_reasons).toHaveLength(1);
    expect(record.noise_reasons[0]).toMatch(/^spread: Decode speed varies by 34\.6 % .*more repetitions/);
    const quiet = benchRecord(
      run([
        [10, 15, 20],
        [10, 15, 20],
      ]),
      'wasm',
      browser,
    );
    expect(quiet).toMatchObject({ decode_tok_s_cv: 0, ttft_ms_cv: 0, noisy: false, noise_reasons: [] });
    expect(benchRecord(run([[10, 15, 20]]), 'wasm', browser).decode_tok_s_cv).toBeNull();
  });

  it('keeps every repetition as a sample and the environment', () => {
    expect(record.samples[1]).toEqual({
      rep: 1,
      ttft_ms: 20,
      e2e_ms: 40,
      token_times_ms: [20, 30, 40],
      valid: true,
      pressure: null,
    });
    expect(record.environment).toMatchObject({
      browser: '156.0.1',
      transformers_version: '4.3.1',
      onnxruntime_version: '1.31.0',
      cross_origin_isolated: true,
      wasm_threads: 2,
      adapter: null,
      software_adapter: null,
    });
  });

  it('gives nulls, not NaN, for a failed run, and says why', () => {
    const failed = benchRecord(
      run([], { status: 'failed', error: { code: 'model-not-found', message: 'no such model' } }),
      'webgpu',
      browser,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      valid_reps: 0,
      ttft_ms: null,
      decode_tok_s: null,
      itl_p99_ms: null,
    });
    expect(failed.error).toBe('model-not-found: no such model');
    expect(JSON.parse(formatJson([failed]))[0].ttft_ms).toBeNull();
    expect(formatMarkdown([failed])).toContain(
      'tiny-random-llama q8 webgpu P10 G3: failed — model-not-found: no such model',
    );
  });

  it('marks a WebGPU request that fell back to WASM', () => {
    const fallback = benchRecord(run([[1, 2, 3]]), 'webgpu', browser);
    expect(fallback.device).toBe('wasm');
    expect(formatMarkdown([fallback])).toContain('WASM (fallback)');
  });
});

describe('formats', () => {
  const records: BenchRecord[] = [
    benchRecord(
      run([
        [10, 15, 20],
        [20, 30, 40],
      ]),
      'wasm',
      browser,
    ),
    benchRecord(run([[5, 6, 7]], { notes: ['a note, with "quotes"'] }), 'wasm', browser),
  ];

  it('md: a llama-bench style table, one row per record, median (min–max), then the build line', () => {
    const md = formatMarkdown(records);
    const lines = md.trim().split('\n');
    expect(lines[0]).toMatch(/^\| model +\| dtype \| backend \| threads \|/);
    expect(lines[1]).toMatch(/^\| -+ \| -+ \| -+ \| -+: \|/);
    // table (2 + 2 rows), blank, build line, and a line for the first (noisy) record
    expect(lines).toHaveLength(2 + 2 + 2 + 1);
    expect(lines[2]).toContain('15.00 (10.00–20.00)');
    expect(lines[2]).toContain('47.1 % noisy');
    expect(lines[3]).toMatch(/\| +5\.00 \|/);
    expect(lines.at(-1)).toMatch(
      /^tiny-random-llama q8 wasm P10 G3: noisy — spread: Decode speed varies by 47\.1 %/,
    );
    expect(lines[5]).toBe(
      'build: Chromium 156.0.1 · transformers.js 4.3.1 · onnxruntime-web 1.31.0 · cross-origin isolated · 4 logical cores · no WebGPU adapter',
    );
    // every row is as wide as the header
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBe(1);
  });

  it('csv: a header and one quoted-where-needed row per record', () => {
    const rows = formatCsv(records).trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.split(',')).toEqual([...CSV_COLUMNS]);
    // model, dtype, device, requested, P, G, B, K, R, valid, status, TTFT median, min, max
    expect(rows[1]?.startsWith('tiny-random-llama,q8,wasm,wasm,10,3,1,0,2,2,complete,15,10,20,')).toBe(true);
    expect(rows[2]).toContain('"a note, with ""quotes"""');
  });

  it('json: an array with the required keys', () => {
    const parsed: unknown = JSON.parse(formatJson(records));
    expect(Array.isArray(parsed)).toBe(true);
    const first = (parsed as Record<string, unknown>[])[0] ?? {};
    for (const key of [
      'model',
      'dtype',
      'device',
      'n_prompt',
      'n_gen',
      'reps',
      'ttft_ms',
      'prefill_tok_s',
      'tpot_ms',
      'decode_tok_s',
      'ttft_ms_cv',
      'prefill_tok_s_cv',
      'tpot_ms_cv',
      'decode_tok_s_cv',
      'e2e_ms_cv',
      'noisy',
      'noise_reasons',
      'samples',
      'environment',
    ]) {
      expect(first).toHaveProperty(key);
    }
  });

  it('rounds and prints spreads', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(Number.NaN)).toBeNull();
    expect(round(Number.POSITIVE_INFINITY)).toBeNull();
    expect(withSpread(null, null, null)).toBe('—');
    expect(withSpread(2, 2, 2)).toBe('2.00');
    expect(withSpread(2, 1, 3.456)).toBe('2.00 (1.00–3.46)');
  });
});

describe('--npl: batched records', () => {
  /** B sequences whose every step takes `stepMs`: TTFT 10 ms, then G − 1 = 2 steps. */
  const batched = (b: number, stepMs: number) =>
    benchRecord(
      run([[10, 10 + stepMs, 10 + 2 * stepMs]], {
        settings: { ...run([]).settings, reps: 1, ...(b > 1 ? { parallelSequences: b } : {}) },
      }),
      'wasm',
      browser,
    );
  // Per-sequence TPOT 5, 8, 20 ms: aggregate 200, 250, 200 tok/s at B = 1, 2, 4.
  const records = withBatchFits([batched(1, 5), batched(2, 8), batched(4, 20)]);

  it('gives B, per-sequence and aggregate speeds', () => {
    expect(records.map((r) => [r.n_parallel, r.tpot_ms, r.decode_tok_s, r.aggregate_decode_tok_s])).toEqual([
      [1, 5, 200, 200],
      [2, 8, 125, 250],
      [4, 20, 50, 200],
    ]);
    // B × P / TTFT: 10 prompt tokens each in 10 ms.
    expect(records.map((r) => r.aggregate_prefill_tok_s)).toEqual([1000, 2000, 4000]);
  });

  it('fits T(B) = S·B / (1 + α(B − 1)) once per group and puts it on each record', () => {
    const fit = records[0]?.batch_fit;
    expect(fit?.n_parallel).toEqual([1, 2, 4]);
    // Aggregate speed falls from B = 2 to 4: far from perfect scaling.
    expect(fit?.alpha).toBeGreaterThan(0.5);
    expect(fit?.alpha).toBeLessThanOrEqual(1);
    expect(records.every((r) => r.batch_fit === fit)).toBe(true);
    // A group measured at one B has no curve.
    expect(withBatchFits([batched(2, 8)])[0]?.batch_fit).toBeNull();
  });

  it('md: a B and an aggregate column, and the fitted curve below the table', () => {
    const lines = formatMarkdown(records).trim().split('\n');
    const header = (lines[0] ?? '').split('|').map((c) => c.trim());
    const row = (i: number) => (lines[i] ?? '').split('|').map((c) => c.trim());
    expect(header).toContain('B');
    const b = header.indexOf('B');
    const agg = header.indexOf('aggregate decode tok/s');
    expect([2, 3, 4].map((i) => [row(i)[b], row(i)[agg]])).toEqual([
      ['1', '200.00'],
      ['2', '250.00'],
      ['4', '200.00'],
    ]);
    expect(batchFitLines(records)).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('batch-curve'))).toMatch(
      /^batch-curve tiny-random-llama q8 wasm P=10 G=3: T\(B\) = S·B \/ \(1 \+ α\(B − 1\)\) with S = [\d.]+ tok\/s, α = [01]\.\d{3} \(R² .*B = 1, 2, 4\)/,
    );
    // Without batching the table keeps its single-stream columns only.
    expect(formatMarkdown([records[0] as BenchRecord]).split('\n')[0]).not.toContain('aggregate');
  });

  it('csv and json carry B, the aggregate speed and the fitted α', () => {
    const rows = formatCsv(records).trim().split('\n');
    const header = rows[0]?.split(',') ?? [];
    const cell = (row: number, column: string) => rows[row]?.split(',')[header.indexOf(column)];
    expect(cell(2, 'n_parallel')).toBe('2');
    expect(cell(2, 'aggregate_decode_tok_s')).toBe('250');
    expect(cell(2, 'batch_fit_alpha')).toBe(String(records[0]?.batch_fit?.alpha));
    const json = JSON.parse(formatJson(records)) as Array<Record<string, unknown>>;
    expect(json[1]).toMatchObject({ n_parallel: 2, aggregate_decode_tok_s: 250 });
    expect(json[1]?.batch_fit).toMatchObject({ n_parallel: [1, 2, 4] });
  });
});
