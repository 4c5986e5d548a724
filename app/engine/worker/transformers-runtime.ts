/**
 * The runtime the inference worker uses: transformers.js on onnxruntime-web. With the worker entry, the only
 * importer of @huggingface/transformers. Every timestamp of a measurement is taken here, in the streamer, next to
 * the model.
 */
import {
  AutoConfig,
  AutoModelForCausalLM,
  AutoTokenizer,
  type DynamicCache,
  env,
  type InterruptableStoppingCriteria,
  type PreTrainedTokenizer,
  Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import ortWasmFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { describeAdapter, requestAdapter } from '../adapter.ts';
import { promptsOfLength } from '../prompt.ts';
import {
  type AdapterReport,
  type CapabilityReport,
  type Device,
  defaultWasmThreads,
  type LoadedModel,
  ms,
  RUN_CONTROL,
} from '../protocol.ts';
import { pinnedWasmPaths } from '../wasm-paths.ts';
import { kvCacheSizeOf } from './kv-cache.ts';
import {
  cachesOffNote as cachesOffNoteOf,
  configureSource,
  embeddedSha256,
  loadErrorBehind,
  modelNameOf,
  retryWithoutCache,
  WEIGHT_FILE,
} from './model-source.ts';
import type { Generation, KvCacheSize, RunControlWord, Runtime, RuntimeModel, TokenSink } from './runtime.ts';

// The onnxruntime-web runtime is served by the app itself (Vite emits it as an asset), never from a CDN.
// Absolute URLs: with a root-relative one, onnxruntime-web cannot tell it is same-origin and re-imports the
// factory from a blob: URL, which the Content-Security-Policy (script-src 'self') rightly refuses.
const wasmEnv = env.backends.onnx.wasm;
if (wasmEnv) wasmEnv.wasmPaths = pinnedWasmPaths(ortWasmFactoryUrl, ortWasmUrl);

async function adapterReport(): Promise<{ report: AdapterReport | null; reason: string | null }> {
  const { adapter, reason } = await requestAdapter((globalThis.navigator as Navigator & { gpu?: GPU }).gpu);
  return { report: adapter ? describeAdapter(adapter) : null, reason };
}

/** The smallest non-zero step of performance.now(): 5 µs when cross-origin isolated, 100 µs otherwise. */
function timerResolutionMs(): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    smallest = Math.min(smallest, b - a);
  }
  return smallest;
}

const wasmThreads = (): number =>
  wasmEnv?.numThreads && wasmEnv.numThreads > 0
    ? wasmEnv.numThreads
    : globalThis.crossOriginIsolated
      ? defaultWasmThreads(globalThis.navigator.hardwareConcurrency || 1)
      : 1;

async function capabilities(): Promise<CapabilityReport> {
  const { report, reason } = await adapterReport();
  return {
    webgpu: report,
    webgpuUnavailableReason: reason,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    wasmThreads: wasmThreads(),
    hardwareConcurrency: globalThis.navigator.hardwareConcurrency || 1,
    timerResolutionMs: timerResolutionMs(),
    userAgent: globalThis.navigator.userAgent,
    transformersVersion: env.version,
    onnxruntimeVersion: (env.backends.onnx as { versions?: { web?: string } }).versions?.web ?? 'unknown',
  };
}

async function chooseDevice(requested: Device): Promise<{ device: Device; fallbackReason: string | null }> {
  if (requested === 'wasm') return { device: 'wasm', fallbackReason: null };
  const { report, reason } = await adapterReport();
  if (report) return { device: 'webgpu', fallbackReason: null };
  return {
    device: 'wasm',
    fallbackReason: `WebGPU unavailable, running on WASM instead. ${reason ?? ''}`.trim(),
  };
}

/**
 * Records when each generated token arrives. The first put() is the prompt, which is not a token.
 * Extends TextStreamer only to satisfy generate()'s parameter type: put() replaces its text decoding entirely,
 * so nothing but a timestamp and an id is done on the timed path.
 */
class TimingStreamer extends TextStreamer {
  private promptSeen = false;
  readonly times: number[] = [];
  readonly sequenceIds: number[][] = [];
  constructor(
    tokenizer: PreTrainedTokenizer,
    private readonly startedAt: number,
    private readonly onToken: TokenSink,
    private readonly control: RunControlWord,
  ) {
    super(tokenizer, { skip_prompt: true });
  }
  override put(value: bigint[][]) {
    const now = performance.now();
    // put() runs before the stopping criteria on every step: the cheapest place to notice an interrupt.
    const flag = this.control.flag;
    const signal = flag ? Atomics.load(flag, 0) : RUN_CONTROL.running;
    if (signal !== RUN_CONTROL.running) this.control.onSignal(signal);
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    // One row per sequence of the batch: a step's B tokens arrive together, with one timestamp.
    this.times.push(now - this.startedAt);
    for (const [s, row] of value.entries()) {
      const ids = this.sequenceIds[s] ?? [];
      ids.push(Number(row[0] ?? -1));
      this.sequenceIds[s] = ids;
    }
    this.onToken(this.times.length - 1, now - this.startedAt, this.sequenceIds[0]?.at(-1) ?? -1);
  }
  override end() {}
}

/** Rows of equal length as a [rows, length] int64 tensor. */
const int64Tensor = (rows: readonly (readonly number[])[]) =>
  new Tensor(
    'int64',
    BigInt64Array.from(rows.flat(), (t) => BigInt(t)),
    [rows.length, rows[0]?.length ?? 0],
  );

const onesTensor = (rows: number, length: number) =>
  new Tensor('int64', new BigInt64Array(rows * length).fill(1n), [rows, length]);

/**
 * The weight file's SHA-256 as the embedded models' index.json states it (the generator writes it); null when
 * the list cannot be read or predates hashes. A small same-origin file, read once per load.
 */
async function embeddedIndexSha256(id: string, dtype: string): Promise<string | null> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}models/index.json`);
    return response.ok ? embeddedSha256(await response.json(), id, dtype) : null;
  } catch {
    return null;
  }
}

/** The size of a cache generate() returned, from its tensors' dims and types. */
const cacheSizeOf = (cache: DynamicCache | undefined): KvCacheSize | null =>
  cache
    ? kvCacheSizeOf(
        Object.entries(cache as Record<string, Tensor>).map(([name, t]) => ({
          name,
          type: t.type,
          dims: t.dims,
        })),
      )
    : null;

/** transformers.js behind the Runtime interface; `stopping` is the criterion every generate() checks. */
export function createTransformersRuntime(stopping: InterruptableStoppingCriteria): Runtime {
  return {
    stopping,
    capabilities,
    async load(source, dtype, requested, onProgress) {
      const { device, fallbackReason } = await chooseDevice(requested);
      /** One try at loading; with `cachesOff`, nothing goes through the browser's caches. */
      const attempt = async (cachesOff: boolean) => {
        const started = performance.now();
        const { fetched, weightSha256, failedDownloads } = configureSource(env, source, {
          baseUrl: import.meta.env.BASE_URL,
          // Bound: the platform fetch throws "Illegal invocation" when called as a method of another object.
          fetch: (input, init) => fetch(input, init),
          cachesOff,
        });
        const modelName = modelNameOf(source);
        /** Each file's size as the load reported it: the weight files' sum is the run's measured weight bytes. */
        const fileBytes = new Map<string, number>();
        const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
          if (p.status === 'progress' && p.file) {
            onProgress(p.file, p.loaded ?? 0, p.total ?? 0);
            // Without a Content-Length the total is unknown (0): the bytes loaded by the last event are the size.
            const size = Math.max(p.total ?? 0, p.loaded ?? 0);
            if (size > 0) fileBytes.set(p.file, size);
          }
        };
        try {
          // config.json first: a missing repository then fails with a clear "not found" instead of a tokenizer error.
          await AutoConfig.from_pretrained(modelName, { progress_callback });
          const tokenizer = await AutoTokenizer.from_pretrained(modelName, { progress_callback });
          const model = await AutoModelForCausalLM.from_pretrained(modelName, {
            dtype,
            device,
            progress_callback,
          });
          return { started, fetched, weightSha256, fileBytes, tokenizer, model };
        } catch (error) {
          // A download that failed reads as "not found locally" from transformers.js: name the real cause.
          throw loadErrorBehind(error, failedDownloads());
        }
      };
      // A cache only saves a download: when the first try fails for want of one, the second goes without.
      let loadedTry: Awaited<ReturnType<typeof attempt>>;
      let cachesOffNote: string | null = null;
      try {
        loadedTry = await attempt(false);
      } catch (error) {
        if (!retryWithoutCache(error, false)) throw error;
        cachesOffNote = cachesOffNoteOf(error);
        loadedTry = await attempt(true);
      }
      const { started, fetched, weightSha256, fileBytes, tokenizer, model } = loadedTry;
      const config = JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>;
      const { requests, bytes } = fetched();
      const weightFiles = [...fileBytes].filter(([file]) => WEIGHT_FILE.test(file));
      const loadMs = ms(performance.now() - started);
      // After the clock stops: reading index.json is not part of loading the model.
      const sha256 =
        source.kind === 'embedded' ? await embeddedIndexSha256(source.id, dtype) : weightSha256();
      const info: LoadedModel = {
        modelId: source.id,
        dtype,
        device,
        loadMs,
        fromCache: source.kind === 'hub' ? requests === 0 : false,
        downloadedBytes: bytes,
        maxContextTokens: Number(config.max_position_embeddings ?? config.n_positions ?? 2048),
        config,
        fallbackReason,
        ...(cachesOffNote ? { cachesOffNote } : {}),
        ...(weightFiles.length > 0
          ? { weightFileBytes: weightFiles.reduce((sum, [, b]) => sum + b, 0) }
          : {}),
        ...(sha256 ? { weightSha256: sha256 } : {}),
        ...(source.kind === 'hub' ? { hubHost: source.host } : {}),
      };
      const loaded: RuntimeModel = {
        info,
        prepare(promptTokens, seedText, options = {}) {
          const seedIds = tokenizer.encode(seedText, { add_special_tokens: false });
          const prefixIds = tokenizer.encode('', { add_special_tokens: true });
          // B prompts of the same length (options.sequences): no padding, every attention mask is all ones.
          const prompts = promptsOfLength(seedIds, promptTokens, options.sequences ?? 1, prefixIds);
          const inputs = {
            input_ids: int64Tensor(prompts),
            attention_mask: onesTensor(prompts.length, promptTokens),
          };
          const cachedTokens = Math.min(options.cachedPrefixTokens ?? 0, promptTokens - 1);
          /**
           * The prompt's first K tokens in a fresh cache: one forward pass over them (generate() of one token
           * keeps the cache of that pass). A cache is mutated by the generation it is given to, so every
           * generation gets its own, built before its clock starts.
           */
          const prefixCache = async (): Promise<DynamicCache | undefined> => {
            if (cachedTokens <= 0) return undefined;
            const built = (await model.generate({
              input_ids: int64Tensor(prompts.map((row) => row.slice(0, cachedTokens))),
              attention_mask: onesTensor(prompts.length, cachedTokens),
              max_new_tokens: 1,
              do_sample: false,
              return_dict_in_generate: true,
            })) as { past_key_values?: DynamicCache };
            return built.past_key_values;
          };
          return async (genTokens, onToken, control): Promise<Generation> => {
            const past_key_values = await prefixCache();
            const startedAt = performance.now();
            const streamer = new TimingStreamer(tokenizer, startedAt, onToken, control);
            const output = (await model.generate({
              ...inputs,
              ...(past_key_values ? { past_key_values } : {}),
              max_new_tokens: genTokens,
              // Ignore end-of-sequence like llama-bench: every repetition decodes exactly G tokens.
              min_new_tokens: genTokens,
              do_sample: false,
              streamer,
              stopping_criteria: stopping,
              // Keeps the final cache, whose tensors are the measured KV-cache size; disposed right after.
              return_dict_in_generate: true,
            })) as { past_key_values?: DynamicCache };
            const kvCache = cacheSizeOf(output.past_key_values);
            await output.past_key_values?.dispose();
            return {
              startedAt,
              times: streamer.times,
              ids: streamer.sequenceIds[0] ?? [],
              sequenceIds: streamer.sequenceIds,
              ...(kvCache ? { kvCache } : {}),
            };
          };
        },
        decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
        async forward(text, maxTokens) {
          const ids = tokenizer.encode(text).slice(0, maxTokens);
          const output = (await model({
            input_ids: int64Tensor([ids]),
            attention_mask: onesTensor(1, ids.length),
          })) as {
            logits: Tensor;
          };
          const logits = output.logits.to('float32');
          return { ids, logits: logits.data as Float32Array, vocab: logits.dims[2] ?? 0 };
        },
        dispose: async () => {
          await model.dispose();
        },
      };
      return loaded;
    },
  };
}
