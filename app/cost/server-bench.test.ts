import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  benchFigures,
  benchSourceText,
  matchGpu,
  paramsFromName,
  parseServerBenchmark,
  type ServerBenchmark,
  tierForParams,
} from './server-bench.ts';

/** Fixtures written from each tool's documented output (llama.cpp's READMEs and sources, vLLM's script). */
const fixture = (name: string): string => readFileSync(`e2e/server-bench/${name}`, 'utf8');

const only = (text: string, fileName: string): ServerBenchmark => {
  const r = parseServerBenchmark(text, fileName);
  if (!r.ok) throw new Error(r.error);
  expect(r.benchmarks).toHaveLength(1);
  return r.benchmarks[0] as ServerBenchmark;
};

const errorOf = (text: string, fileName = 'x'): string => {
  const r = parseServerBenchmark(text, fileName);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};

describe('llama-bench', () => {
  it('-o json: pp512 is prefill, tg128 decode, one request at a time, with the model, GPU and weights', () => {
    const b = only(fixture('llama-bench-l4.json'), 'llama-bench-l4.json');
    expect(b.format).toBe('llama-bench-json');
    // avg_ts of the pp512 and tg128 rows (the mean of their five samples).
    expect(b.prefillTokPerS).toBeCloseTo(1905.106, 2);
    expect(b.perRequestDecodeTokPerS).toBeCloseTo(44.248, 2);
    expect(b.concurrency).toBe(1);
    expect(b.gpu).toBe('NVIDIA L4');
    expect(b.model).toBe('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf (llama 8B Q4_K - Medium)');
    // model_size 4,920,734,720 bytes; model_n_params 8,030,261,248.
    expect(b.weightsGb).toBeCloseTo(4.92, 2);
    expect(b.paramsB).toBeCloseTo(8.03, 2);
    expect(b.detail).toContain('pp512 and tg128');
  });

  it('its Markdown table gives the same speeds (mean ± std) and the GPU from the pasted log', () => {
    const b = only(fixture('llama-bench-l4.md'), 'pasted text');
    expect(b.format).toBe('llama-bench-markdown');
    expect(b.prefillTokPerS).toBe(1905.11);
    expect(b.perRequestDecodeTokPerS).toBe(44.25);
    expect(b.gpu).toBe('NVIDIA L4');
    // 4.58 GiB = 4.918 GB.
    expect(b.weightsGb).toBeCloseTo(4.918, 3);
    expect(b.paramsB).toBeCloseTo(8.03, 2);
  });

  it('-o jsonl (one object a line) reads like -o json', () => {
    const rows = JSON.parse(fixture('llama-bench-l4.json')) as unknown[];
    const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
    const b = only(jsonl, 'bench.jsonl');
    expect(b.prefillTokPerS).toBeCloseTo(1905.106, 2);
  });

  it('several models in one file give one benchmark each; a context-depth test does not replace depth 0', () => {
    const table = [
      '| model | size | params | backend | ngl | test | t/s |',
      '| --- | ---: | ---: | --- | --: | ---: | ---: |',
      '| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CUDA | 99 | pp512 | 2368.80 ± 93.24 |',
      '| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CUDA | 99 | tg128 | 131.42 ± 0.59 |',
      '| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CUDA | 99 | pp512 @ d4096 | 1800.00 ± 9.00 |',
      '| llama 13B mostly Q4_0 | 6.86 GiB | 13.02 B | CUDA | 99 | pp 512 | 1500.00 ± 5.00 |',
      '| llama 13B mostly Q4_0 | 6.86 GiB | 13.02 B | CUDA | 99 | tg 128 | 82.17 ± 0.31 |',
    ].join('\n');
    const r = parseServerBenchmark(table, 't.md');
    if (!r.ok) throw new Error(r.error);
    expect(r.benchmarks.map((b) => [b.model, b.prefillTokPerS, b.perRequestDecodeTokPerS])).toEqual([
      ['llama 7B mostly Q4_0', 2368.8, 131.42],
      ['llama 13B mostly Q4_0', 1500, 82.17],
    ]);
  });

  it('refuses a file with only generation tests, saying what to run', () => {
    const rows = (JSON.parse(fixture('llama-bench-l4.json')) as Array<{ n_prompt: number }>).filter(
      (r) => r.n_prompt === 0,
    );
    expect(errorOf(JSON.stringify(rows))).toMatch(/both a prompt test \(pp\) and a generation test \(tg\)/);
  });

  it('refuses a result whose speed is not a positive number, naming the field', () => {
    const rows = JSON.parse(fixture('llama-bench-l4.json')) as Array<Record<string, unknown>>;
    const bad = rows.map((r, i) => (i === 0 ? { ...r, avg_ts: 'fast' } : r));
    expect(errorOf(JSON.stringify(bad))).toMatch(/without a valid avg_ts/);
  });
});

describe('llama-batched-bench', () => {
  it('fits S and α over B = 1…32, takes prefill from B = 1 and the batch size from the largest B', () => {
    const b = only(fixture('batched-bench-l4.txt'), 'batched-bench-l4.txt');
    expect(b.format).toBe('llama-batched-bench');
    expect(b.model).toBe('Meta Llama 3.1 8B Instruct');
    expect(b.gpu).toBe('NVIDIA L4');
    expect(b.weightsGb).toBeCloseTo(4.918, 3);
    expect(b.concurrency).toBe(32);
    expect(b.prefillTokPerS).toBe(1881.3);
    // Each of 32 sequences decoded at 702.95 / 32 tok/s.
    expect(b.perRequestDecodeTokPerS).toBeCloseTo(21.97, 2);
    if (!b.fit) throw new Error('no fit');
    // The fitted law passes near the measured ends: ~43.6 tok/s alone, ~703 tok/s at B = 32.
    const t = (n: number) =>
      ((b.fit?.singleStreamTokPerS ?? 0) * n) / (1 + (b.fit?.batchSlowdown ?? 0) * (n - 1));
    expect(t(1)).toBeGreaterThan(40);
    expect(t(1)).toBeLessThan(50);
    expect(t(32) / 702.95).toBeGreaterThan(0.95);
    expect(t(32) / 702.95).toBeLessThan(1.05);
    expect(b.fit.batchSlowdown).toBeGreaterThan(0);
    expect(b.fit.batchSlowdown).toBeLessThan(0.1);
  });

  it('--output-format jsonl reads the same rows', () => {
    const rows = fixture('batched-bench-l4.txt')
      .split('\n')
      .filter((l) => /^\|\s+\d/.test(l))
      .map((l) => l.split('|').slice(1, -1).map(Number))
      .map(([pp, tg, pl, nkv, tpp, spp, ttg, stg, t, s]) =>
        JSON.stringify({
          n_kv_max: 32768,
          n_batch: 2048,
          n_ubatch: 512,
          flash_attn: 1,
          is_pp_shared: 0,
          n_gpu_layers: 99,
          n_threads: 8,
          n_threads_batch: 8,
          pp,
          tg,
          pl,
          n_kv: nkv,
          t_pp: tpp,
          speed_pp: spp,
          t_tg: ttg,
          speed_tg: stg,
          t,
          speed: s,
        }),
      );
    expect(rows).toHaveLength(6);
    const b = only(rows.join('\n'), 'bb.jsonl');
    expect(b.concurrency).toBe(32);
    expect(b.prefillTokPerS).toBe(1881.3);
    expect(b.model).toBeNull();
  });

  it('refuses a table row that is not numbers', () => {
    const text = fixture('batched-bench-l4.txt').replace(
      '|   512 |    128 |    4 |',
      '|   512 |    128 |    x |',
    );
    expect(errorOf(text)).toMatch(/not numbers/);
  });
});

describe('vLLM benchmark_serving --save-result', () => {
  const text = fixture('vllm-llama-3.1-8b-h100-c16.json');

  it('per-request decode from the median TPOT, prefill from the median TTFT, at max_concurrency', () => {
    const b = only(text, 'vllm-llama-3.1-8b-h100-c16.json');
    expect(b.format).toBe('vllm-serving');
    expect(b.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(b.gpu).toBe('NVIDIA H100 80GB HBM3');
    expect(b.concurrency).toBe(16);
    expect(b.concurrencyNote).toBeNull();
    // 1000 / 11.4833 ms = 87.08 tok/s per request.
    expect(b.perRequestDecodeTokPerS).toBeCloseTo(87.083, 2);
    // 204,800 / 200 = 1024 input tokens in 44.8712 ms = 22,821 tok/s.
    expect(b.prefillTokPerS).toBeCloseTo(22_821, 0);
    expect(b.ttftMs).toBeCloseTo(44.87, 2);
    expect(b.paramsB).toBe(8);
    expect(b.weightsGb).toBeNull();
    expect(b.detail).toContain('median TPOT 11.5 ms');
    expect(b.detail).toContain('p99 132 ms');
  });

  it('tolerates the per-request arrays older versions always saved', () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const detailed = {
      ...json,
      input_lens: Array(200).fill(1024),
      output_lens: Array(200).fill(128),
      ttfts: Array(200).fill(0.045),
      itls: Array(200).fill([0.011, 0.012]),
      generated_texts: Array(200).fill('…'),
      errors: Array(200).fill(''),
    };
    expect(only(JSON.stringify(detailed), 'd.json').perRequestDecodeTokPerS).toBeCloseTo(87.083, 2);
  });

  it("without a concurrency cap, estimates requests in flight by Little's law and says so", () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const b = only(JSON.stringify({ ...json, max_concurrency: null, request_rate: 4 }), 'r.json');
    // 10.598 req/s × (52.31 + 11.62 × 127) ms = 10.598 × 1.528 s ≈ 16.
    expect(b.concurrency).toBe(16);
    expect(b.concurrencyNote).toMatch(/in flight on average/);
    expect(b.detail).toContain('4 requests/s');
  });

  it('refuses a result without a median TPOT, and one whose TPOT is 0', () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const { median_tpot_ms: _, ...without } = json;
    expect(errorOf(JSON.stringify(without))).toMatch(/median_tpot_ms is missing/);
    expect(errorOf(JSON.stringify({ ...json, median_tpot_ms: 0 }))).toMatch(/no decode speed/);
  });
});

describe('files that are not a server benchmark', () => {
  it.each([
    ['an empty paste', '   ', /Nothing to read/],
    ['a package.json', '{"name":"x","version":"1.0.0"}', /not a server benchmark this page reads/],
    ['a list of numbers', '[1, 2, 3]', /does not hold benchmark results/],
    ['an empty list', '[]', /empty/],
    ['JSON cut short', '{"model_id": "m", "completed": 20', /cut short/],
    [
      "llama-bench's CSV",
      'build_commit,build_number,model_filename,n_prompt,n_gen,avg_ts\n"8cf427ff","5163","m.gguf","512","0","7285.67"',
      /Expected llama-bench output/,
    ],
    ['prose', 'my server does 120 tok/s', /not a server benchmark/],
  ])('%s is refused with what is expected', (_name, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it('a hostile file name is clipped in the source line', () => {
    const b = only(fixture('llama-bench-l4.md'), 'x'.repeat(500));
    expect(b.fileName.length).toBeLessThan(120);
  });
});

describe('into the self-hosted option', () => {
  const base = only(fixture('vllm-llama-3.1-8b-h100-c16.json'), 'v.json');

  it('at concurrency C > 1, S is chosen so the model reproduces the measured per-request decode at C', () => {
    const f = benchFigures(base, 0.03);
    expect(f.concurrency).toBe(16);
    expect(f.batchSlowdown).toBeNull();
    // T(16) / 16 = S / (1 + 0.03 × 15) must equal 87.08.
    expect(f.decodeTokPerS / (1 + 0.03 * 15)).toBeCloseTo(base.perRequestDecodeTokPerS, 6);
  });

  it('a single-stream benchmark leaves the batch size and α alone; a fitted one sets both', () => {
    const single = only(fixture('llama-bench-l4.json'), 'l.json');
    expect(benchFigures(single, 0.5)).toEqual({
      prefillTokPerS: single.prefillTokPerS,
      decodeTokPerS: single.perRequestDecodeTokPerS,
      concurrency: null,
      batchSlowdown: null,
    });
    const batched = only(fixture('batched-bench-l4.txt'), 'b.txt');
    const f = benchFigures(batched, 0.5);
    expect(f.concurrency).toBe(32);
    expect(f.batchSlowdown).toBe(batched.fit?.batchSlowdown);
  });

  it('names the tool, file, model, GPU and concurrency', () => {
    expect(benchSourceText(base)).toBe(
      'vLLM benchmark_serving · v.json · meta-llama/Llama-3.1-8B-Instruct · NVIDIA H100 80GB HBM3 · concurrency 16',
    );
  });

  it('matches GPU names to the bundled rows, and no row when unsure', () => {
    expect(matchGpu('NVIDIA H100 80GB HBM3')?.id).toBe('h100-sxm');
    expect(matchGpu('NVIDIA L4')?.id).toBe('l4');
    expect(matchGpu('NVIDIA L40S')?.id).toBe('l40s');
    expect(matchGpu('NVIDIA GeForce RTX 4090')?.id).toBe('rtx4090');
    expect(matchGpu('NVIDIA H100 PCIe')).toBeNull();
    expect(matchGpu('NVIDIA A100-SXM4-40GB')).toBeNull();
    expect(matchGpu('AMD Instinct MI300X')).toBeNull();
    expect(matchGpu(null)).toBeNull();
  });

  it('guesses parameters from a name and places them in a tier', () => {
    expect(paramsFromName('meta-llama/Llama-3.1-8B-Instruct')).toBe(8);
    expect(paramsFromName('Qwen/Qwen2.5-0.5B-Instruct')).toBe(0.5);
    expect(paramsFromName('Meta Llama 3.3 70B')).toBe(70);
    expect(paramsFromName('gpt2')).toBeNull();
    expect([0.5, 3, 8, 70, null].map(tierForParams)).toEqual([
      'tiny',
      'small',
      'medium',
      'large',
      'unstated',
    ]);
  });
});
