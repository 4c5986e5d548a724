import type { AdapterReport, Device, Dtype, ErrorCode, RepetitionTiming } from '../engine/protocol.ts';

/** What the user asked for. */
export interface RunSettings {
  modelId: string;
  /** 'embedded' | 'hub' | 'files' — where the model came from. */
  sourceKind: 'embedded' | 'hub' | 'files';
  dtype: Dtype;
  device: Device;
  /** Prompt length P in tokens. */
  promptTokens: number;
  /** Generated tokens G per repetition. */
  genTokens: number;
  /** Timed repetitions R (after one discarded warm-up). */
  reps: number;
}

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
}

export type RunStatus = 'running' | 'complete' | 'partial' | 'failed';

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
  warmupMs: number | null;
  repetitions: Repetition[];
  status: RunStatus;
  /** Things the user should know when reading the numbers (fallbacks, software adapter, hidden tab…). */
  notes: string[];
  /** Set when the run failed or stopped on an error (status 'failed' or 'partial'). */
  error?: { code: ErrorCode; message: string };
}

export const newRunId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
