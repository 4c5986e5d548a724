import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DeviceMemoryLimits, WASM_HEAP_LIMIT_BYTES, willItFit } from './fit.ts';

const GiB = 1024 ** 3;
const gpu: DeviceMemoryLimits = {
  backend: 'webgpu',
  maxBufferSize: 4 * GiB,
  maxStorageBufferBindingSize: 2 * GiB - 4,
  deviceMemoryGB: 8,
};
const small = {
  weightBytes: 300e6,
  kvBytesPerToken: 46_080,
  contextTokens: 2048,
  largestTensorBytes: 60e6,
  maxContextTokens: 8192,
};

describe('will it fit', () => {
  it('adds weights and the KV cache at the context', () => {
    const r = willItFit(small, gpu);
    expect(r.kvBytes).toBe(46_080 * 2048);
    expect(r.totalBytes).toBe(300e6 + 46_080 * 2048);
    expect(r.verdict).toBe('fits');
  });

  it('refuses a tensor larger than the GPU buffer binding', () => {
    const r = willItFit({ ...small, largestTensorBytes: 3 * GiB }, gpu);
    expect(r.verdict).toBe('wont-fit');
    expect(r.checks.some((c) => c.level === 'error' && /buffer binding/.test(c.message))).toBe(true);
  });

  it('refuses more than the 4 GiB WASM heap and warns near it', () => {
    const wasm: DeviceMemoryLimits = {
      ...gpu,
      backend: 'wasm',
      maxBufferSize: null,
      maxStorageBufferBindingSize: null,
    };
    expect(willItFit({ ...small, weightBytes: WASM_HEAP_LIMIT_BYTES + 1 }, wasm).verdict).toBe('wont-fit');
    expect(willItFit({ ...small, weightBytes: 3.2 * GiB }, wasm).verdict).toBe('tight');
  });

  it('compares with navigator.deviceMemory, which is capped at 8 GB', () => {
    expect(willItFit({ ...small, weightBytes: 3 * GiB }, { ...gpu, deviceMemoryGB: 2 }).verdict).toBe(
      'wont-fit',
    );
    expect(willItFit({ ...small, weightBytes: 1.5 * GiB }, { ...gpu, deviceMemoryGB: 2 }).verdict).toBe(
      'tight',
    );
    // 8 means "8 GB or more": 10 GiB is a risk, not a certain failure.
    expect(
      willItFit(
        { ...small, weightBytes: 10 * GiB },
        { ...gpu, maxBufferSize: null, maxStorageBufferBindingSize: 16 * GiB },
      ).verdict,
    ).toBe('tight');
    const unknown = willItFit(small, { ...gpu, deviceMemoryGB: null });
    expect(unknown.verdict).toBe('fits');
    expect(unknown.checks.some((c) => c.level === 'info')).toBe(true);
  });

  it('says WebGPU is missing instead of guessing', () => {
    const r = willItFit(small, {
      backend: 'webgpu',
      maxBufferSize: null,
      maxStorageBufferBindingSize: null,
      deviceMemoryGB: 8,
    });
    expect(r.verdict).toBe('wont-fit');
    expect(r.checks[0]?.message).toMatch(/WebGPU is not available/);
  });

  it('warns past the context window', () => {
    const r = willItFit({ ...small, contextTokens: 10_000 }, gpu);
    expect(r.verdict).toBe('tight');
  });

  it('never throws and always explains itself', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), fc.option(fc.double()), (w, kv, ctx, mem) => {
        const r = willItFit(
          {
            weightBytes: w,
            kvBytesPerToken: kv,
            contextTokens: ctx,
            largestTensorBytes: w / 4,
            maxContextTokens: null,
          },
          { ...gpu, deviceMemoryGB: mem },
        );
        return r.checks.length > 0;
      }),
    );
  });
});
