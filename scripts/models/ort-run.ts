/**
 * Runs a generated model directly with onnxruntime-node: prefill, greedy decoding with the KV cache,
 * and full recomputation. Used by the tests (cache correctness, dtype agreement) and by the
 * decode-timing CLI; the app itself goes through transformers.js.
 */
import * as ort from 'onnxruntime-node';
import { headDim, type LlamaDims, pastName, presentName } from './llama.ts';

type Feeds = Record<string, ort.Tensor>;

/** Opens an ONNX file on the CPU; `threads` caps intra-op parallelism (0: onnxruntime decides). */
export function openSession(path: string, threads = 0): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: threads });
}

const int64 = (values: readonly number[], dims: readonly number[]) =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from(values, (v) => BigInt(v)),
    dims,
  );

function emptyCache(dims: LlamaDims): Feeds {
  const feeds: Feeds = {};
  for (let layer = 0; layer < dims.layers; layer++) {
    for (const kind of ['key', 'value'] as const) {
      feeds[pastName(layer, kind)] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        dims.kvHeads,
        0,
        headDim(dims),
      ]);
    }
  }
  return feeds;
}

/** The KV cache a run returned, renamed as the next run's inputs. */
function nextCache(dims: LlamaDims, outputs: ort.InferenceSession.OnnxValueMapType): Feeds {
  const feeds: Feeds = {};
  for (let layer = 0; layer < dims.layers; layer++) {
    for (const kind of ['key', 'value'] as const) {
      const present = outputs[presentName(layer, kind)];
      if (!(present instanceof ort.Tensor)) throw new Error(`missing output ${presentName(layer, kind)}`);
      feeds[pastName(layer, kind)] = present;
    }
  }
  return feeds;
}

interface Step {
  /** `[sequence, vocab]` logits of the tokens fed in this run. */
  logits: Float32Array;
  cache: Feeds;
}

/** One forward pass over `tokenIds` (batch 1), continuing after `pastLength` cached tokens. */
async function forward(
  session: ort.InferenceSession,
  dims: LlamaDims,
  tokenIds: readonly number[],
  cache: Feeds,
  pastLength: number,
): Promise<Step> {
  const totalLength = pastLength + tokenIds.length;
  const outputs = await session.run({
    input_ids: int64(tokenIds, [1, tokenIds.length]),
    attention_mask: int64(new Array<number>(totalLength).fill(1), [1, totalLength]),
    position_ids: int64(
      tokenIds.map((_, i) => pastLength + i),
      [1, tokenIds.length],
    ),
    ...cache,
  });
  const logits = outputs.logits;
  if (!(logits instanceof ort.Tensor) || !(logits.data instanceof Float32Array))
    throw new Error('no float logits');
  return { logits: logits.data, cache: nextCache(dims, outputs) };
}

/** The last row of a `[sequence, vocab]` logits array. */
export function lastRow(logits: Float32Array, vocabSize: number): Float32Array {
  return logits.slice(logits.length - vocabSize);
}

/** Index of the largest value (the first, on ties). */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

/** Logits of every prompt position, from one pass without a cache: `[prompt length, vocab]`. */
export async function promptLogits(
  session: ort.InferenceSession,
  dims: LlamaDims,
  tokenIds: readonly number[],
): Promise<Float32Array> {
  return (await forward(session, dims, tokenIds, emptyCache(dims), 0)).logits;
}

export interface GreedyRun {
  /** The generated token ids. */
  tokens: number[];
  /** For each generated token, the logits it was chosen from (the last position's row). */
  stepLogits: Float32Array[];
  prefillMs: number;
  /** Wall time of each cached single-token step (one fewer than `tokens`). */
  decodeMs: number[];
}

/** Greedy decoding of `newTokens` tokens after `prompt`, with the KV cache. */
export async function greedyDecode(
  session: ort.InferenceSession,
  dims: LlamaDims,
  prompt: readonly number[],
  newTokens: number,
): Promise<GreedyRun> {
  const run: GreedyRun = { tokens: [], stepLogits: [], prefillMs: 0, decodeMs: [] };
  let startMs = performance.now();
  let step = await forward(session, dims, prompt, emptyCache(dims), 0);
  run.prefillMs = performance.now() - startMs;
  for (let i = 0; i < newTokens; i++) {
    const logits = lastRow(step.logits, dims.vocabSize);
    const token = argmax(logits);
    run.tokens.push(token);
    run.stepLogits.push(logits);
    if (i === newTokens - 1) break;
    startMs = performance.now();
    step = await forward(session, dims, [token], step.cache, prompt.length + i);
    run.decodeMs.push(performance.now() - startMs);
  }
  return run;
}

/** The logits `greedyDecode` would see at each step, recomputed from scratch without a cache. */
export async function recomputedStepLogits(
  session: ort.InferenceSession,
  dims: LlamaDims,
  prompt: readonly number[],
  tokens: readonly number[],
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const context = [...prompt, ...tokens.slice(0, i)];
    rows.push(lastRow(await promptLogits(session, dims, context), dims.vocabSize));
  }
  return rows;
}
