import { describe, expect, it } from 'vitest';
import { classifyError } from '../errors.ts';
import { DeviceLossTracker, type WatchedDevice } from './device-loss.ts';

/** A stand-in GPUDevice whose `lost` promise the test settles. */
function fakeDevice() {
  let settle: (info: GPUDeviceLostInfo) => void = () => {};
  const lost = new Promise<GPUDeviceLostInfo>((resolve) => {
    settle = resolve;
  });
  const device = {
    lost,
    destroyed: false,
    destroy() {
      this.destroyed = true;
      settle({ reason: 'destroyed', message: '' } as GPUDeviceLostInfo);
    },
  };
  return { device, lose: (message: string) => settle({ reason: 'unknown', message } as GPUDeviceLostInfo) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DeviceLossTracker', () => {
  it('records a lost device, stops the run, and reports the loss once as a device-lost error', async () => {
    let stops = 0;
    const tracker = new DeviceLossTracker(() => stops++);
    const { device, lose } = fakeDevice();
    tracker.watch(device as WatchedDevice);
    lose('driver reset');
    await tick();
    expect(stops).toBe(1);
    expect(tracker.lost).toBe(true);
    const error = tracker.takeLoss();
    expect(classifyError(error).code).toBe('device-lost');
    expect(error?.message).toContain('driver reset');
    expect(tracker.takeLoss()).toBeNull();
  });

  it('ignores devices destroyed on purpose and losses while disposing', async () => {
    let stops = 0;
    const tracker = new DeviceLossTracker(() => stops++);
    const a = fakeDevice();
    tracker.watch(a.device as WatchedDevice);
    a.device.destroy();
    const b = fakeDevice();
    tracker.watch(b.device as WatchedDevice);
    tracker.disposing = true;
    b.lose('gone while disposing');
    await tick();
    expect(stops).toBe(0);
    expect(tracker.lost).toBe(false);
  });

  it('simulates a loss at once: destroys the devices and records it without waiting for the event loop', () => {
    let stops = 0;
    const tracker = new DeviceLossTracker(() => stops++);
    const { device } = fakeDevice();
    tracker.watch(device as WatchedDevice);
    tracker.loseNow();
    expect(device.destroyed).toBe(true);
    expect(stops).toBe(1);
    expect(tracker.takeLoss()?.message).toContain('simulated loss');
  });

  it('watches every device the wrapped requestDevice creates', async () => {
    const tracker = new DeviceLossTracker(() => {});
    const { device, lose } = fakeDevice();
    const prototype = { requestDevice: async () => device as unknown as GPUDevice };
    tracker.install(prototype);
    await prototype.requestDevice.call({} as GPUAdapter);
    lose('taken by another tab');
    await tick();
    expect(tracker.lost).toBe(true);
  });
});
