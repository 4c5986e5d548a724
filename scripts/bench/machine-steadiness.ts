/**
 * How steady is this machine's memory bandwidth right now? Decode is memory-bandwidth-bound, so a lab figure can
 * repeat only as well as the machine's bandwidth does. `npm run bench:steady` runs this probe before its checks
 * and after them and prints the result beside its verdicts: on a shared VM whose bandwidth swings by a third from
 * one second to the next, a 10 % repeatability target says more about the host than about the lab.
 *
 * The probe copies a fixed 256 MB (four copies of a 64 MB buffer) in `threads` worker threads at once (as many as
 * the lab's WASM engine computes with), every 200 ms for `seconds`, and times each copy.
 */
import { Worker } from 'node:worker_threads';
import { percentile } from '../../app/run/stats.ts';

export interface Steadiness {
  /** Timed copies, all threads together. */
  samples: number;
  /** GB/s of one thread's copy at the 10th, 50th and 90th percentile of copy time (p10 time = fast). */
  fastGBps: number;
  medianGBps: number;
  slowGBps: number;
  /** slow-to-fast swing: p90 copy time / p10 copy time − 1. */
  swing: number;
}

/** Bytes each timed copy moves (read + write counted once, as the copied size). */
export const COPY_BYTES = 256 * 1024 * 1024;

/** Summarises copy times (ms): bandwidth at p10/p50/p90 and the p90/p10 swing. Null with fewer than 5 samples. */
export function steadinessOf(copyMs: readonly number[], bytes = COPY_BYTES): Steadiness | null {
  const valid = copyMs.filter((ms) => Number.isFinite(ms) && ms > 0);
  if (valid.length < 5) return null;
  const gbps = (ms: number) => bytes / 1e9 / (ms / 1000);
  const p10 = percentile(valid, 10);
  const p90 = percentile(valid, 90);
  return {
    samples: valid.length,
    fastGBps: gbps(p10),
    medianGBps: gbps(percentile(valid, 50)),
    slowGBps: gbps(p90),
    swing: p90 / p10 - 1,
  };
}

/** One line for the report: "memory bandwidth 3.9 GB/s per thread (p10–p90 3.1–4.6), swing 51 % over 20 s". */
export function steadinessText(s: Steadiness | null, seconds: number, threads: number): string {
  if (s === null) return 'memory bandwidth: not measured';
  const f = (x: number) => x.toFixed(1);
  return `memory bandwidth ${f(s.medianGBps)} GB/s per thread, ${threads} thread${threads === 1 ? '' : 's'} at once (slow–fast ${f(s.slowGBps)}–${f(s.fastGBps)}, p90/p10 of ${s.samples} copies): swings by ${(s.swing * 100).toFixed(0)} % within ${seconds} s`;
}

// The worker's code, run with `eval: true`: copies a 64 MB buffer four times per sample and posts each time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const a = new Float64Array(8 * 1024 * 1024); const b = new Float64Array(8 * 1024 * 1024); a.fill(1);
const until = Date.now() + workerData.seconds * 1000;
const times = [];
(function next() {
  if (Date.now() >= until) { parentPort.postMessage(times); return; }
  const start = performance.now();
  for (let k = 0; k < 4; k++) b.set(a);
  times.push(performance.now() - start);
  setTimeout(next, 200);
})();
`;

/** Runs the probe: `threads` workers copying at once for `seconds`. Resolves with every copy's time in ms. */
export async function probeCopyMs(seconds: number, threads: number): Promise<number[]> {
  const runs = Array.from(
    { length: threads },
    () =>
      new Promise<number[]>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { seconds } });
        worker.once('message', (times: number[]) => {
          resolve(times);
          void worker.terminate();
        });
        worker.once('error', reject);
      }),
  );
  return (await Promise.all(runs)).flat();
}
