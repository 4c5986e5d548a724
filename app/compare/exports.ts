/**
 * File exports of saved runs: JSON (complete and re-importable), CSV (one row per repetition),
 * and a Markdown table in llama-bench's layout.
 */

import type { ModelFactsLookup } from '../models/catalog.ts';
import type { RunResult } from '../run/run.ts';
import { isValidRepetition, maxOf, repetitionMetrics } from '../run/stats.ts';

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
  'run_id',
  'run_name',
  'created_at',
  'model',
  'source',
  'dtype',
  'device',
  'prompt_tokens',
  'gen_tokens',
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
  'adapter',
  'user_agent',
  'tags',
] as const;

/**
 * One CSV cell. Quotes when needed (RFC 4180), and defuses cells a spreadsheet would run as a
 * formula (leading = + - @), since names and tags may come from someone else's link.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a header row and one row per repetition of every run. Rates are blank where undefined. */
export function toCsv(runs: readonly RunResult[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const run of runs) {
    for (const rep of run.repetitions) {
      const m = repetitionMetrics(rep);
      const row: Array<string | number | boolean | null> = [
        run.id,
        run.name,
        run.createdAt,
        run.settings.modelId,
        run.settings.sourceKind,
        run.settings.dtype,
        run.settings.device,
        run.settings.promptTokens,
        run.settings.genTokens,
        rep.rep,
        isValidRepetition(rep) && m !== null,
        rep.partial,
        rep.hidden,
        rep.tokenTimesMs.length,
        rep.ttftMs,
        rep.e2eMs,
        m?.tpotMs ?? null,
        m?.prefillTokPerS ?? null,
        m?.decodeTokPerS ?? null,
        run.env.adapter?.description || run.env.adapter?.vendor || null,
        run.env.userAgent,
        run.tags.join(' '),
      ];
      lines.push(row.map(csvCell).join(','));
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

/**
 * Mean and sample standard deviation, as llama-bench reports t/s: mean = Σx / n,
 * std = √(Σ(x − mean)² / (n − 1)). Computed on x / max|x| and scaled back, so a finite sample gives
 * finite figures even near the largest double, where Σx or (x − mean)² would overflow to Infinity.
 */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const scale = maxOf(values.map(Math.abs));
  if (!(scale > 0) || !Number.isFinite(scale)) {
    return scale === 0 ? { mean: 0, std: 0 } : { mean: Number.NaN, std: Number.NaN };
  }
  const scaled = values.map((x) => x / scale);
  const mean = scaled.reduce((a, b) => a + b, 0) / scaled.length;
  const variance =
    scaled.length > 1 ? scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / (scaled.length - 1) : 0;
  return { mean: mean * scale, std: Math.min(Math.sqrt(variance) * scale, Number.MAX_VALUE) };
}

const BACKEND: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

/**
 * A Markdown table in llama-bench's layout: two rows per run, `pp<P>` (prefill tok/s = P / TTFT) and
 * `tg<G>` (decode tok/s), each "mean ± std" over the valid repetitions. Runs without a valid
 * repetition are listed with "n/a" so nothing silently disappears.
 */
export function toMarkdown(runs: readonly RunResult[], facts: ModelFactsLookup = () => undefined): string {
  const header = ['model', 'size', 'params', 'backend', 'test', 't/s'];
  const align = ['---', '---:', '---:', '---', '---:', '---:'];
  const rows: string[][] = [];
  for (const run of runs) {
    const s = run.settings;
    const info = facts(s.modelId, s.dtype);
    const metrics = run.repetitions
      .filter(isValidRepetition)
      .map(repetitionMetrics)
      .filter((m) => m !== null)
      .filter((m) => Number.isFinite(m.prefillTokPerS) && Number.isFinite(m.decodeTokPerS));
    const rate = (values: number[]): string => {
      const { mean, std } = meanStd(values);
      // Every rate here is finite, so mean and std are too; the check keeps it so if that ever changes.
      return values.length > 0 && Number.isFinite(mean) && Number.isFinite(std)
        ? `${mean.toFixed(2)} ± ${std.toFixed(2)}`
        : 'n/a';
    };
    const base = [
      escapeMarkdown(`${s.modelId} ${s.dtype}`),
      info ? formatSize(info.bytes) : 'n/a',
      info ? formatParams(info.parameters) : 'n/a',
      BACKEND[s.device] ?? s.device,
    ];
    rows.push([...base, `pp${s.promptTokens}`, rate(metrics.map((m) => m.prefillTokPerS))]);
    rows.push([...base, `tg${s.genTokens}`, rate(metrics.map((m) => m.decodeTokPerS))]);
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
  return `${[line(header), rule, ...rows.map((r) => line(r))].join('\n')}\n`;
}

/** Model names may come from a link: keep them from breaking the table. */
const escapeMarkdown = (text: string): string => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
