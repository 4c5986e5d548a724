/**
 * The lab-vs-bare comparison's arithmetic: round order, per-side figures, ratios and the report. Pure and
 * unit-tested; scripts/bench-compare.ts does the browser work.
 *
 * Each round runs both sides once (warm-up + R repetitions each). The order alternates lab→bare, bare→lab, …
 * (ABBA over pairs of rounds) so a linear drift (thermal, background load) hits both sides equally. A side's
 * figure in a round is the median over its repetitions; the result is the median over rounds, and the ratio
 * lab / bare of those medians. The per-round (paired) ratios are reported too, to show how stable the ratio is.
 */
import type { BareRepetition } from '../../app/bench/bare-protocol.ts';
import { ms } from '../../app/engine/protocol.ts';
import type { Repetition } from '../../app/run/run.ts';
import {
  interTokenLatencies,
  isValidRepetition,
  percentile,
  type Spread,
  spread,
  summarize,
} from '../../app/run/stats.ts';
import { fixed2, markdownTable } from './format.ts';

export type Side = 'lab' | 'bare';

/** Lowest acceptable lab/bare decode tok/s ratio. */
export const DECODE_RATIO_TARGET = 0.97;
/** Largest acceptable relative TTFT difference, either way. */
export const TTFT_TOLERANCE = 0.03;

/** Which side goes first in round `round` (0-based): lab first on even rounds, bare first on odd ones. */
export const roundOrder = (round: number): [Side, Side] =>
  round % 2 === 0 ? ['lab', 'bare'] : ['bare', 'lab'];

/** The bare page's repetitions in the lab's shape, so both sides go through the same summarize(). */
export function bareRepetitions(
  reps: readonly BareRepetition[],
  promptTokens: number,
  genTokens: number,
): Repetition[] {
  return reps.map((rep, i) => ({
    rep: i,
    promptTokens,
    ttftMs: ms(rep.ttftMs),
    e2eMs: ms(rep.e2eMs),
    tokenTimesMs: rep.tokenTimesMs.map(ms),
    startEpochMs: 0,
    endEpochMs: 0,
    text: rep.text,
    partial: rep.tokenTimesMs.length < genTokens,
    hidden: false,
  }));
}

/** One side's figures in one round: medians over its valid repetitions. */
export interface SideFigures {
  decodeTokPerS: number;
  ttftMs: number;
  /** Fastest repetition (highest decode tok/s, lowest TTFT): the least disturbed by other load on the machine. */
  bestDecodeTokPerS: number;
  bestTtftMs: number;
  /** Every inter-token latency of the valid repetitions. */
  itlMs: number[];
  validReps: number;
  /** The generated text of every repetition (greedy: identical prompts must give identical texts). */
  texts: string[];
}

/** Medians of one side's repetitions; null when none is valid. */
export function sideFigures(reps: readonly Repetition[]): SideFigures | null {
  const summary = summarize(reps);
  if (!summary) return null;
  return {
    decodeTokPerS: summary.decodeTokPerS.median,
    ttftMs: summary.ttftMs.median,
    bestDecodeTokPerS: summary.decodeTokPerS.max,
    bestTtftMs: summary.ttftMs.min,
    itlMs: reps.filter(isValidRepetition).flatMap((r) => interTokenLatencies(r.tokenTimesMs)),
    validReps: summary.validReps,
    texts: reps.map((r) => r.text),
  };
}

export interface CompareRound {
  round: number;
  order: [Side, Side];
  lab: SideFigures;
  bare: SideFigures;
}

export interface CompareSummary {
  rounds: number;
  lab: { decodeTokPerS: Spread; ttftMs: Spread };
  bare: { decodeTokPerS: Spread; ttftMs: Spread };
  /** median(lab decode tok/s) / median(bare decode tok/s): above 1 the lab decodes faster. */
  decodeRatio: number;
  /** median(lab TTFT) / median(bare TTFT): above 1 the lab is slower to the first token. */
  ttftRatio: number;
  /** Spread of the per-round ratios. */
  pairedDecodeRatio: Spread;
  pairedTtftRatio: Spread;
  /**
   * Best-of ratios: the fastest repetition of each side over all rounds. On a busy machine interference only
   * ever slows a repetition down, so the best ones are the closest to each side's intrinsic cost.
   */
  bestDecodeRatio: number;
  bestTtftRatio: number;
  /**
   * Inter-token latencies pooled over all rounds, p10 and p50 per side. Preemption by other processes inflates
   * some ITLs and leaves the rest alone, so the low percentiles show the per-token cost itself.
   */
  itlMs: Record<Side, { p10: number; p50: number }>;
  /** bare ITL p50 / lab ITL p50: the decode-rate ratio implied by undisturbed tokens (above 1: lab faster). */
  itlDecodeRatio: number;
  /** Every repetition of both sides generated the same text (same prompt ids, same greedy decode). */
  sameText: boolean;
  decodeWithinTarget: boolean;
  ttftWithinTarget: boolean;
}

function pooledItl(rounds: readonly CompareRound[], side: Side) {
  const itl = rounds.flatMap((r) => r[side].itlMs);
  return { p10: percentile(itl, 10), p50: percentile(itl, 50) };
}

/** Summarizes the rounds; throws on an empty list (there is nothing to compare). */
export function compareRounds(rounds: readonly CompareRound[]): CompareSummary {
  if (rounds.length === 0) throw new RangeError('No rounds to compare');
  const of = (side: Side) => ({
    decodeTokPerS: spread(rounds.map((r) => r[side].decodeTokPerS)),
    ttftMs: spread(rounds.map((r) => r[side].ttftMs)),
  });
  const lab = of('lab');
  const bare = of('bare');
  const decodeRatio = lab.decodeTokPerS.median / bare.decodeTokPerS.median;
  const ttftRatio = lab.ttftMs.median / bare.ttftMs.median;
  const texts = rounds.flatMap((r) => [...r.lab.texts, ...r.bare.texts]);
  return {
    rounds: rounds.length,
    lab,
    bare,
    decodeRatio,
    ttftRatio,
    pairedDecodeRatio: spread(rounds.map((r) => r.lab.decodeTokPerS / r.bare.decodeTokPerS)),
    pairedTtftRatio: spread(rounds.map((r) => r.lab.ttftMs / r.bare.ttftMs)),
    bestDecodeRatio:
      Math.max(...rounds.map((r) => r.lab.bestDecodeTokPerS)) /
      Math.max(...rounds.map((r) => r.bare.bestDecodeTokPerS)),
    bestTtftRatio:
      Math.min(...rounds.map((r) => r.lab.bestTtftMs)) / Math.min(...rounds.map((r) => r.bare.bestTtftMs)),
    itlMs: { lab: pooledItl(rounds, 'lab'), bare: pooledItl(rounds, 'bare') },
    itlDecodeRatio: pooledItl(rounds, 'bare').p50 / pooledItl(rounds, 'lab').p50,
    sameText: texts.every((t) => t === texts[0]),
    decodeWithinTarget: decodeRatio >= DECODE_RATIO_TARGET,
    ttftWithinTarget: Math.abs(ttftRatio - 1) <= TTFT_TOLERANCE,
  };
}

const range = (s: Spread, digits = 2) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/** What was compared, for the report's heading. */
export interface CompareSetup {
  model: string;
  dtype: string;
  device: string;
  promptTokens: number;
  genTokens: number;
  reps: number;
  browser: string;
  transformersVersion: string;
  wasmThreads: number;
}

/** The report: per-round table, then medians and ratios with their targets. */
export function formatCompareMarkdown(
  setup: CompareSetup,
  rounds: readonly CompareRound[],
  summary: CompareSummary,
) {
  const header = [
    'round',
    'order',
    'lab decode tok/s',
    'bare decode tok/s',
    'ratio',
    'lab ttft ms',
    'bare ttft ms',
    'ratio',
  ];
  const rows = rounds.map((r) => [
    String(r.round + 1),
    r.order.join('→'),
    fixed2(r.lab.decodeTokPerS),
    fixed2(r.bare.decodeTokPerS),
    (r.lab.decodeTokPerS / r.bare.decodeTokPerS).toFixed(3),
    fixed2(r.lab.ttftMs),
    fixed2(r.bare.ttftMs),
    (r.lab.ttftMs / r.bare.ttftMs).toFixed(3),
  ]);
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OUTSIDE target');
  return [
    `lab engine vs bare transformers.js — ${setup.model} ${setup.dtype} ${setup.device}, P=${setup.promptTokens} G=${setup.genTokens}, ` +
      `R=${setup.reps} per side per round, ${summary.rounds} rounds (alternating order)`,
    '',
    markdownTable(header, rows, [true, false, true, true, true, true, true, true]),
    '',
    `decode tok/s  lab ${range(summary.lab.decodeTokPerS)}  bare ${range(summary.bare.decodeTokPerS)}`,
    `ttft ms       lab ${range(summary.lab.ttftMs)}  bare ${range(summary.bare.ttftMs)}`,
    `lab/bare decode tok/s = ${summary.decodeRatio.toFixed(3)} (per round ${range(summary.pairedDecodeRatio, 3)}), ` +
      `target ≥ ${DECODE_RATIO_TARGET}: ${verdict(summary.decodeWithinTarget)}`,
    `lab/bare TTFT = ${summary.ttftRatio.toFixed(3)} (per round ${range(summary.pairedTtftRatio, 3)}), ` +
      `target within ±${TTFT_TOLERANCE * 100}%: ${verdict(summary.ttftWithinTarget)}`,
    `best repetitions (least disturbed): lab/bare decode tok/s = ${summary.bestDecodeRatio.toFixed(3)}, ` +
      `lab/bare TTFT = ${summary.bestTtftRatio.toFixed(3)}`,
    `ITL ms pooled p10/p50: lab ${summary.itlMs.lab.p10.toFixed(3)}/${summary.itlMs.lab.p50.toFixed(3)}, ` +
      `bare ${summary.itlMs.bare.p10.toFixed(3)}/${summary.itlMs.bare.p50.toFixed(3)}; ` +
      `bare/lab ITL p50 = ${summary.itlDecodeRatio.toFixed(3)} (the decode ratio of undisturbed tokens)`,
    `same generated text on both sides: ${summary.sameText ? 'yes' : 'NO (prompts or decoding differ)'}`,
    `build: Chromium ${setup.browser} · transformers.js ${setup.transformersVersion} · ${setup.wasmThreads} WASM thread(s)`,
    '',
  ].join('\n');
}
