import { describe, expect, it } from 'vitest';
import { classifyError } from './errors.ts';
import { promptOfLength } from './prompt.ts';
import { logSoftmax, topK } from './scoring.ts';

describe('promptOfLength', () => {
  it('repeats the seed and cuts at exactly P tokens, keeping the prefix once', () => {
    expect(promptOfLength([5, 6, 7], 7, [1])).toEqual([1, 5, 6, 7, 5, 6, 7]);
    expect(promptOfLength([5, 6, 7], 2)).toEqual([5, 6]);
    expect(promptOfLength([5], 1, [1, 2])).toEqual([1]);
  });
  it('rejects impossible lengths', () => {
    expect(() => promptOfLength([1], 0)).toThrow(RangeError);
    expect(() => promptOfLength([], 3)).toThrow(RangeError);
  });
});

describe('classifyError', () => {
  it.each([
    ['Could not locate file: "http://x/org/m/resolve/main/onnx/model_q4.onnx".', 'dtype-missing'],
    ['Could not locate file: "http://x/org/m/resolve/main/config.json".', 'model-not-found'],
    ['failed to load model: protobuf parsing failed', 'corrupt-model'],
    ['RangeError: Array buffer allocation failed', 'out-of-memory'],
    ['RangeError: Invalid typed array length: 1099511627776', 'out-of-memory'],
    ['The GPUDevice was lost', 'device-lost'],
    [
      'failed to call OrtRun(). buffer_manager.cc:643 map_async_result.status == wgpu::MapAsyncStatus::Success was false.',
      'device-lost',
    ],
    ['TypeError: Failed to fetch', 'network'],
    ['something odd', 'unknown'],
  ])('%s -> %s', (raw, code) => {
    const e = classifyError(new Error(raw));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(0);
  });
});

describe('scoring', () => {
  it('log-softmax sums to one in probability space and is shift invariant', () => {
    const a = logSoftmax([1, 2, 3]);
    const b = logSoftmax([101, 102, 103]);
    expect([...a].reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 12);
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i] as number, 9);
    // hand-computed: log(e^3 / (e + e^2 + e^3)) = -0.40760596
    expect(a[2]).toBeCloseTo(-0.40760596, 7);
  });
  it('topK returns the largest entries in order', () => {
    expect(topK([0.1, 0.5, 0.3, 0.9], 2)).toEqual([
      { id: 3, logProb: 0.9 },
      { id: 1, logProb: 0.5 },
    ]);
  });
});
