import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeGpu, fakeGpu, GPU_GLOBALS } from './fake-gpu.ts';
import {
  bandwidthGroups,
  bandwidthMaxBytes,
  checked,
  type GpuBenchId,
  gpuBenches,
  isSoftwareAdapter,
  MATMUL_CHECK_N,
} from './gpu-suite.ts';
import { makeGpuTimer } from './gpu-timer.ts';
import { expectedMatmulEntry } from './kernels.ts';
import { measureBench } from './measure.ts';

const MiB = 1024 * 1024;

beforeAll(() => {
  for (const [name, value] of Object.entries(GPU_GLOBALS)) vi.stubGlobal(name, value);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const adapter = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: 'SwiftShader Device',
  isFallbackAdapter: false,
  features: [],
};

describe('sizing', () => {
  it('streams 256 MiB on a GPU and 64 MiB on a software adapter, within the device limits', () => {
    const big = { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 32 };
    expect(bandwidthMaxBytes(big, false)).toBe(256 * MiB);
    expect(bandwidthMaxBytes(big, true)).toBe(64 * MiB);
    expect(
      bandwidthMaxBytes({ maxStorageBufferBindingSize: 100 * MiB + 7, maxBufferSize: 2 ** 32 }, false),
    ).toBe(100 * MiB);
  });

  it('gives each thread about 16 vec4s, between 1 and 1024 workgroups', () => {
    expect(bandwidthGroups(16 * MiB)).toBe(256); // 16 MiB / (16 B × 256 threads × 16)
    expect(bandwidthGroups(1024)).toBe(1);
    expect(bandwidthGroups(1024 * MiB)).toBe(1024);
  });

  it('treats SwiftShader and fallback adapters as software', () => {
    expect(isSoftwareAdapter(adapter)).toBe(true);
    expect(isSoftwareAdapter({ ...adapter, architecture: 'ampere', description: 'NVIDIA' })).toBe(false);
    expect(
      isSoftwareAdapter({ ...adapter, architecture: '', description: '', isFallbackAdapter: true }),
    ).toBe(true);
  });
});

/** Sets up `bench` on the fake device and measures it to the end, on the fake clock. */
async function measureOn(gpu: FakeGpu, bench: GpuBenchId) {
  const now = () => gpu.clock.t;
  const setup = gpuBenches(gpu.device, makeGpuTimer(gpu.device, now), false)[bench];
  return measureBench(bench, await setup(), {
    deadlineMs: Number.POSITIVE_INFINITY,
    now,
    progress: () => {},
    signal: new AbortController().signal,
  });
}

describe('GPU benchmarks on a fake device', () => {
  it('measure read bandwidth over the largest buffer that fits, then release every buffer', async () => {
    // 1 ms per submit whatever the size: calibration grows 4 → 8 → 16 MiB (the limit), then 25 repeats.
    const gpu = fakeGpu({ wallMsPerSubmit: 1, limits: { maxBufferSize: 16 * MiB } });
    const result = await measureOn(gpu, 'gpu-read');
    expect(result).toMatchObject({
      status: 'ok',
      unit: 'GB/s',
      timing: 'wall-clock',
      value: (16 * MiB * 25) / 1e6, // bytes read / (1 ms × 10⁶)
      work: '16 MiB × 25, 65536 threads',
    });
    // Source buffers of 4, 8 and 16 MiB, each with its 4 MiB sink (16 B for each of 1024 × 256 threads).
    expect(gpu.log.created).toEqual([4 * MiB, 4 * MiB, 8 * MiB, 4 * MiB, 16 * MiB, 4 * MiB]);
    expect(gpu.log.destroyed).toBe(gpu.log.created.length);
  });

  it('count a copy as bytes read plus bytes written', async () => {
    const gpu = fakeGpu({ wallMsPerSubmit: 1, limits: { maxBufferSize: 4 * MiB } });
    const result = await measureOn(gpu, 'gpu-copy');
    expect(result).toMatchObject({
      status: 'ok',
      value: (2 * 4 * MiB * 25) / 1e6,
      work: '4 MiB × 25, 16384 threads',
    });
  });

  it('refuse to time a matmul whose answer is wrong, and release its buffers', async () => {
    const gpu = fakeGpu({ readback: (size) => new ArrayBuffer(size) }); // C reads back as all zeros
    const setup = gpuBenches(
      gpu.device,
      makeGpuTimer(gpu.device, () => gpu.clock.t),
      false,
    )['gpu-matmul-f32'];
    await expect(setup()).rejects.toThrow(/^wrong result at C\[\d+]\[\d+]: 0 instead of .*meaningless$/);
    expect(gpu.log.destroyed).toBe(gpu.log.created.length);
  });

  it('time a matmul whose answer is right, counting 2N³ operations', async () => {
    const n = MATMUL_CHECK_N;
    const exact = Float32Array.from({ length: n * n }, (_, i) =>
      expectedMatmulEntry(Math.floor(i / n), i % n, n),
    );
    const gpu = fakeGpu({ wallMsPerSubmit: 10, readback: () => exact.buffer.slice(0) });
    // 10 ms per submit is already past 25 / 4 ms at N = 128: no doubling, then ⌈25 / 10⌉ = 3 repeats.
    const result = await measureOn(gpu, 'gpu-matmul-f32');
    expect(result).toMatchObject({ status: 'ok', unit: 'GFLOP/s', value: (2 * n ** 3 * 3) / 10e6 });
    expect(result.status === 'ok' && result.work).toBe('N = 128 × 3');
    expect(gpu.log.dispatches.at(-1)).toEqual([2, 2]); // 128 / 64 tiles each way
  });

  it('turn an asynchronous validation error into a failure', async () => {
    const gpu = fakeGpu({});
    gpu.scopeErrors.push({ message: 'bad shader' } as GPUError);
    await expect(checked(gpu.device, async () => 1)).rejects.toThrow('WebGPU validation error: bad shader');
    gpu.scopeErrors.push(null, { message: 'too big' } as GPUError);
    await expect(checked(gpu.device, async () => 1)).rejects.toThrow('the GPU ran out of memory: too big');
  });
});
