/**
 * Plausible synthetic runs for tests, benchmarks and screenshots: deterministic from a seed,
 * shaped like what the Measure page saves (per-token times rising with jitter, a few repetitions).
 */
import type { Device, Dtype, Ms } from '../engine/protocol.ts';
import type { RunResult } from './run.ts';

/** Small deterministic PRNG (mulberry32): the same seed always gives the same run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  modelId?: string;
  dtype?: Dtype;
  device?: Device;
  promptTokens?: number;
  genTokens?: number;
  reps?: number;
  /** Median decode speed to aim for. */
  decodeTokPerS?: number;
  /** Prefill speed to aim for. */
  prefillTokPerS?: number;
  userAgent?: string;
  adapterDescription?: string;
  createdAt?: string;
  id?: string;
  name?: string;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A complete run with per-token timings; `seed` varies the jitter. */
export function syntheticRun(seed: number, options: SyntheticOptions = {}): RunResult {
  const random = rng(seed);
  const promptTokens = options.promptTokens ?? 128;
  const genTokens = options.genTokens ?? 64;
  const reps = options.reps ?? 3;
  const decode = options.decodeTokPerS ?? 40;
  const prefill = options.prefillTokPerS ?? 800;
  const device = options.device ?? 'wasm';
  const start = Date.parse(options.createdAt ?? '2025-01-01T00:00:00.000Z') + seed * 1000;
  const repetitions = Array.from({ length: reps }, (_, rep) => {
    const ttft = round3(((promptTokens / prefill) * 1000 + 1000 / decode) * (0.95 + random() * 0.1));
    const times: number[] = [ttft];
    for (let i = 1; i < genTokens; i++) {
      const prev = times[i - 1] as number;
      times.push(round3(prev + (1000 / decode) * (0.85 + random() * 0.3)));
    }
    const e2e = times[times.length - 1] as number;
    const startEpochMs = start + rep * 10_000;
    return {
      rep,
      promptTokens,
      ttftMs: ttft as Ms,
      e2eMs: e2e as Ms,
      tokenTimesMs: times as Ms[],
      startEpochMs,
      endEpochMs: startEpochMs + e2e,
      text: ' the'.repeat(Math.min(genTokens, 8)),
      partial: false,
      hidden: false,
    };
  });
  const modelId = options.modelId ?? 'tiny-random-llama';
  const dtype = options.dtype ?? 'q8';
  return {
    id: options.id ?? `syn-${seed.toString(36)}`,
    createdAt: new Date(start).toISOString(),
    name: options.name ?? `${modelId} ${dtype} ${device}`,
    tags: [],
    settings: { modelId, sourceKind: 'embedded', dtype, device, promptTokens, genTokens, reps },
    env: {
      userAgent:
        options.userAgent ??
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      transformersVersion: '4.3.1',
      onnxruntimeVersion: '1.23.0',
      device,
      adapter:
        device === 'webgpu'
          ? {
              vendor: 'google',
              architecture: 'swiftshader',
              device: '',
              description: options.adapterDescription ?? 'SwiftShader',
              isFallbackAdapter: false,
              features: ['shader-f16'],
              limits: { maxBufferSize: 268435456 },
            }
          : null,
      crossOriginIsolated: true,
      wasmThreads: 2,
      hardwareConcurrency: 2,
      timerResolutionMs: 0.005,
    },
    load: { ms: 250, fromCache: true, downloadedBytes: 0 },
    warmupMs: 120,
    warmup: null,
    firstRequest: null,
    repetitions,
    status: 'complete',
    notes: [],
  };
}

/**
 * A complete run whose every repetition has exactly these token arrival times (ms since generate() began), with
 * `settings` over the synthetic defaults: for tests of fits that need exact figures.
 */
export function runWithTokenTimes(
  settings: Partial<RunResult['settings']>,
  tokenTimesMs: readonly number[],
  reps = 3,
): RunResult {
  const base = syntheticRun(1, { reps });
  const s = { ...base.settings, ...settings };
  return {
    ...base,
    settings: s,
    repetitions: base.repetitions.map((r) => ({
      ...r,
      promptTokens: s.promptTokens,
      ttftMs: (tokenTimesMs[0] ?? 0) as Ms,
      e2eMs: (tokenTimesMs.at(-1) ?? 0) as Ms,
      tokenTimesMs: [...tokenTimesMs] as Ms[],
    })),
  };
}

/**
 * A run whose timings are easy to compute by hand (for export tests): two repetitions with TTFT 100 ms, then a
 * token every 10 ms (rep 0: decode 100 tok/s) or every 20 ms (rep 1: 50 tok/s); P = 50, G = 5.
 */
export function handTimedRun(): RunResult {
  const run = syntheticRun(1, { reps: 2, genTokens: 5, promptTokens: 50 });
  run.repetitions = run.repetitions.map((rep, i) => ({
    ...rep,
    ttftMs: 100 as Ms,
    e2eMs: (140 + i * 40) as Ms,
    tokenTimesMs: [100, 110, 120, 130, 140].map((t) => 100 + (t - 100) * (i + 1)) as Ms[],
  }));
  return run;
}
