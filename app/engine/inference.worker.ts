/**
 * The inference worker's entry: wires transformers.js, GPU device-loss tracking and fault injection to the request
 * handler (worker/handler.ts), and forwards every message to it. Nothing else happens here.
 */
import { InterruptableStoppingCriteria } from '@huggingface/transformers';
import type { Request, WorkerEvent } from './protocol.ts';
import { DeviceLossTracker } from './worker/device-loss.ts';
import { GpuMemoryCounter } from './worker/gpu-memory.ts';
import { createInferenceHandler } from './worker/handler.ts';
import { createTransformersRuntime } from './worker/transformers-runtime.ts';

declare const self: DedicatedWorkerGlobalScope;

const stopping = new InterruptableStoppingCriteria();
const deviceLoss = new DeviceLossTracker(() => stopping.interrupt());
// Before the runtime first asks for a device: the runtime keeps its GPUDevice private.
const gpuMemory = new GpuMemoryCounter();
if (typeof GPUAdapter !== 'undefined') {
  deviceLoss.install(GPUAdapter.prototype);
  gpuMemory.install(GPUAdapter.prototype);
}

const handle = createInferenceHandler({
  runtime: createTransformersRuntime(stopping),
  post: (event: WorkerEvent) => self.postMessage(event),
  deviceLoss,
  gpuMemory,
  // An uncaught exception outside any request's promise: the worker's `error` event, as a real crash gives.
  crash: () =>
    queueMicrotask(() => {
      throw new Error('Simulated worker crash');
    }),
  hang: () =>
    setTimeout(() => {
      for (;;) {
        // A wedged worker: never yields.
      }
    }, 0),
});

self.addEventListener('message', (event: MessageEvent<Request>) => void handle(event.data));
