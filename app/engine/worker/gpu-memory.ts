/**
 * GPU buffer bytes, counted where they are made. The runtime keeps its GPUDevice private, so the worker wraps
 * requestDevice (as device-loss.ts does) and, on every device it creates, createBuffer and each buffer's destroy:
 * the bytes held now, and the most held at once since the last `startRun()`.
 */

/** The part of a GPUDevice that is wrapped. */
export interface BufferMaker {
  createBuffer(descriptor: GPUBufferDescriptor): GPUBuffer;
}

/** What the run loop reads: bytes held now and at peak, or null when no GPU device was ever created. */
export interface GpuMemoryReading {
  bufferBytes: number;
  peakBufferBytes: number;
}

export class GpuMemoryCounter {
  private liveBytes = 0;
  private peakBytes = 0;
  private seenDevice = false;
  private readonly sizes = new WeakMap<object, number>();

  /** Wraps `prototype.requestDevice` (GPUAdapter.prototype in the worker) so every new device is counted. */
  install(prototype: {
    requestDevice(this: GPUAdapter, descriptor?: GPUDeviceDescriptor): Promise<GPUDevice>;
  }) {
    const requestDevice = prototype.requestDevice;
    const count = (device: GPUDevice) => this.watch(device);
    prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
      const device = await requestDevice.call(this, descriptor);
      count(device);
      return device;
    };
  }

  /** Counts the buffers this device creates from now on, until each is destroyed. */
  watch(device: BufferMaker) {
    this.seenDevice = true;
    const createBuffer = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      const buffer = createBuffer(descriptor);
      this.created(buffer, descriptor.size);
      const destroy = buffer.destroy.bind(buffer);
      buffer.destroy = () => {
        this.destroyed(buffer);
        destroy();
      };
      return buffer;
    };
  }

  /** Records a new buffer of `size` bytes. */
  created(buffer: object, size: number) {
    if (this.sizes.has(buffer) || !(size > 0)) return;
    this.sizes.set(buffer, size);
    this.liveBytes += size;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
  }

  /** Records a destroyed buffer; destroying twice counts once. */
  destroyed(buffer: object) {
    const size = this.sizes.get(buffer);
    if (size === undefined) return;
    this.sizes.delete(buffer);
    this.liveBytes -= size;
  }

  /** Starts a run's peak from what is held now. */
  startRun() {
    this.peakBytes = this.liveBytes;
  }

  /** Bytes held now and the peak since `startRun()`; null before any GPU device existed (WASM runs). */
  reading(): GpuMemoryReading | null {
    return this.seenDevice ? { bufferBytes: this.liveBytes, peakBufferBytes: this.peakBytes } : null;
  }
}
