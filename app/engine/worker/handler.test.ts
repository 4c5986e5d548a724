import { describe, expect, it } from 'vitest';
import {
  type Dtype,
  type LoadedModel,
  ms,
  type Request,
  RUN_CONTROL,
  type WorkerEvent,
} from '../protocol.ts';
import { STEADY_STATE_RULES, type SteadyStateRules } from '../steady-state.ts';
import { DeviceLossTracker } from './device-loss.ts';
import { createInferenceHandler } from './handler.ts';
import type { Runtime, RuntimeModel, Stopping } from './runtime.ts';

/**
 * A fake runtime, as web-llm tests its worker handler: a "model" whose tokens are letters, generated one per
 * millisecond of fake time, with an interruptable stopping criterion like transformers.js's.
 */
function fakeRuntime(
  options: { device?: 'wasm' | 'webgpu'; maxContextTokens?: number; failLoad?: Error } = {},
) {
  const stopping: Stopping & { interrupted: boolean } = {
    interrupted: false,
    interrupt() {
      this.interrupted = true;
    },
    reset() {
      this.interrupted = false;
    },
  };
  const log: string[] = [];
  /** Called before each generated token: tests use it to interrupt or lose the device mid-repetition. */
  let beforeToken: (generation: number, index: number) => void = () => {};
  let generations = 0;
  const model = (dtype: Dtype): RuntimeModel => ({
    info: {
      modelId: 'fake',
      dtype,
      device: options.device ?? 'wasm',
      loadMs: ms(5),
      fromCache: false,
      downloadedBytes: 10,
      maxContextTokens: options.maxContextTokens ?? 64,
      config: {},
      fallbackReason: null,
    } satisfies LoadedModel,
    prepare(promptTokens, _seed, prepareOptions = {}) {
      const cached = prepareOptions.cachedPrefixTokens ?? 0;
      log.push(`prepare P${promptTokens}${cached > 0 ? ` K${cached}` : ''}`);
      return async (genTokens, onToken, control) => {
        const generation = generations++;
        const times: number[] = [];
        const ids: number[] = [];
        for (let i = 0; i < genTokens; i++) {
          beforeToken(generation, i);
          const signal = control.flag ? Atomics.load(control.flag, 0) : RUN_CONTROL.running;
          if (signal !== RUN_CONTROL.running) control.onSignal(signal);
          if (stopping.interrupted) break;
          times.push(i + 1);
          ids.push(97 + (i % 26));
          onToken(i, i + 1, 97 + (i % 26));
        }
        // A cache of 8 bytes per token: P prompt tokens and every generated token but the last.
        const tokens = promptTokens + times.length - 1;
        return { startedAt: 0, times, ids, kvCache: { bytes: 8 * tokens, tokens } };
      };
    },
    decode: (ids) => String.fromCharCode(...ids),
    async forward(text, maxTokens) {
      const ids = [...text].slice(0, maxTokens).map((c) => c.charCodeAt(0) % 4);
      // Vocabulary of 4; every position predicts the next id with logit 10, the others 0.
      const logits = new Float32Array(ids.length * 4);
      for (let i = 0; i + 1 < ids.length; i++) logits[i * 4 + (ids[i + 1] as number)] = 10;
      return { ids, logits, vocab: 4 };
    },
    async dispose() {
      log.push(`dispose ${dtype}`);
    },
  });
  const runtime: Runtime = {
    stopping,
    capabilities: async () => {
      throw new Error('not used');
    },
    async load(_source, dtype, _device, onProgress) {
      onProgress('onnx/model.onnx', 5, 10);
      if (options.failLoad) throw options.failLoad;
      log.push(`load ${dtype}`);
      return model(dtype);
    },
  };
  return {
    runtime,
    log,
    setBeforeToken: (fn: typeof beforeToken) => {
      beforeToken = fn;
    },
  };
}

/**
 * The lab's warm-up rules without the token floor: the fake's windows agree at once (one token per ms), so every
 * warm-up is WARMUP_WINDOWS windows of 16 tokens (G = 5 clamped up to 16) and the timed repetitions start at
 * generation WARMUP_WINDOWS.
 */
const TEST_RULES: SteadyStateRules = { ...STEADY_STATE_RULES, minTokens: 0, minDurationMs: 0 };
const WARMUP_WINDOWS = 3;

function setup(options: Parameters<typeof fakeRuntime>[0] = {}, warmupRules: SteadyStateRules = TEST_RULES) {
  const fake = fakeRuntime(options);
  const events: WorkerEvent[] = [];
  const faults: string[] = [];
  const deviceLoss = new DeviceLossTracker(() => fake.runtime.stopping.interrupt());
  const handle = createInferenceHandler({
    runtime: fake.runtime,
    post: (e) => events.push(e),
    deviceLoss,
    crash: () => faults.push('crash'),
    hang: () => faults.push('hang'),
    warmupRules,
  });
  const load = () =>
    handle({ type: 'load', id: 1, source: { kind: 'embedded', id: 'fake' }, dtype: 'q8', device: 'wasm' });
  const run = (patch: Partial<Extract<Request, { type: 'run' }>> = {}) =>
    handle({ type: 'run', id: 2, promptTokens: 8, genTokens: 5, reps: 2, ...patch });
  const of = <T extends WorkerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  return { ...fake, handle, events, faults, deviceLoss, load, run, of };
}

describe('inference handler', () => {
  it('loads with progress, then warms up and runs R repetitions of exactly G tokens', async () => {
    const t = setup();
    await t.load();
    expect(t.of('progress')).toEqual([
      { type: 'progress', id: 1, file: 'onnx/model.onnx', loadedBytes: 5, totalBytes: 10 },
    ]);
    expect(t.of('loaded')[0]?.model.dtype).toBe('q8');
    await t.run();
    expect(t.of('warmup')).toHaveLength(1);
    // Three 16-token windows (1 ms per token) agree: steady after 48 ms; the first window is the cold request.
    expect(t.of('warmup')[0]).toMatchObject({
      warmup: { windows: WARMUP_WINDOWS, tokens: 48, durationMs: 48, steady: true },
      firstRequest: { promptTokens: 8, generatedTokens: 16, ttftMs: 1, e2eMs: 16 },
    });
    const reps = t.of('repetition').map((e) => e.timing);
    expect(reps.map((r) => [r.rep, r.tokenTimesMs.length, r.ttftMs, r.e2eMs, r.text, r.partial])).toEqual([
      [0, 5, 1, 5, 'abcde', false],
      [1, 5, 1, 5, 'abcde', false],
    ]);
    // Every token reaches the page, in batches, with the text of each batch.
    const rep0 = t.of('tokens').filter((e) => e.rep === 0);
    expect(rep0.flatMap((e) => e.tokens.map((x) => x.index))).toEqual([0, 1, 2, 3, 4]);
    expect(rep0.map((e) => e.text).join('')).toBe('abcde');
    expect(t.events.at(-1)).toEqual({ type: 'done', id: 2, interrupted: false });
    // The prompt is tokenized once for the warm-up and every repetition.
    expect(t.log.filter((l) => l.startsWith('prepare'))).toEqual(['prepare P8']);
  });

  it('reports the cold first request only for the first run after a load', async () => {
    const t = setup();
    await t.load();
    await t.run();
    await t.run();
    expect(t.of('warmup').map((e) => e.firstRequest === null)).toEqual([false, true]);
    await t.load();
    await t.run();
    expect(t.of('warmup').at(-1)?.firstRequest).not.toBeNull();
  });

  it('warms a freshly loaded model for 384 tokens, and the same model on a later run only until windows agree', async () => {
    const t = setup({ maxContextTokens: 512 }, { ...STEADY_STATE_RULES, minDurationMs: 0 });
    await t.load();
    await t.run();
    // 16-token windows: 24 of them reach 384 tokens
    expect(t.of('warmup')[0]?.warmup).toMatchObject({ windows: 24, tokens: 384, steady: true });
    await t.run(); // the same load: its earlier warm-up and repetitions count
    expect(t.of('warmup')[1]?.warmup).toMatchObject({ windows: 3, tokens: 48, steady: true });
    await t.load(); // a new load starts over: its own code paths and buffers are cold
    await t.run();
    expect(t.of('warmup')[2]?.warmup).toMatchObject({ windows: 24, tokens: 384, steady: true });
  });

  it('ends a warm-up that does not settle at its cap, says so, and still runs the repetitions', async () => {
    const t = setup({}, { ...TEST_RULES, minWindows: 5, maxWindows: 2 });
    await t.load();
    await t.run();
    const warmup = t.of('warmup')[0]?.warmup;
    expect(warmup).toMatchObject({ windows: 2, steady: false });
    expect(warmup?.reason).toMatch(/^did not settle within the 2-window cap/);
    expect(t.of('repetition')).toHaveLength(2);
  });

  it('prepares the cached prefix K and reports the KV cache of the last repetition before done', async () => {
    const t = setup();
    await t.load();
    await t.run({ promptTokens: 8, genTokens: 5, cachedPrefixTokens: 6 });
    expect(t.log.filter((l) => l.startsWith('prepare'))).toEqual(['prepare P8 K6']);
    expect(t.events.at(-2)).toEqual({
      type: 'memory',
      id: 2,
      memory: { kvCacheBytes: 8 * 12, kvCacheTokens: 12, gpuBufferBytes: null, gpuPeakBufferBytes: null },
    });
    expect(t.events.at(-1)).toEqual({ type: 'done', id: 2, interrupted: false });
  });

  it('refuses a cached prefix that leaves no prompt token to prefill', async () => {
    const t = setup();
    await t.load();
    for (const cachedPrefixTokens of [8, -1, 2.5]) {
      await t.run({ promptTokens: 8, cachedPrefixTokens });
      expect(t.events.at(-1)).toMatchObject({
        type: 'error',
        code: 'bad-request',
        message: expect.stringContaining('P − 1 = 7'),
      });
    }
    expect(t.of('repetition')).toHaveLength(0);
  });

  it('refuses to run before a load, and a run that exceeds the context or the limits', async () => {
    const t = setup({ maxContextTokens: 10 });
    await t.run();
    expect(t.events.at(-1)).toMatchObject({ type: 'error', id: 2, code: 'not-loaded' });
    await t.load();
    await t.run({ promptTokens: 8, genTokens: 5 });
    expect(t.events.at(-1)).toMatchObject({
      type: 'error',
      code: 'bad-request',
      message: expect.stringContaining('context of 10'),
    });
    await t.run({ reps: 0 });
    expect(t.events.at(-1)).toMatchObject({ type: 'error', code: 'bad-request' });
    expect(t.of('warmup')).toHaveLength(0);
  });

  it('stops at the next token when the shared control word says interrupt, keeping the partial repetition', async () => {
    const t = setup();
    await t.load();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    // Generation 0 is the warm-up; interrupt during the first timed repetition, before its 4th token.
    t.setBeforeToken((generation, index) => {
      if (generation === WARMUP_WINDOWS && index === 3) Atomics.store(flag, 0, RUN_CONTROL.interrupt);
    });
    await t.run({ interruptFlag: flag });
    const reps = t.of('repetition').map((e) => e.timing);
    expect(reps).toHaveLength(1);
    expect(reps[0]).toMatchObject({ partial: true, tokenTimesMs: [1, 2, 3] });
    expect(t.events.at(-1)).toEqual({ type: 'done', id: 2, interrupted: true });
  });

  it('an interrupt message for the running request stops it between repetitions', async () => {
    const t = setup();
    await t.load();
    const running = t.run({ reps: 5 });
    await t.handle({ type: 'interrupt', id: 3, target: 2 });
    await running;
    expect(t.of('repetition').length).toBeLessThan(5);
    expect(t.events.at(-1)).toEqual({ type: 'done', id: 2, interrupted: true });
  });

  it('a lost GPU device ends the run with device-lost and forgets the model', async () => {
    const t = setup({ device: 'webgpu' });
    await t.load();
    t.setBeforeToken((generation, index) => {
      if (generation === WARMUP_WINDOWS && index === 2) t.deviceLoss.loseNow();
    });
    await t.run();
    expect(t.events.at(-1)).toMatchObject({ type: 'error', id: 2, code: 'device-lost' });
    expect(t.of('repetition')).toHaveLength(0);
    await t.run();
    expect(t.events.at(-1)).toMatchObject({ code: 'not-loaded' });
  });

  it('a failed load is classified, and the previous model is disposed before loading', async () => {
    const t = setup();
    await t.load();
    await t.load();
    expect(t.log).toEqual(['load q8', 'dispose q8', 'load q8']);
    const failing = setup({
      failLoad: new Error('Could not locate file: "http://x/o/m/resolve/main/config.json".'),
    });
    await failing.load();
    expect(failing.events.at(-1)).toMatchObject({ type: 'error', id: 1, code: 'model-not-found' });
  });

  it('scores a text with teacher forcing: log-probabilities of the actual next tokens and the top-k', async () => {
    const t = setup();
    await t.load();
    await t.handle({ type: 'score', id: 4, text: 'abcd', maxTokens: 3, topK: 2 });
    const scored = t.of('scored')[0]?.score;
    // 'abc' -> ids [1, 2, 3]: two positions, each predicting the next id with logit 10 among 4.
    expect(scored?.tokenIds).toEqual([1, 2, 3]);
    expect(scored?.positions).toHaveLength(2);
    const expected = 10 - Math.log(Math.exp(10) + 3);
    expect(scored?.positions[0]?.targetLogProb).toBeCloseTo(expected, 9);
    expect(scored?.positions[1]?.top[0]).toMatchObject({ id: 3 });
  });

  it('dispatches fault injection and dispose', async () => {
    const t = setup();
    await t.handle({ type: 'simulate', id: 5, action: 'crash' });
    await t.handle({ type: 'simulate', id: 6, action: 'hang' });
    expect(t.faults).toEqual(['crash', 'hang']);
    await t.load();
    await t.handle({ type: 'dispose', id: 7 });
    expect(t.events.at(-1)).toEqual({ type: 'disposed', id: 7 });
    expect(t.log.at(-1)).toBe('dispose q8');
  });
});
