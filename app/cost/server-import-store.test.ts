import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { project } from './model.ts';
import { decodeScenario, encodeScenario } from './scenario.ts';
import { parseServerBenchmark, type ServerBenchmark } from './server-bench.ts';
import { applyServerBenchmark, applyServerFigures, resetScenario, useCostStore } from './store.ts';

const bench = (name: string): ServerBenchmark => {
  const r = parseServerBenchmark(readFileSync(`e2e/server-bench/${name}`, 'utf8'), name);
  if (!r.ok || !r.benchmarks[0]) throw new Error(r.ok ? 'none' : r.error);
  return r.benchmarks[0];
};
const draft = () => useCostStore.getState().draft;

describe('importing a server benchmark into the scenario', () => {
  beforeEach(resetScenario);

  it('a vLLM result sets the self-hosted speeds and batch, picks its GPU, names its source, and moves the bill', () => {
    const before = project(useCostStore.getState().lastValid).selfHosted;
    useCostStore.setState((s) => ({ draft: { ...s.draft, gpuId: 'l4' } }));
    applyServerBenchmark(bench('vllm-llama-3.1-8b-h100-c16.json'));
    const d = draft();
    expect(d.gpuId).toBe('h100-sxm');
    expect(d.fields.concurrency).toBe('16');
    // 1024 tokens in a 44.87 ms median TTFT; 87.08 tok/s per request at 16 × (1 + 0.03 × 15).
    expect(d.fields.gpuPrefillTokPerS).toBe('22800');
    expect(d.fields.gpuDecodeTokPerS).toBe('126');
    expect(d.models.selfHosted).toEqual({
      name: 'meta-llama/Llama-3.1-8B-Instruct (benchmark: vllm-llama-3.1-8b-h100-c16.json)',
      tier: 'medium',
    });
    expect(d.serverSource?.text).toContain('vLLM benchmark_serving · vllm-llama-3.1-8b-h100-c16.json');
    expect(d.serverSource?.detail).toContain('median TPOT 11.5 ms');
    const after = project(useCostStore.getState().lastValid).selfHosted;
    // At the default traffic one always-on GPU is the bill either way; the speeds move the marginal price and
    // the request time: 1500 / 22,800 + 300 / 87.08 = 3.51 s.
    expect(after.blendedUsdPer1M).not.toBeCloseTo(before.blendedUsdPer1M, 3);
    expect(after.latencyS).toBeCloseTo(1500 / 22_800 + 300 / (126 / 1.45), 2);
  });

  it('a llama-bench file sets weights from the file and leaves the batch and α as they were', () => {
    const { concurrency, batchSlowdown } = draft().fields;
    applyServerBenchmark(bench('llama-bench-l4.json'));
    const d = draft();
    expect(d.gpuId).toBe('l4');
    expect(d.fields.weightsGb).toBe('4.92');
    expect(d.fields.gpuDecodeTokPerS).toBe('44.2');
    expect([d.fields.concurrency, d.fields.batchSlowdown]).toEqual([concurrency, batchSlowdown]);
  });

  it('the source survives the scenario URL, and a preset clears it', () => {
    applyServerBenchmark(bench('batched-bench-l4.txt'));
    const d = draft();
    expect(decodeScenario(encodeScenario(d)).serverSource).toEqual(d.serverSource);
    applyServerFigures({
      name: 'preset',
      tier: 'medium',
      weightsGb: 16,
      kvCacheGb: 0.5,
      prefillTokPerS: 9000,
      decodeTokPerS: 100,
      fits: true,
    });
    expect(draft().serverSource).toBeNull();
  });

  it('a link with a malformed source keeps the rest and says so', () => {
    const encoded = JSON.parse(encodeScenario(draft())) as Record<string, unknown>;
    const read = decodeScenario(JSON.stringify({ ...encoded, sb: { text: 5 } }));
    expect(read.serverSource).toBeNull();
  });
});
