/**
 * A lesson's cost consequence in dollars, from measured numbers: the device time a request occupies, priced by
 * the hour, at a month's traffic. Computed here from run/stats.ts medians (lessons/points.ts) rather than through
 * the Cost view's model (cost/ is a feature): the formula is the cost model's "$ per hour of hardware" convention,
 *   $ per month = requests per month × (device ms per request / 3 600 000) × $ per hour,
 * with device ms per request = (TTFT + (G − 1) × TPOT) / B. Pure.
 */
import type { ResultRow } from '../room/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { median } from '../run/stats.ts';
import { fmtUsd } from '../ui/format.ts';
import type { Lesson, LessonCost } from './lesson.ts';
import { DEVICE_USD_PER_HOUR, deviceMsPerRequest, lessonSamples, matchesStep, stepName } from './points.ts';

/** The traffic and price every consequence assumes (stated beside the figures). */
export interface LessonTraffic {
  requestsPerMonth: number;
  /** What an hour of this device's time is worth: its electricity by default (run/hourly-cost.ts). */
  deviceUsdPerHour: number;
}

export const LESSON_TRAFFIC: LessonTraffic = {
  requestsPerMonth: 1_000_000,
  deviceUsdPerHour: DEVICE_USD_PER_HOUR,
};

/** One priced option of a consequence. */
export interface CostLine {
  label: string;
  usdPerMonth: number;
}

/** A priced consequence: the option without the lever first, then with it; null figures were not measured. */
export interface CostConsequence {
  cost: LessonCost;
  without: CostLine;
  with: CostLine;
  /** 1 − with / without: the share the lever saves (negative when it costs more). */
  savedShare: number;
}

/** $ per month for `requestsPerMonth` requests of `msPerRequest` device time at `usdPerHour`. */
export const usdPerMonth = (msPerRequest: number, traffic: LessonTraffic): number =>
  traffic.requestsPerMonth * (msPerRequest / 3_600_000) * traffic.deviceUsdPerHour;

/**
 * Median device ms per request of each step, over the runs or rows measured with its settings; a step with none
 * is absent.
 */
export function stepRequestMs(
  lesson: Lesson,
  items: ReadonlyArray<RunResult | ResultRow>,
): Map<string, number> {
  const samples = lessonSamples(items);
  const out = new Map<string, number>();
  for (const step of lesson.steps) {
    const ms = samples
      .filter((s) => matchesStep(step, s))
      .map(deviceMsPerRequest)
      .filter(Number.isFinite);
    if (ms.length > 0) out.set(step.id, median(ms));
  }
  return out;
}

const pct = (share: number) => `${Math.round(100 * share)} %`;

/**
 * Prices one consequence; null until every step it needs has been measured.
 * - compare: the baseline step's cost against the lever step's;
 * - response-cache: the step's cost against (1 − hitShare) of it (a cache hit calls no model);
 * - routing: every request on the large step against (1 − r) × large + r × small.
 */
export function priceConsequence(
  lesson: Lesson,
  cost: LessonCost,
  msByStep: ReadonlyMap<string, number>,
  traffic: LessonTraffic = LESSON_TRAFFIC,
): CostConsequence | null {
  const stepById = (id: string) => lesson.steps.find((s) => s.id === id);
  const priced = (id: string) => {
    const step = stepById(id);
    const ms = msByStep.get(id);
    return step && ms !== undefined ? { step, usd: usdPerMonth(ms, traffic) } : null;
  };
  let without: CostLine;
  let withLever: CostLine;
  switch (cost.kind) {
    case 'compare': {
      const a = priced(cost.baseline);
      const b = priced(cost.lever);
      if (!a || !b) return null;
      without = { label: stepName(a.step), usdPerMonth: a.usd };
      withLever = { label: stepName(b.step), usdPerMonth: b.usd };
      break;
    }
    case 'response-cache': {
      const a = priced(cost.step);
      if (!a) return null;
      without = { label: `${stepName(a.step)}, no response cache`, usdPerMonth: a.usd };
      withLever = {
        label: `${pct(cost.hitShare)} of requests answered from a response cache`,
        usdPerMonth: (1 - cost.hitShare) * a.usd,
      };
      break;
    }
    case 'routing': {
      const large = priced(cost.large);
      const small = priced(cost.small);
      if (!large || !small) return null;
      without = { label: `every request on ${stepName(large.step)}`, usdPerMonth: large.usd };
      withLever = {
        label: `${pct(cost.routedShare)} routed to ${stepName(small.step)}`,
        usdPerMonth: (1 - cost.routedShare) * large.usd + cost.routedShare * small.usd,
      };
      break;
    }
    default:
      return cost satisfies never;
  }
  return {
    cost,
    without,
    with: withLever,
    savedShare: without.usdPerMonth > 0 ? 1 - withLever.usdPerMonth / without.usdPerMonth : 0,
  };
}

/** Every consequence of a lesson from runs or rows (null entries: not measured yet). */
export function lessonConsequences(
  lesson: Lesson,
  items: ReadonlyArray<RunResult | ResultRow>,
  traffic: LessonTraffic = LESSON_TRAFFIC,
): Array<CostConsequence | null> {
  const ms = stepRequestMs(lesson, items);
  return lesson.costs.map((c) => priceConsequence(lesson, c, ms, traffic));
}

/** Dollars as the consequence shows them: the lab's one dollar format (three significant digits below $1). */
export const formatUsd = fmtUsd;

/**
 * The consequence in one sentence, e.g. "At 1,000,000 requests a month, this device's time costs $12.40 for
 * medium q4 (P = 64, G = 16) and $1.30 for small q4 (P = 64, G = 16): 90 % less."
 */
export function consequenceSentence(c: CostConsequence, traffic: LessonTraffic = LESSON_TRAFFIC): string {
  const saved = c.savedShare;
  const change =
    Math.abs(saved) < 0.005 ? 'about the same' : saved > 0 ? `${pct(saved)} less` : `${pct(-saved)} more`;
  return `At ${traffic.requestsPerMonth.toLocaleString('en-US')} requests a month, this device’s time costs ${formatUsd(c.without.usdPerMonth)} for ${c.without.label} and ${formatUsd(c.with.usdPerMonth)} ${c.cost.kind === 'compare' ? 'for' : 'with'} ${c.with.label}: ${change}.`;
}
