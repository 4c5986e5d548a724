/**
 * The levers in the bench's runs, as sentences: the prefix-cache saving of runs that differ only in the cached
 * prefix K (`--prefix`), where prefill stops scaling linearly over runs that differ only in P, and how much decode
 * slows per 1,000 tokens of context in each run. The same pure fits the Measure page draws (app/run/).
 */
import { decodeSlowdown, lengthPoints, prefillScaling } from '../../app/run/context-length.ts';
import { fitPrefixSaving, prefixPoints } from '../../app/run/prefix-saving.ts';
import { cachedPrefixOf, type RunResult, sequencesOf } from '../../app/run/run.ts';

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '—');
const pct = (share: number) => `${Math.round(100 * share)} %`;

/** Groups runs by a key, keeping the first-seen order. */
function groupBy(runs: readonly RunResult[], key: (run: RunResult) => string): RunResult[][] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) groups.set(key(run), [...(groups.get(key(run)) ?? []), run]);
  return [...groups.values()];
}

/** Model, dtype, device, and B when batched: runs of different B are never fitted together here. */
const what = (run: RunResult) =>
  `${run.settings.modelId} ${run.settings.dtype} ${run.env.device}${sequencesOf(run.settings) > 1 ? ` B=${sequencesOf(run.settings)}` : ''}`;

/**
 * One line per finding: `prefix-cache …` for each model/dtype/device/P/G measured at two or more K (the cold
 * K = 0 among them), `prefill …` for each model/dtype/device/G/K measured at three or more P, `kv-slope …` for
 * each run whose generated tokens span enough KV-cache positions.
 */
export function leverLines(runs: readonly RunResult[]): string[] {
  const lines: string[] = [];
  const complete = runs.filter((r) => r.status === 'complete');
  for (const group of groupBy(
    complete,
    (r) => `${what(r)} P${r.settings.promptTokens} G${r.settings.genTokens}`,
  )) {
    const points = prefixPoints(group);
    const fit = fitPrefixSaving(points);
    const first = group[0];
    if (!fit || !first) continue;
    const curve = points.map((p) => `${pct(p.cachedShare)} ${fmt(p.ttftMs.median)} ms`).join(', ');
    lines.push(
      `prefix-cache ${what(first)} P=${fit.promptTokens}: cold TTFT ${fmt(fit.coldTtftMs)} ms; ${fmt(fit.savedMsPerCachedToken)} ms saved per cached token = ${pct(fit.savedShare)} of a token's prefill (${fmt(fit.coldPrefillMsPerToken)} ms); TTFT by K/P: ${curve}`,
    );
  }
  for (const group of groupBy(
    complete,
    (r) => `${what(r)} G${r.settings.genTokens} K${cachedPrefixOf(r.settings)}`,
  )) {
    const scaling = prefillScaling(lengthPoints(group));
    const first = group[0];
    if (!scaling || !first) continue;
    lines.push(
      `prefill ${what(first)}: ${fmt(scaling.msPerToken)} ms per prompt token (${scaling.overheadMs < 0 ? '−' : '+'} ${fmt(Math.abs(scaling.overheadMs))} ms fixed) up to P=${scaling.linearUpToTokens}; ${
        scaling.breakTokens === null
          ? 'linear over the whole range'
          : `stops scaling linearly at P=${scaling.breakTokens} (${fmt(scaling.excessAtBreak ?? Number.NaN)}× the line)`
      }`,
    );
  }
  for (const run of complete) {
    const slope = decodeSlowdown([run]);
    if (!slope) continue;
    lines.push(
      `kv-slope ${what(run)} P=${run.settings.promptTokens} G=${run.settings.genTokens}: decode +${fmt(slope.msPer1kTokens)} ms per 1,000 tokens of context (${fmt(100 * slope.sharePer1kTokens, 2)} % of the ${fmt(slope.startTpotMs)} ms TPOT at ${Math.round(slope.fromTokens)} tokens, R² ${fmt(slope.rSquared, 2)})`,
    );
  }
  return lines;
}
