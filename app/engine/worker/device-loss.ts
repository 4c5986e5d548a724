/**
 * GPU device loss, as the inference worker sees it. The runtime keeps its GPUDevice private, so requestDevice is
 * wrapped before the runtime first asks for one: every device it creates is watched, and a lost one (driver reset,
 * GPU taken, sleep) stops the run at the next token instead of producing garbage or hanging.
 */

/** The part of GPUAdapter.prototype that is wrapped. */
export interface DeviceRequester {
  requestDevice(this: GPUAdapter, descriptor?: GPUDeviceDescriptor): Promise<GPUDevice>;
}

/** The part of a GPUDevice the tracker uses. */
export type WatchedDevice = Pick<GPUDevice, 'lost' | 'destroy'>;

export class DeviceLossTracker {
  private readonly devices = new Set<WatchedDevice>();
  private reason: string | null = null;
  private simulated = false;
  /** True while the worker disposes a model: devices destroyed then are not losses. */
  disposing = false;

  /** `onLoss` stops the running generation (the stopping criterion's interrupt). */
  constructor(private readonly onLoss: () => void) {}

  /** Wraps `prototype.requestDevice` (GPUAdapter.prototype in the worker) so every new device is watched. */
  install(prototype: DeviceRequester) {
    const requestDevice = prototype.requestDevice;
    const watch = (device: GPUDevice) => this.watch(device);
    prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
      const device = await requestDevice.call(this, descriptor);
      watch(device);
      return device;
    };
  }

  /** Records a loss when `device.lost` settles, unless the device was destroyed on purpose. */
  watch(device: WatchedDevice) {
    this.devices.add(device);
    void device.lost.then((info) => {
      this.devices.delete(device);
      if (this.disposing || (info.reason === 'destroyed' && !this.simulated)) return;
      this.reason = info.message || (this.simulated ? 'simulated loss' : 'unknown reason');
      this.onLoss();
    });
  }

  /**
   * Fault injection: destroys the watched devices and records the loss at once. A real loss is recorded by the
   * `lost` handler, which needs the event loop to turn; inference on WASM-backed code paths may not let it.
   */
  loseNow() {
    if (this.reason !== null) return;
    this.simulated = true;
    for (const device of this.devices) device.destroy();
    this.reason = 'simulated loss';
    this.onLoss();
  }

  /** True when a loss was recorded and not yet taken. */
  get lost(): boolean {
    return this.reason !== null;
  }

  /** The recorded loss as an error (and forgets it), or null when no device was lost. */
  takeLoss(): Error | null {
    if (this.reason === null) return null;
    const reason = this.reason;
    this.reason = null;
    this.simulated = false;
    return new Error(`The GPUDevice was lost (${reason}).`);
  }
}
