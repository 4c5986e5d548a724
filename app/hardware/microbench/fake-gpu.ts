/**
 * A fake WebGPU device for unit tests: just the calls the GPU timer and benchmarks make, a clock that advances by
 * `wallMsPerSubmit` at every submit, and timestamp pairs to hand back. Test-only; never imported by the app.
 */
export interface FakeGpu {
  device: GPUDevice;
  clock: { t: number };
  /** The next resolved timestamp pairs, in nanoseconds; consumed one per mapped readback. */
  timestamps: Array<[bigint, bigint]>;
  /** Pass descriptors, dispatches and destroyed buffers, in order. */
  log: { passes: GPUComputePassDescriptor[]; dispatches: number[][]; destroyed: number; created: number[] };
  /** Errors the next popErrorScope calls return, innermost first. */
  scopeErrors: Array<GPUError | null>;
}

export function fakeGpu(opts: {
  features?: string[];
  wallMsPerSubmit?: number;
  limits?: Partial<GPUSupportedLimits>;
  /** What mapped readbacks hold when they are not timestamps (e.g. a matmul's C). */
  readback?: (size: number) => ArrayBuffer;
}): FakeGpu {
  const fake: Omit<FakeGpu, 'device'> = {
    clock: { t: 0 },
    timestamps: [],
    log: { passes: [], dispatches: [], destroyed: 0, created: [] },
    scopeErrors: [],
  };
  const buffer = (size: number) => {
    fake.log.created.push(size);
    let mapped = new ArrayBuffer(size);
    return {
      size,
      mapAsync: async () => {
        if (size === 16) {
          const [begin, end] = fake.timestamps.shift() ?? [0n, 0n];
          mapped = new BigUint64Array([begin, end]).buffer;
        } else if (opts.readback) mapped = opts.readback(size);
      },
      getMappedRange: () => mapped,
      unmap: () => {},
      destroy: () => {
        fake.log.destroyed++;
      },
    };
  };
  const device = {
    features: new Set(opts.features ?? []),
    limits: { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30, ...opts.limits },
    createQuerySet: () => ({}),
    createBuffer: ({ size }: { size: number }) => buffer(size),
    createShaderModule: () => ({}),
    createComputePipelineAsync: async () => ({ getBindGroupLayout: () => ({}) }),
    createBindGroup: () => ({}),
    pushErrorScope: () => {},
    popErrorScope: async () => fake.scopeErrors.shift() ?? null,
    createCommandEncoder: () => ({
      beginComputePass: (desc: GPUComputePassDescriptor) => {
        fake.log.passes.push(desc);
        return {
          setPipeline: () => {},
          setBindGroup: () => {},
          dispatchWorkgroups: (...groups: number[]) => {
            fake.log.dispatches.push(groups);
          },
          end: () => {},
        };
      },
      resolveQuerySet: () => {},
      copyBufferToBuffer: () => {},
      finish: () => ({}),
    }),
    queue: {
      submit: () => {},
      writeBuffer: () => {},
      onSubmittedWorkDone: async () => {
        fake.clock.t += opts.wallMsPerSubmit ?? 1;
      },
    },
  };
  // Only the calls above exist: a test that reaches any other fails loudly with "not a function".
  return { ...fake, device: device as unknown as GPUDevice };
}

/** The WebGPU flag namespaces the code reads, which Node does not define. */
export const GPU_GLOBALS = {
  GPUBufferUsage: {
    MAP_READ: 1,
    MAP_WRITE: 2,
    COPY_SRC: 4,
    COPY_DST: 8,
    INDEX: 16,
    VERTEX: 32,
    UNIFORM: 64,
    STORAGE: 128,
    INDIRECT: 256,
    QUERY_RESOLVE: 512,
  },
  GPUMapMode: { READ: 1, WRITE: 2 },
};
