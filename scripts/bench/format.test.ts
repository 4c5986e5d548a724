import { describe, expect, it } from 'vitest';
import { type Ms, ms } from '../../app/engine/protocol.ts';
import type { RunResult } from '../../app/run/run.ts';
import {
  type BenchRecord,
  benchRecord,
  CSV_COLUMNS,
  formatCsv,
  formatJson,
  formatMarkdown,
  round,
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

  it('keeps every repetition as a sample and the environment', () => {
    expect(record.samples[1]).toEqual({
      rep: 1,
      ttft_ms: 20,
      e2e_ms: 40,
      token_times_ms: [20, 30, 40],
      valid: true,
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
      'tiny-random-llama q8 webgpu: failed — model-not-found: no such model',
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
    expect(lines).toHaveLength(2 + 2 + 2);
    expect(lines[2]).toContain('15.00 (10.00–20.00)');
    expect(lines[3]).toMatch(/\| +5\.00 \|/);
    expect(lines.at(-1)).toBe(
      'build: Chromium 156.0.1 · transformers.js 4.3.1 · onnxruntime-web 1.31.0 · cross-origin isolated · 4 logical cores · no WebGPU adapter',
    );
    // every row is as wide as the header
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBe(1);
  });

  it('csv: a header and one quoted-where-needed row per record', () => {
    const rows = formatCsv(records).trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.split(',')).toEqual([...CSV_COLUMNS]);
    expect(rows[1]?.startsWith('tiny-random-llama,q8,wasm,wasm,10,3,2,2,complete,15,10,20,')).toBe(true);
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
