/**
 * File exports of saved runs: JSON (complete and re-importable) and CSV (one row per repetition plus median, min
 * and max rows per run), showing the statistic the screen shows: median (min–max) over the valid repetitions.
 * The llama-bench Markdown table is in run/llama-bench.ts (the class board exports it too).
 */

import { machineName, ranOnSoftwareAdapter } from '../run/machine.ts';
import { noiseOf } from '../run/noise.ts';
import { cachedPrefixOf, type RunResult, sequencesOf } from '../run/run.ts';
import { isValidRepetition, percentile, repetitionMetrics } from '../run/stats.ts';
import { runSummary } from '../run/summary.ts';

/** Identifies the lab's export files; the importer checks it. */
export const EXPORT_FORMAT = 'inference-cost-lab/results';
export const EXPORT_VERSION = 1;

export interface ResultsFile {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  runs: RunResult[];
  costScenario?: unknown;
}

/** The complete export: every field of every run, per-token timings and generated text included. */
export function toJsonExport(runs: readonly RunResult[], costScenario?: unknown, now = new Date()): string {
  const file: ResultsFile = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    runs: [...runs],
    ...(costScenario === undefined ? {} : { costScenario }),
  };
  return JSON.stringify(file, null, 1);
}

export const CSV_COLUMNS = [
  'row',
  'run_id',
  'run_name',
  'created_at',
  'model',
  'source',
  'dtype',
  'device',
  'software_adapter',
  'prompt_tokens',
  'gen_tokens',
  'parallel_sequences',
  'cached_prefix_tokens',
  'reps',
  'rep',
  'valid',
  'partial',
  'hidden',
  'tokens_generated',
  'ttft_ms',
  'e2e_ms',
  'tpot_ms',
  'prefill_tok_s',
  'decode_tok_s',
  'aggregate_decode_tok_s',
  'itl_p50_ms',
  'itl_p99_ms',
  'noisy',
  'weight_bytes',
  'kv_cache_bytes',
  'gpu_peak_buffer_bytes',
  'heap_bytes',
  'adapter_vendor',
  'adapter_architecture',
  'adapter_description',
  'machine',
  'transformers_version',
  'onnxruntime_version',
  'wasm_threads',
  'user_agent',
  'tags',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvValue = string | number | boolean | null;

/**
 * One CSV cell. Quotes when needed (RFC 4180), and defuses cells a spreadsheet would run as a
 * formula (leading = + - @), since names and tags may come from someone else's link.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The columns every row of a run repeats: who, what, where, and the memory it used (blank for runs saved before
 * memory was measured, and where the browser did not expose a figure).
 */
function runColumns(run: RunResult): Partial<Record<CsvColumn, CsvValue>> {
  const s = run.settings;
  const a = run.env.adapter;
  const m = run.memory;
  return {
    run_id: run.id,
    run_name: run.name,
    created_at: run.createdAt,
    model: s.modelId,
    source: s.sourceKind,
    dtype: s.dtype,
    device: s.device,
    software_adapter: ranOnSoftwareAdapter(run.env),
    prompt_tokens: s.promptTokens,
    gen_tokens: s.genTokens,
    parallel_sequences: sequencesOf(s),
    cached_prefix_tokens: cachedPrefixOf(s),
    reps: s.reps,
    noisy: noiseOf(run.repetitions).noisy,
    weight_bytes: m?.weightBytes ?? null,
    kv_cache_bytes: m?.kvCacheBytes ?? null,
    gpu_peak_buffer_bytes: m?.gpuPeakBufferBytes ?? null,
    heap_bytes: m?.heapBytes ?? null,
    adapter_vendor: a?.vendor ?? null,
    adapter_architecture: a?.architecture ?? null,
    adapter_description: a?.description ?? null,
    machine: machineName(run.env),
    transformers_version: run.env.transformersVersion,
    onnxruntime_version: run.env.onnxruntimeVersion,
    wasm_threads: run.env.wasmThreads,
    user_agent: run.env.userAgent,
    tags: run.tags.join(' '),
  };
}

const SUMMARY_ROWS = ['median', 'min', 'max'] as const;

/**
 * CSV with a header row; per run, one row per repetition (`row` = repetition) and then three summary rows over
 * its valid repetitions (`row` = median, min, max), the figures the screen shows as "median (min–max)". ITL p50
 * and p99 are percentiles of every inter-token gap (per repetition, and pooled over valid repetitions on the
 * median row). Rates are blank where undefined. Columns name their units: B (`parallel_sequences`) and K
 * (`cached_prefix_tokens`) in sequences and tokens, memory in bytes (`weight_bytes`, `kv_cache_bytes`,
 * `gpu_peak_buffer_bytes`, `heap_bytes`).
 */
export function toCsv(runs: readonly RunResult[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  const line = (cells: Partial<Record<CsvColumn, CsvValue>>) =>
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c] ?? null)).join(','));
  for (const run of runs) {
    const common = runColumns(run);
    // Each of the B sequences decodes at decode_tok_s; together at B times that (llama-batched-bench's S_TG).
    const sequences = sequencesOf(run.settings);
    const aggregate = (tokPerS: number | undefined) => (tokPerS === undefined ? null : sequences * tokPerS);
    for (const rep of run.repetitions) {
      const m = repetitionMetrics(rep);
      line({
        ...common,
        row: 'repetition',
        rep: rep.rep,
        valid: isValidRepetition(rep) && m !== null,
        partial: rep.partial,
        hidden: rep.hidden,
        tokens_generated: rep.tokenTimesMs.length,
        ttft_ms: rep.ttftMs,
        e2e_ms: rep.e2eMs,
        tpot_ms: m?.tpotMs ?? null,
        prefill_tok_s: m?.prefillTokPerS ?? null,
        decode_tok_s: m?.decodeTokPerS ?? null,
        aggregate_decode_tok_s: aggregate(m?.decodeTokPerS),
        itl_p50_ms: m && m.itlMs.length > 0 ? percentile(m.itlMs, 50) : null,
        itl_p99_ms: m && m.itlMs.length > 0 ? percentile(m.itlMs, 99) : null,
      });
    }
    const summary = runSummary(run);
    if (!summary) continue;
    for (const stat of SUMMARY_ROWS) {
      line({
        ...common,
        row: stat,
        valid: summary.validReps,
        ttft_ms: summary.ttftMs[stat],
        e2e_ms: summary.e2eMs[stat],
        tpot_ms: summary.tpotMs[stat],
        prefill_tok_s: summary.prefillTokPerS[stat],
        decode_tok_s: summary.decodeTokPerS[stat],
        aggregate_decode_tok_s: aggregate(summary.decodeTokPerS[stat]),
        itl_p50_ms: stat === 'median' && summary.itlMs.n > 0 ? summary.itlMs.p50 : null,
        itl_p99_ms: stat === 'median' && summary.itlMs.n > 0 ? summary.itlMs.p99 : null,
      });
    }
  }
  return `${lines.join('\n')}\n`;
}
