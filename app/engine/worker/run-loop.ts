/**
 * The measurement loop inside the worker: a discarded warm-up until the engine is steady, then R timed
 * repetitions. Every timestamp is taken by the runtime's streamer, next to the model; tokens reach the page in
 * frame-sized batches.
 */
import { PROMPT_SEED_TEXT } from '../prompt.ts';
import {
  type FirstRequestTiming,
  ms,
  type Request,
  RUN_LIMITS,
  type WarmupReport,
  type WorkerEvent,
} from '../protocol.ts';
import {
  judgeWarmup,
  type PriorWork,
  type SteadyStateRules,
  WARMUP_INTERRUPTED,
  type WarmupWindow,
  warmupWindowTokens,
} from '../steady-state.ts';
import type { GpuMemoryCounter } from './gpu-memory.ts';
import type { KvCacheSize, PreparedGeneration, RunControlWord, RuntimeModel, Stopping } from './runtime.ts';
import { TokenBatcher } from './token-batcher.ts';

export type RunRequest = Extract<Request, { type: 'run' }>;

export interface RunContext {
  model: RuntimeModel;
  stopping: Stopping;
  post: (event: WorkerEvent) => void;
  control: RunControlWord;
  /** Throws when the GPU device was lost during the last generation. */
  throwIfDeviceLost: () => void;
  /** No generation has run on this model since it was loaded: the first warm-up window is a cold request. */
  firstAfterLoad: boolean;
  /** When the warm-up is steady (engine/steady-state.ts). */
  warmupRules: SteadyStateRules;
  /** What this model generated since its load before this run (earlier runs): it counts towards the warm-up. */
  priorWork: PriorWork;
  /** GPU buffer bytes, counted where they are created (absent in tests and where nothing counts them). */
  gpuMemory?: Pick<GpuMemoryCounter, 'startRun' | 'reading'>;
}

/** Why a run request cannot run on a model with this context window, or null when it can. */
export function checkRunRequest(
  request: Pick<
    RunRequest,
    'promptTokens' | 'genTokens' | 'reps' | 'cachedPrefixTokens' | 'parallelSequences'
  >,
  maxContextTokens: number,
): string | null {
  const outOfRange = (value: number, { min, max }: { min: number; max: number }) =>
    !Number.isInteger(value) || value < min || value > max;
  const { promptTokens, genTokens, reps } = request;
  if (
    outOfRange(promptTokens, RUN_LIMITS.promptTokens) ||
    outOfRange(genTokens, RUN_LIMITS.genTokens) ||
    outOfRange(reps, RUN_LIMITS.reps)
  ) {
    return 'Prompt, generation or repetition count out of range.';
  }
  const cached = request.cachedPrefixTokens ?? 0;
  if (!Number.isInteger(cached) || cached < 0 || cached >= promptTokens) {
    return `The cached prefix K = ${cached} must be a whole number from 0 to P − 1 = ${promptTokens - 1}: at least one prompt token is prefilled.`;
  }
  const sequences = request.parallelSequences ?? 1;
  if (outOfRange(sequences, RUN_LIMITS.parallelSequences)) {
    return `Parallel sequences B = ${sequences} is out of range (${RUN_LIMITS.parallelSequences.min}–${RUN_LIMITS.parallelSequences.max}).`;
  }
  if (promptTokens + genTokens > maxContextTokens) {
    return `P + G = ${promptTokens + genTokens} tokens exceeds this model's context of ${maxContextTokens}.`;
  }
  return null;
}

/**
 * The warm-up (discarded): windows of the run's own prompt, each `warmupWindowTokens` long, until the engine is
 * steady or a cap is reached (engine/steady-state.ts decides). The first window of a model's first run is its
 * first request after the load: its timing is returned apart (null on a later run of the same load).
 */
export async function warmUp(
  request: Pick<RunRequest, 'id' | 'promptTokens' | 'genTokens'>,
  generate: PreparedGeneration,
  context: Pick<
    RunContext,
    | 'model'
    | 'stopping'
    | 'control'
    | 'throwIfDeviceLost'
    | 'firstAfterLoad'
    | 'warmupRules'
    | 'priorWork'
    | 'post'
  >,
): Promise<{ warmup: WarmupReport; firstRequest: FirstRequestTiming | null }> {
  const { promptTokens, genTokens } = request;
  const windowTokens = warmupWindowTokens(genTokens, context.model.info.maxContextTokens - promptTokens);
  const windows: WarmupWindow[] = [];
  let firstRequest: FirstRequestTiming | null = null;
  let outcome = judgeWarmup(windows, context.warmupRules, context.priorWork);
  while (!outcome.done && !context.stopping.interrupted) {
    const { times } = await generate(windowTokens, () => {}, context.control);
    context.throwIfDeviceLost();
    if (windows.length === 0 && context.firstAfterLoad && times.length > 0) {
      firstRequest = {
        promptTokens,
        generatedTokens: times.length,
        ttftMs: ms(times[0] ?? 0),
        e2eMs: ms(times.at(-1) ?? 0),
      };
    }
    windows.push({ tokenTimesMs: times });
    outcome = judgeWarmup(windows, context.warmupRules, context.priorWork);
    // A long warm-up is not silence: each window tells the page (and the watchdog) that the worker is alive.
    context.post({
      type: 'warming',
      id: request.id,
      windows: windows.length,
      tokens: outcome.tokens,
      elapsedMs: ms(outcome.durationMs),
    });
    // A window on WASM is one long task: let queued messages (an interrupt without shared memory) be read.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const { steady, tokens, durationMs } = outcome;
  const reason = outcome.done ? outcome.reason : WARMUP_INTERRUPTED;
  return {
    warmup: { windows: windows.length, tokens, durationMs: ms(durationMs), steady, reason },
    firstRequest,
  };
}

/**
 * One timed repetition: generates G tokens, posting them in frame-sized batches, then posts the repetition's
 * timing. Tokens are posted after their timestamps were taken; on WASM the worker's event loop does not turn
 * between tokens (inference runs synchronously), so the decision to post is made on the token path, and its
 * cost (microseconds) falls into the next token's latency, as it would in any app.
 */
async function timedRepetition(
  rep: number,
  request: RunRequest,
  generate: PreparedGeneration,
  context: RunContext,
): Promise<KvCacheSize | null> {
  const { id, promptTokens, genTokens } = request;
  const { model, post } = context;
  const batcher = new TokenBatcher(
    genTokens,
    (ids) => model.decode(ids),
    (tokens, text) => post({ type: 'tokens', id, rep, tokens, text }),
  );
  const result = await generate(
    genTokens,
    (index, timeMs, tokenId) => batcher.add(index, timeMs, tokenId),
    context.control,
  );
  batcher.flush(Number.POSITIVE_INFINITY, true);
  context.throwIfDeviceLost();
  const times = result.times.map(ms);
  post({
    type: 'repetition',
    id,
    timing: {
      rep,
      promptTokens,
      ttftMs: times[0] ?? ms(0),
      e2eMs: times.at(-1) ?? ms(0),
      tokenTimesMs: times,
      startEpochMs: performance.timeOrigin + result.startedAt,
      endEpochMs: performance.timeOrigin + performance.now(),
      text: model.decode(result.ids),
      partial: times.length < genTokens,
    },
  });
  return result.kvCache ?? null;
}

/**
 * Warm-up, then the R timed repetitions; posts `warmup`, `tokens` and `repetition` events. Stops between tokens
 * when the stopping criterion is interrupted. Resolves with whether it was interrupted; throws on a lost device.
 */
export async function runRepetitions(request: RunRequest, context: RunContext): Promise<boolean> {
  const { id, promptTokens, reps } = request;
  const { stopping, post } = context;
  stopping.reset();
  context.gpuMemory?.startRun();
  const generate = context.model.prepare(promptTokens, request.promptText || PROMPT_SEED_TEXT, {
    cachedPrefixTokens: request.cachedPrefixTokens ?? 0,
    sequences: request.parallelSequences ?? 1,
  });

  const { warmup, firstRequest } = await warmUp(request, generate, context);
  post({ type: 'warmup', id, warmup, firstRequest });

  let kvCache: KvCacheSize | null = null;
  for (let rep = 0; rep < reps && !stopping.interrupted; rep++) {
    // Let the event loop turn between repetitions (a repetition on WASM is one long task): queued messages
    // such as an interrupt without shared memory get read, and a crash reaches the page now, not at the end.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopping.interrupted) break;
    kvCache = (await timedRepetition(rep, request, generate, context)) ?? kvCache;
  }
  const gpu = context.gpuMemory?.reading() ?? null;
  post({
    type: 'memory',
    id,
    memory: {
      kvCacheBytes: kvCache?.bytes ?? null,
      kvCacheTokens: kvCache?.tokens ?? null,
      gpuBufferBytes: gpu?.bufferBytes ?? null,
      gpuPeakBufferBytes: gpu?.peakBufferBytes ?? null,
    },
  });
  return stopping.interrupted;
}
