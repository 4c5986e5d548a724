/**
 * A Markdown table in llama-bench's layout, so numbers measured in a browser sit beside `llama-bench` output in
 * an issue or a report. Shared by Compare & share (saved runs) and the class board (a room's runs).
 */

import type { ModelFactsLookup } from '../models/catalog.ts';
import { machineName, ranOnSoftwareAdapter } from './machine.ts';
import { type RunResult, sequencesOf } from './run.ts';
import { isValidRepetition, maxOf, repetitionMetrics, spread } from './stats.ts';

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
