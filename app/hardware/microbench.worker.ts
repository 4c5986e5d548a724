/**
 * Device microbenchmarks, off the main thread. The entry only dispatches: sampling and calibration rules live in
 * microbench.ts. Cancellation and the hard time bound are the page's job (it terminates this worker); this side
 * plans its work to finish well inside the bound.
 */
import { describeAdapter, requestAdapter } from '../engine/adapter.ts';
import {
  type AdapterSummary,
  BENCHES,
  type BenchId,
  type BenchResult,
  calibrate,
  DEFAULT_RULES,
  type MicrobenchEvent,
  type MicrobenchRequest,
  type SampledFigure,
  sampleUntilStable,
  summaryOf,
  type TimingMethod,
} from './microbench.ts';
import { instantiateWasmBench } from './microbench-wasm.ts';

const post = (e: MicrobenchEvent) => postMessage(e);
const now = () => performance.now();
const MiB = 1024 * 1024;
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** One sample should last about this long: long against timer resolution, short against the suite's bound. */
const TARGET_SAMPLE_MS = 25;

// ---------------------------------------------------------------- CPU / WASM

function cpuBenches(
  deadlineFor: (id: BenchId) => number,
  id: number,
): Array<{ bench: BenchId; run: () => Promise<BenchResult> }> {
  const wallResult = (bench: BenchId, fig: SampledFigure, work: string): BenchResult => ({
    id: bench,
    status: 'ok',
    value: fig.value,
    unit: BENCHES[bench].unit,
    timing: 'wall-clock',
    samples: fig.samples,
    spreadPct: fig.spreadPct,
    reps: fig.reps,
    stable: fig.stable,
    work,
    note: fig.hitDeadline ? 'Stopped by the time bound before the median settled.' : null,
  });
  return [
    {
      bench: 'cpu-read',
      run: async () => {
        // Well past the last-level cache of desktop CPUs (up to ~100 MiB), so reads come from DRAM.
        const bytes = 256 * MiB;
        const wasm = await instantiateWasmBench(bytes);
        // Untouched pages all map to one shared zero page that sits in cache: write them so reads hit DRAM.
        new Float64Array(wasm.memory.buffer, 0, bytes / 8).fill(1);
        const deadline = deadlineFor('cpu-read');
        post({ type: 'progress', id, bench: 'cpu-read', phase: 'calibrating' });
        const cal = await calibrate(
          async (_size, repeats) => {
            const t = now();
            for (let r = 0; r < repeats; r++) wasm.sum(0, bytes);
            return now() - t;
          },
          { startSize: 1, maxSize: 1, targetMs: TARGET_SAMPLE_MS, maxRepeats: 64, deadlineMs: deadline, now },
        );
        post({ type: 'progress', id, bench: 'cpu-read', phase: 'sampling' });
        const fig = await sampleUntilStable(
          async () => {
            const t = now();
            for (let r = 0; r < cal.repeats; r++) wasm.sum(0, bytes);
            return (bytes * cal.repeats) / ((now() - t) * 1e6);
          },
          DEFAULT_RULES,
          deadline,
          now,
        );
        if (!fig) throw new Error('no sample fitted in the time bound');
        return wallResult('cpu-read', fig, `256 MiB × ${cal.repeats}`);
      },
    },
    {
      bench: 'cpu-copy',
      run: async () => {
        const half = 128 * MiB;
        const wasm = await instantiateWasmBench(2 * half);
        new Float64Array(wasm.memory.buffer, 0, (2 * half) / 8).fill(1);
        const deadline = deadlineFor('cpu-copy');
        post({ type: 'progress', id, bench: 'cpu-copy', phase: 'calibrating' });
        const cal = await calibrate(
          async (_size, repeats) => {
            const t = now();
            for (let r = 0; r < repeats; r++) wasm.copy(half, 0, half);
            return now() - t;
          },
          { startSize: 1, maxSize: 1, targetMs: TARGET_SAMPLE_MS, maxRepeats: 64, deadlineMs: deadline, now },
        );
        post({ type: 'progress', id, bench: 'cpu-copy', phase: 'sampling' });
        const fig = await sampleUntilStable(
          async () => {
            const t = now();
            for (let r = 0; r < cal.repeats; r++) wasm.copy(half, 0, half);
            return (2 * half * cal.repeats) / ((now() - t) * 1e6);
          },
          DEFAULT_RULES,
          deadline,
          now,
        );
        if (!fig) throw new Error('no sample fitted in the time bound');
        return wallResult('cpu-copy', fig, `128 MiB × ${cal.repeats}`);
      },
    },
    {
      bench: 'cpu-matmul-f32',
      run: async () => {
        const deadline = deadlineFor('cpu-matmul-f32');
        const maxN = 512;
        const a = new Float32Array(maxN * maxN).map((_, i) => ((i * 7) % 13) / 13);
        const b = new Float32Array(maxN * maxN).map((_, i) => ((i * 5) % 11) / 11);
        const c = new Float32Array(maxN * maxN);
        // i-k-j order: the inner loop walks rows of B and C contiguously, which the JIT turns into a tight loop.
        const matmul = (n: number) => {
          c.fill(0, 0, n * n);
          for (let i = 0; i < n; i++) {
            const ci = i * n;
            for (let k = 0; k < n; k++) {
              const aik = a[ci + k] as number;
              const bk = k * n;
              for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + aik * (b[bk + j] as number);
            }
          }
        };
        post({ type: 'progress', id, bench: 'cpu-matmul-f32', phase: 'calibrating' });
        const cal = await calibrate(
          async (n, repeats) => {
            const t = now();
            for (let r = 0; r < repeats; r++) matmul(n);
            return now() - t;
          },
          {
            startSize: 64,
            maxSize: maxN,
            targetMs: TARGET_SAMPLE_MS,
            maxRepeats: 64,
            deadlineMs: deadline,
            now,
          },
        );
        const n = cal.size;
        post({ type: 'progress', id, bench: 'cpu-matmul-f32', phase: 'sampling' });
        const fig = await sampleUntilStable(
          async () => {
            const t = now();
            for (let r = 0; r < cal.repeats; r++) matmul(n);
            return (2 * n ** 3 * cal.repeats) / ((now() - t) * 1e6);
          },
          DEFAULT_RULES,
          deadline,
          now,
        );
        if (!fig) throw new Error('no sample fitted in the time bound');
        return wallResult('cpu-matmul-f32', fig, `N = ${n} × ${cal.repeats}`);
      },
    },
  ];
}

// ---------------------------------------------------------------- WebGPU

const READ_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> sink: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * 256u;
  let n = arrayLength(&src);
  var acc = vec4<f32>(0.0);
  for (var i = gid.x; i < n; i += stride) { acc += src[i]; }
  sink[gid.x] = acc; // keeps the loads alive; 16 bytes per thread, negligible next to the reads
}`;

const COPY_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * 256u;
  let n = arrayLength(&src);
  for (var i = gid.x; i < n; i += stride) { dst[i] = src[i]; }
}`;

/** C = A × B, N×N row-major, N a multiple of 64: 64×64 output tiles, 16×16 threads, 4×4 outputs per thread. */
const matmulWgsl = (t: 'f32' | 'f16') => /* wgsl */ `
${t === 'f16' ? 'enable f16;' : ''}
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> B: array<${t}>;
@group(0) @binding(2) var<storage, read_write> C: array<${t}>;
@group(0) @binding(3) var<uniform> dims: vec4<u32>;
var<workgroup> As: array<array<${t}, 64>, 16>;
var<workgroup> Bs: array<array<${t}, 64>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let n = dims.x;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<${t}, 4>, 4>;
  for (var k0 = 0u; k0 < n; k0 += 16u) {
    for (var i = 0u; i < 4u; i++) {
      let e = tid + i * 256u;
      As[e % 16u][e / 16u] = A[(row0 + e / 16u) * n + k0 + e % 16u];
      Bs[e / 64u][e % 64u] = B[(k0 + e / 64u) * n + col0 + e % 64u];
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      var a: array<${t}, 4>;
      var b: array<${t}, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = As[k][lid.y * 4u + i];
        b[i] = Bs[k][lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i][j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { C[(row0 + lid.y * 4u + i) * n + col0 + lid.x * 4u + j] = acc[i][j]; }
  }
}`;

/** The timer of one GPU pass: timestamp-query around the compute pass when the adapter has it, else wall clock. */
interface GpuTimer {
  method: TimingMethod;
  /** Encodes `encode` into one compute pass, submits, waits and returns the pass's milliseconds. */
  time: (encode: (pass: GPUComputePassEncoder) => void) => Promise<number>;
  /** Set when timestamp-query was present but returned implausible values, and the timer fell back. */
  fallbackNote: string | null;
}

function makeTimer(device: GPUDevice): GpuTimer {
  const hasTimestamps = device.features.has('timestamp-query');
  const querySet = hasTimestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
  const resolve = hasTimestamps
    ? device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC })
    : null;
  const readback = hasTimestamps
    ? device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
    : null;
  const timer: GpuTimer = {
    method: hasTimestamps ? 'timestamp-query' : 'wall-clock',
    fallbackNote: null,
    time: async (encode) => {
      const useTs = timer.method === 'timestamp-query' && querySet && resolve && readback;
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass(
        useTs ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
      );
      encode(pass);
      pass.end();
      if (useTs) {
        encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
        encoder.copyBufferToBuffer(resolve, 0, readback, 0, 16);
      }
      const t = now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      const wallMs = now() - t;
      if (!useTs) return wallMs;
      await readback.mapAsync(GPUMapMode.READ);
      const [begin, end] = new BigUint64Array(readback.getMappedRange().slice(0));
      readback.unmap();
      const gpuMs = begin !== undefined && end !== undefined && end > begin ? Number(end - begin) / 1e6 : 0;
      // A pass cannot take longer than the wall time around it; zero or longer means the timestamps are unusable.
      if (gpuMs > 0 && gpuMs <= wallMs * 1.05 + 0.5) return gpuMs;
      timer.method = 'wall-clock';
      timer.fallbackNote = `timestamp-query returned an implausible ${gpuMs.toFixed(3)} ms (wall clock ${wallMs.toFixed(3)} ms); switched to wall clock.`;
      return wallMs;
    },
  };
  return timer;
}

const gpuResult = (
  bench: BenchId,
  fig: SampledFigure,
  timer: GpuTimer,
  work: string,
  extraNote: string | null,
): BenchResult => {
  const notes = [
    timer.fallbackNote,
    fig.hitDeadline ? 'Stopped by the time bound before the median settled.' : null,
    extraNote,
  ].filter((x): x is string => x !== null);
  return {
    id: bench,
    status: 'ok',
    value: fig.value,
    unit: BENCHES[bench].unit,
    timing: timer.method,
    samples: fig.samples,
    spreadPct: fig.spreadPct,
    reps: fig.reps,
    stable: fig.stable,
    work,
    note: notes.length > 0 ? notes.join(' ') : null,
  };
};

/** Catches validation and out-of-memory errors of one step, which WebGPU reports asynchronously. */
async function checked<T>(device: GPUDevice, step: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const value = await step();
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
  if (oom) throw new Error(`the GPU ran out of memory: ${oom.message}`);
  return value;
}

function gpuBandwidthBench(
  device: GPUDevice,
  timer: GpuTimer,
  bench: 'gpu-read' | 'gpu-copy',
  deadline: number,
  id: number,
  isSoftware: boolean,
): () => Promise<BenchResult> {
  return async () => {
    const copy = bench === 'gpu-copy';
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    // Past the last-level cache on real GPUs; software adapters stream host memory, so less suffices there.
    const maxBytes = Math.min(isSoftware ? 64 * MiB : 256 * MiB, Math.floor(limit / 16) * 16);
    const module = device.createShaderModule({ code: copy ? COPY_WGSL : READ_WGSL });
    const pipeline = await checked(device, () =>
      device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } }),
    );
    // Each thread streams ~16 vec4s: enough threads to fill a big GPU at 256 MiB, and few enough that a
    // software adapter measures memory rather than the cost of starting invocations.
    const maxGroups = 1024;
    const groupsFor = (bytes: number) =>
      Math.max(1, Math.min(maxGroups, Math.floor(bytes / (16 * 256 * 16))));
    let groups = 1;
    const sinkBytes = copy ? 0 : maxGroups * 256 * 16;
    let buffers: GPUBuffer[] = [];
    let bind: GPUBindGroup | null = null;
    let currentBytes = 0;
    const prepare = async (bytes: number) => {
      if (bytes === currentBytes) return;
      for (const b of buffers) b.destroy();
      buffers = await checked(device, async () => [
        device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE }),
        device.createBuffer({ size: copy ? bytes : sinkBytes, usage: GPUBufferUsage.STORAGE }),
      ]);
      const [src, dst] = buffers as [GPUBuffer, GPUBuffer];
      bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: src } },
          { binding: 1, resource: { buffer: dst } },
        ],
      });
      currentBytes = bytes;
      groups = groupsFor(bytes);
    };
    const runPass = (repeats: number) =>
      timer.time((pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bind);
        for (let r = 0; r < repeats; r++) pass.dispatchWorkgroups(groups);
      });
    try {
      post({ type: 'progress', id, bench, phase: 'calibrating' });
      const cal = await calibrate(
        async (mib, repeats) => {
          await prepare(mib * MiB);
          await runPass(1); // first touch of a new buffer pays for its lazy zero-fill
          return runPass(repeats);
        },
        {
          startSize: 4,
          maxSize: Math.max(4, Math.floor(maxBytes / MiB)),
          targetMs: TARGET_SAMPLE_MS,
          maxRepeats: 64,
          deadlineMs: deadline,
          now,
        },
      );
      await prepare(cal.size * MiB);
      const movedBytes = currentBytes * (copy ? 2 : 1) * cal.repeats;
      post({ type: 'progress', id, bench, phase: 'sampling' });
      const fig = await sampleUntilStable(
        async () => movedBytes / ((await runPass(cal.repeats)) * 1e6),
        DEFAULT_RULES,
        deadline,
        now,
      );
      if (!fig) throw new Error('no sample fitted in the time bound');
      return gpuResult(bench, fig, timer, `${cal.size} MiB × ${cal.repeats}, ${groups * 256} threads`, null);
    } finally {
      for (const b of buffers) b.destroy();
    }
  };
}

/** Exactly representable test data (entries in {−1, 0, 1}) so f16 and f32 results can be checked exactly. */
const matmulEntry = (i: number, salt: number): number => (((i * 2654435761 + salt) >>> 0) % 3) - 1;

/** IEEE half-precision bits of −1, 0 and 1. */
const F16_BITS: Record<number, number> = { [-1]: 0xbc00, 0: 0, 1: 0x3c00 };

function gpuMatmulBench(
  device: GPUDevice,
  timer: GpuTimer,
  type: 'f32' | 'f16',
  deadline: number,
  id: number,
): () => Promise<BenchResult> {
  const bench: BenchId = type === 'f16' ? 'gpu-matmul-f16' : 'gpu-matmul-f32';
  return async () => {
    const elemBytes = type === 'f16' ? 2 : 4;
    const maxN = 2048;
    const module = device.createShaderModule({ code: matmulWgsl(type) });
    const pipeline = await checked(device, () =>
      device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } }),
    );
    const values = (salt: number, n: number) => Array.from({ length: n * n }, (_, i) => matmulEntry(i, salt));
    const upload = (buffer: GPUBuffer, v: number[]) => {
      const data = type === 'f16' ? Uint16Array.from(v, (x) => F16_BITS[x] ?? 0) : Float32Array.from(v);
      device.queue.writeBuffer(buffer, 0, data);
    };
    let buffers: GPUBuffer[] = [];
    let bind: GPUBindGroup | null = null;
    let currentN = 0;
    const prepare = async (n: number) => {
      if (n === currentN) return;
      for (const b of buffers) b.destroy();
      const size = n * n * elemBytes;
      const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
      buffers = await checked(device, async () => [
        device.createBuffer({ size, usage: storage }),
        device.createBuffer({ size, usage: storage }),
        device.createBuffer({ size, usage: storage }),
        device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
      ]);
      const [a, b, c, dims] = buffers as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
      upload(a, values(1, n));
      upload(b, values(2, n));
      device.queue.writeBuffer(dims, 0, new Uint32Array([n, 0, 0, 0]));
      bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [a, b, c, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      currentN = n;
    };
    const runPass = (repeats: number) =>
      timer.time((pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bind);
        for (let r = 0; r < repeats; r++) pass.dispatchWorkgroups(currentN / 64, currentN / 64);
      });
    try {
      post({ type: 'progress', id, bench, phase: 'calibrating' });
      // Check the kernel's answer once, on a small size, before timing it: a wrong kernel's speed means nothing.
      await prepare(128);
      await runPass(1);
      await verifyMatmul(device, buffers[2] as GPUBuffer, 128, type);
      const cal = await calibrate(
        async (n, repeats) => {
          await prepare(n);
          return runPass(repeats);
        },
        {
          startSize: 128,
          maxSize: maxN,
          targetMs: TARGET_SAMPLE_MS,
          maxRepeats: 64,
          deadlineMs: deadline,
          now,
        },
      );
      await prepare(cal.size);
      const flops = 2 * cal.size ** 3 * cal.repeats;
      post({ type: 'progress', id, bench, phase: 'sampling' });
      const fig = await sampleUntilStable(
        async () => flops / ((await runPass(cal.repeats)) * 1e6),
        DEFAULT_RULES,
        deadline,
        now,
      );
      if (!fig) throw new Error('no sample fitted in the time bound');
      return gpuResult(bench, fig, timer, `N = ${cal.size} × ${cal.repeats}`, null);
    } finally {
      for (const b of buffers) b.destroy();
    }
  };
}

/** Reads C back and compares a sample of entries with the CPU's exact answer. */
async function verifyMatmul(device: GPUDevice, c: GPUBuffer, n: number, type: 'f32' | 'f16'): Promise<void> {
  const elemBytes = type === 'f16' ? 2 : 4;
  const size = n * n * elemBytes;
  const readback = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(c, 0, readback, 0, size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const raw = readback.getMappedRange().slice(0);
    readback.unmap();
    const f16ToNumber = (h: number) => {
      const sign = h & 0x8000 ? -1 : 1;
      const exp = (h >> 10) & 0x1f;
      const frac = h & 0x3ff;
      if (exp === 0) return sign * frac * 2 ** -24;
      return sign * (1 + frac / 1024) * 2 ** (exp - 15);
    };
    const got = (i: number) =>
      type === 'f16' ? f16ToNumber(new Uint16Array(raw)[i] ?? 0) : (new Float32Array(raw)[i] ?? Number.NaN);
    for (let s = 0; s < 64; s++) {
      const row = (s * 37) % n;
      const col = (s * 91 + 5) % n;
      let expected = 0;
      for (let k = 0; k < n; k++) expected += matmulEntry(row * n + k, 1) * matmulEntry(k * n + col, 2);
      const value = got(row * n + col);
      if (value !== expected) {
        throw new Error(
          `wrong result at C[${row}][${col}]: ${value} instead of ${expected}; the figure would be meaningless`,
        );
      }
    }
  } finally {
    readback.destroy();
  }
}

interface GpuSetup {
  device: GPUDevice;
  adapter: AdapterSummary;
}

async function openGpu(): Promise<{ setup: GpuSetup | null; reason: string | null }> {
  const { adapter, reason } = await requestAdapter(navigator.gpu);
  if (!adapter) return { setup: null, reason };
  const wanted: GPUFeatureName[] = ['timestamp-query', 'shader-f16'];
  const device = await adapter.requestDevice({
    requiredFeatures: wanted.filter((f) => adapter.features.has(f)),
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  return {
    setup: { device, adapter: summaryOf(describeAdapter(adapter)) },
    reason: null,
  };
}

// ---------------------------------------------------------------- entry

async function runSuite(req: MicrobenchRequest): Promise<void> {
  const start = now();
  const planEnd = start + req.planMs;
  let gpu: GpuSetup | null = null;
  let gpuReason: string | null = null;
  if (req.backends.includes('webgpu')) {
    try {
      const opened = await openGpu();
      gpu = opened.setup;
      gpuReason = opened.reason;
    } catch (e) {
      gpuReason = `Opening the GPU failed: ${message(e)}`;
    }
  } else gpuReason = 'WebGPU was not requested.';
  post({ type: 'started', id: req.id, adapter: gpu?.adapter ?? null, webgpuUnavailableReason: gpuReason });

  // Written by the device's lost promise while benchmarks run.
  const health: { lost: string | null } = { lost: null };
  gpu?.device.lost.then((info) => {
    health.lost = `the GPU device was lost (${info.reason}): ${info.message}`;
  });

  const plan: Array<{ bench: BenchId; run: (() => Promise<BenchResult>) | null; skip?: string }> = [];
  // Each benchmark gets an equal share of what is left of the plan when it starts.
  let remaining = 0;
  const deadlineFor = () => now() + Math.max(200, (planEnd - now()) / Math.max(1, remaining));
  if (req.backends.includes('wasm')) {
    for (const b of cpuBenches(deadlineFor, req.id)) plan.push({ bench: b.bench, run: b.run });
  }
  if (req.backends.includes('webgpu')) {
    const ids: BenchId[] = ['gpu-read', 'gpu-copy', 'gpu-matmul-f32', 'gpu-matmul-f16'];
    if (!gpu)
      for (const bench of ids) plan.push({ bench, run: null, skip: gpuReason ?? 'WebGPU is unavailable.' });
    else {
      const { device, adapter } = gpu;
      const timer = makeTimer(device);
      const soft =
        adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);
      plan.push({
        bench: 'gpu-read',
        run: () => gpuBandwidthBench(device, timer, 'gpu-read', deadlineFor(), req.id, soft)(),
      });
      plan.push({
        bench: 'gpu-copy',
        run: () => gpuBandwidthBench(device, timer, 'gpu-copy', deadlineFor(), req.id, soft)(),
      });
      plan.push({
        bench: 'gpu-matmul-f32',
        run: () => gpuMatmulBench(device, timer, 'f32', deadlineFor(), req.id)(),
      });
      if (device.features.has('shader-f16')) {
        plan.push({
          bench: 'gpu-matmul-f16',
          run: () => gpuMatmulBench(device, timer, 'f16', deadlineFor(), req.id)(),
        });
      } else {
        plan.push({
          bench: 'gpu-matmul-f16',
          run: null,
          skip: 'This adapter has no shader-f16 feature, so there is no f16 matmul to measure.',
        });
      }
    }
  }

  remaining = plan.filter((p) => p.run).length;
  for (const step of plan) {
    if (!step.run) {
      post({
        type: 'result',
        id: req.id,
        result: { id: step.bench, status: 'skipped', reason: step.skip ?? 'Not available.' },
      });
      continue;
    }
    let result: BenchResult;
    if (health.lost) result = { id: step.bench, status: 'failed', reason: health.lost };
    else {
      try {
        result = await step.run();
      } catch (e) {
        result = { id: step.bench, status: 'failed', reason: health.lost ?? message(e) };
      }
    }
    remaining--;
    post({ type: 'result', id: req.id, result });
  }
  gpu?.device.destroy();
  post({ type: 'done', id: req.id, totalMs: now() - start });
}

addEventListener('message', (e: MessageEvent<MicrobenchRequest>) => {
  const req = e.data;
  switch (req.type) {
    case 'run':
      runSuite(req).catch((err: unknown) => post({ type: 'error', id: req.id, message: message(err) }));
      break;
    default:
      req.type satisfies never;
  }
});
