/**
 * The answer the cost page leads with: what each option costs at this traffic, which model it prices, and
 * which option is the cheapest of those that meet the latency target and the quality the user asks for.
 * "Cheapest" is never awarded on price alone: an option slower than the target, or of a lower or unstated
 * quality tier when a tier is required, is out, and the reason is said. Pure TypeScript, no React.
 */
import { fmtUsd } from '../ui/format.ts';
import { fmtSeconds } from './format.ts';
import { OPTION_KINDS, type OptionKind, type Projection } from './model.ts';

/**
 * Quality tiers by model class, weakest first. Open models are placed by parameter count; for an API
 * model the user says which class it is comparable to. `unstated` is not ranked: it never meets a bar.
 */
export const QUALITY_TIERS = ['unstated', 'none', 'tiny', 'small', 'medium', 'large', 'frontier'] as const;
export type QualityTier = (typeof QUALITY_TIERS)[number];

export const TIER_LABEL: Record<QualityTier, string> = {
  unstated: 'not stated',
  none: 'random weights (speed only)',
  tiny: 'tiny (under 1B)',
  small: 'small (1–4B)',
  medium: 'medium (7–14B)',
  large: 'large (30–70B)',
  frontier: 'frontier (largest API models)',
};

/** The quality bar the user sets: any tier, or at least the one named. */
export const REQUIRED_TIERS = ['any', 'tiny', 'small', 'medium', 'large', 'frontier'] as const;
export type RequiredTier = (typeof REQUIRED_TIERS)[number];

export const isQualityTier = (x: unknown): x is QualityTier =>
  typeof x === 'string' && (QUALITY_TIERS as readonly string[]).includes(x);
export const isRequiredTier = (x: unknown): x is RequiredTier =>
  typeof x === 'string' && (REQUIRED_TIERS as readonly string[]).includes(x);

/** The model an option prices, as the page shows it. */
export interface OptionModel {
  name: string;
  tier: QualityTier;
}

/** Rank of a tier; -1 for `unstated`, which meets no bar. */
const rank = (t: QualityTier): number => (t === 'unstated' ? -1 : QUALITY_TIERS.indexOf(t));

/** Whether a tier meets the bar: always for `any`; otherwise a stated tier at least as high. */
export function meetsTier(tier: QualityTier, required: RequiredTier): boolean {
  return required === 'any' || rank(tier) >= QUALITY_TIERS.indexOf(required);
}

export type Exclusion = 'unpriced' | 'latencyUnknown' | 'tooSlow' | 'qualityUnstated' | 'qualityBelow';

export interface OptionVerdict {
  kind: OptionKind;
  model: OptionModel;
  perMonthUsd: number;
  latencyS: number | null;
  /** Why the option cannot be the answer; empty when it meets the latency target and the quality bar. */
  exclusions: Exclusion[];
}

export interface Verdict {
  options: OptionVerdict[];
  /** The cheapest option with no exclusion; null when none qualifies. */
  winner: OptionKind | null;
  /** The options price models of different (or unstated) tiers: said beside any winner. */
  mixedModels: boolean;
}

export interface VerdictInput {
  projection: Pick<Projection, OptionKind>;
  models: Record<OptionKind, OptionModel>;
  latencyTargetS: number;
  requiredTier: RequiredTier;
}

/**
 * Each option's exclusions, then the winner: the lowest finite monthly cost among options whose request
 * time is known and ≤ the latency target and whose tier meets the bar (`meetsTier`). Ties go to the
 * earlier option in OPTION_KINDS order.
 */
export function costVerdict(input: VerdictInput): Verdict {
  const options = OPTION_KINDS.map((kind): OptionVerdict => {
    const c = input.projection[kind];
    const model = input.models[kind];
    const exclusions: Exclusion[] = [];
    if (!Number.isFinite(c.perMonthUsd)) exclusions.push('unpriced');
    if (c.latencyS === null || !Number.isFinite(c.latencyS)) exclusions.push('latencyUnknown');
    else if (c.latencyS > input.latencyTargetS) exclusions.push('tooSlow');
    if (!meetsTier(model.tier, input.requiredTier))
      exclusions.push(model.tier === 'unstated' ? 'qualityUnstated' : 'qualityBelow');
    return { kind, model, perMonthUsd: c.perMonthUsd, latencyS: c.latencyS, exclusions };
  });
  let winner: OptionVerdict | null = null;
  for (const o of options) {
    if (o.exclusions.length === 0 && (winner === null || o.perMonthUsd < winner.perMonthUsd)) winner = o;
  }
  const tiers = new Set(options.map((o) => o.model.tier));
  return {
    options,
    winner: winner?.kind ?? null,
    mixedModels: tiers.size > 1 || tiers.has('unstated'),
  };
}

/** A monthly bill for the answer line: whole dollars from $100 up ($972/mo), cents below. */
export const fmtMonthlyUsd = (x: number): string =>
  Number.isFinite(x) && x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : fmtUsd(x);

export const SHORT_LABEL: Record<OptionKind, string> = {
  api: 'API',
  selfHosted: 'self-host',
  browser: 'in-browser',
};

const exclusionText = (o: OptionVerdict, v: VerdictInput): string => {
  const parts = o.exclusions.map((e) => {
    switch (e) {
      case 'unpriced':
        return 'cannot be priced';
      case 'latencyUnknown':
        return 'request time unknown';
      case 'tooSlow':
        return `too slow (${fmtSeconds(o.latencyS)} > ${fmtSeconds(v.latencyTargetS)})`;
      case 'qualityUnstated':
        return 'quality not stated';
      case 'qualityBelow':
        return `quality ${TIER_LABEL[o.model.tier]} is below ${requiredLabel(v.requiredTier)}`;
      default:
        return e satisfies never;
    }
  });
  return `${SHORT_LABEL[o.kind]} ${parts.join(', ')}`;
};

/** The bar in words: "any quality" or a tier's label. */
export const requiredLabel = (r: RequiredTier): string => (r === 'any' ? 'any quality' : TIER_LABEL[r]);

/** What the answer asks for, in words: "≤ 10 s" or "≤ 10 s and medium (7–14B) or better". */
export function barText(v: Pick<VerdictInput, 'latencyTargetS' | 'requiredTier'>): string {
  const time = `≤ ${fmtSeconds(v.latencyTargetS)} a request`;
  return v.requiredTier === 'any' ? time : `${time}, quality ${TIER_LABEL[v.requiredTier]} or better`;
}

/**
 * The one-line answer, e.g. "50,000 req/day: API $1,620/mo · self-host $3,276/mo · in-browser $972/mo ·
 * cheapest that meets ≤ 10 s a request: API ($1,620/mo, 4.4 s, quality large (30–70B))". When nothing
 * qualifies it says why each option is out.
 */
export function answerParts(
  input: VerdictInput,
  verdict: Verdict,
  requestsText: string,
): { costs: string; answer: string } {
  const costs = `${requestsText}: ${verdict.options
    .map((o) => `${SHORT_LABEL[o.kind]} ${fmtMonthlyUsd(o.perMonthUsd)}/mo`)
    .join(' · ')}`;
  const w = verdict.options.find((o) => o.kind === verdict.winner);
  const answer = w
    ? `cheapest that meets ${barText(input)}: ${SHORT_LABEL[w.kind]} (${fmtMonthlyUsd(w.perMonthUsd)}/mo, ${fmtSeconds(
        w.latencyS,
      )} a request, quality ${TIER_LABEL[w.model.tier]})`
    : `no option meets ${barText(input)}: ${verdict.options.map((o) => exclusionText(o, input)).join('; ')}`;
  return { costs, answer };
}
