/**
 * The microbenchmark worker's message handler, apart from the worker so it can be driven by a fake runtime in
 * tests: requests in, events out. It runs one suite at a time: a new run, or a cancel, stops the one in flight at
 * its next sample, and a stopped suite sends nothing more.
 */
import type {
  AdapterSummary,
  BenchId,
  BenchResult,
  MicrobenchEvent,
  MicrobenchRequest,
} from '../microbench.ts';
import { type BenchSetup, measureBench } from './measure.ts';
import { planSuite, shareDeadlineMs } from './plan.ts';

/** A GPU device opened for the suite. */
export interface OpenedGpu {
  adapter: AdapterSummary;
  hasF16: boolean;
  /** Resolves, with the reason in words, if the device is lost. */
  lost: Promise<string>;
  /** The GPU benchmarks on this device; called once per suite. */
  benches: () => Partial<Record<BenchId, BenchSetup>>;
  destroy: () => void;
}

/** What the handler needs from the world: the real worker passes postMessage, performance.now and WebGPU. */
export interface MicrobenchRuntime {
  post: (event: MicrobenchEvent) => void;
  /** Milliseconds from any fixed origin. */
  now: () => number;
  cpuBenches: () => Partial<Record<BenchId, BenchSetup>>;
  /** Opens the GPU; `gpu` is null with a reason when there is none. May throw. */
  openGpu: () => Promise<{ gpu: OpenedGpu | null; reason: string | null }>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function runSuite(
  req: Extract<MicrobenchRequest, { type: 'run' }>,
  rt: MicrobenchRuntime,
  signal: AbortSignal,
): Promise<void> {
  const id = req.id;
  const post = (e: MicrobenchEvent) => {
    if (!signal.aborted) rt.post(e);
  };
  const start = rt.now();
  const planEndMs = start + req.planMs;
  let gpu: OpenedGpu | null = null;
  let gpuReason: string | null = null;
  if (req.backends.includes('webgpu')) {
    try {
      ({ gpu, reason: gpuReason } = await rt.openGpu());
    } catch (e) {
      gpuReason = `Opening the GPU failed: ${message(e)}`;
    }
  } else gpuReason = 'WebGPU was not requested.';
  try {
    post({ type: 'started', id, adapter: gpu?.adapter ?? null, webgpuUnavailableReason: gpuReason });
    // Written when the device is lost while benchmarks run.
    const health: { lost: string | null } = { lost: null };
    gpu?.lost.then((reason) => {
      health.lost = reason;
    });
    const steps = planSuite({ backends: req.backends, gpu, gpuReason });
    const setups = { ...rt.cpuBenches(), ...gpu?.benches() };
    let remaining = steps.filter((s) => s.run).length;
    for (const step of steps) {
      if (signal.aborted) return;
      if (!step.run) {
        post({ type: 'result', id, result: { id: step.bench, status: 'skipped', reason: step.reason } });
        continue;
      }
      const bench = step.bench;
      const setup = setups[bench];
      let result: BenchResult;
      if (health.lost) result = { id: bench, status: 'failed', reason: health.lost };
      else if (!setup)
        result = { id: bench, status: 'failed', reason: 'This benchmark is not available here.' };
      else {
        try {
          const work = await setup();
          // The share starts once the work exists: a slow allocation must not eat the time to sample.
          result = await measureBench(bench, work, {
            deadlineMs: shareDeadlineMs(rt.now(), planEndMs, remaining),
            now: rt.now,
            signal,
            progress: (phase) => post({ type: 'progress', id, bench, phase }),
          });
        } catch (e) {
          result = { id: bench, status: 'failed', reason: health.lost ?? message(e) };
        }
      }
      remaining--;
      post({ type: 'result', id, result });
    }
    post({ type: 'done', id, totalMs: rt.now() - start });
  } finally {
    gpu?.destroy();
  }
}

/**
 * A handler for the worker's messages. Each returned promise settles when that request's work is over; the
 * worker ignores it, tests await it. A suite that throws outside a benchmark ends with an `error` event.
 */
export function createMicrobenchHandler(rt: MicrobenchRuntime): (req: MicrobenchRequest) => Promise<void> {
  let current: { id: number; controller: AbortController } | null = null;
  return async (req) => {
    switch (req.type) {
      case 'run': {
        current?.controller.abort();
        const mine = { id: req.id, controller: new AbortController() };
        current = mine;
        try {
          await runSuite(req, rt, mine.controller.signal);
        } catch (err) {
          if (!mine.controller.signal.aborted) rt.post({ type: 'error', id: req.id, message: message(err) });
        } finally {
          if (current === mine) current = null;
        }
        break;
      }
      case 'cancel':
        if (current?.id === req.id) current.controller.abort();
        break;
      default:
        req satisfies never;
    }
  };
}
