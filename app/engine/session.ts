/**
 * The one owner of the inference worker. Every caller (Measure, the sweep, quality scoring, the bench page, later
 * lessons and the room) goes through `session.exclusive()`: a one-at-a-time queue, so two drivers never interleave
 * a load of one model with a run of another. Every call is abortable, whether queued, loading, running or
 * scoring. The session knows which model the worker holds, and fills in the lab-wide Hub host on every load.
 * The worker is created on first use, never when a module is imported.
 */
import {
  abortError,
  EngineClient,
  type EngineNotice,
  isAbortError,
  type ProgressInfo,
  type RunHandlers,
} from './client.ts';
import { hubHost } from './hub-host.ts';
import type {
  CapabilityReport,
  Device,
  Dtype,
  LoadedModel,
  ModelSource,
  RunParams,
  TextScore,
} from './protocol.ts';

/**
 * What a caller asks to load. A Hub model names no host: the session uses the lab-wide Hub host setting, so no
 * caller can forget it (a `ModelSource` that carries a host is accepted, and its host ignored).
 */
export type ModelRef =
  | { kind: 'embedded'; id: string }
  | { kind: 'hub'; id: string }
  | { kind: 'files'; id: string; files: Record<string, File> };

/** The worker's source for a model reference, with the Hub host the load will use. */
export function resolveSource(ref: ModelRef, host: string): ModelSource {
  switch (ref.kind) {
    case 'embedded':
      return { kind: 'embedded', id: ref.id };
    case 'hub':
      return { kind: 'hub', id: ref.id, host };
    case 'files':
      return { kind: 'files', id: ref.id, files: ref.files };
    default:
      return ref satisfies never;
  }
}

const sourceKey = (source: ModelSource, dtype: Dtype, device: Device) =>
  source.kind === 'files'
    ? `files:${source.id}:${Object.keys(source.files).length}:${dtype}:${device}`
    : `${source.kind}:${source.kind === 'hub' ? source.host : ''}:${source.id}:${dtype}:${device}`;

/** The engine, as lent to one job of the queue. Every call is aborted with the job's signal. */
export interface EngineLease {
  /** Loads a model unless the same one (same source, Hub host, dtype, device) is already loaded. */
  load(
    ref: ModelRef,
    settings: { dtype: Dtype; device: Device },
    onProgress?: (progress: ProgressInfo) => void,
  ): Promise<{ model: LoadedModel; reused: boolean }>;
  /** Warm-up and R repetitions on the loaded model; an abort interrupts at the next token and resolves. */
  run(params: RunParams, handlers: RunHandlers): Promise<{ interrupted: boolean }>;
  /** Teacher-forced scoring on the loaded model. */
  score(text: string, maxTokens: number, topK: number): Promise<TextScore>;
}

export class EngineSession {
  private client: EngineClient | null = null;
  private tail: Promise<void> = Promise.resolve();
  private loaded: { key: string; model: LoadedModel } | null = null;
  private capabilitiesPromise: Promise<CapabilityReport> | null = null;
  private readonly listeners = new Set<(notice: EngineNotice) => void>();

  constructor(
    private readonly createClient: () => EngineClient,
    /** The Hub host every load uses, read when the load starts. */
    private readonly currentHubHost: () => string = hubHost,
  ) {}

  /** The browser's capabilities, asked once (and again after the worker is replaced). Not queued: it changes nothing. */
  capabilities(): Promise<CapabilityReport> {
    if (!this.capabilitiesPromise) {
      const asked = this.engine().capabilities();
      this.capabilitiesPromise = asked;
      asked.catch(() => {
        if (this.capabilitiesPromise === asked) this.capabilitiesPromise = null;
      });
    }
    return this.capabilitiesPromise;
  }

  /** The model the worker holds now, if any. */
  loadedModel(): LoadedModel | null {
    return this.loaded?.model ?? null;
  }

  /** Called when the worker had to be replaced (crash or wedge); the loaded model is gone. */
  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `job` with the engine to itself, after the jobs queued before it. Aborting `signal` while queued
   * rejects with an AbortError and the job never starts; while it runs, the lease's calls are aborted.
   */
  exclusive<T>(signal: AbortSignal | undefined, job: (engine: EngineLease) => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release = () => {};
    const slot = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.tail = previous.then(() => slot);
    if (signal?.aborted) {
      release();
      return Promise.reject(abortError(signal));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbortWhileQueued = () => {
        release();
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbortWhileQueued, { once: true });
      void previous.then(async () => {
        signal?.removeEventListener('abort', onAbortWhileQueued);
        if (signal?.aborted) return; // rejected and released already
        let open = true;
        const lease = this.lease(signal, () => open);
        try {
          resolve(await job(lease));
        } catch (error) {
          reject(error);
        } finally {
          open = false;
          release();
        }
      });
    });
  }

  /** Fault injection for end-to-end tests (?debug): crash, wedge, or lose the GPU device. */
  simulate(action: 'crash' | 'hang' | 'lose-device') {
    this.engine().simulate(action);
  }

  /**
   * A fresh worker, without the loaded model. Used after a failed load or a lost device: the runtime shares state
   * across its backends and may be left broken, and a new worker costs little.
   */
  restart() {
    this.client?.restart();
    this.loaded = null;
    this.capabilitiesPromise = null;
  }

  // ------------------------------------------------------------ internals

  private engine(): EngineClient {
    if (!this.client) {
      const client = this.createClient();
      client.onNotice((notice) => {
        // A replaced worker starts without a model.
        this.loaded = null;
        for (const listener of this.listeners) listener(notice);
      });
      this.client = client;
    }
    return this.client;
  }

  private lease(signal: AbortSignal | undefined, isOpen: () => boolean): EngineLease {
    const check = () => {
      if (!isOpen()) throw new Error('This engine lease has ended: queue a new job.');
      if (signal?.aborted) throw abortError(signal);
    };
    return {
      load: async (ref, settings, onProgress) => {
        check();
        const source = resolveSource(ref, this.currentHubHost());
        const key = sourceKey(source, settings.dtype, settings.device);
        if (this.loaded?.key === key) return { model: this.loaded.model, reused: true };
        // Another model is measured in a fresh worker: nothing the previous one left behind (a WASM heap grown to
        // its size, the allocator's state, kernels the engine compiled and tiered up) can move this one's figures,
        // so the order of a sweep cannot change its results, and its first request is as cold as on a new page.
        if (this.loaded !== null) this.restart();
        try {
          const model = await this.engine().load(source, settings.dtype, settings.device, onProgress, signal);
          this.loaded = { key, model };
          return { model, reused: false };
        } catch (error) {
          // An aborted load already replaced the worker; a failed one may have left the runtime broken.
          if (isAbortError(error)) this.loaded = null;
          else this.restart();
          throw error;
        }
      },
      run: (params, handlers) => {
        check();
        return this.engine().run(params, handlers, signal);
      },
      score: async (text, maxTokens, topK) => {
        check();
        try {
          return await this.engine().score(text, maxTokens, topK, signal);
        } catch (error) {
          // An aborted score replaced the worker: the model is gone.
          if (isAbortError(error)) this.loaded = null;
          throw error;
        }
      },
    };
  }
}

/** The page's one engine session. `?debug&watchdogMs=N` shortens the wedge detection for tests. */
export const session = new EngineSession(() => {
  const params = new URLSearchParams(location.search);
  const override = params.has('debug') ? Number(params.get('watchdogMs')) || null : null;
  return new EngineClient(
    () =>
      new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }),
    override,
  );
});
