/**
 * File exports of saved runs: JSON (complete and re-importable), CSV (one row per repetition plus median, min
 * and max rows per run), and a Markdown table in llama-bench's layout. The CSV and Markdown show the statistic
 * the screen shows: median (min–max) over the valid repetitions.
 */

import type { ModelFactsLookup } from '../models/catalog.ts';
import { machineName, ranOnSoftwareAdapter } from '../run/machine.ts';
import { noiseOf } from '../run/noise.ts';
import { type RunResult, sequencesOf } from '../run/run.ts';
import { isValidRepetition, maxOf, percentile, repetitionMetrics, spread } from '../run/stats.ts';
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
  'itl_p50_ms',
  'itl_p99_ms',
  'noisy',
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

/** The columns every row of a run repeats: who, what, where. */
function runColumns(run: RunResult): Partial<Record<CsvColumn, CsvValue>> {
  const s = run.settings;
  const a = run.env.adapter;
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
    reps: s.reps,
    noisy: noiseOf(run.repetitions).noisy,
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
 * median row). Rates are blank where undefined.
 */
export function toCsv(runs: readonly RunResult[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  const line = (cells: Partial<Record<CsvColumn, CsvValue>>) =>
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c] ?? null)).join(','));
  for (const run of runs) {
    const common = runColumns(run);
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
        itl_p50_ms: stat === 'median' && summary.itlMs.n > 0 ? summary.itlMs.p50 : null,
        itl_p99_ms: stat === 'median' && summary.itlMs.n > 0 ? summary.itlMs.p99 : null,
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

/** llama-bench's size column: GiB (or MiB for small models), two decimals. */
export function formatSize(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(2)} MiB`;
}

/** llama-bench's params column: billions (or millions for small models), two decimals. */
export function formatParams(parameters: number): string {
  if (parameters >= 1e9) return `${(parameters / 1e9).toFixed(2)} B`;
  if (parameters >= 1e6) return `${(parameters / 1e6).toFixed(2)} M`;
  return `${(parameters / 1e3).toFixed(2)} K`;
}

/** A rate as the screen shows it: "median (min–max)" with two decimals; "n/a" without a finite value. */
const rateCell = (values: readonly number[]): string => {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  const s = spread(finite);
  const f = (x: number) => x.toFixed(2);
  return finite.length === 1 || s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
};

/**
 * A Markdown table in llama-bench's layout (model, size, params, backend, threads, test, t/s), with the run's
 * name first and the repetition count last. Two rows per run: `pp<P>` (prefill tok/s = P / TTFT) and `tg<G>`
 * (decode tok/s = 1000 / TPOT), each "median (min–max)" over the valid repetitions: the statistic the screen
 * shows (llama-bench prints mean ± std; the header says which this is). `test` carries `b<B>` when several
 * sequences ran at once. A software-adapter backend is marked, with a footnote; below the table, one `build:`
 * line per engine version and machine, as llama-bench ends with its build. Runs without a valid repetition are
 * listed with "n/a" so nothing silently disappears.
 */
export function toMarkdown(runs: readonly RunResult[], facts: ModelFactsLookup = () => undefined): string {
  const header = [
    'run',
    'model',
    'size',
    'params',
    'backend',
    'threads',
    'test',
    't/s median (min–max)',
    'reps',
  ];
  const align = ['---', '---', '---:', '---:', '---', '---:', '---:', '---:', '---:'];
  const rows: string[][] = [];
  const builds = new Set<string>();
  let software = false;
  for (const run of runs) {
    const s = run.settings;
    const info = facts(s.modelId, s.dtype);
    const onSoftware = ranOnSoftwareAdapter(run.env);
    software ||= onSoftware;
    builds.add(
      `build: transformers.js ${run.env.transformersVersion}, onnxruntime-web ${run.env.onnxruntimeVersion} · ${machineName(run.env)}`,
    );
    const valid = run.repetitions.filter(isValidRepetition);
    const metrics = valid.map(repetitionMetrics).filter((m) => m !== null);
    const b = sequencesOf(s);
    const batch = b > 1 ? ` b${b}` : '';
    const base = [
      escapeMarkdown(run.name),
      escapeMarkdown(`${s.modelId} ${s.dtype}`),
      info ? formatSize(info.bytes) : 'n/a',
      info ? formatParams(info.parameters) : 'n/a',
      `${BACKEND[s.device] ?? s.device}${onSoftware ? ' (software)*' : ''}`,
      s.device === 'wasm' ? String(run.env.wasmThreads) : 'n/a',
    ];
    const reps = `${metrics.length}/${run.repetitions.length}`;
    rows.push([...base, `pp${s.promptTokens}${batch}`, rateCell(metrics.map((m) => m.prefillTokPerS)), reps]);
    rows.push([...base, `tg${s.genTokens}${batch}`, rateCell(metrics.map((m) => m.decodeTokPerS)), reps]);
  }
  const widths = header.map((h, i) => Math.max(h.length, maxOf(rows.map((r) => (r[i] ?? '').length)), 3));
  const line = (cells: readonly string[]): string =>
    `| ${cells
      .map((c, i) => {
        const w = widths[i] ?? 3;
        return (align[i] ?? '').endsWith(':') ? c.padStart(w) : c.padEnd(w);
      })
      .join(' | ')} |`;
  const rule = `| ${align.map((a, i) => (a.endsWith(':') ? `${'-'.repeat((widths[i] ?? 3) - 1)}:` : '-'.repeat(widths[i] ?? 3))).join(' | ')} |`;
  const notes = [
    '',
    't/s: median (min–max) over the valid repetitions; pp = prefill (P ÷ TTFT), tg = decode (1000 ÷ TPOT); reps = valid/all.',
    ...(software
      ? [
          '* WebGPU on a software adapter (SwiftShader, llvmpipe): the CPU emulates the GPU; not a GPU figure.',
        ]
      : []),
    '',
    ...[...builds].map(escapeMarkdown),
  ];
  return `${[line(header), rule, ...rows.map((r) => line(r)), ...notes].join('\n')}\n`;
}

const BACKEND: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

/** Model names may come from a link: keep them from breaking the table. */
const escapeMarkdown = (text: string): string => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
