import type { PressureState } from '../engine/pressure.ts';
import type {
  AdapterReport,
  Device,
  Dtype,
  ErrorCode,
  FirstRequestTiming,
  RepetitionTiming,
  RunMemoryReport,
  WarmupReport,
} from '../engine/protocol.ts';

/** Where a run's model came from: the lab's own files, a Hub host, or a folder picked from disk. */
export const SOURCE_KINDS = ['embedded', 'hub', 'files'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** What the user asked for. */
export interface RunSettings {
  modelId: string;
  /** Where the model came from. */
  sourceKind: SourceKind;
  dtype: Dtype;
  device: Device;
  /** Prompt length P in tokens. */
  promptTokens: number;
  /** Generated tokens G per repetition. */
  genTokens: number;
  /** Timed repetitions R (after a discarded warm-up that lasts until the engine is steady). */
  reps: number;
  /**
   * Parallel sequences B generated together in one generate() call (B different prompts of P tokens, G tokens
   * each). Absent means 1: runs saved before batching were single-sequence (`sequencesOf`).
   */
  parallelSequences?: number;
  /**
   * Prefix caching: the first K prompt tokens were already in the KV cache when each timed repetition started.
   * Absent means 0 (a cold prompt): runs saved before prefix caching were cold.
   */
  cachedPrefixTokens?: number;
}

/** A run's cached prefix K: 0 when the setting is absent. */
export const cachedPrefixOf = (settings: Pick<RunSettings, 'cachedPrefixTokens'>): number =>
  settings.cachedPrefixTokens ?? 0;

/**
 * Memory a run used, measured: the worker's report, the weight files loaded and the page's heap. Every figure is
 * null where this browser or backend does not expose it.
 */
export interface RunMemory extends RunMemoryReport {
  /** Bytes of the weight files loaded (*.onnx, *.onnx_data). */
  weightBytes: number | null;
  /**
   * JS and WASM heap of the page and its workers (performance.measureUserAgentSpecificMemory(), cross-origin
   * isolated Chromium only), measured once after the run.
   */
  heapBytes: number | null;
}

/** A run's parallel sequences B: 1 when the setting is absent. */
export const sequencesOf = (settings: Pick<RunSettings, 'parallelSequences'>): number =>
  settings.parallelSequences ?? 1;

/** Everything that makes a result comparable to another, or suspect. */
export interface EnvironmentStamp {
  userAgent: string;
  transformersVersion: string;
  onnxruntimeVersion: string;
  /** The device the run actually used (may differ from the one asked for after a fallback). */
  device: Device;
  adapter: AdapterReport | null;
  crossOriginIsolated: boolean;
  wasmThreads: number;
  hardwareConcurrency: number;
  timerResolutionMs: number;
}

export interface Repetition extends RepetitionTiming {
  /** The tab was hidden at some point during this repetition: browsers throttle hidden tabs, so it is invalid. */
  hidden: boolean;
  /**
   * The worst CPU pressure state the browser reported during this repetition (Compute Pressure API); absent or
   * null where the API is missing. run/noise.ts flags "serious" and "critical".
   */
  pressure?: PressureState | null;
}

/** A run's warm-up: its duration is the run's `warmupMs`. */
export type RunWarmup = Omit<WarmupReport, 'durationMs'>;

export const RUN_STATUSES = ['running', 'complete', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One measured run: the unit that is saved, compared, exported and shared. */
export interface RunResult {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  name: string;
  tags: string[];
  settings: RunSettings;
  env: EnvironmentStamp;
  /** Model load: wall time and whether the files came from cache. */
  load: { ms: number; fromCache: boolean; downloadedBytes: number };
  /** How long the warm-up took (ms); null before one ran. */
  warmupMs: number | null;
  /**
   * How the warm-up went: discarded windows until the engine was steady (engine/steady-state.ts). Null before
   * one ran, and for runs saved before it was recorded.
   */
  warmup: RunWarmup | null;
  /** The first generation after the model was loaded (cold); null when the model had generated before. */
  firstRequest: FirstRequestTiming | null;
  repetitions: Repetition[];
  status: RunStatus;
  /** Things the user should know when reading the numbers (fallbacks, software adapter, hidden tab…). */
  notes: string[];
  /** Set when the run failed or stopped on an error (status 'failed' or 'partial'). */
  error?: { code: ErrorCode; message: string };
  /** Memory measured during the run; absent for runs saved before it was measured. */
  memory?: RunMemory;
  /**
   * Who measured it, in a class: a display name or seat (run/participant.ts). Absent when none was set, and for
   * runs saved before schema 4.
   */
  participant?: string;
  /**
   * SHA-256 (lowercase hex) of the largest weight file loaded, where the lab could learn it without reading the
   * file: the embedded models' index.json, or a Hub host's `X-Linked-Etag` for LFS files. Identifies the model by
   * what it is (run/model-key.ts); absent when unknown.
   */
  weightSha256?: string;
  /**
   * The Hub host a `hub` run's files came from (a room's mirror, the Hub): "run the same on my device" uses it,
   * after checking it (run/hub-link.ts). Absent for other sources and runs saved before schema 4.
   */
  hubHost?: string;
}

export const newRunId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
