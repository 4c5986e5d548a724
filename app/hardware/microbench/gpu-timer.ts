/**
 * The timer of one GPU compute pass: timestamp-query around the pass when the device has it, the wall clock around
 * submit → done otherwise, and a switch to the wall clock the first time the timestamps are implausible.
 */
import type { TimingMethod } from '../microbench.ts';

export interface GpuTimer {
  /** How the next pass will be timed; becomes 'wall-clock' for good after one implausible timestamp pair. */
  readonly method: TimingMethod;
  /** Encodes `encode` into one compute pass, submits, waits and returns the pass's milliseconds. */
  time: (encode: (pass: GPUComputePassEncoder) => void) => Promise<number>;
  /** Set when timestamp-query was present but returned implausible values, and the timer fell back. */
  readonly fallbackNote: string | null;
}

/**
 * True when a timestamp-query duration can be believed: positive, and no longer than the wall time around the
 * submit (with 5 % + 0.5 ms of slack for clock granularity), since a pass cannot outlast its submission.
 */
export const plausibleGpuMs = (gpuMs: number, wallMs: number): boolean =>
  gpuMs > 0 && gpuMs <= wallMs * 1.05 + 0.5;

/** Nanoseconds between two GPU timestamps as milliseconds; 0 when they are missing or out of order. */
export const timestampSpanMs = (begin: bigint | undefined, end: bigint | undefined): number =>
  begin !== undefined && end !== undefined && end > begin ? Number(end - begin) / 1e6 : 0;

/** A timer for `device`, reading the wall clock from `now` (ms). */
export function makeGpuTimer(device: GPUDevice, now: () => number): GpuTimer {
  const hasTimestamps = device.features.has('timestamp-query');
  const query = hasTimestamps
    ? {
        set: device.createQuerySet({ type: 'timestamp', count: 2 }),
        resolve: device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
        }),
        readback: device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
      }
    : null;
  let method: TimingMethod = hasTimestamps ? 'timestamp-query' : 'wall-clock';
  let fallbackNote: string | null = null;
  return {
    get method() {
      return method;
    },
    get fallbackNote() {
      return fallbackNote;
    },
    time: async (encode) => {
      const ts = method === 'timestamp-query' ? query : null;
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass(
        ts
          ? { timestampWrites: { querySet: ts.set, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } }
          : {},
      );
      encode(pass);
      pass.end();
      if (ts) {
        encoder.resolveQuerySet(ts.set, 0, 2, ts.resolve, 0);
        encoder.copyBufferToBuffer(ts.resolve, 0, ts.readback, 0, 16);
      }
      const t = now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      const wallMs = now() - t;
      if (!ts) return wallMs;
      await ts.readback.mapAsync(GPUMapMode.READ);
      const [begin, end] = new BigUint64Array(ts.readback.getMappedRange().slice(0));
      ts.readback.unmap();
      const gpuMs = timestampSpanMs(begin, end);
      if (plausibleGpuMs(gpuMs, wallMs)) return gpuMs;
      method = 'wall-clock';
      fallbackNote = `timestamp-query returned an implausible ${gpuMs.toFixed(3)} ms (wall clock ${wallMs.toFixed(3)} ms); switched to wall clock.`;
      return wallMs;
    },
  };
}
