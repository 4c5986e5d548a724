/**
 * Reading results from a file or pasted text: the lab's JSON export, the bench CLI's JSON output,
 * a bare list of runs, or one or more result links. Never throws; whatever cannot be read becomes
 * a sentence in `problems`, and the rest is still imported.
 */
import { z } from 'zod';
import type { Device, Ms } from '../engine/protocol.ts';
import { decodeReport, REPORT_KEY } from '../run/link.ts';
import { tryRestoreRun } from '../run/restore.ts';
import type { Repetition, RunResult } from '../run/run.ts';
import { DTYPE_SCHEMA, describeIssues } from '../run/schema.ts';
import { clipForMessage } from '../ui/quote.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './exports.ts';

/** Files above this are refused before they are read: a results file is a few MB at most. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export type ImportSource = 'lab-export' | 'bench-cli' | 'runs' | 'links';

export type ImportResult =
  | { ok: true; source: ImportSource; runs: RunResult[]; costScenario?: unknown; problems: string[] }
  | { ok: false; error: string };

const nonNegative = z.number().finite().min(0);

/** One row of `npm run bench -- --json`: a configuration and its per-repetition samples. */
export const BENCH_ROW_SCHEMA = z.looseObject({
  model: z.string().min(1).max(300),
  dtype: DTYPE_SCHEMA,
  device: z.string().min(1).max(40),
  n_prompt: z.number().int().min(1).max(1_000_000),
  n_gen: z.number().int().min(1).max(1_000_000),
  reps: z.number().int().min(1).max(1_000),
  ttft_ms: nonNegative.nullable().optional(),
  prefill_tok_s: nonNegative.nullable().optional(),
  tpot_ms: nonNegative.nullable().optional(),
  decode_tok_s: nonNegative.nullable().optional(),
  samples: z
    .array(
      z.object({
        ttft_ms: nonNegative,
        e2e_ms: nonNegative,
        token_times_ms: z.array(nonNegative).max(100_000),
      }),
    )
    .max(1_000),
});
type BenchRow = z.infer<typeof BENCH_ROW_SCHEMA>;

/** The bench CLI's `environment` object: where the row was measured. Every field optional; bad ones are ignored. */
const BENCH_ENVIRONMENT_SCHEMA = z.object({
  user_agent: z.string().max(1_000).optional(),
  transformers_version: z.string().max(100).optional(),
  onnxruntime_version: z.string().max(100).optional(),
  cross_origin_isolated: z.boolean().optional(),
  wasm_threads: z.number().int().min(0).max(1_024).optional(),
  hardware_concurrency: z.number().int().min(0).max(4_096).optional(),
  timer_resolution_ms: nonNegative.optional(),
  software_adapter: z.boolean().optional(),
  adapter: z
    .object({
      vendor: z.string().max(200).optional(),
      architecture: z.string().max(200).optional(),
      device: z.string().max(200).optional(),
      description: z.string().max(500).optional(),
    })
    .nullable()
    .optional(),
});

function benchEnvironment(row: BenchRow): z.infer<typeof BENCH_ENVIRONMENT_SCHEMA> {
  const parsed = BENCH_ENVIRONMENT_SCHEMA.safeParse(row.environment);
  return parsed.success ? parsed.data : {};
}

const optionalString = (value: unknown, max = 1_000): string | undefined =>
  typeof value === 'string' && value.length <= max ? value : undefined;

/** FNV-1a: a stable id for a bench row, so importing the same file twice is recognised. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The lab's device for the bench CLI's backend name ('cpu' is onnxruntime's CPU backend, shown as WASM). */
function benchDevice(device: string): { device: Device; note?: string } | null {
  const d = device.toLowerCase();
  if (d === 'webgpu' || d === 'gpu') return { device: 'webgpu' };
  if (d === 'wasm') return { device: 'wasm' };
  if (d === 'cpu')
    return { device: 'wasm', note: 'Measured by the bench CLI on the CPU backend; listed under WASM.' };
  return null;
}

/** Turns one bench CLI row into a RunResult; `fallbackDate` stands in for a row without a timestamp. */
export function benchRowToRun(row: BenchRow, fallbackDate: Date): RunResult | string {
  const mapped = benchDevice(row.device);
  if (!mapped) return `device "${clipForMessage(row.device)}" is not one the lab knows (webgpu, wasm, cpu)`;
  const stamp = optionalString(row.created_at, 40) ?? optionalString(row.timestamp, 40);
  const createdAt = stamp && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp) : fallbackDate;
  const startEpochMs = createdAt.getTime();
  const repetitions: Repetition[] = row.samples.map((sample, rep) => {
    const tokenTimesMs =
      sample.token_times_ms.length > 0 ? sample.token_times_ms : [sample.ttft_ms, sample.e2e_ms];
    return {
      rep,
      promptTokens: row.n_prompt,
      ttftMs: sample.ttft_ms as Ms,
      e2eMs: sample.e2e_ms as Ms,
      tokenTimesMs: tokenTimesMs as Ms[],
      startEpochMs,
      endEpochMs: startEpochMs + sample.e2e_ms,
      text: '',
      partial: false,
      hidden: false,
    };
  });
  const environment = benchEnvironment(row);
  const notes = ['Imported from the bench CLI.'];
  if (mapped.note) notes.push(mapped.note);
  return {
    id: `bench-${hash(JSON.stringify(row))}`,
    createdAt: createdAt.toISOString(),
    name: `${row.model} ${row.dtype} ${mapped.device} P${row.n_prompt} G${row.n_gen} (bench CLI)`,
    tags: ['bench-cli'],
    settings: {
      modelId: row.model,
      sourceKind: row.model.includes('/') ? 'hub' : 'embedded',
      dtype: row.dtype,
      device: mapped.device,
      promptTokens: row.n_prompt,
      genTokens: row.n_gen,
      reps: row.reps,
    },
    env: {
      userAgent:
        environment.user_agent ??
        optionalString(row.user_agent) ??
        optionalString(row.runtime) ??
        'bench CLI',
      transformersVersion:
        environment.transformers_version ?? optionalString(row.transformers_version, 100) ?? 'unknown',
      onnxruntimeVersion:
        environment.onnxruntime_version ?? optionalString(row.onnxruntime_version, 100) ?? 'unknown',
      device: mapped.device,
      adapter:
        mapped.device === 'webgpu' && environment.adapter
          ? {
              vendor: environment.adapter.vendor ?? '',
              architecture: environment.adapter.architecture ?? '',
              device: environment.adapter.device ?? '',
              description: environment.adapter.description ?? '',
              isFallbackAdapter: environment.software_adapter ?? false,
              features: [],
              limits: {},
            }
          : null,
      crossOriginIsolated: environment.cross_origin_isolated ?? true,
      wasmThreads:
        environment.wasm_threads ??
        (typeof row.threads === 'number' && Number.isInteger(row.threads) ? Math.max(0, row.threads) : 0),
      hardwareConcurrency: environment.hardware_concurrency ?? 0,
      timerResolutionMs: environment.timer_resolution_ms ?? 0,
    },
    load: {
      ms: typeof row.load_ms === 'number' && Number.isFinite(row.load_ms) ? Math.max(0, row.load_ms) : 0,
      fromCache: true,
      downloadedBytes: 0,
    },
    warmupMs: null,
    warmup: null,
    firstRequest: null,
    repetitions,
    status: repetitions.length > 0 ? 'complete' : 'failed',
    notes,
  };
}

function restoreAll(values: readonly unknown[], what: string): { runs: RunResult[]; problems: string[] } {
  const runs: RunResult[] = [];
  const problems: string[] = [];
  values.forEach((value, i) => {
    const restored = tryRestoreRun(value);
    if (restored.ok) runs.push(restored.run);
    else problems.push(`${what} ${i + 1} was skipped: ${restored.error}.`);
  });
  return { runs, problems };
}

const looksLikeBench = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'samples' in value && 'n_prompt' in value;

/** Reads results from the text of a file or a paste. `fileDate` dates bench rows that carry no timestamp. */
export function parseImport(text: string, fileDate = new Date()): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      error: `The file is too large (${Math.round(text.length / 1024 / 1024)} MB; the lab reads up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`,
    };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'The file is empty.' };
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return parseLinks(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    return {
      ok: false,
      error: `The file is not valid JSON (${error instanceof Error ? clipForMessage(error.message, 200) : 'parse error'}); it may be cut short or not a results file.`,
    };
  }
  if (Array.isArray(json)) {
    if (json.length === 0)
      return { ok: false, error: 'The file holds an empty list: there are no results in it.' };
    if (json.every(looksLikeBench)) return parseBench(json, fileDate);
    const { runs, problems } = restoreAll(json, 'Run');
    if (runs.length === 0)
      return { ok: false, error: `No run in the file could be read. ${problems[0] ?? ''}`.trim() };
    return { ok: true, source: 'runs', runs, problems };
  }
  if (typeof json !== 'object' || json === null)
    return { ok: false, error: 'The file does not hold results.' };
  const file = json as Record<string, unknown>;
  if (file.format === EXPORT_FORMAT) {
    if (typeof file.version !== 'number' || file.version > EXPORT_VERSION) {
      return {
        ok: false,
        error: `The file was exported by a newer version of the lab (version ${clipForMessage(file.version, 20)}); this page reads up to version ${EXPORT_VERSION}.`,
      };
    }
    if (!Array.isArray(file.runs)) return { ok: false, error: 'The file has no list of runs.' };
    const { runs, problems } = restoreAll(file.runs, 'Run');
    if (runs.length === 0 && problems.length > 0) {
      return { ok: false, error: `No run in the file could be read. ${problems[0] ?? ''}`.trim() };
    }
    const cost = file.costScenario === undefined ? {} : { costScenario: file.costScenario };
    return { ok: true, source: 'lab-export', runs, problems, ...cost };
  }
  if ('settings' in file && 'repetitions' in file) {
    const { runs, problems } = restoreAll([file], 'Run');
    if (runs.length === 0) return { ok: false, error: `The run could not be read: ${problems[0] ?? ''}` };
    return { ok: true, source: 'runs', runs, problems };
  }
  return { ok: false, error: 'The file is JSON, but not results from the lab or its bench CLI.' };
}

function parseBench(rows: readonly unknown[], fileDate: Date): ImportResult {
  const runs: RunResult[] = [];
  const problems: string[] = [];
  rows.forEach((value, i) => {
    const row = BENCH_ROW_SCHEMA.safeParse(value);
    if (!row.success) {
      problems.push(`Bench row ${i + 1} was skipped: ${describeIssues(row.error)}.`);
      return;
    }
    const run = benchRowToRun(row.data, fileDate);
    if (typeof run === 'string') problems.push(`Bench row ${i + 1} was skipped: ${run}.`);
    else runs.push(run);
  });
  if (runs.length === 0)
    return { ok: false, error: `No bench row could be read. ${problems[0] ?? ''}`.trim() };
  return { ok: true, source: 'bench-cli', runs, problems };
}

/**
 * Reads every result link in a text (one per line, or separated by spaces). Bad links are listed
 * in `problems` with their position; good ones are all kept.
 */
export function parseLinks(text: string): ImportResult {
  const candidates = text
    .split(/\s+/)
    .filter((part) => part.includes(`${REPORT_KEY}=`) || /^[A-Za-z0-9_-]{40,}$/.test(part));
  if (candidates.length === 0) {
    return { ok: false, error: 'No result link found. Paste links that contain #report=, one per line.' };
  }
  const runs: RunResult[] = [];
  const problems: string[] = [];
  let costScenario: unknown;
  candidates.forEach((candidate, i) => {
    const decoded = decodeReport(candidate);
    if (!decoded.ok) {
      problems.push(`Link ${i + 1}: ${decoded.error}`);
      return;
    }
    for (const run of decoded.report.runs) runs.push(run);
    costScenario ??= decoded.report.costScenario;
  });
  if (runs.length === 0) return { ok: false, error: problems.join(' ') };
  return {
    ok: true,
    source: 'links',
    runs,
    problems,
    ...(costScenario === undefined ? {} : { costScenario }),
  };
}
