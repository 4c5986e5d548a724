/**
 * The worker's handler driven by a fake runtime (fake clock, fake benchmarks, a fake GPU), as web-llm tests its
 * worker handler: requests in, events out.
 */
import { describe, expect, it } from 'vitest';
import type {
  AdapterSummary,
  BenchBackend,
  BenchId,
  MicrobenchEvent,
  MicrobenchRequest,
} from '../microbench.ts';
import { createMicrobenchHandler, type MicrobenchRuntime, type OpenedGpu } from './handler.ts';
import type { BenchSetup, BenchWork } from './measure.ts';
import { NO_F16_REASON } from './plan.ts';

const ADAPTER: AdapterSummary = {
  vendor: 'acme',
  architecture: 'rdna',
  device: 'x1',
  description: 'Acme X1',
  isFallbackAdapter: false,
  features: ['timestamp-query'],
};

const CPU: BenchId[] = ['cpu-read', 'cpu-copy', 'cpu-matmul-f32'];
const GPU: BenchId[] = ['gpu-read', 'gpu-copy', 'gpu-matmul-f32', 'gpu-matmul-f16'];

/** A world for the handler: every run of any benchmark takes 10 ms on a fake clock and moves 10⁸ bytes. */
function fakeWorld(opts: { gpu?: 'none' | 'throws' | { hasF16: boolean }; gpuReason?: string } = {}) {
  const clock = { t: 0 };
  const events: MicrobenchEvent[] = [];
  const setUp: BenchId[] = [];
  const state = { destroyed: 0, gpuOpened: 0, loseDevice: (_reason: string) => {} };
  /** Replaced per test to make one benchmark misbehave. */
  const hooks: { onSetup: (bench: BenchId) => void; onPost: (e: MicrobenchEvent) => void } = {
    onSetup: () => {},
    onPost: () => {},
  };
  const work = (): BenchWork => ({
    startSize: 1,
    maxSize: 1,
    timeMs: async (_size, repeats) => {
      clock.t += 10 * repeats;
      return 10 * repeats;
    },
    amount: (_size, repeats) => 1e8 * repeats,
    describe: (_size, repeats) => `fake × ${repeats}`,
    timing: () => 'wall-clock',
  });
  const setups = (ids: BenchId[]): Partial<Record<BenchId, BenchSetup>> =>
    Object.fromEntries(
      ids.map((bench) => [
        bench,
        async () => {
          setUp.push(bench);
          hooks.onSetup(bench);
          return work();
        },
      ]),
    );
  const runtime: MicrobenchRuntime = {
    post: (e) => {
      events.push(e);
      hooks.onPost(e);
    },
    now: () => clock.t,
    cpuBenches: () => setups(CPU),
    openGpu: async () => {
      state.gpuOpened++;
      const g = opts.gpu ?? { hasF16: true };
      if (g === 'throws') throw new Error('requestDevice rejected');
      if (g === 'none') return { gpu: null, reason: opts.gpuReason ?? 'No adapter here.' };
      const lost = new Promise<string>((resolve) => {
        state.loseDevice = resolve;
      });
      const gpu: OpenedGpu = {
        adapter: ADAPTER,
        hasF16: g.hasF16,
        lost,
        benches: () => setups(GPU),
        destroy: () => {
          state.destroyed++;
        },
      };
      return { gpu, reason: null };
    },
  };
  return { handle: createMicrobenchHandler(runtime), events, setUp, state, hooks, clock };
}

const run = (id: number, backends: BenchBackend[]): MicrobenchRequest => ({
  type: 'run',
  id,
  planMs: 11_500,
  backends,
});

/** Events in a compact form: type, and the benchmark and phase or status they concern. */
const summary = (events: MicrobenchEvent[]) =>
  events.map((e) => {
    switch (e.type) {
      case 'progress':
        return `${e.bench} ${e.phase}`;
      case 'result':
        return `${e.result.id} ${e.result.status}`;
      default:
        return e.type;
    }
  });

const results = (events: MicrobenchEvent[]) => events.flatMap((e) => (e.type === 'result' ? [e.result] : []));

describe('microbenchmark worker handler', () => {
  it('runs the whole suite: started, then progress and a result per benchmark, then done', async () => {
    const world = fakeWorld({ gpu: { hasF16: false } });
    await world.handle(run(7, ['wasm', 'webgpu']));
    expect(summary(world.events)).toEqual([
      'started',
      ...[...CPU, 'gpu-read', 'gpu-copy', 'gpu-matmul-f32'].flatMap((b) => [
        `${b} calibrating`,
        `${b} sampling`,
        `${b} ok`,
      ]),
      'gpu-matmul-f16 skipped',
      'done',
    ]);
    expect(world.events.every((e) => e.id === 7)).toBe(true);
    expect(world.events[0]).toEqual({
      type: 'started',
      id: 7,
      adapter: ADAPTER,
      webgpuUnavailableReason: null,
    });
    // 10⁸ bytes × 3 repeats / (30 ms × 10⁶) = 10 GB/s.
    expect(results(world.events)[0]).toMatchObject({
      id: 'cpu-read',
      value: 10,
      unit: 'GB/s',
      work: 'fake × 3',
    });
    expect(results(world.events).at(-1)).toEqual({
      id: 'gpu-matmul-f16',
      status: 'skipped',
      reason: NO_F16_REASON,
    });
    expect(world.events.at(-1)).toEqual({ type: 'done', id: 7, totalMs: world.clock.t });
    expect(world.state.destroyed).toBe(1);
  });

  it('skips every GPU benchmark with the reason when there is no GPU', async () => {
    const world = fakeWorld({ gpu: 'none', gpuReason: 'WebGPU is blocklisted.' });
    await world.handle(run(1, ['wasm', 'webgpu']));
    expect(world.events[0]).toMatchObject({
      type: 'started',
      adapter: null,
      webgpuUnavailableReason: 'WebGPU is blocklisted.',
    });
    const skipped = results(world.events).filter((r) => r.status === 'skipped');
    expect(skipped.map((r) => r.id)).toEqual(GPU);
    expect(skipped.every((r) => r.status === 'skipped' && r.reason === 'WebGPU is blocklisted.')).toBe(true);
    expect(world.events.at(-1)?.type).toBe('done');
  });

  it('says why when opening the GPU throws, and still measures the CPU', async () => {
    const world = fakeWorld({ gpu: 'throws' });
    await world.handle(run(1, ['wasm', 'webgpu']));
    expect(world.events[0]).toMatchObject({
      webgpuUnavailableReason: 'Opening the GPU failed: requestDevice rejected',
    });
    expect(
      results(world.events)
        .filter((r) => r.status === 'ok')
        .map((r) => r.id),
    ).toEqual(CPU);
  });

  it('does not touch the GPU when only WASM is asked for', async () => {
    const world = fakeWorld();
    await world.handle(run(1, ['wasm']));
    expect(world.state.gpuOpened).toBe(0);
    expect(world.events[0]).toMatchObject({
      adapter: null,
      webgpuUnavailableReason: 'WebGPU was not requested.',
    });
    expect(results(world.events).map((r) => r.id)).toEqual(CPU);
  });

  it('turns a benchmark that throws into a failed result and goes on with the next', async () => {
    const world = fakeWorld();
    world.hooks.onSetup = (bench) => {
      if (bench === 'cpu-copy') throw new Error('out of memory');
    };
    await world.handle(run(1, ['wasm']));
    expect(results(world.events).map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(results(world.events)[1]).toEqual({ id: 'cpu-copy', status: 'failed', reason: 'out of memory' });
    expect(world.events.at(-1)?.type).toBe('done');
  });

  it('starts the share of a benchmark once its work is set up', async () => {
    const world = fakeWorld();
    world.hooks.onSetup = (bench) => {
      if (bench === 'cpu-read') world.clock.t += 20_000; // a slow allocation, past the whole plan
    };
    await world.handle(run(1, ['wasm']));
    // Even at the minimum share, the five samples of 30 ms fit after the setup.
    expect(results(world.events)[0]).toMatchObject({
      id: 'cpu-read',
      status: 'ok',
      stable: true,
      note: null,
    });
  });

  it('fails the rest of the GPU suite with the loss reason once the device is lost', async () => {
    const world = fakeWorld();
    world.hooks.onSetup = (bench) => {
      if (bench !== 'gpu-copy') return;
      world.state.loseDevice('the GPU device was lost (unknown): driver reset');
      throw new Error('mapAsync aborted');
    };
    await world.handle(run(1, ['webgpu']));
    const gpu = results(world.events);
    expect(gpu.map((r) => `${r.id} ${r.status}`)).toEqual([
      'gpu-read ok',
      'gpu-copy failed',
      'gpu-matmul-f32 failed',
      'gpu-matmul-f16 failed',
    ]);
    // The matmuls never started on a lost device.
    expect(world.setUp).toEqual(['gpu-read', 'gpu-copy']);
    for (const r of gpu.slice(2))
      expect(r).toMatchObject({ reason: 'the GPU device was lost (unknown): driver reset' });
    expect(world.state.destroyed).toBe(1);
  });

  it('ends with an error event when the suite itself breaks', async () => {
    const broken = fakeWorld();
    broken.hooks.onPost = (e) => {
      if (e.type === 'started') throw new Error('post failed');
    };
    await broken.handle(run(3, ['wasm', 'webgpu']));
    expect(broken.events.at(-1)).toEqual({ type: 'error', id: 3, message: 'post failed' });
    expect(broken.state.destroyed).toBe(1);
  });

  it('stops a cancelled run at its next sample: nothing more is sent and the GPU is released', async () => {
    const world = fakeWorld();
    world.hooks.onPost = (e) => {
      if (e.type === 'progress' && e.bench === 'cpu-copy' && e.phase === 'sampling') {
        void world.handle({ type: 'cancel', id: 99 }); // another run's id: ignored
        void world.handle({ type: 'cancel', id: 5 });
      }
    };
    await world.handle(run(5, ['wasm', 'webgpu']));
    expect(summary(world.events).slice(-2)).toEqual(['cpu-copy calibrating', 'cpu-copy sampling']);
    expect(world.setUp).toEqual(['cpu-read', 'cpu-copy']);
    expect(world.state.destroyed).toBe(1);
  });

  it('lets a new run replace the one in flight', async () => {
    const world = fakeWorld();
    const first = world.handle(run(1, ['wasm', 'webgpu'])); // waits for the GPU to open
    const second = world.handle(run(2, ['wasm']));
    await Promise.all([first, second]);
    expect(world.events.length).toBeGreaterThan(0);
    expect(world.events.every((e) => e.id === 2)).toBe(true);
    expect(world.events.at(-1)?.type).toBe('done');
    expect(world.state.destroyed).toBe(1); // the first run's GPU, released unused
  });
});
