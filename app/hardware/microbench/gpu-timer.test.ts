import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeGpu, GPU_GLOBALS } from './fake-gpu.ts';
import { makeGpuTimer, plausibleGpuMs, timestampSpanMs } from './gpu-timer.ts';

beforeAll(() => {
  for (const [name, value] of Object.entries(GPU_GLOBALS)) vi.stubGlobal(name, value);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('GPU timer', () => {
  it('times the pass with timestamp-query when the device has it', async () => {
    const gpu = fakeGpu({ features: ['timestamp-query'], wallMsPerSubmit: 4 });
    gpu.timestamps.push([1_000_000n, 3_500_000n]);
    const timer = makeGpuTimer(gpu.device, () => gpu.clock.t);
    const ms = await timer.time((pass) => pass.dispatchWorkgroups(8));
    expect(ms).toBe(2.5);
    expect(timer.method).toBe('timestamp-query');
    expect(timer.fallbackNote).toBeNull();
    expect(gpu.log.passes[0]?.timestampWrites).toBeDefined();
    expect(gpu.log.dispatches).toEqual([[8]]);
  });

  it('falls back to the wall clock for good, and says why, when timestamps outlast the submit', async () => {
    const gpu = fakeGpu({ features: ['timestamp-query'], wallMsPerSubmit: 4 });
    gpu.timestamps.push([0n, 10_000_000n]);
    const timer = makeGpuTimer(gpu.device, () => gpu.clock.t);
    expect(await timer.time(() => {})).toBe(4);
    expect(timer.method).toBe('wall-clock');
    expect(timer.fallbackNote).toBe(
      'timestamp-query returned an implausible 10.000 ms (wall clock 4.000 ms); switched to wall clock.',
    );
    // The next pass no longer asks for timestamps.
    gpu.timestamps.push([0n, 1_000_000n]);
    expect(await timer.time(() => {})).toBe(4);
    expect(gpu.log.passes[1]?.timestampWrites).toBeUndefined();
  });

  it('uses the wall clock around submit → done without timestamp-query', async () => {
    const gpu = fakeGpu({ wallMsPerSubmit: 3 });
    const timer = makeGpuTimer(gpu.device, () => gpu.clock.t);
    expect(timer.method).toBe('wall-clock');
    expect(await timer.time(() => {})).toBe(3);
    expect(gpu.log.passes[0]?.timestampWrites).toBeUndefined();
    expect(timer.fallbackNote).toBeNull();
  });

  it('believes a GPU time only when it is positive and within the wall time', () => {
    expect(timestampSpanMs(5n, 2_000_005n)).toBe(2);
    expect(timestampSpanMs(10n, 5n)).toBe(0);
    expect(timestampSpanMs(undefined, 5n)).toBe(0);
    expect(plausibleGpuMs(2, 2)).toBe(true);
    expect(plausibleGpuMs(0, 2)).toBe(false);
    // 5 % + 0.5 ms of slack for clock granularity.
    expect(plausibleGpuMs(10.5, 10)).toBe(true);
    expect(plausibleGpuMs(11.1, 10)).toBe(false);
  });
});
