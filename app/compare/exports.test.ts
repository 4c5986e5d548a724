import { describe, expect, it } from 'vitest';
import { handTimedRun, syntheticRun } from '../run/synthetic.ts';
import { csvCell, toCsv, toJsonExport } from './exports.ts';
import { parseImport } from './import.ts';

/** Splits one CSV line (RFC 4180 quoting) for the assertions. */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

describe('exports', () => {
  it('JSON re-imports to exactly the same runs', () => {
    const runs = [handTimedRun(), syntheticRun(2, { device: 'webgpu', dtype: 'q4' })];
    const back = parseImport(toJsonExport(runs, { rate: 1 }));
    expect(back).toEqual({ ok: true, source: 'lab-export', runs, problems: [], costScenario: { rate: 1 } });
  });

  it('CSV has one row per repetition, then median, min and max rows, with ITL and the adapter in full', () => {
    const run = handTimedRun();
    const lines = toCsv([run]).trim().split('\n');
    expect(lines).toHaveLength(1 + 2 + 3);
    const header = splitCsv(lines[0] ?? '');
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, splitCsv(lines[n] ?? '')[i]]));
    // rep 0: TTFT 100 ms, E2E 140 ms, 5 tokens → TPOT 10 ms, decode 100 tok/s, prefill 50/0.1 = 500 tok/s.
    expect(row(1)).toMatchObject({
      row: 'repetition',
      rep: '0',
      ttft_ms: '100',
      e2e_ms: '140',
      tpot_ms: '10',
      decode_tok_s: '100',
      prefill_tok_s: '500',
      itl_p50_ms: '10',
      itl_p99_ms: '10',
      valid: 'true',
      prompt_tokens: '50',
      gen_tokens: '5',
      parallel_sequences: '1',
      software_adapter: 'false',
      machine: 'Chrome 140 on Linux · 2 cores',
      transformers_version: '4.3.1',
    });
    // rep 1: tokens every 20 ms → TPOT 20 ms, decode 50 tok/s.
    expect(row(2)).toMatchObject({
      row: 'repetition',
      rep: '1',
      tpot_ms: '20',
      decode_tok_s: '50',
      itl_p50_ms: '20',
    });
    // The summary rows are what the screen shows as "median (min–max)": decode 75 (50–100).
    expect(row(3)).toMatchObject({
      row: 'median',
      rep: '',
      valid: '2',
      decode_tok_s: '75',
      tpot_ms: '15',
      itl_p50_ms: '15',
    });
    expect(row(4)).toMatchObject({ row: 'min', decode_tok_s: '50', itl_p50_ms: '' });
    expect(row(5)).toMatchObject({ row: 'max', decode_tok_s: '100', ttft_ms: '100' });

    const gpu = syntheticRun(2, { device: 'webgpu', reps: 1, genTokens: 3 });
    if (gpu.env.adapter) gpu.env.adapter = { ...gpu.env.adapter, isFallbackAdapter: true };
    const gpuLines = toCsv([gpu]).trim().split('\n');
    const gpuRow = Object.fromEntries(header.map((h, i) => [h, splitCsv(gpuLines[1] ?? '')[i]]));
    expect(gpuRow).toMatchObject({
      adapter_vendor: 'google',
      adapter_architecture: 'swiftshader',
      adapter_description: 'SwiftShader',
      software_adapter: 'true',
    });
  });

  it('CSV carries B, K and the memory measured, in named units; older runs leave memory blank', () => {
    const batched = handTimedRun();
    batched.settings = { ...batched.settings, parallelSequences: 4, cachedPrefixTokens: 25 };
    batched.memory = {
      weightBytes: 461_504,
      kvCacheBytes: 512 * 54 * 4,
      kvCacheTokens: 54,
      gpuBufferBytes: null,
      gpuPeakBufferBytes: 9_000_000,
      heapBytes: 12_345_678,
    };
    const old = handTimedRun();
    delete old.memory;
    const lines = toCsv([batched, old]).trim().split('\n');
    const header = splitCsv(lines[0] ?? '');
    expect(header).toEqual(
      expect.arrayContaining([
        'parallel_sequences',
        'cached_prefix_tokens',
        'aggregate_decode_tok_s',
        'weight_bytes',
        'kv_cache_bytes',
        'gpu_peak_buffer_bytes',
        'heap_bytes',
      ]),
    );
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, splitCsv(lines[n] ?? '')[i]]));
    // rep 0 decodes at 100 tok/s per sequence: 4 sequences together at 400; the median row 4 × 75.
    expect(row(1)).toMatchObject({
      parallel_sequences: '4',
      cached_prefix_tokens: '25',
      decode_tok_s: '100',
      aggregate_decode_tok_s: '400',
      weight_bytes: '461504',
      kv_cache_bytes: String(512 * 54 * 4),
      gpu_peak_buffer_bytes: '9000000',
      heap_bytes: '12345678',
    });
    expect(row(3)).toMatchObject({ row: 'median', aggregate_decode_tok_s: '300', weight_bytes: '461504' });
    // A run saved before memory was measured (and before B and K existed): one sequence, cold, memory blank.
    expect(row(6)).toMatchObject({
      run_id: old.id,
      parallel_sequences: '1',
      cached_prefix_tokens: '0',
      aggregate_decode_tok_s: '100',
      weight_bytes: '',
      kv_cache_bytes: '',
      gpu_peak_buffer_bytes: '',
      heap_bytes: '',
    });
  });

  it('CSV quotes and defuses text from elsewhere', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(Number.NaN)).toBe('');
  });
});
