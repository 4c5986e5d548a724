/**
 * Pure grouping behind the comparison charts and the class leaderboard. Every point carries the
 * spread (median, min, max, n) of the repetitions behind it; runs measured with the same settings
 * are pooled, repetition by repetition, before the spread is taken.
 */
import type { Device, Dtype } from '../engine/protocol.ts';
import { DTYPES_BY_PRECISION } from '../models/arithmetic.ts';
import type { ModelFactsLookup } from '../models/catalog.ts';
import { backendName, machineKey, machineName } from '../run/machine.ts';
import type { EnvironmentStamp, RunResult } from '../run/run.ts';
import { type RunSummary, type Spread, spread } from '../run/stats.ts';
import { pooledSummary } from '../run/summary.ts';

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
  const lengths = new Set(runs.map((r) => `${r.settings.promptTokens}/${r.settings.genTokens}`));
  const cells = groupBy(runs, (r) => cellKey(r));
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
    const name = `${s.dtype} · ${backendName(s.device)}${lengths.size > 1 ? ` · P${s.promptTokens} G${s.genTokens}` : ''}`;
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

/** Runs with these equal are repeats of one measurement and are pooled. */
export const cellKey = (run: RunResult): string => {
  const s = run.settings;
  return [s.modelId, s.dtype, s.device, s.promptTokens, s.genTokens].join('|');
};

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
    return [s.modelId, s.device, s.promptTokens, s.genTokens].join('|');
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
  const groups = groupBy(runs, (r) => [r.settings.modelId, r.settings.dtype, r.settings.device].join('|'));
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
    out.push({ name: `${s.modelId} ${s.dtype} · ${backendName(s.device)}`, points, fit, breaksAt });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

export interface BackendPair {
  label: string;
  wasm: Spread;
  webgpu: Spread;
  /** WebGPU decode median ÷ WASM decode median. */
  webgpuSpeedup: number;
}

/** WebGPU against WASM: decode tok/s of the same model, dtype and lengths measured on both. */
export function backendPairs(runs: readonly RunResult[]): BackendPair[] {
  const groups = groupBy(runs, (r) => {
    const s = r.settings;
    return [s.modelId, s.dtype, s.promptTokens, s.genTokens].join('|');
  });
  const out: BackendPair[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const wasm = pooledSummary(group.filter((r) => r.settings.device === 'wasm'))?.decodeTokPerS;
    const webgpu = pooledSummary(group.filter((r) => r.settings.device === 'webgpu'))?.decodeTokPerS;
    if (!first || !isDrawable(wasm) || !isDrawable(webgpu) || !(wasm.median > 0)) continue;
    const s = first.settings;
    out.push({
      label: `${s.modelId} ${s.dtype} P${s.promptTokens}`,
      wasm,
      webgpu,
      webgpuSpeedup: webgpu.median / wasm.median,
    });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

// ------------------------------------------------------------------ machines and the class leaderboard

export interface LeaderboardRow {
  /** The machine in words (machineName). */
  machine: string;
  backend: Device;
  promptTokens: number;
  genTokens: number;
  runs: number;
  decodeTokPerS: Spread;
  ttftMs: Spread;
}

export interface Leaderboard {
  modelId: string;
  dtype: Dtype;
  /** Fastest decode first. */
  rows: LeaderboardRow[];
  /** Spread of the machines' median decode tok/s: how much the room differs. */
  acrossMachines: Spread;
}

/**
 * The class view: one leaderboard per model and dtype, one row per machine, backend and lengths,
 * ranked by median decode tok/s; and the spread of those medians across machines.
 */
export function leaderboards(runs: readonly RunResult[]): Leaderboard[] {
  const out: Leaderboard[] = [];
  for (const group of groupBy(runs, (r) => `${r.settings.modelId}|${r.settings.dtype}`).values()) {
    const first = group[0];
    if (!first) continue;
    const rows: LeaderboardRow[] = [];
    const cells = groupBy(group, (r) => `${machineKey(r.env)}|${cellKey(r)}`);
    for (const cell of cells.values()) {
      const head = cell[0];
      const summary = pooledSummary(cell);
      if (!head || !summary || !isDrawable(summary.decodeTokPerS) || !isDrawable(summary.ttftMs)) continue;
      rows.push({
        machine: machineName(head.env),
        backend: head.settings.device,
        promptTokens: head.settings.promptTokens,
        genTokens: head.settings.genTokens,
        runs: cell.length,
        decodeTokPerS: summary.decodeTokPerS,
        ttftMs: summary.ttftMs,
      });
    }
    if (rows.length === 0) continue;
    rows.sort((a, b) => b.decodeTokPerS.median - a.decodeTokPerS.median);
    out.push({
      modelId: first.settings.modelId,
      dtype: first.settings.dtype,
      rows,
      acrossMachines: spread(rows.map((r) => r.decodeTokPerS.median)),
    });
  }
  return out.sort(
    (a, b) => a.modelId.localeCompare(b.modelId) || precisionRank(a.dtype) - precisionRank(b.dtype),
  );
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

export interface SideBySideRow {
  label: string;
  theirs: RunSummary | null;
  mine: RunSummary | null;
}

/** A shared report next to the same measurements made here: one row per setting in the report. */
export function sideBySide(theirs: readonly RunResult[], mine: readonly RunResult[]): SideBySideRow[] {
  const mineByCell = groupBy(mine, cellKey);
  return [...groupBy(theirs, cellKey).entries()].map(([key, cell]) => {
    const s = (cell[0] as RunResult).settings;
    const here = mineByCell.get(key);
    return {
      label: `${s.modelId} ${s.dtype} ${backendName(s.device)} P${s.promptTokens} G${s.genTokens}`,
      theirs: pooledSummary(cell),
      mine: here ? pooledSummary(here) : null,
    };
  });
}
