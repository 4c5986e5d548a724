/**
 * One measurement, end to end: wait for the engine, load (or reuse) the model, warm up, run R repetitions, and
 * build the RunResult as each repetition lands. Used by the Measure page, the sweep runner and the bench CLI,
 * all through the engine session's queue.
 */

import { participantName } from '../run/participant.ts';
import {
  cachedPrefixOf,
  type EnvironmentStamp,
  newRunId,
  type RunResult,
  type RunSettings,
  sequencesOf,
} from '../run/run.ts';
import { EngineFailure, isAbortError, type ProgressInfo } from './client.ts';
import { measureHeapBytes } from './heap.ts';
import { type PressureRecorder, startPressureRecorder } from './pressure.ts';
import type { CapabilityReport, LoadedModel, RunParams, WarmupReport } from './protocol.ts';
import { type ModelRef, session } from './session.ts';
import { unsettledNote } from './steady-state.ts';
import { wasHiddenBetween } from './visibility.ts';
import { weightSha256For } from './weight-hashes.ts';

export interface MeasureHooks {
  /** Called with the growing result: after load, after each repetition, and at the end. */
  onUpdate?: (run: RunResult) => void;
  onProgress?: (progress: ProgressInfo) => void;
  onLoaded?: (model: LoadedModel) => void;
  onWarmup?: (warmup: WarmupReport) => void;
  onToken?: (token: { rep: number; index: number; timeMs: number; text: string }) => void;
  /** Called when the engine is free for this measurement (another caller may hold it first). */
  onStarted?: () => void;
}

/** Where a measurement stood when it was interrupted, for the note that says so. */
type Stage = 'queued' | 'loading' | 'running';

const INTERRUPTED_NOTE: Record<Stage, string> = {
  queued: 'Interrupted while waiting for the engine: nothing was measured.',
  loading: 'Interrupted while the model was loading: the download was stopped and nothing was measured.',
  running: 'Interrupted before any repetition completed.',
};

function stamp(report: CapabilityReport, model: Pick<LoadedModel, 'device'>): EnvironmentStamp {
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
  source: ModelRef,
  hooks: MeasureHooks = {},
  signal?: AbortSignal,
): Promise<RunResult> {
  const result: RunResult = {
    id: newRunId(),
    createdAt: new Date().toISOString(),
    name: `${settings.modelId} ${settings.dtype} ${settings.device} P${settings.promptTokens} G${settings.genTokens}${sequencesOf(settings) > 1 ? ` B${sequencesOf(settings)}` : ''}${cachedPrefixOf(settings) > 0 ? ` K${cachedPrefixOf(settings)}` : ''}`,
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
    warmup: null,
    firstRequest: null,
    repetitions: [],
    status: 'running',
    notes: [],
  };
  // Who is measuring, as set when the run starts (a class's display name or seat): links and the room show it.
  const participant = participantName();
  if (participant) result.participant = participant;
  const update = () => hooks.onUpdate?.(structuredClone(result));
  let stage: Stage = 'queued';
  // Set inside the engine's callback, so the cast keeps TypeScript from narrowing it to null out here.
  let pressure = null as PressureRecorder | null;
  try {
    const report = await session.capabilities();
    // Stamped before the load too: a run whose model fails to load still says which engine and versions tried.
    result.env = stamp(report, { device: settings.device });
    await session.exclusive(signal, async (engine) => {
      hooks.onStarted?.();
      stage = 'loading';
      const { model, reused } = await engine.load(source, settings, hooks.onProgress);
      stage = 'running';
      hooks.onLoaded?.(model);
      result.env = stamp(report, model);
      Object.assign(result, modelIdentity(model));
      result.settings.device = model.device;
      result.load = reused
        ? { ms: 0, fromCache: true, downloadedBytes: 0 }
        : { ms: model.loadMs, fromCache: model.fromCache, downloadedBytes: model.downloadedBytes };
      if (reused) result.notes.push('Model was already loaded: load time not measured for this run.');
      if (model.fallbackReason) result.notes.push(model.fallbackReason);
      if (!reused && model.cachesOffNote) result.notes.push(model.cachesOffNote);
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

      // Started before the warm-up so that the state in effect when the first repetition begins is known.
      pressure = await startPressureRecorder();
      const { interrupted } = await engine.run(runParams(settings), {
        onWarmup: ({ durationMs, ...warmup }, firstRequest) => {
          result.warmupMs = durationMs;
          result.warmup = warmup;
          result.firstRequest = firstRequest;
          const unsettled = unsettledNote(warmup);
          if (unsettled) result.notes.push(unsettled);
          hooks.onWarmup?.({ durationMs, ...warmup });
        },
        onToken: hooks.onToken,
        onMemory: (memory) => {
          result.memory = { ...memory, weightBytes: model.weightFileBytes ?? null, heapBytes: null };
        },
        onRepetition: (timing) => {
          const hidden = wasHiddenBetween(timing.startEpochMs, timing.endEpochMs);
          const state = pressure?.worstDuring(timing.startEpochMs, timing.endEpochMs);
          result.repetitions.push({ ...timing, hidden, ...(state === undefined ? {} : { pressure: state }) });
          if (hidden && !result.notes.some((n) => n.startsWith('The tab was hidden'))) {
            result.notes.push('The tab was hidden during some repetitions; those are marked invalid.');
          }
          update();
        },
      });
      result.status = interrupted ? 'partial' : 'complete';
      if (interrupted)
        result.notes.push(`Interrupted: ${completedReps(result)} of ${settings.reps} repetitions completed.`);
    });
  } catch (error) {
    if (isAbortError(error)) {
      const note = INTERRUPTED_NOTE[stage];
      result.status = 'partial';
      result.notes.push(note);
      result.error = { code: 'unknown', message: note };
    } else {
      const failure =
        error instanceof EngineFailure
          ? error
          : new EngineFailure('unknown', error instanceof Error ? error.message : String(error));
      result.status = result.repetitions.length > 0 ? 'partial' : 'failed';
      result.notes.push(failure.message);
      // A crashed worker was already replaced (and the model forgotten) by the engine's notice.
      if (failure.code === 'device-lost') session.restart();
      result.error = { code: failure.code, message: failure.message };
    }
  }
  pressure?.stop();
  // Once, at the end: the browser may take seconds to answer (capped), and nothing is timed any more.
  if (result.memory) result.memory.heapBytes = await measureHeapBytes();
  update();
  return structuredClone(result);
}

/**
 * Where the model came from and which file it was: the Hub host of a `hub` load, and the weight file's SHA-256
 * (stated by the load, or remembered from an earlier download of the same file when this one came from the
 * browser cache).
 */
export function modelIdentity(model: LoadedModel): Pick<RunResult, 'hubHost' | 'weightSha256'> {
  let sha256 = model.weightSha256 ?? null;
  if (model.hubHost) {
    const load = { host: model.hubHost, modelId: model.modelId, dtype: model.dtype };
    try {
      sha256 = weightSha256For(sha256 ? { ...load, weightSha256: sha256 } : load, localStorage);
    } catch {
      // No localStorage (a worker-less test, a locked-down browser): only what the load stated.
    }
  }
  return {
    ...(model.hubHost ? { hubHost: model.hubHost } : {}),
    ...(sha256 ? { weightSha256: sha256 } : {}),
  };
}

/** The worker's part of the settings. A new run parameter (RunParams) is picked here too. */
function runParams(settings: RunSettings): RunParams {
  const { promptTokens, genTokens, reps, parallelSequences, cachedPrefixTokens } = settings;
  return {
    promptTokens,
    genTokens,
    reps,
    ...(parallelSequences === undefined ? {} : { parallelSequences }),
    ...(cachedPrefixTokens ? { cachedPrefixTokens } : {}),
  };
}

const completedReps = (run: RunResult) => run.repetitions.filter((r) => !r.partial).length;
