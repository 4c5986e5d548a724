import { describe, expect, it } from 'vitest';
import { type BufferMaker, GpuMemoryCounter } from './gpu-memory.ts';

/** A fake device whose buffers only know how to be destroyed. */
const fakeDevice = (): BufferMaker => ({
  createBuffer: () => ({ destroy() {} }) as unknown as GPUBuffer,
});

describe('GpuMemoryCounter', () => {
  it('reads nothing on WASM, where no device was created', () => {
    expect(new GpuMemoryCounter().reading()).toBeNull();
  });

  it('counts created buffers until destroyed, and the peak since the run started', () => {
    const counter = new GpuMemoryCounter();
    const device = fakeDevice();
    counter.watch(device);
    const weights = device.createBuffer({ size: 1_000, usage: 0 });
    counter.startRun();
    const a = device.createBuffer({ size: 300, usage: 0 });
    const b = device.createBuffer({ size: 200, usage: 0 });
    a.destroy();
    a.destroy(); // a second destroy frees nothing more
    device.createBuffer({ size: 100, usage: 0 });
    expect(counter.reading()).toEqual({ bufferBytes: 1_300, peakBufferBytes: 1_500 });
    b.destroy();
    weights.destroy();
    counter.startRun();
    expect(counter.reading()).toEqual({ bufferBytes: 100, peakBufferBytes: 100 });
  });

  it('wraps requestDevice so that every device the runtime asks for is counted', async () => {
    const counter = new GpuMemoryCounter();
    const device = fakeDevice();
    const prototype = { requestDevice: async () => device as unknown as GPUDevice };
    counter.install(prototype);
    const got = await prototype.requestDevice.call({} as GPUAdapter);
    got.createBuffer({ size: 64, usage: 0 });
    expect(counter.reading()).toEqual({ bufferBytes: 64, peakBufferBytes: 64 });
  });
});
