/**
 * Turns measured runs into the bench's output: a flat record per run (the JSON object and the CSV row share its
 * columns) and a Markdown table in llama-bench's style. Pure, unit-tested. Metrics come from app/measure/stats.ts,
 * so the bench and the UI compute TTFT, TPOT, ITL and rates the same way.
 */
import type { PressureState } from '../../app/engine/pressure.ts';
import type { CapabilityReport, Device } from '../../app/engine/protocol.ts';
import { decodeSlowdown } from '../../app/run/context-length.ts';
import { describeNoiseReason, type NoiseReport, noiseAdvice, noiseOf } from '../../app/run/noise.ts';
import { cachedPrefixOf, type RunResult } from '../../app/run/run.ts';
import {
  firstRequestMetrics,
  isValidRepetition,
  type RunSummary,
  type Spread,
  summarize,
} from '../../app/run/stats.ts';

/** What the bench knows about the browser beyond a run's own environment stamp. */
export interface BrowserInfo {
  /** Playwright's `browser.version()`, e.g. "156.0.8078.108". */
  version: string;
  /** The worker's capability report (WebGPU adapter, even for WASM runs). Null when it could not be read. */
  capabilities: CapabilityReport | null;
}

export interface BenchEnvironment {
  browser: string;
  user_agent: string;
  transformers_version: string;
  onnxruntime_version: string;
  cross_origin_isolated: boolean;
  wasm_threads: number;
  hardware_concurrency: number;
  timer_resolution_ms: number;
  /** The browser's WebGPU adapter (whichever device the run used); null when WebGPU is unavailable. */
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  /** True for a software adapter (SwiftShader…): WebGPU timings then say nothing about real GPUs. */
  software_adapter: boolean | null;
  webgpu_unavailable_reason: string | null;
}

export interface BenchSample {
  rep: number;
  ttft_ms: number;
  e2e_ms: number;
  /** Arrival of each generated token since generate() began. */
  token_times_ms: number[];
  /** Counted in the medians: complete, and measured with the tab visible. */
  valid: boolean;
  /** Worst CPU pressure state during the repetition (Compute Pressure API); null where it was not recorded. */
  pressure: PressureState | null;
}

/**
 * One measured model/dtype/device/P/G. Medians with their min and max over valid repetitions; null where
 * nothing was measured. `device` is the backend that actually ran (after a WebGPU→WASM fallback it differs from
 * `device_requested`).
 */
export interface BenchRecord {
  model: string;
  dtype: string;
  device: Device;
  device_requested: Device;
  n_prompt: number;
  n_gen: number;
  /** Prompt tokens already in the KV cache when each repetition started (`--prefix`); 0 = a cold prompt. */
  n_cached_prefix: number;
  reps: number;
  valid_reps: number;
  status: RunResult['status'];
  ttft_ms: number | null;
  ttft_ms_min: number | null;
  ttft_ms_max: number | null;
  /**
   * Coefficient of variation over valid repetitions, as a fraction (0.031 = 3.1 %): sample standard deviation /
   * mean (app/run/noise.ts). Null with fewer than two valid repetitions. Likewise every `*_cv`.
   */
  ttft_ms_cv: number | null;
  prefill_tok_s: number | null;
  prefill_tok_s_min: number | null;
  prefill_tok_s_max: number | null;
  prefill_tok_s_cv: number | null;
  tpot_ms: number | null;
  tpot_ms_min: number | null;
  tpot_ms_max: number | null;
  tpot_ms_cv: number | null;
  decode_tok_s: number | null;
  decode_tok_s_min: number | null;
  decode_tok_s_max: number | null;
  decode_tok_s_cv: number | null;
  e2e_ms: number | null;
  e2e_ms_cv: number | null;
  itl_p50_ms: number | null;
  itl_p90_ms: number | null;
  itl_p99_ms: number | null;
  /**
   * Decode slowdown per 1,000 tokens of KV cache, ms per token, from the per-token times (app/run/context-length.ts);
   * null when the generated tokens span too few positions (G under about 100).
   */
  decode_ms_per_1k_tokens: number | null;
  /** Memory measured (bytes; null where not available): the weight files, the KV cache at the end, GPU buffers. */
  memory: {
    weight_bytes: number | null;
    kv_cache_bytes: number | null;
    kv_cache_tokens: number | null;
    gpu_buffer_bytes: number | null;
    gpu_peak_buffer_bytes: number | null;
    heap_bytes: number | null;
  } | null;
  load_ms: number;
  warmup_ms: number | null;
  /**
   * The warm-up reached steady state (the last windows' per-token latencies agreed, engine/steady-state.ts);
   * false: the cap ended it and the figures may time a warming engine; null: not recorded (failed early).
   */
  steady: boolean | null;
  /** The warm-up: discarded generations, their tokens, duration, and why it ended. */
  warmup: { windows: number; tokens: number; duration_ms: number | null; reason: string } | null;
  /** The first generation after the load (cold): what a freshly opened page feels. Null on a reused model. */
  first_request: { ttft_ms: number | null; decode_tok_s: number | null; n_gen: number } | null;
  /** The lab's noise verdict (app/run/noise.ts): decode CV above 5 %, a drift, or CPU pressure. */
  noisy: boolean;
  /** One line per reason, "kind: what was seen. What to do." (kind: spread, drift or pressure). */
  noise_reasons: string[];
  notes: string[];
  error: string | null;
  samples: BenchSample[];
  environment: BenchEnvironment;
}

/** The columns of a CSV row, in order: everything but the nested samples and environment, plus a few of its fields. */
export const CSV_COLUMNS = [
  'model',
  'dtype',
  'device',
  'device_requested',
  'n_prompt',
  'n_gen',
  'reps',
  'valid_reps',
  'status',
  'ttft_ms',
  'ttft_ms_min',
  'ttft_ms_max',
  'ttft_ms_cv',
  'prefill_tok_s',
  'prefill_tok_s_min',
  'prefill_tok_s_max',
  'prefill_tok_s_cv',
  'tpot_ms',
  'tpot_ms_min',
  'tpot_ms_max',
  'tpot_ms_cv',
  'decode_tok_s',
  'decode_tok_s_min',
  'decode_tok_s_max',
  'decode_tok_s_cv',
  'e2e_ms',
  'e2e_ms_cv',
  'itl_p50_ms',
  'itl_p90_ms',
  'itl_p99_ms',
  'load_ms',
  'warmup_ms',
  'steady',
  'noisy',
  'noise_reasons',
  'browser',
  'transformers_version',
  'onnxruntime_version',
  'cross_origin_isolated',
  'wasm_threads',
  'software_adapter',
  'notes',
  'error',
] as const;

/** Rounds to `digits` decimals; NaN and ±Infinity (nothing measured) become null, as JSON has no NaN. */
export function round(value: number, digits = 3): number | null {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

const spreadColumns = (s: Spread | undefined) => ({
  median: round(s?.median ?? Number.NaN),
  min: round(s?.min ?? Number.NaN),
  max: round(s?.max ?? Number.NaN),
});

/** The noise reasons as the bench prints them: "kind: what was seen. What to do." */
export const noiseLines = (noise: NoiseReport): string[] =>
  noise.reasons.map((r) => `${r.kind}: ${describeNoiseReason(r)} ${noiseAdvice(r)}`);

export function benchEnvironment(run: RunResult, browser: BrowserInfo): BenchEnvironment {
  const adapter = run.env.adapter ?? browser.capabilities?.webgpu ?? null;
  return {
    browser: browser.version,
    user_agent: run.env.userAgent,
    transformers_version: run.env.transformersVersion,
    onnxruntime_version: run.env.onnxruntimeVersion,
    cross_origin_isolated: run.env.crossOriginIsolated,
    wasm_threads: run.env.wasmThreads,
    hardware_concurrency: run.env.hardwareConcurrency,
    timer_resolution_ms: round(run.env.timerResolutionMs, 6) ?? Number.NaN,
    adapter: adapter
      ? {
          vendor: adapter.vendor,
          architecture: adapter.architecture,
          device: adapter.device,
          description: adapter.description,
        }
      : null,
    software_adapter: adapter ? adapter.isFallbackAdapter : null,
    webgpu_unavailable_reason: browser.capabilities?.webgpuUnavailableReason ?? null,
  };
}

/** Flattens one run and its summary into the bench's record. */
export function benchRecord(run: RunResult, requestedDevice: Device, browser: BrowserInfo): BenchRecord {
  const summary: RunSummary | null = summarize(run.repetitions);
  const ttft = spreadColumns(summary?.ttftMs);
  const prefill = spreadColumns(summary?.prefillTokPerS);
  const tpot = spreadColumns(summary?.tpotMs);
  const decode = spreadColumns(summary?.decodeTokPerS);
  const noise = noiseOf(run.repetitions);
  const cv = (value: number | null) => (value === null ? null : round(value, 4));
  return {
    model: run.settings.modelId,
    dtype: run.settings.dtype,
    device: run.env.device,
    device_requested: requestedDevice,
    n_prompt: run.settings.promptTokens,
    n_gen: run.settings.genTokens,
    n_cached_prefix: cachedPrefixOf(run.settings),
    reps: run.settings.reps,
    valid_reps: summary?.validReps ?? 0,
    status: run.status,
    ttft_ms: ttft.median,
    ttft_ms_min: ttft.min,
    ttft_ms_max: ttft.max,
    ttft_ms_cv: cv(noise.cv.ttftMs),
    prefill_tok_s: prefill.median,
    prefill_tok_s_min: prefill.min,
    prefill_tok_s_max: prefill.max,
    prefill_tok_s_cv: cv(noise.cv.prefillTokPerS),
    tpot_ms: tpot.median,
    tpot_ms_min: tpot.min,
    tpot_ms_max: tpot.max,
    tpot_ms_cv: cv(noise.cv.tpotMs),
    decode_tok_s: decode.median,
    decode_tok_s_min: decode.min,
    decode_tok_s_max: decode.max,
    decode_tok_s_cv: cv(noise.cv.decodeTokPerS),
    e2e_ms: round(summary?.e2eMs.median ?? Number.NaN),
    e2e_ms_cv: cv(noise.cv.e2eMs),
    itl_p50_ms: round(summary?.itlMs.p50 ?? Number.NaN),
    itl_p90_ms: round(summary?.itlMs.p90 ?? Number.NaN),
    itl_p99_ms: round(summary?.itlMs.p99 ?? Number.NaN),
    decode_ms_per_1k_tokens: round(decodeSlowdown([run])?.msPer1kTokens ?? Number.NaN, 4),
    memory: run.memory
      ? {
          weight_bytes: run.memory.weightBytes,
          kv_cache_bytes: run.memory.kvCacheBytes,
          kv_cache_tokens: run.memory.kvCacheTokens,
          gpu_buffer_bytes: run.memory.gpuBufferBytes,
          gpu_peak_buffer_bytes: run.memory.gpuPeakBufferBytes,
          heap_bytes: run.memory.heapBytes,
        }
      : null,
    load_ms: round(run.load.ms) ?? 0,
    warmup_ms: run.warmupMs === null ? null : round(run.warmupMs),
    steady: run.warmup?.steady ?? null,
    warmup: run.warmup && {
      windows: run.warmup.windows,
      tokens: run.warmup.tokens,
      duration_ms: run.warmupMs === null ? null : round(run.warmupMs),
      reason: run.warmup.reason,
    },
    first_request: run.firstRequest && {
      ttft_ms: round(run.firstRequest.ttftMs),
      decode_tok_s: round(firstRequestMetrics(run.firstRequest)?.decodeTokPerS ?? Number.NaN),
      n_gen: run.firstRequest.generatedTokens,
    },
    noisy: noise.noisy,
    noise_reasons: noiseLines(noise),
    notes: [...run.notes],
    error: run.error ? `${run.error.code}: ${run.error.message}` : null,
    samples: run.repetitions.map((rep) => ({
      rep: rep.rep,
      ttft_ms: round(rep.ttftMs) ?? 0,
      e2e_ms: round(rep.e2eMs) ?? 0,
      token_times_ms: rep.tokenTimesMs.map((t) => round(t) ?? 0),
      valid: isValidRepetition(rep),
      pressure: rep.pressure ?? null,
    })),
    environment: benchEnvironment(run, browser),
  };
}

/** `-o json`: an array of records, one per model/dtype/device/P/G. */
export function formatJson(records: readonly BenchRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

function csvField(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `-o csv`: a header and one row per record (samples are left to JSON). */
export function formatCsv(records: readonly BenchRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records) {
    const cells = CSV_COLUMNS.map((column) => {
      switch (column) {
        case 'browser':
        case 'transformers_version':
        case 'onnxruntime_version':
        case 'cross_origin_isolated':
        case 'wasm_threads':
        case 'software_adapter':
          return csvField(record.environment[column]);
        default:
          return csvField(record[column]);
      }
    });
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A number with two decimals, as llama-bench prints rates; a dash for nothing measured. */
export const fixed2 = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

/** "median (min–max)": every figure the bench prints carries its spread. */
export function withSpread(median: number | null, min: number | null, max: number | null): string {
  if (median === null) return '—';
  if (min === null || max === null || min === max) return fixed2(median);
  return `${fixed2(median)} (${fixed2(min)}–${fixed2(max)})`;
}

const backendLabel = (record: BenchRecord): string => {
  const name = record.device === 'webgpu' ? 'WebGPU' : 'WASM';
  if (record.device !== record.device_requested) return `${name} (fallback)`;
  if (record.device === 'webgpu' && record.environment.software_adapter) return `${name} (software)`;
  return name;
};

/** Aligns a Markdown table the way llama-bench does: text columns left, numbers right. */
export function markdownTable(
  header: readonly string[],
  rows: readonly string[][],
  rightAligned: readonly boolean[],
) {
  // At least three characters, so every rule has the three dashes Markdown needs.
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (cell: string, i: number) =>
    rightAligned[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * `-o md`: one row per model/dtype/device/P/G with median (min–max) over the valid repetitions, then a
 * `build:` line naming the browser and library versions, like llama-bench's footer.
 */
export function formatMarkdown(records: readonly BenchRecord[]): string {
  const header = [
    'model',
    'dtype',
    'backend',
    'threads',
    'P',
    'G',
    'R',
    'ttft ms',
    'prefill tok/s',
    'tpot ms',
    'decode tok/s',
    'decode CV',
    'ITL p50/p90/p99 ms',
  ];
  const right = [false, false, false, true, true, true, true, true, true, true, true, true, true];
  const rows = records.map((r) => [
    r.model,
    r.dtype,
    backendLabel(r),
    r.device === 'wasm' ? String(r.environment.wasm_threads) : '—',
    r.n_cached_prefix > 0 ? `${r.n_prompt} (K ${r.n_cached_prefix})` : String(r.n_prompt),
    String(r.n_gen),
    r.valid_reps === r.reps ? String(r.reps) : `${r.valid_reps}/${r.reps}`,
    withSpread(r.ttft_ms, r.ttft_ms_min, r.ttft_ms_max),
    withSpread(r.prefill_tok_s, r.prefill_tok_s_min, r.prefill_tok_s_max),
    withSpread(r.tpot_ms, r.tpot_ms_min, r.tpot_ms_max),
    withSpread(r.decode_tok_s, r.decode_tok_s_min, r.decode_tok_s_max),
    `${r.decode_tok_s_cv === null ? '—' : `${(r.decode_tok_s_cv * 100).toFixed(1)} %`}${r.noisy ? ' noisy' : ''}`,
    r.itl_p50_ms === null ? '—' : [r.itl_p50_ms, r.itl_p90_ms, r.itl_p99_ms].map(fixed2).join(' / '),
  ]);
  const lines = [markdownTable(header, rows, right), ''];
  const first = records[0];
  if (first) lines.push(`build: ${buildLine(first.environment)}`);
  const problems = records.filter((r) => r.error !== null || r.status !== 'complete');
  for (const r of problems) {
    lines.push(`${r.model} ${r.dtype} ${r.device_requested}: ${r.status}${r.error ? ` — ${r.error}` : ''}`);
  }
  for (const r of records) {
    const label = `${r.model} ${r.dtype} ${r.device_requested} P${r.n_prompt} G${r.n_gen}`;
    if (r.warmup) {
      const w = r.warmup;
      lines.push(
        `${label}: warm-up ${w.windows} generations, ${w.tokens} tokens, ${w.duration_ms === null ? '—' : `${(w.duration_ms / 1000).toFixed(1)} s`}, ${r.steady ? 'steady' : `DID NOT SETTLE (${w.reason})`}`,
      );
    }
    if (r.first_request) {
      lines.push(
        `${label}: first request (cold, after load) ttft ${fixed2(r.first_request.ttft_ms)} ms, decode ${fixed2(r.first_request.decode_tok_s)} tok/s over ${r.first_request.n_gen} tokens`,
      );
    }
  }
  for (const r of records.filter((x) => x.noisy)) {
    lines.push(
      `${r.model} ${r.dtype} ${r.device_requested} P${r.n_prompt} G${r.n_gen}: noisy — ${r.noise_reasons.join(' ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Browser, libraries and isolation in one line. */
export function buildLine(env: BenchEnvironment): string {
  const adapter = env.adapter
    ? `WebGPU adapter ${[env.adapter.vendor, env.adapter.architecture].filter(Boolean).join(' ') || 'unnamed'}${env.software_adapter ? ' (software)' : ''}`
    : 'no WebGPU adapter';
  return [
    `Chromium ${env.browser}`,
    `transformers.js ${env.transformers_version}`,
    `onnxruntime-web ${env.onnxruntime_version}`,
    env.cross_origin_isolated ? 'cross-origin isolated' : 'NOT cross-origin isolated',
    `${env.hardware_concurrency} logical cores`,
    adapter,
  ].join(' · ');
}
