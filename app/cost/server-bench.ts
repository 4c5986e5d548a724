/**
 * A server benchmark of your own, imported into the self-hosted option: the outputs of llama.cpp's
 * `llama-bench` (`-o json`, `-o jsonl` or its default Markdown table), llama.cpp's `llama-batched-bench`
 * (its table or `--output-format jsonl`) and vLLM's `benchmark_serving.py --save-result` (`vllm bench serve`)
 * JSON. Each is validated with zod; anything else is refused with a message that says what was expected.
 *
 * What each tool measures, and how it becomes the self-hosted figures (single-stream prefill and decode, batch
 * size, batching slowdown α of T(B) = S·B / (1 + α(B − 1))):
 * - llama-bench: one request at a time. `pp<N>` rows give prefill tok/s, `tg<N>` rows decode tok/s (mean of
 *   its repetitions, as it reports them); no batch figures, so the batch size and α stay as they were.
 * - llama-batched-bench: B sequences at once. The B = 1 row gives single-stream prefill; S and α are fitted to
 *   the aggregate decode speeds S_TG of every B (run/batch-curve.ts), and the batch size is the largest B.
 * - vLLM: requests at a concurrency C. Per-request decode = 1000 / median TPOT ms at C; prefill = mean input
 *   tokens / median TTFT (TTFT under load includes queueing, so this is a lower bound). Pure; no React.
 */
import { z } from 'zod';
import { fitBatchCurve } from '../run/batch-curve.ts';
import { clipForMessage } from '../ui/quote.ts';
import { GPUS, type GpuRow } from './gpus.ts';
import type { QualityTier } from './verdict.ts';

export const BENCH_FORMATS = [
  'llama-bench-json',
  'llama-bench-markdown',
  'llama-batched-bench',
  'vllm-serving',
] as const;
export type BenchFormat = (typeof BENCH_FORMATS)[number];

export const BENCH_TOOL: Record<BenchFormat, string> = {
  'llama-bench-json': 'llama-bench (JSON)',
  'llama-bench-markdown': 'llama-bench (Markdown table)',
  'llama-batched-bench': 'llama-batched-bench',
  'vllm-serving': 'vLLM benchmark_serving',
};

/** One configuration of a server benchmark, as the self-hosted option takes it. */
export interface ServerBenchmark {
  format: BenchFormat;
  fileName: string;
  /** The model as the file names it; null when it does not. */
  model: string | null;
  /** The GPU as the file names it; null when it does not. */
  gpu: string | null;
  /** Requests decoded together while measuring: 1 for single-stream tools. */
  concurrency: number;
  /** How the concurrency was found, when the file does not state it. */
  concurrencyNote: string | null;
  prefillTokPerS: number;
  /** Decode speed each request saw at `concurrency`. */
  perRequestDecodeTokPerS: number;
  /** S and α fitted over several batch sizes (llama-batched-bench); null otherwise. */
  fit: { singleStreamTokPerS: number; batchSlowdown: number } | null;
  /** Median time to first token, ms, when the file has it. */
  ttftMs: number | null;
  /** Weights in GB (1e9 bytes), when the file says. */
  weightsGb: number | null;
  /** Parameters in billions, from the file or the model's name. */
  paramsB: number | null;
  /** The measured settings in words (prompt / output lengths, backend…), for the source line. */
  detail: string;
}

export type BenchImport = { ok: true; benchmarks: ServerBenchmark[] } | { ok: false; error: string };

/** Largest pasted or picked file read: a saved vLLM result with per-request detail is a few MB. */
export const MAX_BENCH_CHARS = 20_000_000;

const SUPPORTED =
  'llama-bench output (-o json, -o jsonl or its Markdown table), llama-batched-bench output (its table or --output-format jsonl), or a vLLM benchmark_serving.py --save-result JSON file';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();

// ------------------------------------------------------------------ llama-bench

const llamaBenchRow = z.object({
  model_filename: z.string().optional(),
  model_type: z.string().optional(),
  model_size: nonNegative.optional(),
  model_n_params: nonNegative.optional(),
  gpu_info: z.string().optional(),
  backends: z.string().optional(),
  n_gpu_layers: z.number().optional(),
  n_batch: z.number().optional(),
  n_threads: z.number().optional(),
  n_prompt: z.number().int().nonnegative(),
  n_gen: z.number().int().nonnegative(),
  n_depth: z.number().int().nonnegative().optional(),
  avg_ts: positive,
});
type LlamaBenchRow = z.infer<typeof llamaBenchRow>;

/** One llama-bench test, however it was read. */
interface BenchTest {
  model: string;
  /** Rows of one model and configuration share a key. */
  configKey: string;
  weightsGb: number | null;
  paramsB: number | null;
  backend: string | null;
  gpu: string | null;
  kind: 'pp' | 'tg';
  tokens: number;
  depth: number;
  tokPerS: number;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

function testsFromJsonRows(rows: LlamaBenchRow[]): BenchTest[] {
  const tests: BenchTest[] = [];
  for (const r of rows) {
    // A combined pp+tg test (-pg) measures neither alone.
    if (r.n_prompt > 0 === r.n_gen > 0) continue;
    const model = r.model_filename ? baseName(r.model_filename) : (r.model_type ?? 'model');
    tests.push({
      model: r.model_type && r.model_filename ? `${model} (${r.model_type})` : model,
      configKey: JSON.stringify([
        r.model_filename,
        r.model_type,
        r.backends,
        r.n_gpu_layers,
        r.n_batch,
        r.n_threads,
      ]),
      weightsGb: r.model_size !== undefined ? r.model_size / 1e9 : null,
      paramsB: r.model_n_params !== undefined ? r.model_n_params / 1e9 : null,
      backend: r.backends ?? null,
      gpu: r.gpu_info && r.gpu_info.trim() !== '' ? r.gpu_info : null,
      kind: r.n_prompt > 0 ? 'pp' : 'tg',
      tokens: r.n_prompt > 0 ? r.n_prompt : r.n_gen,
      depth: r.n_depth ?? 0,
      tokPerS: r.avg_ts,
    });
  }
  return tests;
}

/** Splits a Markdown table row into trimmed cells: `| a | b |` → ['a', 'b']. */
const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

const isSeparator = (line: string): boolean => /^\|?\s*:?-{3,}/.test(line.trim());

/** "4.58 GiB" or "809.21 MiB" → GB (1e9 bytes); null when it is neither. */
function sizeGb(text: string): number | null {
  const m = /^([\d.]+)\s*(GiB|MiB|GB|MB)$/.exec(text.trim());
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  const unit = m[2];
  const bytes =
    unit === 'GiB' ? n * 2 ** 30 : unit === 'MiB' ? n * 2 ** 20 : unit === 'GB' ? n * 1e9 : n * 1e6;
  return Number.isFinite(bytes) ? bytes / 1e9 : null;
}

/** "8.03 B" or "494.03 M" → billions. */
function paramsFromColumn(text: string): number | null {
  const m = /^([\d.]+)\s*([BMK])$/.exec(text.trim());
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  const scale = m[2] === 'B' ? 1 : m[2] === 'M' ? 1e-3 : 1e-6;
  return Number.isFinite(n) ? n * scale : null;
}

/** `pp512`, `pp 512`, `tg128 @ d512` → the test; null for anything else (pp+tg combined tests). */
function testName(text: string): { kind: 'pp' | 'tg'; tokens: number; depth: number } | null {
  const m = /^(pp|tg)\s*(\d+)(?:\s*@\s*d(\d+))?$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return null;
  return { kind: m[1] === 'pp' ? 'pp' : 'tg', tokens: Number(m[2]), depth: m[3] ? Number(m[3]) : 0 };
}

/** The GPU a pasted log names (llama.cpp's "Device 0: NVIDIA L4, compute capability 8.9"). */
function gpuFromLog(text: string): string | null {
  const m = /Device \d+: ([^,\n]+),\s*compute capability/.exec(text);
  return m?.[1]?.trim() ?? null;
}

type Parsed = { ok: true; benchmarks: ServerBenchmark[] } | { ok: false; error: string };

function llamaBenchMarkdown(
  lines: string[],
  headerIndex: number,
  text: string,
): Parsed | { ok: false; error: string } {
  const header = cells(lines[headerIndex] ?? '');
  const col = (name: string) => header.indexOf(name);
  const [iModel, iTest, iRate] = [col('model'), col('test'), col('t/s')];
  if (iModel < 0 || iTest < 0 || iRate < 0)
    return { ok: false, error: 'This llama-bench table has no model, test or t/s column.' };
  const configCols = header
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => !['test', 't/s'].includes(h))
    .map(({ i }) => i);
  const gpu = gpuFromLog(text);
  const tests: BenchTest[] = [];
  const bad: string[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (!line.trim().startsWith('|')) break;
    if (isSeparator(line)) continue;
    const row = cells(line);
    const test = testName(row[iTest] ?? '');
    if (!test) continue;
    const rate = Number((row[iRate] ?? '').split('±')[0]?.trim());
    if (!Number.isFinite(rate) || rate <= 0) {
      bad.push(clipForMessage(row[iRate] ?? '', 30));
      continue;
    }
    const size = col('size') >= 0 ? sizeGb(row[col('size')] ?? '') : null;
    const params = col('params') >= 0 ? paramsFromColumn(row[col('params')] ?? '') : null;
    tests.push({
      model: row[iModel] ?? 'model',
      configKey: JSON.stringify(configCols.map((i) => row[i])),
      weightsGb: size,
      paramsB: params,
      backend: col('backend') >= 0 ? (row[col('backend')] ?? null) : null,
      gpu,
      ...test,
      tokPerS: rate,
    });
  }
  if (bad.length > 0)
    return {
      ok: false,
      error: `Some t/s cells of this llama-bench table are not speeds: ${bad.join(', ')}.`,
    };
  return benchmarksFromTests(tests, 'llama-bench-markdown');
}

/** Pairs each configuration's prompt (pp) and generation (tg) tests, at context depth 0 where there is one. */
function benchmarksFromTests(tests: BenchTest[], format: BenchFormat): Parsed {
  const byConfig = new Map<string, BenchTest[]>();
  for (const t of tests) byConfig.set(t.configKey, [...(byConfig.get(t.configKey) ?? []), t]);
  const out: Omit<ServerBenchmark, 'fileName'>[] = [];
  for (const group of byConfig.values()) {
    const pick = (kind: 'pp' | 'tg') =>
      [...group.filter((t) => t.kind === kind)].sort((a, b) => a.depth - b.depth || b.tokens - a.tokens)[0];
    const pp = pick('pp');
    const tg = pick('tg');
    if (!pp || !tg) continue;
    const depth = pp.depth > 0 || tg.depth > 0 ? ` at context depth ${Math.max(pp.depth, tg.depth)}` : '';
    out.push({
      format,
      model: pp.model,
      gpu: pp.gpu,
      concurrency: 1,
      concurrencyNote: null,
      prefillTokPerS: pp.tokPerS,
      perRequestDecodeTokPerS: tg.tokPerS,
      fit: null,
      ttftMs: null,
      weightsGb: pp.weightsGb,
      paramsB: pp.paramsB ?? paramsFromName(pp.model),
      detail: `pp${pp.tokens} and tg${tg.tokens}${depth}, one request at a time${pp.backend ? `, ${pp.backend}` : ''}`,
    });
  }
  if (out.length === 0)
    return {
      ok: false,
      error:
        'This llama-bench output has no configuration with both a prompt test (pp) and a generation test (tg): run llama-bench with its default -p 512 -n 128, or with both -p and -n.',
    };
  return { ok: true, benchmarks: out as ServerBenchmark[] };
}

// ------------------------------------------------------------------ llama-batched-bench

const batchedRow = z.object({
  pp: z.number().int().positive(),
  tg: z.number().int().positive(),
  pl: z.number().int().positive(),
  speed_pp: positive,
  speed_tg: positive,
  is_pp_shared: z.number().optional(),
});
type BatchedRow = z.infer<typeof batchedRow>;

function batchedFromTableLines(lines: string[], headerIndex: number): BatchedRow[] | string {
  const header = cells(lines[headerIndex] ?? '');
  const col = (name: string) => header.indexOf(name);
  const idx = [col('PP'), col('TG'), col('B'), col('S_PP t/s'), col('S_TG t/s')];
  if (idx.some((i) => i < 0))
    return 'This llama-batched-bench table lacks a PP, TG, B, S_PP t/s or S_TG t/s column.';
  const rows: BatchedRow[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (!line.trim().startsWith('|')) break;
    if (/^\|\s*-/.test(line.trim())) continue;
    const c = cells(line);
    const [pp, tg, pl, spp, stg] = idx.map((i) => Number(c[i]));
    const parsed = batchedRow.safeParse({ pp, tg, pl, speed_pp: spp, speed_tg: stg });
    if (!parsed.success)
      return `A row of this llama-batched-bench table is not numbers: ${clipForMessage(line.trim(), 60)}`;
    rows.push(parsed.data);
  }
  return rows;
}

/** llama.cpp's log names the model ("general.name str = …") and its file size ("file size = 4.58 GiB"). */
const modelFromLog = (text: string): string | null =>
  /general\.name\s+str\s*=\s*(.+)/.exec(text)?.[1]?.trim() ?? null;
const fileSizeFromLog = (text: string): number | null => {
  const m = /file size\s*=\s*([\d.]+\s*(?:GiB|MiB))/.exec(text);
  return m?.[1] ? sizeGb(m[1]) : null;
};

function batchedBenchmarks(rows: BatchedRow[], text: string): Parsed {
  // The prompt/output lengths measured at the most batch sizes are the curve.
  const groups = new Map<string, BatchedRow[]>();
  for (const r of rows) groups.set(`${r.pp}/${r.tg}`, [...(groups.get(`${r.pp}/${r.tg}`) ?? []), r]);
  const curve = [...groups.values()].sort((a, b) => b.length - a.length)[0];
  if (!curve || curve.length === 0)
    return { ok: false, error: 'This llama-batched-bench output has no result rows.' };
  const sorted = [...curve].sort((a, b) => a.pl - b.pl);
  const first = sorted[0] as BatchedRow;
  const last = sorted[sorted.length - 1] as BatchedRow;
  const fitted = fitBatchCurve(sorted.map((r) => ({ sequences: r.pl, tokPerS: r.speed_tg })));
  const model = modelFromLog(text);
  const shared = first.is_pp_shared === 1 ? ', shared prompt' : '';
  return {
    ok: true,
    benchmarks: [
      {
        format: 'llama-batched-bench',
        fileName: '',
        model,
        gpu: gpuFromLog(text),
        concurrency: last.pl,
        concurrencyNote: null,
        // With B = 1 the prefill speed is one request's; a larger smallest B is an aggregate (said in detail).
        prefillTokPerS: first.speed_pp,
        perRequestDecodeTokPerS: last.speed_tg / last.pl,
        fit: fitted
          ? { singleStreamTokPerS: fitted.singleStreamTokPerS, batchSlowdown: fitted.batchSlowdown }
          : null,
        ttftMs: null,
        weightsGb: fileSizeFromLog(text),
        paramsB: model ? paramsFromName(model) : null,
        detail: `PP ${first.pp}, TG ${first.tg}, B = ${sorted.map((r) => r.pl).join(', ')}${shared}${first.pl > 1 ? `; prefill is the aggregate at B = ${first.pl}` : ''}${fitted ? `; fitted over B: S = ${fitted.singleStreamTokPerS.toPrecision(3)} tok/s alone, slowdown α = ${fitted.batchSlowdown.toFixed(3)}` : ''}`,
      },
    ],
  };
}

// ------------------------------------------------------------------ vLLM

const vllmResult = z
  .object({
    model_id: z.string().min(1),
    backend: z.string().optional(),
    date: z.string().optional(),
    completed: z.number().int().positive(),
    total_input_tokens: z.number().int().nonnegative(),
    total_output_tokens: z.number().int().positive(),
    request_throughput: positive,
    output_throughput: positive,
    max_concurrency: z.number().int().positive().nullable().optional(),
    request_rate: z.union([z.number(), z.string()]).optional(),
    mean_ttft_ms: nonNegative.optional(),
    median_ttft_ms: nonNegative,
    p99_ttft_ms: nonNegative.optional(),
    mean_tpot_ms: nonNegative.optional(),
    median_tpot_ms: nonNegative,
    mean_e2el_ms: nonNegative.optional(),
  })
  .passthrough();

const GPU_METADATA_KEYS = ['gpu', 'gpu_name', 'gpu_type', 'hardware', 'device'];

function vllmBenchmark(json: Record<string, unknown>): Parsed {
  const parsed = vllmResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the file';
    return {
      ok: false,
      error: `This looks like a vLLM benchmark result, but ${clipForMessage(where, 40)} ${issue?.code === 'invalid_type' && issue.message.includes('undefined') ? 'is missing' : 'is not valid'}: save it with benchmark_serving.py --save-result (or vllm bench serve --save-result).`,
    };
  }
  const r = parsed.data;
  if (r.median_tpot_ms <= 0)
    return {
      ok: false,
      error:
        'This vLLM result has a median TPOT of 0 ms: every request wrote at most one token, so it has no decode speed. Benchmark with longer outputs.',
    };
  if (r.median_ttft_ms <= 0 || r.total_input_tokens === 0)
    return {
      ok: false,
      error:
        'This vLLM result has no time to first token or no input tokens (a backend without streaming?), so it has no prefill speed.',
    };
  const meanInput = r.total_input_tokens / r.completed;
  const meanOutput = r.total_output_tokens / r.completed;
  const saturated = r.request_rate === undefined || r.request_rate === 'inf';
  let concurrency: number;
  let concurrencyNote: string | null = null;
  if (typeof r.max_concurrency === 'number' && saturated) concurrency = r.max_concurrency;
  else {
    // Little's law: requests in flight = arrival rate × time each spends in the system.
    const latencyMs =
      r.mean_e2el_ms ??
      (r.mean_ttft_ms ?? r.median_ttft_ms) +
        (r.mean_tpot_ms ?? r.median_tpot_ms) * Math.max(0, meanOutput - 1);
    concurrency = Math.max(1, Math.round((r.request_throughput * latencyMs) / 1000));
    concurrencyNote = `about ${concurrency} in flight on average (request throughput × mean request time)`;
  }
  const gpuKey = Object.keys(json).find((k) => GPU_METADATA_KEYS.includes(k.toLowerCase()));
  const gpu = gpuKey && typeof json[gpuKey] === 'string' ? (json[gpuKey] as string) : null;
  const rate = saturated
    ? 'all requests at once'
    : `${clipForMessage(String(r.request_rate), 12)} requests/s`;
  return {
    ok: true,
    benchmarks: [
      {
        format: 'vllm-serving',
        fileName: '',
        model: r.model_id,
        gpu,
        concurrency,
        concurrencyNote,
        prefillTokPerS: meanInput / (r.median_ttft_ms / 1000),
        perRequestDecodeTokPerS: 1000 / r.median_tpot_ms,
        fit: null,
        ttftMs: r.median_ttft_ms,
        weightsGb: null,
        paramsB: paramsFromName(r.model_id),
        detail: `${r.completed} requests of ${Math.round(meanInput)} input and ${Math.round(meanOutput)} output tokens on average, ${rate}; median TTFT ${r.median_ttft_ms.toFixed(0)} ms${r.p99_ttft_ms !== undefined ? ` (p99 ${r.p99_ttft_ms.toFixed(0)} ms)` : ''}, median TPOT ${r.median_tpot_ms.toFixed(1)} ms; prefill from TTFT under load is a lower bound`,
      },
    ],
  };
}

// ------------------------------------------------------------------ dispatch

/** Parses every non-empty line as JSON; null when any line is not a JSON object. */
function jsonLines(text: string): Record<string, unknown>[] | null {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
      out.push(v as Record<string, unknown>);
    } catch {
      return null;
    }
  }
  return out.length > 0 ? out : null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fromObjects(objects: Record<string, unknown>[], text: string): Parsed {
  if (objects.every((o) => 'speed_tg' in o && 'pl' in o)) {
    const rows = z.array(batchedRow).safeParse(objects);
    if (!rows.success)
      return {
        ok: false,
        error: 'This llama-batched-bench JSONL has a row without numbers for pp, tg, pl and the speeds.',
      };
    return batchedBenchmarks(rows.data, text);
  }
  if (objects.every((o) => 'avg_ts' in o)) {
    const rows = z.array(llamaBenchRow).safeParse(objects);
    if (!rows.success) {
      const issue = rows.error.issues[0];
      return {
        ok: false,
        error: `This llama-bench JSON has a result without a valid ${clipForMessage(String(issue?.path.at(-1) ?? 'field'), 30)}: export it again with llama-bench -o json.`,
      };
    }
    return benchmarksFromTests(testsFromJsonRows(rows.data), 'llama-bench-json');
  }
  const first = objects[0];
  if (objects.length === 1 && first && ('output_throughput' in first || 'median_tpot_ms' in first))
    return vllmBenchmark(first);
  return { ok: false, error: `This JSON is not a server benchmark this page reads. Expected ${SUPPORTED}.` };
}

/**
 * Reads a server benchmark from a file's text (or pasted text). Never throws: every file is user input.
 * A file with several configurations (llama-bench over several models) gives one benchmark each.
 */
export function parseServerBenchmark(text: string, fileName = 'pasted text'): BenchImport {
  const name = clipForMessage(fileName.trim() || 'pasted text', 80);
  const done = (r: Parsed): BenchImport =>
    r.ok ? { ok: true, benchmarks: r.benchmarks.map((b) => ({ ...b, fileName: name })) } : r;
  if (text.length > MAX_BENCH_CHARS)
    return {
      ok: false,
      error: `This file is too large to be a benchmark result (${(text.length / 1e6).toFixed(0)} MB).`,
    };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `Nothing to read. Pick or paste ${SUPPORTED}.` };
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      const lines = jsonLines(trimmed);
      if (lines) return done(fromObjects(lines, text));
      return {
        ok: false,
        error: 'This looks like JSON but does not parse: was it cut short? Pick the whole file.',
      };
    }
    if (Array.isArray(json)) {
      if (json.length === 0)
        return { ok: false, error: 'This JSON list is empty: llama-bench wrote no results.' };
      if (!json.every(isObject))
        return { ok: false, error: `This JSON list does not hold benchmark results. Expected ${SUPPORTED}.` };
      return done(fromObjects(json, text));
    }
    if (isObject(json)) return done(fromObjects([json], text));
  }
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim().startsWith('|') && !isSeparator(l));
  if (headerIndex >= 0) {
    const header = cells(lines[headerIndex] ?? '');
    if (header.includes('S_TG t/s')) {
      const rows = batchedFromTableLines(lines, headerIndex);
      return typeof rows === 'string' ? { ok: false, error: rows } : done(batchedBenchmarks(rows, text));
    }
    if (header.includes('t/s') && header.includes('test'))
      return done(llamaBenchMarkdown(lines, headerIndex, text));
  }
  return { ok: false, error: `This is not a server benchmark this page reads. Expected ${SUPPORTED}.` };
}

// ------------------------------------------------------------------ into the scenario

/**
 * Parameters in billions from a model's name: "Llama-3.1-8B-Instruct" → 8, "Qwen2.5-0.5B" → 0.5. Null when
 * the name holds no "<number>B".
 */
export function paramsFromName(name: string): number | null {
  const m = /(?:^|[^\d.])(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])/.exec(name);
  const n = m?.[1] ? Number(m[1]) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** The quality tier of an open model by parameter count (the tiers' own ranges); `unstated` when unknown. */
export function tierForParams(paramsB: number | null): QualityTier {
  if (paramsB === null || !Number.isFinite(paramsB) || paramsB <= 0) return 'unstated';
  if (paramsB < 1) return 'tiny';
  if (paramsB < 6) return 'small';
  if (paramsB < 25) return 'medium';
  return 'large';
}

/** How each GPU of the bundled table is named by nvidia-smi, llama.cpp and vLLM users. */
const GPU_PATTERNS: Record<string, RegExp> = {
  h200: /\bH200\b/i,
  'h100-sxm': /\bH100\b(?!.*\bPCIe\b)/i,
  'a100-80': /\bA100\b(?!.*\b40\s?GB\b)/i,
  l40s: /\bL40S\b/i,
  a10g: /\bA10G\b/i,
  l4: /\bL4\b/i,
  t4: /\bT4\b/i,
  rtx4090: /\b4090\b/,
};

/** The bundled GPU row a benchmark's GPU name is, when exactly one matches; null otherwise. */
export function matchGpu(name: string | null): GpuRow | null {
  if (!name) return null;
  const hits = GPUS.filter((g) => GPU_PATTERNS[g.id]?.test(name));
  return hits.length === 1 ? (hits[0] as GpuRow) : null;
}

/** The self-hosted figures a benchmark sets, given the batching slowdown α already in the scenario. */
export interface BenchFigures {
  prefillTokPerS: number;
  /** Single-stream decode S. */
  decodeTokPerS: number;
  /** Null: leave the batch size as it is (a single-stream benchmark says nothing about batching). */
  concurrency: number | null;
  /** Null: leave α as it is. */
  batchSlowdown: number | null;
}

/**
 * The figures to put in the self-hosted option:
 * - a fitted curve (llama-batched-bench): S and α as fitted, batch size = the largest B;
 * - one request at a time (llama-bench): S = the measured decode speed, batch size and α unchanged;
 * - one concurrency C > 1 (vLLM): batch size C, α unchanged, and S chosen so the cost model's per-request
 *   decode at C, T(C) / C = S / (1 + α(C − 1)), is the measured one: S = per-request × (1 + α(C − 1)).
 */
export function benchFigures(b: ServerBenchmark, currentSlowdown: number): BenchFigures {
  if (b.fit)
    return {
      prefillTokPerS: b.prefillTokPerS,
      decodeTokPerS: b.fit.singleStreamTokPerS,
      concurrency: b.concurrency,
      batchSlowdown: b.fit.batchSlowdown,
    };
  if (b.concurrency <= 1)
    return {
      prefillTokPerS: b.prefillTokPerS,
      decodeTokPerS: b.perRequestDecodeTokPerS,
      concurrency: null,
      batchSlowdown: null,
    };
  const alpha = Math.min(1, Math.max(0, Number.isFinite(currentSlowdown) ? currentSlowdown : 0));
  return {
    prefillTokPerS: b.prefillTokPerS,
    decodeTokPerS: b.perRequestDecodeTokPerS * (1 + alpha * (b.concurrency - 1)),
    concurrency: b.concurrency,
    batchSlowdown: null,
  };
}

/** Where the figures came from, in one line: "vLLM benchmark_serving · results.json · Llama-3.1-8B · H100 · concurrency 16". */
export function benchSourceText(
  b: Pick<ServerBenchmark, 'format' | 'fileName' | 'model' | 'gpu' | 'concurrency'>,
): string {
  return [
    BENCH_TOOL[b.format],
    b.fileName,
    b.model ?? 'model not named in the file',
    b.gpu ?? 'GPU not named in the file',
    b.concurrency > 1 ? `concurrency ${b.concurrency}` : 'one request at a time',
  ].join(' · ');
}
