/**
 * Turns measured runs into the bench's output: a flat record per run (the JSON object and the CSV row share its
 * columns) and a Markdown table in llama-bench's style. Pure, unit-tested. Metrics come from app/measure/stats.ts,
 * so the bench and the UI compute TTFT, TPOT, ITL and rates the same way.
 */
import type { PressureState } from '../../app/engine/pressure.ts';
import type { CapabilityReport, Device } from '../../app/engine/protocol.ts';
import { fitBatchCurve } from '../../app/run/batch-curve.ts';
import { decodeSlowdown } from '../../app/run/context-length.ts';
import { describeNoiseReason, type NoiseReport, noiseAdvice, noiseOf } from '../../app/run/noise.ts';
import { cachedPrefixOf, type RunResult, sequencesOf } from '../../app/run/run.ts';
import {
  batchSummary,
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
  /** Parallel sequences B generated together in one generate() call (`--npl`); 1 = a single stream. */
  n_parallel: number;
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
  /**
   * Aggregate decode speed of the B sequences, B × 1000 / TPOT (llama-batched-bench's S_TG); `decode_tok_s`,
   * `tpot_ms` and `ttft_ms` are per sequence. Equal to `decode_tok_s` at B = 1.
   */
  aggregate_decode_tok_s: number | null;
  aggregate_decode_tok_s_min: number | null;
  aggregate_decode_tok_s_max: number | null;
  /** Aggregate prefill speed, B × P / TTFT (llama-batched-bench's S_PP). */
  aggregate_prefill_tok_s: number | null;
  /**
   * T(B) = S·B / (1 + α(B − 1)) fitted to the aggregate decode medians of the records that differ only in B
   * (app/run/batch-curve.ts), the same on each of them; null with fewer than two B measured (`withBatchFits`).
   */
  batch_fit: BatchFitRecord | null;
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

/** The batching law fitted over a group of records (`--npl` with two or more B). */
export interface BatchFitRecord {
  /** S: single-stream decode tok/s of the fitted law. */
  single_stream_tok_s: number | null;
  /** α in [0, 1]: 0 = B sequences decode B times as fast as one, 1 = batching gains nothing. */
  alpha: number | null;
  /** Of the fit to the medians; null when every median is the same. */
  r_squared: number | null;
  rms_residual_tok_s: number | null;
  /** The best α lay outside [0, 1] and was clamped: the law describes these points poorly. */
  clamped: boolean;
  /** The B values fitted. */
  n_parallel: number[];
}

/** The columns of a CSV row, in order: everything but the nested samples and environment, plus a few of its fields. */
export const CSV_COLUMNS = [
  'model',
  'dtype',
  'device',
  'device_requested',
  'n_prompt',
  'n_gen',
  'n_parallel',
  'n_cached_prefix',
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
  'aggregate_decode_tok_s',
  'aggregate_decode_tok_s_min',
  'aggregate_decode_tok_s_max',
  'aggregate_prefill_tok_s',
  'batch_fit_alpha',
  'batch_fit_single_stream_tok_s',
  'batch_fit_r_squared',
  'e2e_ms',
  'e2e_ms_cv',
  'itl_p50_ms',
  'itl_p90_ms',
  'itl_p99_ms',
  'decode_ms_per_1k_tokens',
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
  const sequences = sequencesOf(run.settings);
  const batch = batchSummary(run.repetitions, sequences);
  const aggregate = spreadColumns(batch?.aggregateDecodeTokPerS);
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
    n_parallel: sequences,
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
    aggregate_decode_tok_s: aggregate.median,
    aggregate_decode_tok_s_min: aggregate.min,
    aggregate_decode_tok_s_max: aggregate.max,
    aggregate_prefill_tok_s: round(batch?.aggregatePrefillTokPerS.median ?? Number.NaN),
    batch_fit: null,
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

/** What a batching curve is fitted over: records that differ only in B. */
const batchGroupKey = (r: BenchRecord): string =>
  [r.model, r.dtype, r.device, r.device_requested, r.n_prompt, r.n_gen, r.n_cached_prefix].join(' ');

/**
 * Fills `batch_fit` on every record whose group (same model, dtype, device, P, G, K) was measured complete at two
 * or more B: T(B) = S·B / (1 + α(B − 1)) fitted by least squares to the aggregate decode medians.
 */
export function withBatchFits(records: readonly BenchRecord[]): BenchRecord[] {
  const fits = new Map<string, BatchFitRecord | null>();
  for (const key of new Set(records.map(batchGroupKey))) {
    const points = records
      .filter((r) => batchGroupKey(r) === key && r.status === 'complete' && r.aggregate_decode_tok_s !== null)
      .map((r) => ({ sequences: r.n_parallel, tokPerS: r.aggregate_decode_tok_s ?? Number.NaN }));
    const fit = fitBatchCurve(points);
    fits.set(
      key,
      fit && {
        single_stream_tok_s: round(fit.singleStreamTokPerS),
        alpha: round(fit.batchSlowdown, 4),
        r_squared: round(fit.rSquared, 4),
        rms_residual_tok_s: round(fit.rmsResidualTokPerS),
        clamped: fit.clamped,
        n_parallel: points.map((p) => p.sequences).sort((a, b) => a - b),
      },
    );
  }
  return records.map((r) => ({ ...r, batch_fit: fits.get(batchGroupKey(r)) ?? null }));
}

/**
 * One `batch-curve …` line per group with a fitted batching law: S, α, the fit's quality and the B measured, as
 * the Measure page's batch sweep shows them.
 */
export function batchFitLines(records: readonly BenchRecord[]): string[] {
  const lines = new Map<string, string>();
  for (const r of records) {
    const fit = r.batch_fit;
    if (!fit || lines.has(batchGroupKey(r))) continue;
    lines.set(
      batchGroupKey(r),
      `batch-curve ${r.model} ${r.dtype} ${r.device} P=${r.n_prompt} G=${r.n_gen}: T(B) = S·B / (1 + α(B − 1)) with S = ${fixed2(fit.single_stream_tok_s)} tok/s, α = ${fit.alpha === null ? '—' : fit.alpha.toFixed(3)} (R² ${fit.r_squared === null ? '—' : fit.r_squared.toFixed(3)}, rms residual ${fixed2(fit.rms_residual_tok_s)} tok/s, B = ${fit.n_parallel.join(', ')})${fit.clamped ? '; α lies at the edge of [0, 1]: the law fits these points poorly' : ''}`,
    );
  }
  return [...lines.values()];
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
        case 'batch_fit_alpha':
          return csvField(record.batch_fit?.alpha);
        case 'batch_fit_single_stream_tok_s':
          return csvField(record.batch_fit?.single_stream_tok_s);
        case 'batch_fit_r_squared':
          return csvField(record.batch_fit?.r_squared);
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

/** A row's name in the lines under the table: "tiny-random-llama q8 wasm P64 G32", with B and K when set. */
const recordLabel = (r: BenchRecord): string =>
  `${r.model} ${r.dtype} ${r.device_requested} P${r.n_prompt} G${r.n_gen}${r.n_parallel > 1 ? ` B${r.n_parallel}` : ''}${r.n_cached_prefix > 0 ? ` K${r.n_cached_prefix}` : ''}`;

/**
 * `-o md`: one row per model/dtype/device/P/G with median (min–max) over the valid repetitions, then a
 * `build:` line naming the browser and library versions, like llama-bench's footer.
 */
export function formatMarkdown(records: readonly BenchRecord[]): string {
  // B and the aggregate speed only when some row batched (`--npl`): ttft, tpot and decode are then per sequence.
  const batched = records.some((r) => r.n_parallel > 1);
  const columns: Array<{ header: string; right: boolean; cell: (r: BenchRecord) => string; batched?: true }> =
    [
      { header: 'model', right: false, cell: (r) => r.model },
      { header: 'dtype', right: false, cell: (r) => r.dtype },
      { header: 'backend', right: false, cell: backendLabel },
      {
        header: 'threads',
        right: true,
        cell: (r) => (r.device === 'wasm' ? String(r.environment.wasm_threads) : '—'),
      },
      {
        header: 'P',
        right: true,
        cell: (r) => (r.n_cached_prefix > 0 ? `${r.n_prompt} (K ${r.n_cached_prefix})` : String(r.n_prompt)),
      },
      { header: 'G', right: true, cell: (r) => String(r.n_gen) },
      { header: 'B', right: true, cell: (r) => String(r.n_parallel), batched: true },
      {
        header: 'R',
        right: true,
        cell: (r) => (r.valid_reps === r.reps ? String(r.reps) : `${r.valid_reps}/${r.reps}`),
      },
      { header: 'ttft ms', right: true, cell: (r) => withSpread(r.ttft_ms, r.ttft_ms_min, r.ttft_ms_max) },
      {
        header: 'prefill tok/s',
        right: true,
        cell: (r) => withSpread(r.prefill_tok_s, r.prefill_tok_s_min, r.prefill_tok_s_max),
      },
      { header: 'tpot ms', right: true, cell: (r) => withSpread(r.tpot_ms, r.tpot_ms_min, r.tpot_ms_max) },
      {
        header: 'decode tok/s',
        right: true,
        cell: (r) => withSpread(r.decode_tok_s, r.decode_tok_s_min, r.decode_tok_s_max),
      },
      {
        header: 'aggregate decode tok/s',
        right: true,
        cell: (r) =>
          withSpread(r.aggregate_decode_tok_s, r.aggregate_decode_tok_s_min, r.aggregate_decode_tok_s_max),
        batched: true,
      },
      {
        header: 'decode CV',
        right: true,
        cell: (r) =>
          `${r.decode_tok_s_cv === null ? '—' : `${(r.decode_tok_s_cv * 100).toFixed(1)} %`}${r.noisy ? ' noisy' : ''}`,
      },
      {
        header: 'ITL p50/p90/p99 ms',
        right: true,
        cell: (r) =>
          r.itl_p50_ms === null ? '—' : [r.itl_p50_ms, r.itl_p90_ms, r.itl_p99_ms].map(fixed2).join(' / '),
      },
    ];
  const shown = columns.filter((c) => batched || !c.batched);
  const table = markdownTable(
    shown.map((c) => c.header),
    records.map((r) => shown.map((c) => c.cell(r))),
    shown.map((c) => c.right),
  );
  const lines = [table, ''];
  const first = records[0];
  if (first) lines.push(`build: ${buildLine(first.environment)}`);
  lines.push(...batchFitLines(records));
  const problems = records.filter((r) => r.error !== null || r.status !== 'complete');
  for (const r of problems) {
    lines.push(`${recordLabel(r)}: ${r.status}${r.error ? ` — ${r.error}` : ''}`);
  }
  for (const r of records) {
    const label = recordLabel(r);
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
    lines.push(`${recordLabel(r)}: noisy — ${r.noise_reasons.join(' ')}`);
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
