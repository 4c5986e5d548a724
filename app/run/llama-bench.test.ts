import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import { formatParams, formatSize, toMarkdown } from './llama-bench.ts';
import { handTimedRun, syntheticRun } from './synthetic.ts';

describe('llama-bench Markdown', () => {
  it('Markdown follows llama-bench, with the statistic the screen shows, P/G, names and the build line', () => {
    const md = toMarkdown([handTimedRun()], () => ({ parameters: 6_740_000_000, bytes: 3.56 * 1024 ** 3 }));
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
    const run = handTimedRun();
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
