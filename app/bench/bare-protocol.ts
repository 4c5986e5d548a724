/**
 * Messages between bare.html and its worker (bare.worker.ts): one request, one answer. Plain data, no ids —
 * the bare page runs one request at a time.
 */
import type { Device, Dtype } from '../engine/protocol.ts';

export interface BareRequest {
  /** An embedded model id, served by the app under /models/<id>/. */
  modelId: string;
  dtype: Dtype;
  device: Device;
  promptTokens: number;
  genTokens: number;
  reps: number;
}

export interface BareRepetition {
  ttftMs: number;
  e2eMs: number;
  /** Arrival of each generated token since generate() began. */
  tokenTimesMs: number[];
  text: string;
}

export type BareResult =
  | {
      ok: true;
      /** 0 when the model was already loaded by an earlier request. */
      loadMs: number;
      warmupMs: number;
      promptIds: number[];
      reps: BareRepetition[];
    }
  | { ok: false; message: string };
