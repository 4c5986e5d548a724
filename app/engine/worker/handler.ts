/**
 * The inference worker's request handler: what each request does, on top of a runtime (transformers.js in the
 * worker, a fake in tests). The worker entry only forwards messages here.
 * Lifecycle after transformers.js-examples: capabilities → load (with progress) → warm-up → run / interrupt → dispose.
 */
import { classifyError } from '../errors.ts';
import { type Request, RUN_CONTROL, type WorkerEvent } from '../protocol.ts';
import { textScoreOf } from '../scoring.ts';
import { NO_PRIOR_WORK, type PriorWork, STEADY_STATE_RULES, type SteadyStateRules } from '../steady-state.ts';
import type { DeviceLossTracker } from './device-loss.ts';
import type { GpuMemoryCounter } from './gpu-memory.ts';
import { checkRunRequest, runRepetitions } from './run-loop.ts';
import type { RunControlWord, Runtime, RuntimeModel } from './runtime.ts';

export interface HandlerDeps {
  runtime: Runtime;
  post: (event: WorkerEvent) => void;
  deviceLoss: Pick<DeviceLossTracker, 'disposing' | 'lost' | 'loseNow' | 'takeLoss'>;
  /** Fault injection (tests, ?debug): an uncaught exception, as a real crash gives. */
  crash: () => void;
  /** Fault injection: a worker that never yields again. */
  hang: () => void;
  /** When the warm-up is steady; the lab's rules unless a test needs shorter warm-ups. */
  warmupRules?: SteadyStateRules;
  /** Counts GPU buffer bytes (the worker entry installs it on GPUAdapter.prototype); absent in tests. */
  gpuMemory?: Pick<GpuMemoryCounter, 'startRun' | 'reading'>;
}

/** Returns the function that handles one request; it never rejects (failures are posted as `error` events). */
export function createInferenceHandler(deps: HandlerDeps): (request: Request) => Promise<void> {
  const { runtime, post, deviceLoss } = deps;
  let loaded: RuntimeModel | null = null;
  /** The loaded model has generated (a run started on it): its next warm-up is no longer a cold first request. */
  let generatedSinceLoad = false;
  /** What the loaded model generated since its load (warm-ups and repetitions): it counts towards the warm-up. */
  let loadWork: PriorWork = NO_PRIOR_WORK;
  let runningId: number | null = null;

  const loseDevicesNow = () => {
    if (loaded?.info.device === 'webgpu') deviceLoss.loseNow();
  };

  /** Throws the recorded device loss; the loaded model's GPU buffers are gone with the device. */
  const throwIfDeviceLost = () => {
    const loss = deviceLoss.takeLoss();
    if (loss === null) return;
    loaded = null;
    throw loss;
  };

  const control = (flag: Int32Array | undefined): RunControlWord => ({
    flag,
    onSignal: (value) => {
      if (value === RUN_CONTROL.interrupt) runtime.stopping.interrupt();
      else if (value === RUN_CONTROL.loseDevice) loseDevicesNow();
      else if (value === RUN_CONTROL.crash) deps.crash();
    },
  });

  async function dispose() {
    const current = loaded;
    loaded = null;
    deviceLoss.disposing = true;
    try {
      if (current) await current.dispose();
    } finally {
      deviceLoss.disposing = false;
    }
  }

  async function load(request: Extract<Request, { type: 'load' }>) {
    const { id } = request;
    await dispose();
    const model = await runtime.load(
      request.source,
      request.dtype,
      request.device,
      (file, loadedBytes, totalBytes) => post({ type: 'progress', id, file, loadedBytes, totalBytes }),
    );
    loaded = model;
    generatedSinceLoad = false;
    loadWork = NO_PRIOR_WORK;
    post({ type: 'loaded', id, model: model.info });
  }

  async function run(request: Extract<Request, { type: 'run' }>) {
    const { id } = request;
    const model = loaded;
    if (!model)
      return post({ type: 'error', id, code: 'not-loaded', message: 'Load a model before running.' });
    const problem = checkRunRequest(request, model.info.maxContextTokens);
    if (problem) return post({ type: 'error', id, code: 'bad-request', message: problem });
    runningId = id;
    const firstAfterLoad = !generatedSinceLoad;
    generatedSinceLoad = true;
    const priorWork = loadWork;
    const add = (tokens: number, durationMs: number) => {
      loadWork = { tokens: loadWork.tokens + tokens, durationMs: loadWork.durationMs + durationMs };
    };
    const countingPost = (event: WorkerEvent) => {
      if (event.type === 'warmup') add(event.warmup.tokens, event.warmup.durationMs);
      else if (event.type === 'repetition') add(event.timing.tokenTimesMs.length, event.timing.e2eMs);
      post(event);
    };
    try {
      const interrupted = await runRepetitions(request, {
        model,
        stopping: runtime.stopping,
        post: countingPost,
        control: control(request.interruptFlag),
        throwIfDeviceLost,
        firstAfterLoad,
        warmupRules: deps.warmupRules ?? STEADY_STATE_RULES,
        priorWork,
        ...(deps.gpuMemory ? { gpuMemory: deps.gpuMemory } : {}),
      });
      post({ type: 'done', id, interrupted });
    } finally {
      runningId = null;
    }
  }

  async function score(request: Extract<Request, { type: 'score' }>) {
    const { id } = request;
    const model = loaded;
    if (!model)
      return post({ type: 'error', id, code: 'not-loaded', message: 'Load a model before scoring.' });
    const { ids, logits, vocab } = await model.forward(request.text, Math.max(2, request.maxTokens));
    post({ type: 'scored', id, score: textScoreOf(ids, logits, vocab, request.topK) });
  }

  async function handle(request: Request): Promise<void> {
    switch (request.type) {
      case 'capabilities':
        return post({ type: 'capabilities', id: request.id, report: await runtime.capabilities() });
      case 'load':
        return load(request);
      case 'run':
        return run(request);
      case 'score':
        return score(request);
      case 'interrupt':
        if (runningId === request.target) runtime.stopping.interrupt();
        return;
      case 'dispose':
        await dispose();
        return post({ type: 'disposed', id: request.id });
      case 'simulate':
        if (request.action === 'crash') deps.crash();
        else if (request.action === 'hang') deps.hang();
        else loseDevicesNow();
        return;
      default:
        request satisfies never;
    }
  }

  return async (request) => {
    try {
      await handle(request);
    } catch (caught) {
      let error = caught;
      // A lost device makes the runtime fail with buffer-mapping errors; say what actually happened.
      if (deviceLoss.lost) {
        try {
          throwIfDeviceLost();
        } catch (lost) {
          error = lost;
        }
      }
      const { code, message } = classifyError(error);
      post({ type: 'error', id: request.id, code, message });
    }
  };
}
