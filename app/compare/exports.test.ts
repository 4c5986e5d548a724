import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { csvCell, formatParams, formatSize, toCsv, toJsonExport, toMarkdown } from './exports.ts';
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

/** A run whose timings are easy to compute by hand: TTFT 100 ms, then a token every 10 ms. */
function handRun(): RunResult {
  const run = syntheticRun(1, { reps: 2, genTokens: 5, promptTokens: 50 });
  run.repetitions = run.repetitions.map((rep, i) => ({
    ...rep,
    ttftMs: 100 as Ms,
    e2eMs: (140 + i * 40) as Ms,
    tokenTimesMs: [100, 110, 120, 130, 140].map((t) => 100 + (t - 100) * (i + 1)) as Ms[],
  }));
  return run;
}

describe('exports', () => {
  it('JSON re-imports to exactly the same runs', () => {
    const runs = [handRun(), syntheticRun(2, { device: 'webgpu', dtype: 'q4' })];
    const back = parseImport(toJsonExport(runs, { rate: 1 }));
    expect(back).toEqual({ ok: true, source: 'lab-export', runs, problems: [], costScenario: { rate: 1 } });
  });

  it('CSV has one row per repetition, then median, min and max rows, with ITL and the adapter in full', () => {
    const run = handRun();
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

  it('CSV quotes and defuses text from elsewhere', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('Markdown follows llama-bench, with the statistic the screen shows, P/G, names and the build line', () => {
    const md = toMarkdown([handRun()], () => ({ parameters: 6_740_000_000, bytes: 3.56 * 1024 ** 3 }));
    // prefill 500 tok/s both reps; decode 100 and 50 → median 75 (50–100).
    expect(md).toBe(
      [
        '| run                       | model                |     size | params | backend | threads | test | t/s median (min–max) | reps |',
        '| ------------------------- | -------------------- | -------: | -----: | ------- | ------: | ---: | -------------------: | ---: |',
        '| tiny-random-llama q8 wasm | tiny-random-llama q8 | 3.56 GiB | 6.74 B | WASM    |       2 | pp50 |               500.00 |  2/2 |',
        '| tiny-random-llama q8 wasm | tiny-random-llama q8 | 3.56 GiB | 6.74 B | WASM    |       2 |  tg5 | 75.00 (50.00–100.00) |  2/2 |',
        '',
        't/s: median (min–max) over the valid repetitions; pp = prefill (P ÷ TTFT), tg = decode (1000 ÷ TPOT); reps = valid/all.',
        '',
        'build: transformers.js 4.3.1, onnxruntime-web 1.23.0 · Chrome 140 on Linux · 2 cores',
        '',
      ].join('\n'),
    );
  });

  it('Markdown marks a software-adapter backend and explains the mark', () => {
    const run = syntheticRun(3, { device: 'webgpu', reps: 2, genTokens: 4, promptTokens: 16 });
    if (run.env.adapter) run.env.adapter = { ...run.env.adapter, isFallbackAdapter: true };
    const md = toMarkdown([run]);
    expect(md).toMatch(/\| WebGPU \(software\)\* \| +n\/a \| +pp16 \|/);
    expect(md).toMatch(/^\* WebGPU on a software adapter/m);
    expect(md).toMatch(/^build: .* · SwiftShader · Chrome 140 on Linux · 2 cores$/m);
  });

  it('Markdown says n/a rather than inventing numbers', () => {
    const run = handRun();
    run.repetitions = [];
    expect(toMarkdown([run])).toMatch(/n\/a +\| +n\/a +\| WASM +\| +2 \| +pp50 \| +n\/a \| +0\/0 \|/);
  });

  it('formats sizes like llama-bench', () => {
    expect(formatSize(3.56 * 1024 ** 3)).toBe('3.56 GiB');
    expect(formatSize(5 * 1024 ** 2)).toBe('5.00 MiB');
    expect(formatParams(135_000_000)).toBe('135.00 M');
  });

  it('Markdown never prints Infinity or NaN, even for rates near the largest double', () => {
    const run = syntheticRun(2, { reps: 3, genTokens: 3, promptTokens: 100_000 });
    // Schema-valid timings: TTFT of a few 1e-300 ms makes prefill ~1e308 tok/s, whose sum overflows.
    run.repetitions = run.repetitions.map((rep, i) => ({
      ...rep,
      ttftMs: ((i + 1) * 1e-300) as Ms,
      e2eMs: ((i + 2) * 1e-300) as Ms,
      tokenTimesMs: [(i + 1) * 1e-300, (i + 1.5) * 1e-300, (i + 2) * 1e-300] as Ms[],
    }));
    const md = toMarkdown([run]);
    expect(md).toMatch(/pp100000 \| +\S+ \(\S+–\S+\) \|/);
    expect(md).not.toMatch(/Infinity|NaN/);
  });

  it('Markdown lists thousands of runs', () => {
    const runs = Array.from({ length: 20_000 }, () => syntheticRun(1, { reps: 1, genTokens: 2 }));
    expect(
      toMarkdown(runs)
        .split('\n')
        .filter((l) => l.startsWith('|')),
    ).toHaveLength(2 + 40_000);
  });
});
