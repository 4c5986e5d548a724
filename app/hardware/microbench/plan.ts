/**
 * Which benchmarks a suite runs, which it skips and why, and how much time each gets. Pure: the handler feeds it
 * what the request asked for and what the GPU turned out to have.
 */
import type { BenchBackend, BenchId } from '../microbench.ts';

export type PlannedStep = { bench: BenchId; run: true } | { bench: BenchId; run: false; reason: string };

const CPU_ORDER: readonly BenchId[] = ['cpu-read', 'cpu-copy', 'cpu-matmul-f32'];
const GPU_ORDER: readonly BenchId[] = ['gpu-read', 'gpu-copy', 'gpu-matmul-f32', 'gpu-matmul-f16'];

export const NO_F16_REASON = 'This adapter has no shader-f16 feature, so there is no f16 matmul to measure.';

/**
 * The suite's steps in the order they run: the CPU benchmarks when `wasm` is asked for, then the GPU ones when
 * `webgpu` is. Without a GPU every GPU step is a skip carrying `gpuReason`; without shader-f16 the f16 matmul is.
 * A backend that was not asked for has no steps at all.
 */
export function planSuite(input: {
  backends: readonly BenchBackend[];
  gpu: { hasF16: boolean } | null;
  gpuReason: string | null;
}): PlannedStep[] {
  const steps: PlannedStep[] = [];
  if (input.backends.includes('wasm')) for (const bench of CPU_ORDER) steps.push({ bench, run: true });
  if (input.backends.includes('webgpu')) {
    for (const bench of GPU_ORDER) {
      if (!input.gpu) steps.push({ bench, run: false, reason: input.gpuReason ?? 'WebGPU is unavailable.' });
      else if (bench === 'gpu-matmul-f16' && !input.gpu.hasF16)
        steps.push({ bench, run: false, reason: NO_F16_REASON });
      else steps.push({ bench, run: true });
    }
  }
  return steps;
}

/** The shortest time any benchmark is given, ms, however late it starts. */
export const MIN_SHARE_MS = 200;

/**
 * When the benchmark starting at `nowMs` must stop sampling: an equal share of what is left of the plan among the
 * `remaining` benchmarks still to run (this one included), and never less than MIN_SHARE_MS.
 * deadline = now + max(MIN_SHARE_MS, (planEnd − now) / max(1, remaining)).
 */
export const shareDeadlineMs = (nowMs: number, planEndMs: number, remaining: number): number =>
  nowMs + Math.max(MIN_SHARE_MS, (planEndMs - nowMs) / Math.max(1, remaining));
