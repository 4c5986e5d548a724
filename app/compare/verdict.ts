/**
 * The engineer's answer: "which one do I ship?" One verdict per machine from the selected runs: among the
 * measured model × dtype × backend configurations at the same P/G, the fastest decoder that meets the quality
 * bar, with its size, decode speed and TTFT and the reason; or, said plainly, why these runs cannot decide.
 *
 * The rules, in order:
 * 1. Runs are grouped by machine (browser and CPU: run/machine.ts's browserKey) and, within it, by settings
 *    (comparison.ts's cellKey); repeats of one setting are pooled only when they agree (comparison.ts's
 *    disagreement).
 * 2. WebGPU results on a software adapter are left out: they say nothing about a real GPU.
 * 3. Configurations with a quality score below the bar are left out. Without scores the verdict says the pick
 *    is on speed alone.
 * 4. Only runs at the same P/G compete: the P/G with the most configurations is the one compared.
 * 5. The fastest median decode wins. When the runner-up's min–max range overlaps the winner's, the two cannot be
 *    told apart: if either is noisy (run/noise.ts) the data cannot decide; if both are quiet, the smaller file
 *    wins the tie.
 */
import type { Device, Dtype } from '../engine/protocol.ts';
import type { ModelFactsLookup } from '../models/catalog.ts';
import { backendName, browserKey, browserName, ranOnSoftwareAdapter } from '../run/machine.ts';
import { noiseOf } from '../run/noise.ts';
import type { RunResult } from '../run/run.ts';
import type { Spread } from '../run/stats.ts';
import { pooledSummary } from '../run/summary.ts';
import { cellKey, type Disagreement, disagreement, isDrawable, lengthsLabel } from './comparison.ts';
import { formatSignificant } from './format.ts';

/** A quantized variant's quality against the most precise variant of the same model (hardware/quality.ts). */
export interface QualityScore {
  /** Share of positions where both variants' most likely next token is the same, 0–1. */
  top1Agreement: number;
}

/** A quality score of a run's model and dtype (by its identity, run/model-key.ts); undefined where none was measured. */
export type QualityLookup = (run: Pick<RunResult, 'settings' | 'weightSha256'>) => QualityScore | undefined;

/** The default bar: the variant picks the reference's next token at 90 % of positions or more. */
export const MIN_TOP1_AGREEMENT = 0.9;

/** One measured configuration on one machine. */
export interface Candidate {
  modelId: string;
  dtype: Dtype;
  device: Device;
  promptTokens: number;
  genTokens: number;
  /** Parallel sequences B (absent: 1). */
  parallelSequences?: number;
  /** Weight bytes from the catalog; null when unknown. */
  bytes: number | null;
  decodeTokPerS: Spread;
  ttftMs: Spread;
  runs: number;
  /** Any of its runs is noisy (run/noise.ts). */
  noisy: boolean;
  /** Its runs disagree with each other; null when they agree. */
  disagreement: Disagreement | null;
  softwareAdapter: boolean;
  /** Top-1 agreement with the reference dtype, when scored. */
  top1Agreement: number | null;
}

/** Why the data cannot decide. */
export const UNDECIDED_CAUSES = [
  'no-valid-runs',
  'one-option',
  'software-adapter',
  'quality',
  'different-settings',
  'too-noisy',
] as const;
export type UndecidedCause = (typeof UNDECIDED_CAUSES)[number];

interface VerdictBase {
  /** The machine in words: browser, OS and cores. */
  machine: string;
  /** The settings compared, 'P64 G32'; null when nothing was compared. */
  settings: string | null;
  /** One sentence: why this pick, or why no pick. */
  reason: string;
  /** Things to know beside the answer (configurations left out, quality unknown…). */
  caveats: string[];
}

export type Verdict =
  | (VerdictBase & { kind: 'pick'; pick: Candidate; runnerUp: Candidate | null })
  | (VerdictBase & { kind: 'undecided'; cause: UndecidedCause; candidates: Candidate[] });

/** 'tiny q8 · WASM'. */
export const candidateName = (c: Pick<Candidate, 'modelId' | 'dtype' | 'device'>): string =>
  `${c.modelId} ${c.dtype} · ${backendName(c.device)}`;

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

function candidatesOf(
  runs: readonly RunResult[],
  facts: ModelFactsLookup,
  quality: QualityLookup,
): Candidate[] {
  const out: Candidate[] = [];
  for (const cell of groupBy(runs, cellKey).values()) {
    const first = cell[0];
    const summary = pooledSummary(cell);
    if (!first || !summary || !isDrawable(summary.decodeTokPerS) || !isDrawable(summary.ttftMs)) continue;
    const s = first.settings;
    out.push({
      modelId: s.modelId,
      dtype: s.dtype,
      device: s.device,
      promptTokens: s.promptTokens,
      genTokens: s.genTokens,
      parallelSequences: s.parallelSequences,
      bytes: facts(s.modelId, s.dtype)?.bytes ?? null,
      decodeTokPerS: summary.decodeTokPerS,
      ttftMs: summary.ttftMs,
      runs: cell.length,
      noisy: cell.some((r) => noiseOf(r.repetitions).noisy),
      disagreement: disagreement(cell),
      softwareAdapter: cell.some((r) => ranOnSoftwareAdapter(r.env)),
      top1Agreement: quality(first)?.top1Agreement ?? null,
    });
  }
  return out;
}

const rate = (s: Spread): string => `${formatSignificant(s.median)} tok/s`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const overlaps = (a: Spread, b: Spread): boolean => a.min <= b.max && b.min <= a.max;

/** The verdict for one machine's runs (see the module comment for the rules). */
export function machineVerdict(
  runs: readonly RunResult[],
  facts: ModelFactsLookup,
  options: { quality?: QualityLookup; minTop1Agreement?: number } = {},
): Verdict {
  const first = runs[0];
  const machine = first ? browserName(first.env) : 'unknown machine';
  const bar = options.minTop1Agreement ?? MIN_TOP1_AGREEMENT;
  const all = candidatesOf(runs, facts, options.quality ?? (() => undefined));
  const caveats: string[] = [];
  const undecided = (
    cause: UndecidedCause,
    reason: string,
    candidates: Candidate[],
    settings: string | null = null,
  ): Verdict => ({
    kind: 'undecided',
    cause,
    machine,
    settings,
    reason,
    caveats,
    candidates,
  });

  if (all.length === 0)
    return undecided(
      'no-valid-runs',
      'No selected run on this machine has a valid repetition to compare.',
      all,
    );

  const software = all.filter((c) => c.softwareAdapter);
  const hardware = all.filter((c) => !c.softwareAdapter);
  if (hardware.length === 0)
    return undecided(
      'software-adapter',
      'Every WebGPU result here ran on a software adapter (SwiftShader), which emulates a GPU on the CPU: it cannot tell you what to ship. Measure on WASM, or on a machine with a real GPU.',
      all,
    );
  if (software.length > 0)
    caveats.push(
      `${plural(software.length, 'configuration')} on a software WebGPU adapter left out: they say nothing about a real GPU.`,
    );

  const scored = hardware.filter((c) => c.top1Agreement !== null);
  const passing = hardware.filter((c) => c.top1Agreement === null || c.top1Agreement >= bar);
  const failing = hardware.length - passing.length;
  if (passing.length === 0)
    return undecided(
      'quality',
      `None of the measured configurations meets the quality bar (top-1 agreement ≥ ${Math.round(bar * 100)} % with the most precise dtype).`,
      hardware,
    );
  if (failing > 0)
    caveats.push(
      `${plural(failing, 'configuration')} below the quality bar (top-1 agreement < ${Math.round(bar * 100)} %) left out.`,
    );
  if (scored.length === 0)
    caveats.push(
      'Quality not scored: this pick is on speed alone. Score the dtypes (Why this fast → Quality) before shipping a quantized model.',
    );

  const bySettings = [...groupBy(passing, (c) => lengthsLabel(c)).entries()].sort(
    ([a, x], [b, y]) => y.length - x.length || a.localeCompare(b),
  );
  const [settings, compared] = bySettings[0] ?? ['', []];
  if (compared.length < 2) {
    if (bySettings.length > 1)
      return undecided(
        'different-settings',
        `Each configuration was measured at a different P/G (${bySettings.map(([k]) => k).join(', ')}): prompt and output lengths change speed, so they cannot be ranked. Measure them at one P/G (a sweep does).`,
        passing,
      );
    const only = compared[0];
    if (only && failing > 0)
      return {
        kind: 'pick',
        machine,
        settings,
        pick: only,
        runnerUp: null,
        reason: `${candidateName(only)} is the only configuration measured here that meets the quality bar (top-1 agreement ≥ ${Math.round(bar * 100)} %).`,
        caveats,
      };
    return undecided(
      'one-option',
      `Only one configuration (${compared[0] ? candidateName(compared[0]) : '—'}) was measured here: select runs of other models or dtypes to choose between.`,
      passing,
      settings,
    );
  }
  const others = passing.length - compared.length;
  if (others > 0)
    caveats.push(
      `${plural(others, 'configuration')} measured at another P/G left out: only ${settings} is compared.`,
    );

  const ranked = [...compared].sort((a, b) => b.decodeTokPerS.median - a.decodeTokPerS.median);
  const best = ranked[0] as Candidate;
  const runnerUp = ranked[1] as Candidate;
  if (best.disagreement)
    return undecided(
      'too-noisy',
      `The fastest, ${candidateName(best)}, was measured ${best.disagreement.runs.length} times with results that disagree (×${best.disagreement.ratio.toFixed(1)} apart): measure it again on a quiet machine before choosing.`,
      ranked,
      settings,
    );
  // Every configuration whose range reaches the winner's cannot be told apart from it.
  const tied = ranked.filter((c) => c === best || overlaps(c.decodeTokPerS, best.decodeTokPerS));
  if (tied.length > 1) {
    const shaky = tied.filter((c) => c.noisy || c.disagreement);
    if (shaky.length > 0)
      return undecided(
        'too-noisy',
        `${tied.map(candidateName).join(' and ')} decode at overlapping speeds and ${shaky.map(candidateName).join(', ')} ${shaky.length === 1 ? 'is' : 'are'} noisy: the data cannot tell them apart. Close other apps, plug in, and run more repetitions.`,
        ranked,
        settings,
      );
    const sized = tied
      .filter((c) => c.bytes !== null)
      .sort((a, b) => (a.bytes as number) - (b.bytes as number));
    const pick = sized[0] ?? best;
    const rest = tied.filter((c) => c !== pick);
    return {
      kind: 'pick',
      machine,
      settings,
      pick,
      runnerUp: rest[0] ?? null,
      reason: `${candidateName(pick)} decodes as fast as ${rest.map(candidateName).join(' and ')} within their measured ranges, and is the ${sized[0] ? 'smallest file' : 'fastest median'}.`,
      caveats,
    };
  }
  if (best.noisy) caveats.push(`${candidateName(best)} is noisy, but still clear of the runner-up's range.`);
  return {
    kind: 'pick',
    machine,
    settings,
    pick: best,
    runnerUp,
    reason: `Fastest decode at ${settings}: ${rate(best.decodeTokPerS)} against ${rate(runnerUp.decodeTokPerS)} for the runner-up, ${candidateName(runnerUp)} (×${(best.decodeTokPerS.median / runnerUp.decodeTokPerS.median).toFixed(2)}), with no overlap between their ranges.`,
    caveats,
  };
}

/** One verdict per machine among the runs, machines in the order their first run appears. */
export function recommend(
  runs: readonly RunResult[],
  facts: ModelFactsLookup,
  options: { quality?: QualityLookup; minTop1Agreement?: number } = {},
): Verdict[] {
  return [...groupBy(runs, (r) => browserKey(r.env)).values()].map((group) =>
    machineVerdict(group, facts, options),
  );
}
