import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from './link.ts';
import type { RunResult } from './run.ts';
import { parseRunResult } from './schema.ts';
import { syntheticRun } from './synthetic.ts';

const memory = {
  weightBytes: 193_202,
  kvCacheBytes: 11_776,
  kvCacheTokens: 23,
  gpuBufferBytes: null,
  gpuPeakBufferBytes: null,
  heapBytes: 9_000_000,
};

const prefixRun = (): RunResult => {
  const run = syntheticRun(3, { promptTokens: 64 });
  return { ...run, settings: { ...run.settings, cachedPrefixTokens: 32 }, memory };
};

const runsOf = (link: string): RunResult[] => {
  const result = decodeReport(link);
  if (!result.ok) throw new Error(result.error);
  return result.report.runs;
};

describe('prefix caching and memory in saved runs and links', () => {
  it('a summary link and a per-token link keep the cached prefix K and the measured memory', () => {
    for (const perToken of [false, true]) {
      const [back] = runsOf(encodeReport([prefixRun()], { perToken }));
      expect(back?.settings.cachedPrefixTokens).toBe(32);
      expect(back?.memory).toEqual(memory);
    }
  });

  it('runs saved before either was recorded still open, cold and without memory', () => {
    const old = syntheticRun(4);
    const parsed = parseRunResult(JSON.parse(JSON.stringify(old)));
    expect(parsed.ok && parsed.run.settings.cachedPrefixTokens).toBeUndefined();
    expect(parsed.ok && parsed.run.memory).toBeUndefined();
    const [back] = runsOf(encodeReport([old]));
    expect(back && 'cachedPrefixTokens' in back.settings).toBe(false);
  });

  it('refuses memory figures that are not byte counts', () => {
    const bad = { ...prefixRun(), memory: { ...memory, kvCacheBytes: -1 } };
    expect(parseRunResult(JSON.parse(JSON.stringify(bad))).ok).toBe(false);
  });
});
