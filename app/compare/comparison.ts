/**
 * Pure grouping behind the comparison charts and the class leaderboard. Every point carries the
 * spread (median, min, max, n) of the repetitions behind it; runs measured with the same settings
 * are pooled, repetition by repetition, before the spread is taken.
 */
import type { Device, Dtype } from '../engine/protocol.ts';
import { DTYPES_BY_PRECISION } from '../models/arithmetic.ts';
import type { ModelFactsLookup } from '../models/catalog.ts';
import {
  backendName,
  browserKey,
  browserName,
  machineKey,
  machineName,
  ranOnSoftwareAdapter,
} from '../run/machine.ts';
import { modelKey, modelKeyName } from '../run/model-key.ts';
import { noiseOf } from '../run/noise.ts';
import { type EnvironmentStamp, type RunResult, type RunSettings, sequencesOf } from '../run/run.ts';
import { maxOf, minOf, type RunSummary, type Spread, spread } from '../run/stats.ts';
import { pooledSummary, runSummary } from '../run/summary.ts';
import { formatSignificant } from './format.ts';

/** A spread every chart can draw: all three numbers finite. */
export const isDrawable = (s: Spread | undefined | null): s is Spread =>
  !!s && s.n > 0 && Number.isFinite(s.median) && Number.isFinite(s.min) && Number.isFinite(s.max);

/** A chart point: the median, and the distance to min and max for the error bar. */
export interface SpreadPoint {
  x: number;
  y: number;
  /** [median - min, max - median]: recharts' asymmetric ErrorBar offsets. */
  yError: [number, number];
  spread: Spread;
  label: string;
}

const point = (x: number, spread: Spread, label: string): SpreadPoint => ({
  x,
  y: spread.median,
  yError: [spread.median - spread.min, spread.max - spread.median],
  spread,
  label,
});

export interface Series {
  name: string;
  points: SpreadPoint[];
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

export type SizeMetric = 'decodeTokPerS' | 'ttftMs';
export type SizeAxis = 'parameters' | 'bytes';

/**
 * Decode tok/s or TTFT against model size, one series per dtype and backend (and prompt/generation
 * lengths when the runs differ in them). Runs of models with unknown size are counted in `unsized`.
 */
export function sizeSeries(
  runs: readonly RunResult[],
  facts: ModelFactsLookup,
  metric: SizeMetric,
  axis: SizeAxis,
): { series: Series[]; unsized: number } {
  let unsized = 0;
  const lengths = new Set(runs.map((r) => lengthsLabel(r.settings)));
  // Runs from different machines are never one point: with more than one machine, each gets its own series.
  const machines = new Set(runs.map((r) => machineKey(r.env)));
  const cells = groupBy(runs, (r) => `${machines.size > 1 ? machineKey(r.env) : ''}|${cellKey(r)}`);
  const bySeries = new Map<string, SpreadPoint[]>();
  for (const cell of cells.values()) {
    const first = cell[0];
    if (!first) continue;
    const s = first.settings;
    const info = facts(s.modelId, s.dtype);
    const x = info ? (axis === 'parameters' ? info.parameters : info.bytes) : 0;
    if (!info || !(x > 0)) {
      unsized += cell.length;
      continue;
    }
    const spread = pooledSummary(cell)?.[metric];
    if (!isDrawable(spread)) continue;
    const name = `${s.dtype} · ${backendLabel(cell)}${lengths.size > 1 ? ` · ${lengthsLabel(s)}` : ''}${machines.size > 1 ? ` · ${machineName(first.env)}` : ''}`;
    const points = bySeries.get(name) ?? [];
    points.push(point(x, spread, s.modelId));
    bySeries.set(name, points);
  }
  return { series: sortedSeries(bySeries), unsized };
}

const sortedSeries = (bySeries: Map<string, SpreadPoint[]>): Series[] =>
  [...bySeries.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, points]) => ({ name, points: points.sort((a, b) => a.x - b.x) }));

/** The suffix every series, label and row of software-adapter results carries. */
export const SOFTWARE_SUFFIX = ' (software GPU)';

/** 'WASM', 'WebGPU', or 'WebGPU (software GPU)' when any of the runs used a software adapter. */
export const backendLabel = (runs: readonly RunResult[]): string => {
  const first = runs[0];
  if (!first) return '';
  return `${backendName(first.settings.device)}${runs.some((r) => ranOnSoftwareAdapter(r.env)) ? SOFTWARE_SUFFIX : ''}`;
};

/**
 * Runs with these equal are repeats of one measurement and are pooled: the model by what it is (modelKey: the
 * same file embedded or from a mirror is one model), backend, P, G and B.
 */
export const cellKey = (run: RunResult): string => {
  const s = run.settings;
  return [modelKey(run), s.device, s.promptTokens, s.genTokens, sequencesOf(s)].join('|');
};

/**
 * The settings as a user picks them: model id, dtype, backend, P, G and B. "Run the same on my device" pairs a
 * shared run with the one made from its settings by this key, whether or not either recorded its file's hash.
 */
export const settingsKey = (run: RunResult): string => {
  const s = run.settings;
  return [s.modelId, s.dtype, s.device, s.promptTokens, s.genTokens, sequencesOf(s)].join('|');
};

/** The lengths a run was measured at: 'P64 G32', with ' B4' when it generated several sequences at once. */
export const lengthsLabel = (
  s: Pick<RunSettings, 'promptTokens' | 'genTokens' | 'parallelSequences'>,
): string => {
  const b = sequencesOf(s);
  return `P${s.promptTokens} G${s.genTokens}${b > 1 ? ` B${b}` : ''}`;
};

/** Medians further apart than this factor disagree, whatever their ranges (×1.5). */
export const DISAGREE_RATIO = 1.5;
/** Runs whose ranges do not overlap disagree once their medians differ by more than this factor (×1.1). */
export const DISAGREE_APART_RATIO = 1.1;

export interface RunDecode {
  id: string;
  name: string;
  createdAt: string;
  decodeTokPerS: Spread;
  /** The run's own noise verdict (run/noise.ts). */
  noisy: boolean;
}

export interface Disagreement {
  /** The settings in words: model dtype backend P G. */
  label: string;
  runs: RunDecode[];
  /** Largest run median ÷ smallest run median. */
  ratio: number;
}

/** The settings of a run in words, P/G included: 'tiny q8 WASM P64 G32'. */
export const settingsLabel = (run: RunResult): string => {
  const s = run.settings;
  return `${s.modelId} ${s.dtype} ${backendName(s.device)} ${lengthsLabel(s)}`;
};

/**
 * Whether runs measured with the same settings disagree, so that pooling them would hide it. With each run's
 * decode tok/s spread (median, min, max) over its own valid repetitions and r = max median ÷ min median, they
 * disagree when r > DISAGREE_RATIO (1.5), or when two runs' min–max ranges do not overlap and r >
 * DISAGREE_APART_RATIO (1.1). Null when they agree or fewer than two runs have a valid repetition.
 */
export function disagreement(runs: readonly RunResult[]): Disagreement | null {
  const decoded: RunDecode[] = [];
  for (const run of runs) {
    const d = runSummary(run)?.decodeTokPerS;
    if (!isDrawable(d) || !(d.median > 0)) continue;
    decoded.push({
      id: run.id,
      name: run.name,
      createdAt: run.createdAt,
      decodeTokPerS: d,
      noisy: noiseOf(run.repetitions).noisy,
    });
  }
  const first = runs[0];
  if (decoded.length < 2 || !first) return null;
  const medians = decoded.map((r) => r.decodeTokPerS.median);
  const ratio = maxOf(medians) / minOf(medians);
  const apart = decoded.some((a) =>
    decoded.some(
      (b) => a.decodeTokPerS.max < b.decodeTokPerS.min || b.decodeTokPerS.max < a.decodeTokPerS.min,
    ),
  );
  if (!(ratio > DISAGREE_RATIO) && !(apart && ratio > DISAGREE_APART_RATIO)) return null;
  return { label: settingsLabel(first), runs: decoded, ratio };
}

/** One sentence: 'tiny q8 WASM P64 G32: 2 runs disagree (126 vs 669 tok/s median decode, ×5.3).' */
export function describeDisagreement(d: Disagreement): string {
  const medians = d.runs.map((r) => formatSignificant(r.decodeTokPerS.median)).join(' vs ');
  return `${d.label}: ${d.runs.length} runs with the same settings disagree (${medians} tok/s median decode, ×${d.ratio.toFixed(1)}); pooling them would hide it.`;
}

/** The caveat every chart, table and export carries beside a software-adapter result. */
export const SOFTWARE_ADAPTER_CAVEAT =
  'WebGPU on a software adapter (SwiftShader, llvmpipe): the CPU emulates the GPU, so these figures say nothing about a real GPU and are usually slower than WASM.';

/** Every set of same-settings runs on one machine that disagree (see disagreement). */
export const disagreements = (runs: readonly RunResult[]): Disagreement[] =>
  [...groupBy(runs, (r) => `${machineKey(r.env)}|${cellKey(r)}`).values()]
    .map(disagreement)
    .filter((d): d is Disagreement => d !== null)
    .sort((a, b) => a.label.localeCompare(b.label));

export interface DtypeTradeoff {
  modelId: string;
  device: Device;
  promptTokens: number;
  genTokens: number;
  dtype: Dtype;
  /** The dtype the others are compared with: fp32 when measured, else the largest measured. */
  baseline: Dtype;
  bytes: number | null;
  decodeTokPerS: Spread;
  /** Decode speed relative to the baseline: median / baseline median, with min and max likewise. */
  speedup: Spread;
  /** Fraction of the baseline's bytes saved, 0…1; null when sizes are unknown. */
  sizeSaved: number | null;
  /** 'P64 G32' (lengthsLabel). */
  lengths: string;
  /** WebGPU on a software adapter. */
  softwareAdapter: boolean;
}

const precisionRank = (dtype: Dtype): number => DTYPES_BY_PRECISION.indexOf(dtype);

/**
 * The same model across dtypes: speed gained (decode tok/s ÷ baseline's) against size saved
 * (1 − bytes ÷ baseline's bytes). Only models measured in at least two dtypes on one backend.
 */
export function dtypeTradeoffs(runs: readonly RunResult[], facts: ModelFactsLookup): DtypeTradeoff[] {
  const out: DtypeTradeoff[] = [];
  const groups = groupBy(runs, (r) => {
    const s = r.settings;
    return [s.modelId, s.device, lengthsLabel(s), machineKey(r.env)].join('|');
  });
  for (const group of groups.values()) {
    const byDtype = [...groupBy(group, (r) => r.settings.dtype).entries()]
      .map(([dtype, cell]) => ({ dtype: dtype as Dtype, spread: pooledSummary(cell)?.decodeTokPerS }))
      .filter((d): d is { dtype: Dtype; spread: Spread } => isDrawable(d.spread))
      .sort((a, b) => precisionRank(a.dtype) - precisionRank(b.dtype));
    const base = byDtype[0];
    const first = group[0];
    if (byDtype.length < 2 || !base || !first || !(base.spread.median > 0)) continue;
    const s = first.settings;
    const baseBytes = facts(s.modelId, base.dtype)?.bytes ?? null;
    for (const { dtype, spread } of byDtype) {
      const bytes = facts(s.modelId, dtype)?.bytes ?? null;
      out.push({
        modelId: s.modelId,
        device: s.device,
        promptTokens: s.promptTokens,
        genTokens: s.genTokens,
        dtype,
        baseline: base.dtype,
        bytes,
        decodeTokPerS: spread,
        speedup: {
          median: spread.median / base.spread.median,
          min: spread.min / base.spread.median,
          max: spread.max / base.spread.median,
          n: spread.n,
        },
        sizeSaved: bytes !== null && baseBytes ? 1 - bytes / baseBytes : null,
        lengths: lengthsLabel(s),
        softwareAdapter: group.some((r) => ranOnSoftwareAdapter(r.env)),
      });
    }
  }
  return out;
}

export interface PrefillScaling {
  name: string;
  points: SpreadPoint[];
  /** Fit of TTFT = a + b·P through the two shortest prompts; null with fewer than two lengths. */
  fit: { interceptMs: number; msPerToken: number } | null;
  /**
   * The first prompt length whose median TTFT is more than `tolerance` above the line, with how far
   * above (0.4 = 40 % slower than linear); null when every measured length stays on the line.
   */
  breaksAt: { promptTokens: number; excess: number } | null;
}

/**
 * Prefill time (TTFT) against prompt length, per model, dtype and backend, and where it stops being
 * linear: the line is fitted through the two shortest prompts, and the first longer prompt whose
 * median TTFT exceeds the line by more than `tolerance` is reported.
 */
export function prefillScaling(runs: readonly RunResult[], tolerance = 0.25): PrefillScaling[] {
  // Generated tokens are part of the key: runs with another G are another measurement, never pooled.
  const groups = groupBy(runs, (r) =>
    [
      r.settings.modelId,
      r.settings.dtype,
      r.settings.device,
      r.settings.genTokens,
      sequencesOf(r.settings),
      machineKey(r.env),
    ].join('|'),
  );
  const machines = new Set(runs.map((r) => machineKey(r.env)));
  const out: PrefillScaling[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const points = [...groupBy(group, (r) => String(r.settings.promptTokens)).entries()]
      .map(([p, cell]) => ({ p: Number(p), spread: pooledSummary(cell)?.ttftMs }))
      .filter((d): d is { p: number; spread: Spread } => isDrawable(d.spread))
      .sort((a, b) => a.p - b.p)
      .map((d) => point(d.p, d.spread, `P${d.p}`));
    if (points.length < 2) continue;
    const [a, b] = points as [SpreadPoint, SpreadPoint];
    const msPerToken = (b.y - a.y) / (b.x - a.x);
    const fit = { interceptMs: a.y - msPerToken * a.x, msPerToken };
    let breaksAt: PrefillScaling['breaksAt'] = null;
    for (const p of points.slice(2)) {
      const predicted = fit.interceptMs + fit.msPerToken * p.x;
      if (predicted > 0 && p.y > predicted * (1 + tolerance)) {
        breaksAt = { promptTokens: p.x, excess: p.y / predicted - 1 };
        break;
      }
    }
    const s = first.settings;
    const where = machines.size > 1 ? ` · ${machineName(first.env)}` : '';
    out.push({
      name: `${s.modelId} ${s.dtype} · ${backendLabel(group)} · G${s.genTokens}${where}`,
      points,
      fit,
      breaksAt,
    });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

export interface BackendPair {
  label: string;
  wasm: Spread;
  webgpu: Spread;
  /** WebGPU decode median ÷ WASM decode median. */
  webgpuSpeedup: number;
  /** The WebGPU figures came from a software adapter (SwiftShader): they say nothing about a real GPU. */
  softwareAdapter: boolean;
}

/** WebGPU against WASM: decode tok/s of the same model, dtype and lengths measured on both. */
export function backendPairs(runs: readonly RunResult[]): BackendPair[] {
  // Per browser and CPU (not machineKey, which names the adapter of WebGPU runs only), and per adapter kind,
  // so a software adapter's figures are never pooled with a real GPU's.
  const groups = groupBy(runs, (r) => {
    const s = r.settings;
    return [s.modelId, s.dtype, lengthsLabel(s), browserKey(r.env)].join('|');
  });
  const machines = new Set(runs.map((r) => browserKey(r.env)));
  const out: BackendPair[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const wasm = pooledSummary(group.filter((r) => r.settings.device === 'wasm'))?.decodeTokPerS;
    const gpuRuns = group.filter((r) => r.settings.device === 'webgpu');
    const hardware = gpuRuns.filter((r) => !ranOnSoftwareAdapter(r.env));
    // With both, the real GPU is the comparison; software-adapter runs are used only when they are all there is.
    const used = hardware.length > 0 ? hardware : gpuRuns;
    const webgpu = pooledSummary(used)?.decodeTokPerS;
    if (!first || !isDrawable(wasm) || !isDrawable(webgpu) || !(wasm.median > 0)) continue;
    const s = first.settings;
    const softwareAdapter = hardware.length === 0;
    out.push({
      label: `${s.modelId} ${s.dtype} ${lengthsLabel(s)}${machines.size > 1 ? ` · ${browserName(first.env)}` : ''}${softwareAdapter ? SOFTWARE_SUFFIX : ''}`,
      wasm,
      webgpu,
      webgpuSpeedup: webgpu.median / wasm.median,
      softwareAdapter,
    });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

// ------------------------------------------------------------------ machines and the class leaderboard

export interface LeaderboardRow {
  /** Who measured it (the runs' participant name); null for runs that carry none. */
  participant: string | null;
  /** The machine in words (machineName). */
  machine: string;
  backend: Device;
  promptTokens: number;
  genTokens: number;
  /** Parallel sequences B (1 for a single sequence). */
  parallelSequences: number;
  runs: number;
  decodeTokPerS: Spread;
  ttftMs: Spread;
  /** The runs pooled into this row disagree (see disagreement); null when they agree. */
  disagreement: Disagreement | null;
  /** The row's WebGPU figures came from a software adapter. */
  softwareAdapter: boolean;
}

export interface Leaderboard {
  /** The model's identity (run/model-key.ts): one board per file, wherever it was served from. */
  modelKey: string;
  /** The model's name as the board shows it: without organisation when the file's hash is known. */
  modelName: string;
  dtype: Dtype;
  /** The weight file's SHA-256 when the runs recorded it. */
  weightSha256: string | null;
  /** Where the runs loaded it from: 'embedded', or a Hub id with its host; one entry per distinct source. */
  servedAs: string[];
  /** Fastest decode first. */
  rows: LeaderboardRow[];
  /** Spread of the machines' median decode tok/s: how much the room differs. */
  acrossMachines: Spread;
}

/**
 * Whose device ran a run: seatKey = participant | machineKey. Two students on identical laptops are two seats;
 * runs without a participant name fall back to the machine alone.
 */
export const seatKey = (run: RunResult): string => `${run.participant ?? ''}|${machineKey(run.env)}`;

/** Where a run loaded its model from, in words: 'embedded', 'lab/tiny from https://room.local:8443'. */
export const servedAs = (run: RunResult): string => {
  const s = run.settings;
  if (s.sourceKind === 'embedded') return 'embedded';
  if (s.sourceKind === 'files') return `${s.modelId} (files from disk)`;
  return run.hubHost ? `${s.modelId} from ${run.hubHost}` : s.modelId;
};

/**
 * The class view: one leaderboard per model (by what it is: modelKey) and dtype, one row per seat (participant
 * and machine), backend and lengths, ranked by median decode tok/s; and the spread of those medians.
 */
export function leaderboards(runs: readonly RunResult[]): Leaderboard[] {
  const out: Leaderboard[] = [];
  for (const group of groupBy(runs, modelKey).values()) {
    const first = group[0];
    if (!first) continue;
    const rows: LeaderboardRow[] = [];
    const cells = groupBy(group, (r) => `${seatKey(r)}|${cellKey(r)}`);
    for (const cell of cells.values()) {
      const head = cell[0];
      const summary = pooledSummary(cell);
      if (!head || !summary || !isDrawable(summary.decodeTokPerS) || !isDrawable(summary.ttftMs)) continue;
      rows.push({
        participant: head.participant ?? null,
        machine: machineName(head.env),
        backend: head.settings.device,
        promptTokens: head.settings.promptTokens,
        genTokens: head.settings.genTokens,
        parallelSequences: sequencesOf(head.settings),
        runs: cell.length,
        decodeTokPerS: summary.decodeTokPerS,
        ttftMs: summary.ttftMs,
        disagreement: disagreement(cell),
        softwareAdapter: cell.some((r) => ranOnSoftwareAdapter(r.env)),
      });
    }
    if (rows.length === 0) continue;
    rows.sort((a, b) => b.decodeTokPerS.median - a.decodeTokPerS.median);
    out.push({
      modelKey: modelKey(first),
      modelName: modelKeyName(first),
      dtype: first.settings.dtype,
      weightSha256: first.weightSha256 ?? null,
      servedAs: [...new Set(group.map(servedAs))].sort(),
      rows,
      acrossMachines: spread(rows.map((r) => r.decodeTokPerS.median)),
    });
  }
  return out.sort(
    (a, b) =>
      a.modelName.localeCompare(b.modelName) ||
      precisionRank(a.dtype) - precisionRank(b.dtype) ||
      a.modelKey.localeCompare(b.modelKey),
  );
}

/**
 * Who a set of runs came from: `seats` (participant and machine, seatKey), the distinct participant names,
 * and the machines of runs that carry no name.
 */
export function seatsOf(runs: readonly RunResult[]): {
  seats: number;
  participants: number;
  unnamed: number;
} {
  const seats = new Set(runs.map(seatKey));
  const participants = new Set(runs.flatMap((r) => (r.participant ? [r.participant] : [])));
  const unnamed = new Set(runs.filter((r) => !r.participant).map((r) => machineKey(r.env)));
  return { seats: seats.size, participants: participants.size, unnamed: unnamed.size };
}

/** The machines a set of runs was measured on, each with its run count. */
export function machinesOf(
  runs: readonly RunResult[],
): Array<{ label: string; runs: number; env: EnvironmentStamp }> {
  return [...groupBy(runs, (r) => machineKey(r.env)).values()].map((group) => ({
    label: machineName((group[0] as RunResult).env),
    runs: group.length,
    env: (group[0] as RunResult).env,
  }));
}

/** '3 machines', '3 participants', '2 participants and 1 unnamed machine'. */
export function describeSeats(seats: { participants: number; unnamed: number }): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seats.participants === 0) return plural(seats.unnamed, 'machine');
  const people = plural(seats.participants, 'participant');
  return seats.unnamed > 0 ? `${people} and ${plural(seats.unnamed, 'unnamed machine')}` : people;
}

export interface SideBySideRow {
  label: string;
  theirs: RunSummary | null;
  mine: RunSummary | null;
}

/** A shared report next to the same measurements made here: one row per setting in the report. */
export function sideBySide(theirs: readonly RunResult[], mine: readonly RunResult[]): SideBySideRow[] {
  const mineByCell = groupBy(mine, settingsKey);
  return [...groupBy(theirs, settingsKey).entries()].map(([key, cell]) => {
    const here = mineByCell.get(key);
    return {
      label: settingsLabel(cell[0] as RunResult),
      theirs: pooledSummary(cell),
      mine: here ? pooledSummary(here) : null,
    };
  });
}
