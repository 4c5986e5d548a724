/**
 * The CPU benchmarks: WASM streaming read and copy (what ONNX Runtime's WASM backend can stream) and a
 * JavaScript f32 matmul, each on one thread, timed with the wall clock.
 */
import type { BenchId } from '../microbench.ts';
import { instantiateWasmBench } from '../microbench-wasm.ts';
import type { BenchSetup, BenchWork } from './measure.ts';

const MiB = 1024 * 1024;

export type CpuBenchId = Extract<BenchId, `cpu-${string}`>;

export interface CpuSizes {
  /** Bytes the read benchmark sums. */
  readBytes: number;
  /** Bytes the copy benchmark copies (from one half of its memory to the other). */
  copyBytes: number;
  /** Largest matmul side calibration may reach. */
  matmulMaxN: number;
}

/** Well past the last-level cache of desktop CPUs (up to ~100 MiB), so reads come from DRAM. */
export const CPU_SIZES: CpuSizes = { readBytes: 256 * MiB, copyBytes: 128 * MiB, matmulMaxN: 512 };

/**
 * C = A × B for the leading n×n row-major blocks of A, B and C. i-k-j order: the inner loop walks rows of B and
 * C contiguously, which the JIT turns into a tight loop.
 */
export function matmulInto(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[ci + k] as number;
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + aik * (b[bk + j] as number);
    }
  }
}

/** Times `repeats` calls of `run` with the wall clock `now`, in milliseconds. */
const wallMs = (now: () => number, repeats: number, run: () => void): number => {
  const t = now();
  for (let r = 0; r < repeats; r++) run();
  return now() - t;
};

/** The CPU benchmarks, timed with `now` (ms); `sizes` only shrinks them for tests. */
export function cpuBenches(now: () => number, sizes: CpuSizes = CPU_SIZES): Record<CpuBenchId, BenchSetup> {
  // One work size: calibration only scales the repeats.
  const fixed = (bytes: number, run: () => void, bytesPerRun: number): BenchWork => ({
    startSize: 1,
    maxSize: 1,
    timeMs: async (_size, repeats) => wallMs(now, repeats, run),
    amount: (_size, repeats) => bytesPerRun * repeats,
    describe: (_size, repeats) => `${bytes / MiB} MiB × ${repeats}`,
    timing: () => 'wall-clock',
  });
  return {
    'cpu-read': async () => {
      const bytes = sizes.readBytes;
      const wasm = await instantiateWasmBench(bytes);
      // Untouched pages all map to one shared zero page that sits in cache: write them so reads hit DRAM.
      new Float64Array(wasm.memory.buffer, 0, bytes / 8).fill(1);
      return fixed(bytes, () => wasm.sum(0, bytes), bytes);
    },
    'cpu-copy': async () => {
      const half = sizes.copyBytes;
      const wasm = await instantiateWasmBench(2 * half);
      new Float64Array(wasm.memory.buffer, 0, (2 * half) / 8).fill(1);
      return fixed(half, () => wasm.copy(half, 0, half), 2 * half);
    },
    'cpu-matmul-f32': async () => {
      const maxN = sizes.matmulMaxN;
      const a = new Float32Array(maxN * maxN).map((_, i) => ((i * 7) % 13) / 13);
      const b = new Float32Array(maxN * maxN).map((_, i) => ((i * 5) % 11) / 11);
      const c = new Float32Array(maxN * maxN);
      return {
        startSize: Math.min(64, maxN),
        maxSize: maxN,
        timeMs: async (n, repeats) => wallMs(now, repeats, () => matmulInto(a, b, c, n)),
        amount: (n, repeats) => 2 * n ** 3 * repeats,
        describe: (n, repeats) => `N = ${n} × ${repeats}`,
        timing: () => 'wall-clock',
      };
    },
  };
}
