/**
 * The inference worker: the only module that imports @huggingface/transformers.
 * Lifecycle after transformers.js-examples: capabilities → load (with progress) → warm-up → run / interrupt → dispose.
 * Every timestamp of a measurement is taken here, next to the model, and sent as a duration.
 */
import {
  AutoConfig,
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  InterruptableStoppingCriteria,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import ortWasmFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { describeAdapter, requestAdapter } from './adapter.ts';
import { classifyError } from './errors.ts';
import { PROMPT_SEED_TEXT, promptOfLength } from './prompt.ts';
import {
  type AdapterReport,
  type CapabilityReport,
  type Device,
  type Dtype,
  type LoadedModel,
  type ModelSource,
  type Ms,
  ms,
  type Request,
  RUN_CONTROL,
  RUN_LIMITS,
  type TextScore,
  TOKEN_BATCH_MS,
  type WorkerEvent,
} from './protocol.ts';
import { logSoftmax, topK } from './scoring.ts';

declare const self: DedicatedWorkerGlobalScope;

// The onnxruntime-web runtime is served by the app itself (Vite emits it as an asset), never from a CDN.
const wasmEnv = env.backends.onnx.wasm;
if (wasmEnv) wasmEnv.wasmPaths = { mjs: ortWasmFactoryUrl, wasm: ortWasmUrl };

const post = (event: WorkerEvent) => self.postMessage(event);

// ---------------------------------------------------------------- GPU device loss

/**
 * Every GPUDevice the runtime creates, so the worker can notice a lost device (driver reset, GPU taken, sleep)
 * and stop the run at the next token instead of producing garbage or hanging. The runtime keeps its device
 * private, so requestDevice is wrapped before the runtime first asks for one.
 */
const gpuDevices = new Set<GPUDevice>();
let deviceLostReason: string | null = null;
let simulatedLoss = false;
let disposing = false;
if (typeof GPUAdapter !== 'undefined') {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
    const device = await requestDevice.call(this, descriptor);
    gpuDevices.add(device);
    void device.lost.then((info) => {
      gpuDevices.delete(device);
      if (disposing || (info.reason === 'destroyed' && !simulatedLoss)) return;
      deviceLostReason = info.message || (simulatedLoss ? 'simulated loss' : 'unknown reason');
      stopping.interrupt();
    });
    return device;
  };
}

/**
 * Fault injection: destroys the runtime's devices and records the loss at once. A real loss is recorded by the
 * `lost` handler above, which needs the event loop to turn; inference on WASM-backed code paths may not let it.
 */
function loseDevicesNow() {
  if (loaded?.info.device !== 'webgpu' || deviceLostReason !== null) return;
  simulatedLoss = true;
  for (const device of gpuDevices) device.destroy();
  deviceLostReason = 'simulated loss';
  stopping.interrupt();
}

function throwIfDeviceLost() {
  if (deviceLostReason === null) return;
  const reason = deviceLostReason;
  deviceLostReason = null;
  simulatedLoss = false;
  loaded = null; // its GPU buffers are gone with the device
  throw new Error(`The GPUDevice was lost (${reason}).`);
}

interface Loaded {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  info: LoadedModel;
}

let loaded: Loaded | null = null;
const stopping = new InterruptableStoppingCriteria();
let runningId: number | null = null;

// ---------------------------------------------------------------- capabilities

async function adapterReport(): Promise<{ report: AdapterReport | null; reason: string | null }> {
  const { adapter, reason } = await requestAdapter((self.navigator as Navigator & { gpu?: GPU }).gpu);
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
    : self.crossOriginIsolated
      ? Math.min(4, Math.ceil((self.navigator.hardwareConcurrency || 1) / 2))
      : 1;

async function capabilities(): Promise<CapabilityReport> {
  const { report, reason } = await adapterReport();
  return {
    webgpu: report,
    webgpuUnavailableReason: reason,
    crossOriginIsolated: self.crossOriginIsolated,
    wasmThreads: wasmThreads(),
    hardwareConcurrency: self.navigator.hardwareConcurrency || 1,
    timerResolutionMs: timerResolutionMs(),
    userAgent: self.navigator.userAgent,
    transformersVersion: env.version,
    onnxruntimeVersion: (env.backends.onnx as { versions?: { web?: string } }).versions?.web ?? 'unknown',
  };
}

// ---------------------------------------------------------------- load

/** Local files picked by the user, served to transformers.js through its custom-cache hook. */
function filesCache(files: Record<string, File>) {
  const lookup = (key: string): File | undefined => {
    const path = decodeURIComponent(key);
    const hit = Object.keys(files).find((rel) => path.endsWith(`/${rel}`) || path === rel);
    return hit ? files[hit] : undefined;
  };
  return {
    match: async (key: string | globalThis.Request) => {
      const file = lookup(typeof key === 'string' ? key : key.url);
      return file ? new Response(file, { headers: { 'content-length': String(file.size) } }) : undefined;
    },
    put: async () => {},
  };
}

/** Points transformers.js at the source's files; returns a counter of bytes fetched over the network. */
function configureSource(source: ModelSource): { fetched: () => { requests: number; bytes: number } } {
  let requests = 0;
  let bytes = 0;
  const modelHost = source.kind === 'hub' ? source.host : null;
  env.fetch = async (input: string | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    // Only model downloads count: the runtime's own files also go through env.fetch.
    if (modelHost && String(input).startsWith(modelHost)) {
      requests++;
      bytes += Number(response.headers.get('content-length') ?? 0);
    }
    return response;
  };
  env.useCustomCache = false;
  env.customCache = null;
  switch (source.kind) {
    case 'embedded':
      // Served by the app itself; browser caching would only keep stale copies after the generator changes.
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = `${import.meta.env.BASE_URL}models/`;
      env.useBrowserCache = false;
      break;
    case 'hub':
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = source.host.endsWith('/') ? source.host : `${source.host}/`;
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      env.useBrowserCache = true;
      break;
    case 'files':
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = '/__picked__/';
      env.useBrowserCache = false;
      env.useCustomCache = true;
      env.customCache = filesCache(source.files);
      break;
    default:
      source satisfies never;
  }
  return { fetched: () => ({ requests, bytes }) };
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

async function load(id: number, source: ModelSource, dtype: Dtype, requested: Device) {
  await dispose();
  const started = performance.now();
  const { device, fallbackReason } = await chooseDevice(requested);
  const { fetched } = configureSource(source);
  const modelName = source.kind === 'files' ? source.id.replace(/[^\w.-]/g, '_') : source.id;
  const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (p.status === 'progress' && p.file) {
      post({ type: 'progress', id, file: p.file, loadedBytes: p.loaded ?? 0, totalBytes: p.total ?? 0 });
    }
  };
  // config.json first: a missing repository then fails with a clear "not found" instead of a tokenizer error.
  await AutoConfig.from_pretrained(modelName, { progress_callback });
  const tokenizer = await AutoTokenizer.from_pretrained(modelName, { progress_callback });
  const model = await AutoModelForCausalLM.from_pretrained(modelName, { dtype, device, progress_callback });
  const config = JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>;
  const { requests, bytes } = fetched();
  const info: LoadedModel = {
    modelId: source.id,
    dtype,
    device,
    loadMs: ms(performance.now() - started),
    fromCache: source.kind === 'hub' ? requests === 0 : false,
    downloadedBytes: bytes,
    maxContextTokens: Number(config.max_position_embeddings ?? config.n_positions ?? 2048),
    config,
    fallbackReason,
  };
  loaded = { model, tokenizer, info };
  post({ type: 'loaded', id, model: info });
}

// ---------------------------------------------------------------- run

/**
 * Records when each generated token arrives. The first put() is the prompt, which is not a token.
 * Extends TextStreamer only to satisfy generate()'s parameter type: put() replaces its text decoding entirely,
 * so nothing but a timestamp and an id is done on the timed path.
 */
class TimingStreamer extends TextStreamer {
  private promptSeen = false;
  readonly times: number[] = [];
  readonly ids: number[] = [];
  constructor(
    tokenizer: PreTrainedTokenizer,
    private readonly startedAt: number,
    private readonly onToken: (index: number, timeMs: number, tokenId: number) => void,
    private readonly interruptFlag: Int32Array | undefined,
  ) {
    super(tokenizer, { skip_prompt: true });
  }
  override put(value: bigint[][]) {
    const now = performance.now();
    // put() runs before the stopping criteria on every step: the cheapest place to notice an interrupt.
    const control = this.interruptFlag ? Atomics.load(this.interruptFlag, 0) : RUN_CONTROL.running;
    if (control === RUN_CONTROL.interrupt) stopping.interrupt();
    else if (control === RUN_CONTROL.loseDevice) loseDevicesNow();
    else if (control === RUN_CONTROL.crash) crashNow();
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    const tokenId = Number(value[0]?.[0] ?? -1);
    this.times.push(now - this.startedAt);
    this.ids.push(tokenId);
    this.onToken(this.times.length - 1, now - this.startedAt, tokenId);
  }
  override end() {}
}

function promptTensors(tokenizer: PreTrainedTokenizer, promptTokens: number, seedText: string) {
  const seedIds = tokenizer.encode(seedText, { add_special_tokens: false });
  const prefixIds = tokenizer.encode('', { add_special_tokens: true });
  const ids = promptOfLength(seedIds, promptTokens, prefixIds);
  return {
    input_ids: new Tensor(
      'int64',
      BigInt64Array.from(ids, (t) => BigInt(t)),
      [1, ids.length],
    ),
    attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
  };
}

async function generateOnce(
  target: Loaded,
  inputs: ReturnType<typeof promptTensors>,
  genTokens: number,
  onToken: (index: number, timeMs: number, tokenId: number) => void,
  interruptFlag?: Int32Array,
) {
  const startedAt = performance.now();
  const streamer = new TimingStreamer(target.tokenizer, startedAt, onToken, interruptFlag);
  await target.model.generate({
    ...inputs,
    max_new_tokens: genTokens,
    // Ignore end-of-sequence like llama-bench: every repetition decodes exactly G tokens.
    min_new_tokens: genTokens,
    do_sample: false,
    streamer,
    stopping_criteria: stopping,
  });
  return { startedAt, times: streamer.times, ids: streamer.ids };
}

async function run(request: Extract<Request, { type: 'run' }>) {
  const { id, promptTokens, genTokens, reps } = request;
  const target = loaded;
  if (!target)
    return post({ type: 'error', id, code: 'not-loaded', message: 'Load a model before running.' });
  const outOfRange = (value: number, { min, max }: { min: number; max: number }) =>
    !Number.isInteger(value) || value < min || value > max;
  if (
    outOfRange(promptTokens, RUN_LIMITS.promptTokens) ||
    outOfRange(genTokens, RUN_LIMITS.genTokens) ||
    outOfRange(reps, RUN_LIMITS.reps)
  ) {
    return post({
      type: 'error',
      id,
      code: 'bad-request',
      message: 'Prompt, generation or repetition count out of range.',
    });
  }
  if (promptTokens + genTokens > target.info.maxContextTokens) {
    return post({
      type: 'error',
      id,
      code: 'bad-request',
      message: `P + G = ${promptTokens + genTokens} tokens exceeds this model's context of ${target.info.maxContextTokens}.`,
    });
  }
  runningId = id;
  stopping.reset();
  const flag = request.interruptFlag;
  const inputs = promptTensors(target.tokenizer, promptTokens, request.promptText || PROMPT_SEED_TEXT);

  // Warm-up (discarded): compiles shaders, allocates buffers, fills caches.
  const warm = await generateOnce(target, inputs, Math.min(genTokens, 4), () => {}, flag);
  throwIfDeviceLost();
  post({ type: 'warmup', id, durationMs: ms(warm.times.at(-1) ?? 0) });

  let interrupted = stopping.interrupted;
  for (let rep = 0; rep < reps && !interrupted; rep++) {
    // Let the event loop turn between repetitions (a repetition on WASM is one long task): queued messages
    // such as an interrupt without shared memory get read, and a crash reaches the page now, not at the end.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopping.interrupted) break;
    // Tokens are posted in batches of about one frame, after their timestamps were taken. On WASM the worker's
    // event loop does not turn between tokens (inference runs synchronously), so the decision to post is made
    // here, on the token path; its cost (microseconds) falls into the next token's latency, as it would in any app.
    const pending: Array<{ index: number; timeMs: Ms }> = [];
    const heldIds: number[] = [];
    let lastPostMs = Number.NEGATIVE_INFINITY;
    const flush = (nowMs: number, final = false) => {
      if (pending.length === 0) return;
      // A character may span tokens (byte-level BPE): hold ids until they decode to whole characters.
      let text = target.tokenizer.decode(heldIds, { skip_special_tokens: true });
      if (!final && text.endsWith('\uFFFD') && heldIds.length < 8) text = '';
      else heldIds.length = 0;
      post({ type: 'tokens', id, rep, tokens: pending.splice(0), text });
      lastPostMs = nowMs;
    };
    const result = await generateOnce(
      target,
      inputs,
      genTokens,
      (index, timeMs, tokenId) => {
        pending.push({ index, timeMs: ms(timeMs) });
        heldIds.push(tokenId);
        if (index === 0 || index === genTokens - 1 || timeMs - lastPostMs >= TOKEN_BATCH_MS) flush(timeMs);
      },
      flag,
    );
    flush(Number.POSITIVE_INFINITY, true);
    throwIfDeviceLost();
    interrupted = stopping.interrupted;
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
        text: target.tokenizer.decode(result.ids, { skip_special_tokens: true }),
        partial: times.length < genTokens,
      },
    });
  }
  runningId = null;
  post({ type: 'done', id, interrupted });
}

// ---------------------------------------------------------------- score (teacher forcing)

async function score(request: Extract<Request, { type: 'score' }>) {
  const { id } = request;
  const target = loaded;
  if (!target)
    return post({ type: 'error', id, code: 'not-loaded', message: 'Load a model before scoring.' });
  const ids = target.tokenizer.encode(request.text).slice(0, Math.max(2, request.maxTokens));
  const input_ids = new Tensor(
    'int64',
    BigInt64Array.from(ids, (t) => BigInt(t)),
    [1, ids.length],
  );
  const attention_mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
  const output = (await target.model({ input_ids, attention_mask })) as { logits: Tensor };
  const logits = output.logits.to('float32');
  const vocab = logits.dims[2] ?? 0;
  const data = logits.data as Float32Array;
  const positions: TextScore['positions'] = [];
  for (let i = 0; i + 1 < ids.length; i++) {
    const logProbs = logSoftmax(data.subarray(i * vocab, (i + 1) * vocab));
    positions.push({
      targetLogProb: logProbs[ids[i + 1] as number] as number,
      top: topK(logProbs, request.topK),
    });
  }
  post({ type: 'scored', id, score: { tokenIds: ids, positions } });
}

// ---------------------------------------------------------------- dispose

async function dispose() {
  const current = loaded;
  loaded = null;
  disposing = true;
  try {
    if (current) await current.model.dispose();
  } finally {
    disposing = false;
  }
}

// ---------------------------------------------------------------- fault injection (tests, ?debug)

/** An uncaught exception outside any request's promise: the worker's `error` event, as a real crash gives. */
function crashNow() {
  queueMicrotask(() => {
    throw new Error('Simulated worker crash');
  });
}

function simulate(action: 'crash' | 'hang' | 'lose-device') {
  if (action === 'crash') {
    crashNow();
  } else if (action === 'hang') {
    setTimeout(() => {
      for (;;) {
        // A wedged worker: never yields.
      }
    }, 0);
  } else {
    loseDevicesNow();
  }
}

// ---------------------------------------------------------------- dispatch

async function handle(request: Request) {
  switch (request.type) {
    case 'capabilities':
      return post({ type: 'capabilities', id: request.id, report: await capabilities() });
    case 'load':
      return load(request.id, request.source, request.dtype, request.device);
    case 'run':
      return run(request);
    case 'score':
      return score(request);
    case 'interrupt':
      if (runningId === request.target) stopping.interrupt();
      return;
    case 'dispose':
      await dispose();
      return post({ type: 'disposed', id: request.id });
    case 'simulate':
      return simulate(request.action);
    default:
      request satisfies never;
  }
}

self.addEventListener('message', (event: MessageEvent<Request>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    if (request.type === 'run') runningId = null;
    // A lost device makes the runtime fail with buffer-mapping errors; say what actually happened.
    if (deviceLostReason !== null) {
      try {
        throwIfDeviceLost();
      } catch (lost) {
        error = lost;
      }
    }
    const { code, message } = classifyError(error);
    post({ type: 'error', id: request.id, code, message });
  });
});
