/**
 * Device microbenchmarks, off the main thread. The entry only dispatches to microbench/handler.ts with the real
 * runtime: postMessage, performance.now, the WASM/JS CPU benchmarks and WebGPU. Cancellation and the hard time
 * bound are the page's job (it terminates this worker); the suite plans its work to finish well inside the bound.
 */

import { cpuBenches } from './microbench/cpu-suite.ts';
import { openWebGpu } from './microbench/gpu-suite.ts';
import { createMicrobenchHandler } from './microbench/handler.ts';
import type { MicrobenchRequest } from './microbench.ts';

const now = () => performance.now();

const handle = createMicrobenchHandler({
  post: (e) => postMessage(e),
  now,
  cpuBenches: () => cpuBenches(now),
  openGpu: () => openWebGpu(navigator.gpu, now),
});

addEventListener('message', (e: MessageEvent<MicrobenchRequest>) => {
  void handle(e.data);
});
