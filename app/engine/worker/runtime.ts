/**
 * What the inference worker's handler needs from a model runtime. The worker entry plugs in transformers.js
 * (transformers-runtime.ts); the handler test plugs in a fake, so dispatch, the run loop and scoring are tested
 * without a model.
 */
import type { CapabilityReport, Device, Dtype, LoadedModel, ModelSource } from '../protocol.ts';

/** Called for each generated token, on the timed path: its 0-based index, arrival (ms since generate()), id. */
export type TokenSink = (index: number, timeMs: number, tokenId: number) => void;

/** One generate() call, as the streamer saw it. */
export interface Generation {
  /** performance.now() when generate() was called. */
  startedAt: number;
  /**
   * Arrival of each generation step's tokens, ms since `startedAt`. With B parallel sequences a step yields B
   * tokens at once: one timestamp per step, shared by every sequence.
   */
  times: number[];
  /** The first sequence's token ids. */
  ids: number[];
  /** Every sequence's token ids, by sequence, when the generation decoded a batch (B > 1). */
  sequenceIds?: number[][];
  /** The KV cache when the generation ended, measured from its tensors; absent when the runtime cannot tell. */
  kvCache?: KvCacheSize;
}

/** A KV cache's size, from its tensors: Σ dims × bytes per element, and its sequence length. */
export interface KvCacheSize {
  bytes: number;
  tokens: number;
}

/** How a prompt is prepared beyond its length. */
export interface PrepareOptions {
  /** The first K tokens are already in the KV cache when each timed generation starts (0 = cold). */
  cachedPrefixTokens?: number;
  /** Parallel sequences B (default 1): B prompts of the same length, decoded together in each generation. */
  sequences?: number;
}

/** A run's shared control word (RUN_CONTROL), read on every generation step, and what to do when it is set. */
export interface RunControlWord {
  flag: Int32Array | undefined;
  /** Called with a value other than RUN_CONTROL.running. */
  onSignal: (value: number) => void;
}

/** Greedy generation of exactly `genTokens` tokens (end-of-sequence suppressed) from a prepared prompt. */
export type PreparedGeneration = (
  genTokens: number,
  onToken: TokenSink,
  control: RunControlWord,
) => Promise<Generation>;

/** The stopping criterion generate() checks after every token. */
export interface Stopping {
  readonly interrupted: boolean;
  interrupt(): void;
  reset(): void;
}

export interface RuntimeModel {
  readonly info: LoadedModel;
  /** Tokenizes a prompt of exactly `promptTokens` tokens cut from `seedText`, once, for every generation. */
  prepare(promptTokens: number, seedText: string, options?: PrepareOptions): PreparedGeneration;
  decode(ids: number[]): string;
  /** One forward pass over the text's first `maxTokens` tokens: their ids and the logits (ids × vocab). */
  forward(text: string, maxTokens: number): Promise<{ ids: number[]; logits: Float32Array; vocab: number }>;
  dispose(): Promise<void>;
}

export interface Runtime {
  capabilities(): Promise<CapabilityReport>;
  load(
    source: ModelSource,
    dtype: Dtype,
    device: Device,
    onProgress: (file: string, loadedBytes: number, totalBytes: number) => void,
  ): Promise<RuntimeModel>;
  readonly stopping: Stopping;
}
