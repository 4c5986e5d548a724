/**
 * The WebGPU benchmarks: streaming read and copy of a storage buffer, and the tiled f32/f16 matmul, each timed by
 * the GPU timer. Also opens the device they run on.
 */
import { describeAdapter, requestAdapter } from '../../engine/adapter.ts';
import { type AdapterSummary, adapterSummary, type BenchId } from '../microbench.ts';
import { type GpuTimer, makeGpuTimer } from './gpu-timer.ts';
import type { OpenedGpu } from './handler.ts';
import {
  BANDWIDTH_WORKGROUP,
  COPY_WGSL,
  checkMatmul,
  MATMUL_TILE,
  matmulInput,
  matmulWgsl,
  READ_WGSL,
} from './kernels.ts';
import type { BenchSetup, BenchWork } from './measure.ts';

const MiB = 1024 * 1024;

export type GpuBenchId = Extract<BenchId, `gpu-${string}`>;

/** A software rasteriser streams host memory: smaller buffers suffice, and its figures are not a GPU's. */
export const isSoftwareAdapter = (adapter: AdapterSummary): boolean =>
  adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);

/**
 * The largest buffer the bandwidth benchmarks use, bytes: 256 MiB (past the last-level cache of real GPUs), 64 MiB
 * on a software adapter, never more than the device's binding and buffer limits, a multiple of 16 (one vec4).
 */
export const bandwidthMaxBytes = (
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number },
  software: boolean,
): number =>
  Math.min(
    software ? 64 * MiB : 256 * MiB,
    Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 16) * 16,
  );

/** Most workgroups a bandwidth pass dispatches. */
export const MAX_BANDWIDTH_GROUPS = 1024;

/**
 * Workgroups of a bandwidth pass over `bytes`: each thread streams ~16 vec4s, enough threads to fill a big GPU at
 * 256 MiB and few enough that a software adapter measures memory rather than the cost of starting invocations.
 */
export const bandwidthGroups = (bytes: number): number =>
  Math.max(1, Math.min(MAX_BANDWIDTH_GROUPS, Math.floor(bytes / (16 * BANDWIDTH_WORKGROUP * 16))));

/** Runs `step` and throws the validation or out-of-memory error WebGPU reports for it asynchronously. */
export async function checked<T>(device: GPUDevice, step: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const value = await step();
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
  if (oom) throw new Error(`the GPU ran out of memory: ${oom.message}`);
  return value;
}

const pipelineFor = (device: GPUDevice, code: string): Promise<GPUComputePipeline> => {
  const module = device.createShaderModule({ code });
  return checked(device, () =>
    device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } }),
  );
};

/**
 * The buffers of one work size, rebuilt only when the size changes; `make` allocates them and returns the bind
 * group, `after` runs once they exist (uploads, first touch).
 */
function sizedBuffers(
  device: GPUDevice,
  make: (size: number) => { buffers: GPUBuffer[]; bind: (buffers: GPUBuffer[]) => GPUBindGroup },
  after: (size: number) => Promise<void>,
) {
  let buffers: GPUBuffer[] = [];
  let bind: GPUBindGroup | null = null;
  let current = 0;
  const dispose = () => {
    for (const b of buffers) b.destroy();
    buffers = [];
    bind = null;
    current = 0;
  };
  return {
    bind: () => bind,
    buffers: () => buffers,
    prepare: async (size: number) => {
      if (size === current) return;
      dispose();
      const made = await checked(device, async () => make(size));
      buffers = made.buffers;
      bind = made.bind(buffers);
      current = size;
      await after(size);
    },
    dispose,
  };
}

/** One pass of `repeats` dispatches of `pipeline` with `bind`, timed by `timer`. */
const timedPass = (
  timer: GpuTimer,
  pipeline: GPUComputePipeline,
  bind: () => GPUBindGroup | null,
  repeats: number,
  groups: [number, number],
): Promise<number> =>
  timer.time((pass) => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind());
    for (let r = 0; r < repeats; r++) pass.dispatchWorkgroups(groups[0], groups[1]);
  });

const gpuWork = (timer: GpuTimer, work: Omit<BenchWork, 'timing' | 'notes'>): BenchWork => ({
  ...work,
  timing: () => timer.method,
  notes: () => [timer.fallbackNote],
});

function bandwidthBench(device: GPUDevice, timer: GpuTimer, copy: boolean, software: boolean): BenchSetup {
  return async () => {
    const pipeline = await pipelineFor(device, copy ? COPY_WGSL : READ_WGSL);
    const sinkBytes = MAX_BANDWIDTH_GROUPS * BANDWIDTH_WORKGROUP * 16;
    const pass = (mib: number, repeats: number) =>
      timedPass(timer, pipeline, sized.bind, repeats, [bandwidthGroups(mib * MiB), 1]);
    const sized = sizedBuffers(
      device,
      (mib) => ({
        buffers: [
          device.createBuffer({ size: mib * MiB, usage: GPUBufferUsage.STORAGE }),
          device.createBuffer({ size: copy ? mib * MiB : sinkBytes, usage: GPUBufferUsage.STORAGE }),
        ],
        bind: ([src, dst]) =>
          device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: [
              { binding: 0, resource: { buffer: src as GPUBuffer } },
              { binding: 1, resource: { buffer: dst as GPUBuffer } },
            ],
          }),
      }),
      // The first touch of a new buffer pays for its lazy zero-fill: keep it out of every timed pass.
      async (mib) => {
        await pass(mib, 1);
      },
    );
    return gpuWork(timer, {
      startSize: 4,
      maxSize: Math.max(4, Math.floor(bandwidthMaxBytes(device.limits, software) / MiB)),
      prepare: sized.prepare,
      timeMs: pass,
      amount: (mib, repeats) => mib * MiB * (copy ? 2 : 1) * repeats,
      describe: (mib, repeats) =>
        `${mib} MiB × ${repeats}, ${bandwidthGroups(mib * MiB) * BANDWIDTH_WORKGROUP} threads`,
      dispose: sized.dispose,
    });
  };
}

/** Reads `c` (n×n of `type`) back and throws when its answer differs from the exact product. */
async function verifyMatmul(device: GPUDevice, c: GPUBuffer, n: number, type: 'f32' | 'f16'): Promise<void> {
  const size = n * n * (type === 'f16' ? 2 : 4);
  const readback = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(c, 0, readback, 0, size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const raw = readback.getMappedRange().slice(0);
    readback.unmap();
    const wrong = checkMatmul(raw, n, type);
    if (wrong) throw new Error(`${wrong}; the figure would be meaningless`);
  } finally {
    readback.destroy();
  }
}

/** Side of the matrices the matmul's answer is checked on before it is timed. */
export const MATMUL_CHECK_N = 128;

function matmulBench(device: GPUDevice, timer: GpuTimer, type: 'f32' | 'f16'): BenchSetup {
  return async () => {
    const pipeline = await pipelineFor(device, matmulWgsl(type));
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const sized = sizedBuffers(
      device,
      (n) => {
        const size = n * n * (type === 'f16' ? 2 : 4);
        const [a, b, c, dims] = [
          device.createBuffer({ size, usage: storage }),
          device.createBuffer({ size, usage: storage }),
          device.createBuffer({ size, usage: storage }),
          device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
        ];
        device.queue.writeBuffer(a, 0, matmulInput(1, n, type));
        device.queue.writeBuffer(b, 0, matmulInput(2, n, type));
        device.queue.writeBuffer(dims, 0, new Uint32Array([n, 0, 0, 0]));
        return {
          buffers: [a, b, c, dims],
          bind: (buffers) =>
            device.createBindGroup({
              layout: pipeline.getBindGroupLayout(0),
              entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
            }),
        };
      },
      async () => {},
    );
    const pass = (n: number, repeats: number) =>
      timedPass(timer, pipeline, sized.bind, repeats, [n / MATMUL_TILE, n / MATMUL_TILE]);
    try {
      // Check the kernel's answer once, on a small size, before timing it: a wrong kernel's speed means nothing.
      await sized.prepare(MATMUL_CHECK_N);
      await pass(MATMUL_CHECK_N, 1);
      await verifyMatmul(device, sized.buffers()[2] as GPUBuffer, MATMUL_CHECK_N, type);
    } catch (e) {
      sized.dispose();
      throw e;
    }
    return gpuWork(timer, {
      startSize: MATMUL_CHECK_N,
      maxSize: 2048,
      prepare: sized.prepare,
      timeMs: pass,
      amount: (n, repeats) => 2 * n ** 3 * repeats,
      describe: (n, repeats) => `N = ${n} × ${repeats}`,
      dispose: sized.dispose,
    });
  };
}

/** The GPU benchmarks on `device`, sharing one timer so a fallback to the wall clock holds for the rest. */
export function gpuBenches(
  device: GPUDevice,
  timer: GpuTimer,
  software: boolean,
): Record<GpuBenchId, BenchSetup> {
  return {
    'gpu-read': bandwidthBench(device, timer, false, software),
    'gpu-copy': bandwidthBench(device, timer, true, software),
    'gpu-matmul-f32': matmulBench(device, timer, 'f32'),
    'gpu-matmul-f16': matmulBench(device, timer, 'f16'),
  };
}

/**
 * Opens a device on the high-performance adapter with timestamp-query and shader-f16 where the adapter has them
 * and its largest buffer limits. Without an adapter the answer says why.
 */
export async function openWebGpu(
  gpu: GPU | undefined,
  now: () => number,
): Promise<{ gpu: OpenedGpu | null; reason: string | null }> {
  const { adapter, reason } = await requestAdapter(gpu);
  if (!adapter) return { gpu: null, reason };
  const wanted: GPUFeatureName[] = ['timestamp-query', 'shader-f16'];
  const device = await adapter.requestDevice({
    requiredFeatures: wanted.filter((f) => adapter.features.has(f)),
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const summary = adapterSummary(describeAdapter(adapter));
  return {
    gpu: {
      adapter: summary,
      hasF16: device.features.has('shader-f16'),
      lost: device.lost.then((info) => `the GPU device was lost (${info.reason}): ${info.message}`),
      benches: () => gpuBenches(device, makeGpuTimer(device, now), isSoftwareAdapter(summary)),
      destroy: () => device.destroy(),
    },
    reason: null,
  };
}
