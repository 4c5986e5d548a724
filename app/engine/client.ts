/**
 * Main-thread side of the inference worker: request ids, promises, event routing, and a watchdog that
 * replaces a crashed or wedged worker. Knows nothing about React; stores subscribe to it.
 */
import type { EngineError } from './errors.ts';
import {
  type CapabilityReport,
  type Device,
  type Dtype,
  type ErrorCode,
  type FirstRequestTiming,
  type LoadedModel,
  type ModelSource,
  type RepetitionTiming,
  type Request,
  RUN_CONTROL,
  type RunMemoryReport,
  type RunParams,
  type TextScore,
  type WarmupReport,
  type WorkerEvent,
} from './protocol.ts';

/** An engine failure with a code the UI can act on. */
export class EngineFailure extends Error implements EngineError {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

export interface RunHandlers {
  onWarmup?: (warmup: WarmupReport, firstRequest: FirstRequestTiming | null) => void;
  onToken?: (token: { rep: number; index: number; timeMs: number; text: string }) => void;
  onRepetition?: (timing: RepetitionTiming) => void;
  /** Once, after the last repetition: the memory the worker measured. */
  onMemory?: (memory: RunMemoryReport) => void;
}

export interface ProgressInfo {
  file: string;
  loadedBytes: number;
  totalBytes: number;
}

interface Pending {
  onEvent: (event: WorkerEvent) => void;
  reject: (error: Error) => void;
  /** Longest silence from the worker tolerated while this request is open. */
  silenceLimitMs: number;
}

/** How long the worker may stay silent before it is declared wedged and replaced. */
const SILENCE_LIMIT_MS: Record<Request['type'], number> = {
  capabilities: 30_000,
  load: 600_000,
  run: 120_000,
  score: 300_000,
  interrupt: 0,
  dispose: 30_000,
  simulate: 0,
};

export type EngineNotice = { kind: 'replaced'; reason: string };

export class EngineClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private lastHeardAt = performance.now();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<(notice: EngineNotice) => void>();
  /** The shared control word of the run in progress (see RUN_CONTROL). */
  private runControl: Int32Array | null = null;

  constructor(
    private readonly createWorker: () => Worker,
    /** Overrides every silence limit (tests use a short one to exercise the wedge detection). */
    private readonly silenceLimitOverrideMs: number | null = null,
  ) {
    this.worker = this.spawn();
  }

  /** Called when the worker had to be replaced (crash or wedge); the loaded model is gone. */
  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  capabilities(): Promise<CapabilityReport> {
    return this.call({ type: 'capabilities' }, (event, done) => {
      if (event.type === 'capabilities') done(event.report);
    });
  }

  /**
   * Loads a model. Aborting the signal stops the load at once, downloads included: the worker is replaced (the
   * runtime cannot cancel its fetches) and the promise rejects with an AbortError; no model is loaded then.
   */
  load(
    source: ModelSource,
    dtype: Dtype,
    device: Device,
    onProgress?: (p: ProgressInfo) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModel> {
    return this.call(
      { type: 'load', source, dtype, device },
      (event, done) => {
        if (event.type === 'progress') onProgress?.(event);
        else if (event.type === 'loaded') done(event.model);
      },
      undefined,
      signal,
    );
  }

  /**
   * Runs R timed repetitions after a warm-up. Aborting the signal interrupts at the next token;
   * the promise then resolves with `interrupted: true` and the completed repetitions have already been reported.
   */
  run(params: RunParams, handlers: RunHandlers, signal?: AbortSignal): Promise<{ interrupted: boolean }> {
    let runId = 0;
    const interruptFlag =
      typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated !== false
        ? new Int32Array(new SharedArrayBuffer(4))
        : undefined;
    this.runControl = interruptFlag ?? null;
    const onAbort = () => {
      if (interruptFlag) Atomics.store(interruptFlag, 0, RUN_CONTROL.interrupt);
      this.send({ type: 'interrupt', id: this.nextId++, target: runId });
    };
    const promise = this.call<{ interrupted: boolean }>(
      { type: 'run', ...params, interruptFlag },
      (event, done) => {
        if (event.type === 'warmup') handlers.onWarmup?.(event.warmup, event.firstRequest);
        else if (event.type === 'tokens') {
          const last = event.tokens.length - 1;
          for (const [i, t] of event.tokens.entries()) {
            handlers.onToken?.({ rep: event.rep, ...t, text: i === last ? event.text : '' });
          }
        } else if (event.type === 'repetition') handlers.onRepetition?.(event.timing);
        else if (event.type === 'memory') handlers.onMemory?.(event.memory);
        else if (event.type === 'done') done({ interrupted: event.interrupted });
      },
      (id) => {
        runId = id;
      },
    );
    if (signal) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      promise.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => {});
    }
    return promise;
  }

  /** Scores a text; aborting stops it at once by replacing the worker (the model is gone then), as for load. */
  score(text: string, maxTokens: number, topK: number, signal?: AbortSignal): Promise<TextScore> {
    return this.call(
      { type: 'score', text, maxTokens, topK },
      (event, done) => {
        if (event.type === 'scored') done(event.score);
      },
      undefined,
      signal,
    );
  }

  dispose(): Promise<void> {
    return this.call({ type: 'dispose' }, (event, done) => {
      if (event.type === 'disposed') done(undefined);
    });
  }

  /**
   * Fault injection for tests. A crash or a lost device is signalled through the running repetition's shared
   * flag too, because the worker reads no messages until the repetition ends.
   */
  simulate(action: 'crash' | 'hang' | 'lose-device') {
    if (this.runControl && action !== 'hang') {
      Atomics.store(this.runControl, 0, action === 'crash' ? RUN_CONTROL.crash : RUN_CONTROL.loseDevice);
    }
    this.send({ type: 'simulate', id: this.nextId++, action });
  }

  /**
   * Starts a fresh worker. Used after a failed load: a runtime that choked on a corrupt or oversized model
   * may be left in a broken state, and a new worker costs little.
   */
  restart() {
    this.worker.terminate();
    this.failAll('worker-crashed', 'The engine was restarted.');
    this.worker = this.spawn();
  }

  /** Stops the worker for good (page teardown). */
  terminate() {
    this.worker.terminate();
    if (this.watchdog) clearInterval(this.watchdog);
    this.failAll('worker-crashed', 'The engine was shut down.');
  }

  // ------------------------------------------------------------ internals

  /**
   * Sends a request and routes its events. With `stopSignal`, aborting rejects the request with an AbortError and
   * replaces the worker: the only way to stop work the worker cannot interrupt (a download, a forward pass).
   */
  private call<T>(
    request: DistributiveOmit<Request, 'id'>,
    route: (event: WorkerEvent, done: (value: T) => void) => void,
    onId?: (id: number) => void,
    stopSignal?: AbortSignal,
  ): Promise<T> {
    const id = this.nextId++;
    onId?.(id);
    if (stopSignal?.aborted) return Promise.reject(abortError(stopSignal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const pending = this.pending.get(id);
        if (!pending) return;
        pending.reject(abortError(stopSignal));
        this.restart();
      };
      stopSignal?.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        this.pending.delete(id);
        stopSignal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        silenceLimitMs: this.silenceLimitOverrideMs ?? SILENCE_LIMIT_MS[request.type],
        reject: (error) => {
          finish();
          reject(error);
        },
        onEvent: (event) => {
          if (event.type === 'error') {
            finish();
            reject(new EngineFailure(event.code, event.message));
            return;
          }
          route(event, (value) => {
            finish();
            resolve(value);
          });
        },
      });
      this.lastHeardAt = performance.now();
      this.send({ ...request, id } as Request);
    });
  }

  private send(request: Request) {
    this.worker.postMessage(request);
  }

  private spawn(): Worker {
    const worker = this.createWorker();
    worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => {
      this.lastHeardAt = performance.now();
      this.pending.get(event.data.id)?.onEvent(event.data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.replace(`The inference worker crashed (${event.message || 'no message'}).`);
    });
    worker.addEventListener('messageerror', () =>
      this.replace('The inference worker sent an unreadable message.'),
    );
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(() => this.checkSilence(), 1_000);
    return worker;
  }

  private checkSilence() {
    if (this.pending.size === 0) return;
    const limit = Math.max(...[...this.pending.values()].map((p) => p.silenceLimitMs));
    if (limit > 0 && performance.now() - this.lastHeardAt > limit) {
      this.replace(
        `The inference worker stopped responding for ${Math.round(limit / 1000)} s and was restarted.`,
      );
    }
  }

  private replace(reason: string) {
    this.worker.terminate();
    this.failAll('worker-crashed', `${reason} The model has to be loaded again.`);
    this.worker = this.spawn();
    for (const listener of this.listeners) listener({ kind: 'replaced', reason });
  }

  private failAll(code: ErrorCode, message: string) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new EngineFailure(code, message));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The rejection of an aborted call: the signal's reason when it is an AbortError, else a new one. */
export function abortError(signal: AbortSignal | undefined): DOMException {
  const reason: unknown = signal?.reason;
  return reason instanceof DOMException && reason.name === 'AbortError'
    ? reason
    : new DOMException('The operation was aborted.', 'AbortError');
}

/** True for the rejection of an aborted call. */
export const isAbortError = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';
