/**
 * One measurement, end to end: load (or reuse) the model, warm up, run R repetitions, and build the
 * RunResult as each repetition lands. Used by the Measure page, the sweep runner and the bench CLI.
 */

import { type EnvironmentStamp, newRunId, type RunResult, type RunSettings } from '../run/run.ts';
import { EngineFailure, engine, type ProgressInfo } from './client.ts';
import type { CapabilityReport, LoadedModel, ModelSource } from './protocol.ts';
import { wasHiddenBetween } from './visibility.ts';

export interface MeasureHooks {
  /** Called with the growing result: after load, after each repetition, and at the end. */
  onUpdate?: (run: RunResult) => void;
  onProgress?: (progress: ProgressInfo) => void;
  onLoaded?: (model: LoadedModel) => void;
  onWarmup?: (durationMs: number) => void;
  onToken?: (token: { rep: number; index: number; timeMs: number; text: string }) => void;
}

let capabilitiesPromise: Promise<CapabilityReport> | null = null;
/** The browser's capabilities, asked once per page (and again after the worker is replaced). */
export function capabilities(): Promise<CapabilityReport> {
  capabilitiesPromise ??= engine().capabilities();
  capabilitiesPromise.catch(() => {
    capabilitiesPromise = null;
  });
  return capabilitiesPromise;
}

let current: { key: string; model: LoadedModel } | null = null;
// A replaced worker (crash, wedge) starts without a model.
engine().onNotice(() => {
  current = null;
});

const sourceKey = (source: ModelSource, dtype: string, device: string) =>
  source.kind === 'files'
    ? `files:${source.id}:${Object.keys(source.files).length}:${dtype}:${device}`
    : `${source.kind}:${source.kind === 'hub' ? source.host : ''}:${source.id}:${dtype}:${device}`;

/** Loads a model unless the same one is already loaded on the same device. */
export async function ensureLoaded(
  source: ModelSource,
  settings: Pick<RunSettings, 'dtype' | 'device'>,
  onProgress?: (p: ProgressInfo) => void,
): Promise<{ model: LoadedModel; reused: boolean }> {
  const key = sourceKey(source, settings.dtype, settings.device);
  if (current?.key === key) return { model: current.model, reused: true };
  current = null;
  const model = await engine()
    .load(source, settings.dtype, settings.device, onProgress)
    .catch((error: unknown) => {
      restartEngine();
      throw error;
    });
  current = { key, model };
  return { model, reused: false };
}

/**
 * A fresh worker, without the loaded model. Used after a failed load or a lost device: the runtime shares state
 * across its backends and may be left broken, and a new worker costs little.
 */
function restartEngine() {
  engine().restart();
  current = null;
  capabilitiesPromise = null;
}

function stamp(report: CapabilityReport, model: LoadedModel): EnvironmentStamp {
  return {
    userAgent: report.userAgent,
    transformersVersion: report.transformersVersion,
    onnxruntimeVersion: report.onnxruntimeVersion,
    device: model.device,
    adapter: model.device === 'webgpu' ? report.webgpu : null,
    crossOriginIsolated: report.crossOriginIsolated,
    wasmThreads: report.wasmThreads,
    hardwareConcurrency: report.hardwareConcurrency,
    timerResolutionMs: report.timerResolutionMs,
  };
}

/**
 * Runs one measurement. Never throws: failures end in a result with status 'failed' (nothing measured)
 * or 'partial' (some repetitions kept), and a note saying why.
 */
export async function runMeasurement(
  settings: RunSettings,
  source: ModelSource,
  hooks: MeasureHooks = {},
  signal?: AbortSignal,
): Promise<RunResult> {
  const result: RunResult = {
    id: newRunId(),
    createdAt: new Date().toISOString(),
    name: `${settings.modelId} ${settings.dtype} ${settings.device} P${settings.promptTokens} G${settings.genTokens}`,
    tags: [],
    settings: { ...settings },
    env: {
      userAgent: navigator.userAgent,
      transformersVersion: 'unknown',
      onnxruntimeVersion: 'unknown',
      device: settings.device,
      adapter: null,
      crossOriginIsolated,
      wasmThreads: 1,
      hardwareConcurrency: navigator.hardwareConcurrency || 1,
      timerResolutionMs: Number.NaN,
    },
    load: { ms: 0, fromCache: false, downloadedBytes: 0 },
    warmupMs: null,
    repetitions: [],
    status: 'running',
    notes: [],
  };
  const update = () => hooks.onUpdate?.(structuredClone(result));
  try {
    const report = await capabilities();
    const { model, reused } = await ensureLoaded(source, settings, hooks.onProgress);
    hooks.onLoaded?.(model);
    result.env = stamp(report, model);
    result.settings.device = model.device;
    result.load = reused
      ? { ms: 0, fromCache: true, downloadedBytes: 0 }
      : { ms: model.loadMs, fromCache: model.fromCache, downloadedBytes: model.downloadedBytes };
    if (reused) result.notes.push('Model was already loaded: load time not measured for this run.');
    if (model.fallbackReason) result.notes.push(model.fallbackReason);
    if (result.env.adapter?.isFallbackAdapter) {
      result.notes.push(
        'WebGPU ran on a software (fallback) adapter: its timings say nothing about real GPUs.',
      );
    }
    if (!report.crossOriginIsolated) {
      result.notes.push(
        'Page not cross-origin isolated: WASM runs single-threaded and timers are coarse (100 µs).',
      );
    }
    update();
    if (signal?.aborted) throw new DOMException('Interrupted before the first repetition', 'AbortError');

    const { interrupted } = await engine().run(
      settings,
      {
        onWarmup: (durationMs) => {
          result.warmupMs = durationMs;
          hooks.onWarmup?.(durationMs);
        },
        onToken: hooks.onToken,
        onRepetition: (timing) => {
          const hidden = wasHiddenBetween(timing.startEpochMs, timing.endEpochMs);
          result.repetitions.push({ ...timing, hidden });
          if (hidden && !result.notes.some((n) => n.startsWith('The tab was hidden'))) {
            result.notes.push('The tab was hidden during some repetitions; those are marked invalid.');
          }
          update();
        },
      },
      signal,
    );
    result.status = interrupted ? 'partial' : 'complete';
    if (interrupted)
      result.notes.push(`Interrupted: ${completedReps(result)} of ${settings.reps} repetitions completed.`);
  } catch (error) {
    const failure =
      error instanceof EngineFailure
        ? error
        : new EngineFailure('unknown', error instanceof Error ? error.message : String(error));
    if (error instanceof DOMException && error.name === 'AbortError') {
      result.status = 'partial';
      result.notes.push('Interrupted before any repetition completed.');
    } else {
      result.status = result.repetitions.length > 0 ? 'partial' : 'failed';
      result.notes.push(failure.message);
      // A crashed worker was already replaced (and the model forgotten) by the engine's notice.
      if (failure.code === 'device-lost') restartEngine();
    }
    result.error = { code: failure.code, message: failure.message };
  }
  update();
  return structuredClone(result);
}

const completedReps = (run: RunResult) => run.repetitions.filter((r) => !r.partial).length;
