import { describe, expect, it } from 'vitest';
import { runWithTokenTimes as runWith } from '../../app/run/synthetic.ts';
import { leverLines } from './levers.ts';
import { benchCases, parseBenchArgs } from './plan.ts';

describe('bench --prefix', () => {
  it('measures each P cold and at every cached share, each K once', () => {
    const parsed = parseBenchArgs(['-p', '64,4', '--prefix', '25,50', '--prefix', '90', '--no-build']);
    if (parsed.kind !== 'plan') throw new Error(JSON.stringify(parsed));
    const cases = benchCases(parsed.plan).map((c) => [
      c.settings.promptTokens,
      c.settings.cachedPrefixTokens ?? 0,
    ]);
    expect(cases).toEqual([
      [64, 0],
      [64, 16],
      [64, 32],
      [64, 57],
      [4, 0],
      [4, 1],
      [4, 2],
      [4, 3],
    ]);
  });

  it('refuses a share that leaves no prompt token to prefill', () => {
    expect(parseBenchArgs(['--prefix', '100'])).toEqual({
      kind: 'error',
      message: '--prefix must be between 0 and 99, not 100.',
    });
  });

  it('without --prefix, every prompt is cold', () => {
    const parsed = parseBenchArgs(['--no-build']);
    if (parsed.kind !== 'plan') throw new Error('no plan');
    expect(benchCases(parsed.plan).every((c) => c.settings.cachedPrefixTokens === undefined)).toBe(true);
  });
});

describe('leverLines', () => {
  it('prints the saving curve, the prefill line and the KV slope', () => {
    const prefix = [0, 50].map((k) =>
      runWith({ promptTokens: 100, genTokens: 2, cachedPrefixTokens: k }, [205 - 2 * k, 210]),
    );
    const lengths = [16, 64, 256].map((p) =>
      runWith(
        { promptTokens: p, genTokens: 200 },
        Array.from({ length: 200 }, (_, i) => 10 + p + i * (2 + 0.001 * (p + i))),
      ),
    );
    const lines = leverLines([...prefix, ...lengths]);
    expect(lines[0]).toMatch(
      /^prefix-cache tiny-random-llama q8 wasm P=100: cold TTFT 205 ms; 2 ms saved per cached token = 100 % of a token's prefill .*TTFT by K\/P: 0 % 205 ms, 50 % 105 ms$/,
    );
    expect(lines.find((l) => l.startsWith('prefill'))).toMatch(
      /1 ms per prompt token .*linear over the whole range/,
    );
    expect(lines.filter((l) => l.startsWith('kv-slope'))).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('kv-slope'))).toMatch(/decode \+2 ms per 1,000 tokens of context/);
  });

  it('fits prompt lengths per B: a batch and a single stream are never one line', () => {
    const runs = [1, 4].flatMap((b) =>
      [16, 64, 256].map((p) =>
        runWith({ promptTokens: p, genTokens: 4, parallelSequences: b }, [b * (10 + p), 2 + b * (10 + p)]),
      ),
    );
    const prefill = leverLines(runs).filter((l) => l.startsWith('prefill'));
    expect(prefill).toHaveLength(2);
    expect(prefill[0]).toMatch(/^prefill tiny-random-llama q8 wasm: 1 ms per prompt token/);
    expect(prefill[1]).toMatch(/^prefill tiny-random-llama q8 wasm B=4: 4 ms per prompt token/);
  });
});
