/**
 * The cost model: measured (or typed-in) speeds and a workload in, dollars, energy and break-even out.
 * Pure TypeScript, no React; every formula is in the JSDoc of the function that computes it and in the
 * in-app "How this is computed" panel (explain.tsx), in the same words.
 *
 * Conventions:
 * - A month is 30 days (720 hours): per month = per day × 30.
 * - "$ per 1M tokens" on a GPU follows the common convention
 *   `$/1M = ($/h) / (tok/s × 3600 × utilisation) × 1e6`.
 * - Prefill is the work on input tokens, decode the work on output tokens; every cost is split into both.
 */

import { usdPer1MTokens } from '../run/hourly-cost.ts';

export const DAYS_PER_MONTH = 30;
export const HOURS_PER_MONTH = 24 * DAYS_PER_MONTH;
const TOKENS_PER_MILLION = 1e6;
const SECONDS_PER_HOUR = 3600;

export type OptionKind = 'api' | 'selfHosted' | 'browser';
export const OPTION_KINDS: readonly OptionKind[] = ['api', 'selfHosted', 'browser'];
export const OPTION_LABEL: Record<OptionKind, string> = {
  api: 'Hosted API',
  selfHosted: 'Self-hosted GPU',
  browser: 'In-browser',
};

/** The traffic to price. Shares are fractions in [0, 1]. */
export interface Workload {
  requestsPerDay: number;
  /** Mean input (prompt) tokens per request. */
  inputTokensPerRequest: number;
  /** Mean output (generated) tokens per request. */
  outputTokensPerRequest: number;
  /** Share of input tokens served from a prompt/prefix cache. */
  promptCacheShare: number;
  /** Share of requests answered from a response cache, without calling a model. */
  responseCacheShare: number;
  /** Share of requests routed to a smaller model tier. */
  routingShare: number;
  /** What the smaller tier costs per token, as a fraction of the main model (0.2 = a fifth). */
  smallTierCostRatio: number;
}

/** Hosted API prices in $ per 1M tokens, and how fast the API answers (from your logs or its dashboard). */
export interface ApiPrices {
  inputUsdPer1M: number;
  cachedInputUsdPer1M: number;
  outputUsdPer1M: number;
  /** Time to the first output token, s. */
  ttftS: number;
  /** Output tokens per second once it streams. */
  outputTokPerS: number;
}

export interface SelfHosted {
  gpuUsdPerHour: number;
  /** Share of paid GPU hours spent doing useful work, in (0, 1]. */
  utilisation: number;
  /** Single-stream prefill speed (one request at a time). */
  prefillTokPerS: number;
  /** Single-stream decode speed (one request at a time). */
  decodeTokPerS: number;
  /** Requests decoded together (batch size) the server aims for. */
  concurrency: number;
  /**
   * Batching slowdown α in [0, 1]: how much each extra sequence in a batch slows every decode step.
   * 0 = perfect scaling (memory-bound decode reads the weights once per step for the whole batch), 1 = no gain.
   */
  batchSlowdown: number;
  /**
   * Share of a prompt token's prefill that a prefix-cache hit saves, in [0, 1] (measured by the Measure page's
   * prefix-cache sweep). Absent = 1: a cached token skips its prefill entirely.
   */
  prefixCacheSaving?: number;
  gpuMemoryGb: number;
  weightsGb: number;
  /** KV cache one sequence needs at its full context length. */
  kvCacheGbPerSequence: number;
  powerW: number;
  /** Power usage effectiveness of the data centre: facility power / IT power, ≥ 1. */
  pue: number;
  electricityUsdPerKwh: number;
  /** Cloud rentals include power in $/h: then electricity is not added again (energy is still reported). */
  powerIncludedInPrice: boolean;
  /** GPUs kept running whatever the traffic: the fixed cost that makes a break-even exist. */
  minGpus: number;
}

export interface Browser {
  /** Share of users whose device can run the model; the rest fall back to the hosted API. */
  deviceShare: number;
  devicePowerW: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  /** The user's own electricity price: paid by users, not by you. */
  electricityUsdPerKwh: number;
}

export interface Scenario {
  workload: Workload;
  /** Input tokens per output token in the blended price (3 = the common 3:1). */
  blendInputPerOutput: number;
  api: ApiPrices;
  selfHosted: SelfHosted;
  browser: Browser;
}

/** What one option costs for the workload. Every number is finite and ≥ 0. */
export interface OptionCost {
  kind: OptionKind;
  /** Effective $ per 1M input tokens the model reads, after the prompt-cache discount. */
  inputUsdPer1M: number;
  outputUsdPer1M: number;
  /**
   * Marginal blended price: what one more 1M tokens (k:1 input:output) costs at the option's unit prices.
   * Leaves out idle capacity, so it is not what this traffic pays per token: see `effectiveUsdPer1M`.
   */
  blendedUsdPer1M: number;
  /** Effective price at this traffic: `$ per month / tokens of the month × 1e6` (idle capacity included). */
  effectiveUsdPer1M: number;
  /** Per request received (response-cache hits and routing included). */
  perRequestUsd: number;
  perDayUsd: number;
  perMonthUsd: number;
  prefillUsdPerMonth: number;
  decodeUsdPerMonth: number;
  /** Paid but unused capacity (self-hosted below its minimum fleet); 0 for the others. */
  idleUsdPerMonth: number;
  /** Energy per 1M blended tokens, kWh; null where the provider does not disclose it. */
  energyKwhPer1M: number | null;
  /** Time one median request takes on this option, s; null where it cannot be computed. */
  latencyS: number | null;
}

export interface SelfHostedDetail {
  maxBatch: number;
  effectiveBatch: number;
  batchedDecodeTokPerS: number;
  gpusNeeded: number;
  hourlyUsd: number;
}

export interface Projection {
  api: OptionCost;
  selfHosted: OptionCost;
  browser: OptionCost;
  selfHostedDetail: SelfHostedDetail;
  /** Users' electricity for in-browser inference, $ per month (not on your bill). */
  browserUserElectricityUsdPerMonth: number;
  /** Requests/day above which self-hosting is cheaper than the API; null if it never is. */
  breakEvenRequestsPerDay: number | null;
}

/**
 * Guard for sums: NaN and negatives become 0, but +Infinity stays Infinity. A price that overflows (a
 * speed or utilisation next to zero) must never read as $0 and "cheapest"; the scenario's bounds keep
 * every valid input finite, and the page shows a non-finite figure as "—", never as a price.
 */
const safe = (x: number): number => (Number.isNaN(x) || x < 0 ? 0 : x);
const clamp01 = (x: number): number => Math.min(1, safe(x));

/**
 * Energy of 1M tokens: `kWh/1M = (W × PUE / 1000) / (tok/s × 3600 × utilisation) × 1e6`.
 * Assumes the device draws `W` for every paid hour, so idle time counts (an upper bound).
 */
export function kwhPer1MTokens(powerW: number, pue: number, tokPerS: number, utilisation: number): number {
  return usdPer1MTokens((powerW * pue) / 1000, tokPerS, utilisation);
}

/**
 * Largest batch that fits in GPU memory: `floor((memory − weights) / KV cache per sequence)`.
 * 0 when the weights alone do not fit.
 */
export function maxBatch(gpuMemoryGb: number, weightsGb: number, kvCacheGbPerSequence: number): number {
  const free = gpuMemoryGb - weightsGb;
  if (!(free > 0) || !(kvCacheGbPerSequence > 0)) return 0;
  return Math.floor(free / kvCacheGbPerSequence + 1e-9);
}

/**
 * Aggregate decode throughput of a batch of B sequences:
 * `T(B) = S × B / (1 + α × (B − 1))`, S = single-stream decode tok/s, α = batching slowdown.
 * T(1) = S; with α = 0 throughput grows linearly, with α = 1 it stays at S. Each sequence sees T(B) / B.
 */
export function batchedDecodeTokPerS(singleStreamTokPerS: number, batch: number, slowdown: number): number {
  const b = Math.max(1, Math.floor(safe(batch)));
  return safe((singleStreamTokPerS * b) / (1 + clamp01(slowdown) * (b - 1)));
}

/**
 * Blended price for a mix of k input tokens per output token: `(k × input + output) / (k + 1)`.
 * Always between the input and the output price.
 */
export function blendedUsdPer1M(
  inputUsdPer1M: number,
  outputUsdPer1M: number,
  inputPerOutput: number,
): number {
  const k = safe(inputPerOutput);
  return safe((k * inputUsdPer1M + outputUsdPer1M) / (k + 1));
}

/** Tokens the model actually processes in a month, after the response cache. */
export interface MonthlyTokens {
  requests: number;
  /** Requests that reach a model: `requests × (1 − response-cache share)`. */
  servedRequests: number;
  uncachedInputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Cost multiplier of routing: `(1 − r) + r × smallTierCostRatio`. */
  tierFactor: number;
}

/**
 * - requests/month = requests/day × 30
 * - served = requests × (1 − response-cache share)
 * - input = served × input tokens; cached input = input × prompt-cache share
 * - output = served × output tokens
 * - tier factor = (1 − routing share) + routing share × small-tier cost ratio
 */
export function monthlyTokens(w: Workload): MonthlyTokens {
  const requests = safe(w.requestsPerDay) * DAYS_PER_MONTH;
  const servedRequests = requests * (1 - clamp01(w.responseCacheShare));
  const inputTokens = servedRequests * safe(w.inputTokensPerRequest);
  const cache = clamp01(w.promptCacheShare);
  const routing = clamp01(w.routingShare);
  return {
    requests,
    servedRequests,
    uncachedInputTokens: inputTokens * (1 - cache),
    cachedInputTokens: inputTokens * cache,
    outputTokens: servedRequests * safe(w.outputTokensPerRequest),
    tierFactor: 1 - routing + routing * clamp01(w.smallTierCostRatio),
  };
}

/**
 * Tokens of the month's traffic, input and output, as users send and receive them:
 * `requests/day × 30 × (input + output tokens per request)`. Response-cache hits, cached prefixes and
 * routed requests count: they are tokens the traffic needs, however cheaply they are served.
 */
export function trafficTokensPerMonth(w: Workload): number {
  return (
    safe(w.requestsPerDay) * DAYS_PER_MONTH * (safe(w.inputTokensPerRequest) + safe(w.outputTokensPerRequest))
  );
}

/**
 * Effective $ per 1M tokens at this traffic: `$ per month / traffic tokens per month × 1e6`, the tokens
 * counted by `trafficTokensPerMonth`. Unlike the marginal (blended) price it includes what is paid and not
 * used (GPUs always on, idle at low traffic), so it is the price to compare with an API's at this volume.
 * E.g. $3,276 a month for 50,000 requests/day of 1,500 + 300 tokens: 3276 / (50,000 × 30 × 1,800) × 1e6
 * = $1.21 per 1M, against $0.462 marginal. 0 when there is no traffic.
 */
export function effectiveUsdPer1M(perMonthUsd: number, w: Workload): number {
  const tokens = trafficTokensPerMonth(w);
  return tokens > 0 ? safe((perMonthUsd / tokens) * TOKENS_PER_MILLION) : 0;
}

/** Marginal prices of one option, in $ per 1M tokens of the main model. */
interface UnitPrices {
  inputUsdPer1M: number;
  cachedInputUsdPer1M: number;
  outputUsdPer1M: number;
}

function optionFromUnitPrices(
  kind: OptionKind,
  s: Scenario,
  unit: UnitPrices,
  floorUsdPerMonth: number,
  energyKwhPer1M: number | null,
  latencyS: number | null,
): OptionCost {
  const t = monthlyTokens(s.workload);
  const prefill =
    ((t.uncachedInputTokens * unit.inputUsdPer1M + t.cachedInputTokens * unit.cachedInputUsdPer1M) /
      TOKENS_PER_MILLION) *
    t.tierFactor;
  const decode = ((t.outputTokens * unit.outputUsdPer1M) / TOKENS_PER_MILLION) * t.tierFactor;
  const used = safe(prefill) + safe(decode);
  const perMonthUsd = Math.max(used, safe(floorUsdPerMonth));
  const cache = clamp01(s.workload.promptCacheShare);
  const inputUsdPer1M = safe((1 - cache) * unit.inputUsdPer1M + cache * unit.cachedInputUsdPer1M);
  const outputUsdPer1M = safe(unit.outputUsdPer1M);
  return {
    kind,
    inputUsdPer1M,
    outputUsdPer1M,
    blendedUsdPer1M: blendedUsdPer1M(inputUsdPer1M, outputUsdPer1M, s.blendInputPerOutput),
    effectiveUsdPer1M: effectiveUsdPer1M(perMonthUsd, s.workload),
    perRequestUsd: t.requests > 0 ? safe(perMonthUsd / t.requests) : 0,
    perDayUsd: perMonthUsd / DAYS_PER_MONTH,
    perMonthUsd,
    prefillUsdPerMonth: safe(prefill),
    decodeUsdPerMonth: safe(decode),
    idleUsdPerMonth: safe(perMonthUsd - used),
    energyKwhPer1M: energyKwhPer1M === null ? null : safe(energyKwhPer1M),
    latencyS: latencyS === null ? null : safe(latencyS),
  };
}

/**
 * Hosted API: `$/month = (uncached input × input price + cached input × cached price + output × output price) / 1e6 × tier factor`.
 * Latency of a request = time to first token + output tokens / output tok/s (the speeds you typed).
 */
export function projectApi(s: Scenario): OptionCost {
  return optionFromUnitPrices('api', s, s.api, 0, null, apiLatencyS(s));
}

/** `TTFT + output tokens / output tok/s`; null when the speed is not positive. */
function apiLatencyS(s: Scenario): number | null {
  return s.api.outputTokPerS > 0
    ? safe(s.api.ttftS) + safe(s.workload.outputTokensPerRequest) / s.api.outputTokPerS
    : null;
}

/** Sizing of the self-hosted server: batch, throughput and the all-in hourly price. */
export function selfHostedDetail(s: Scenario): SelfHostedDetail {
  const g = s.selfHosted;
  const mb = maxBatch(g.gpuMemoryGb, g.weightsGb, g.kvCacheGbPerSequence);
  const effectiveBatch = Math.max(1, Math.min(Math.floor(safe(g.concurrency)), mb));
  const batched = batchedDecodeTokPerS(g.decodeTokPerS, effectiveBatch, g.batchSlowdown);
  const hourlyUsd =
    safe(g.gpuUsdPerHour) +
    (g.powerIncludedInPrice ? 0 : (safe(g.powerW) * safe(g.pue) * safe(g.electricityUsdPerKwh)) / 1000);
  const t = monthlyTokens(s.workload);
  const busyHours =
    ((t.uncachedInputTokens / Math.max(g.prefillTokPerS, Number.MIN_VALUE) +
      t.outputTokens / Math.max(batched, Number.MIN_VALUE)) *
      t.tierFactor) /
    SECONDS_PER_HOUR;
  const u = clamp01(g.utilisation);
  const gpusNeeded = Math.max(
    Math.floor(safe(g.minGpus)),
    u > 0 ? Math.ceil(safe(busyHours / (HOURS_PER_MONTH * u)) - 1e-9) : 0,
  );
  return {
    maxBatch: mb,
    effectiveBatch,
    batchedDecodeTokPerS: batched,
    gpusNeeded,
    hourlyUsd: safe(hourlyUsd),
  };
}

/**
 * Self-hosted GPU:
 * - hourly = GPU $/h + (power included ? 0 : W × PUE / 1000 × $/kWh)
 * - prefill $/1M = hourly / (prefill tok/s × 3600 × utilisation) × 1e6; a cached prefix token costs
 *   (1 − prefix-cache saving) of it ($0 when the cache saves all of its prefill)
 * - decode $/1M = hourly / (T(B) × 3600 × utilisation) × 1e6, B = min(concurrency, max batch)
 * - $/month = max(min GPUs × 720 h × hourly, prefill $ + decode $): a floor of always-on GPUs,
 *   then capacity grows with traffic (autoscaling at the stated utilisation).
 */
export function projectSelfHosted(s: Scenario): OptionCost {
  const g = s.selfHosted;
  const d = selfHostedDetail(s);
  const unit: UnitPrices = {
    inputUsdPer1M: usdPer1MTokens(d.hourlyUsd, g.prefillTokPerS, g.utilisation),
    cachedInputUsdPer1M:
      (1 - clamp01(g.prefixCacheSaving ?? 1)) * usdPer1MTokens(d.hourlyUsd, g.prefillTokPerS, g.utilisation),
    outputUsdPer1M: usdPer1MTokens(d.hourlyUsd, d.batchedDecodeTokPerS, g.utilisation),
  };
  // The prefill work left: uncached tokens in full, cached ones for what the cache does not save.
  const cache = clamp01(s.workload.promptCacheShare) * clamp01(g.prefixCacheSaving ?? 1);
  const energyIn = (1 - cache) * kwhPer1MTokens(g.powerW, g.pue, g.prefillTokPerS, g.utilisation);
  const energyOut = kwhPer1MTokens(g.powerW, g.pue, d.batchedDecodeTokPerS, g.utilisation);
  const perStreamDecode = d.batchedDecodeTokPerS / d.effectiveBatch;
  const latencyS =
    g.prefillTokPerS > 0 && perStreamDecode > 0
      ? (s.workload.inputTokensPerRequest * (1 - cache)) / g.prefillTokPerS +
        s.workload.outputTokensPerRequest / perStreamDecode
      : null;
  const floor = Math.floor(safe(g.minGpus)) * HOURS_PER_MONTH * d.hourlyUsd;
  return optionFromUnitPrices(
    'selfHosted',
    s,
    unit,
    floor,
    blendedUsdPer1M(energyIn, energyOut, s.blendInputPerOutput),
    latencyS,
  );
}

/**
 * In-browser: users whose device can run the model cost you nothing per token; the others
 * (1 − device share) fall back to the hosted API. So every $ figure = (1 − device share) × API.
 * Users pay the energy: kWh/1M = (device W / 1000) / (tok/s × 3600) × 1e6.
 * Latency of a request = input tokens / prefill tok/s + output tokens / decode tok/s.
 */
export function projectBrowser(s: Scenario): OptionCost {
  const b = s.browser;
  const fallback = 1 - clamp01(b.deviceShare);
  const unit: UnitPrices = {
    inputUsdPer1M: s.api.inputUsdPer1M * fallback,
    cachedInputUsdPer1M: s.api.cachedInputUsdPer1M * fallback,
    outputUsdPer1M: s.api.outputUsdPer1M * fallback,
  };
  const energy = blendedUsdPer1M(
    kwhPer1MTokens(b.devicePowerW, 1, b.prefillTokPerS, 1),
    kwhPer1MTokens(b.devicePowerW, 1, b.decodeTokPerS, 1),
    s.blendInputPerOutput,
  );
  const latencyS =
    b.prefillTokPerS > 0 && b.decodeTokPerS > 0
      ? s.workload.inputTokensPerRequest / b.prefillTokPerS +
        s.workload.outputTokensPerRequest / b.decodeTokPerS
      : null;
  return optionFromUnitPrices('browser', s, unit, 0, energy, latencyS);
}

/**
 * Users' electricity for the in-browser share, $/month:
 * `device share × served requests × (input / prefill tok/s + output / decode tok/s) / 3600 × W / 1000 × $/kWh`.
 */
export function browserUserElectricityUsdPerMonth(s: Scenario): number {
  const b = s.browser;
  if (!(b.prefillTokPerS > 0) || !(b.decodeTokPerS > 0)) return 0;
  const t = monthlyTokens(s.workload);
  const inputTokens = t.uncachedInputTokens + t.cachedInputTokens;
  const hours = (inputTokens / b.prefillTokPerS + t.outputTokens / b.decodeTokPerS) / SECONDS_PER_HOUR;
  return safe(clamp01(b.deviceShare) * hours * (safe(b.devicePowerW) / 1000) * safe(b.electricityUsdPerKwh));
}

/**
 * Break-even traffic between the API (linear: a × V) and self-hosting (max(F, c × V)), V in requests/day:
 * - a = API $/month per request/day, c = self-hosted $/month per request/day above the floor,
 *   F = min GPUs × 720 h × hourly.
 * - If a ≤ c the API is never more expensive: no break-even (null). Otherwise V* = F / a
 *   (the API line meets the flat floor before the self-hosted line leaves it, since F / a < F / c).
 */
export function breakEvenRequestsPerDay(s: Scenario): number | null {
  const perDay = (v: number): Scenario => ({ ...s, workload: { ...s.workload, requestsPerDay: v } });
  const api = projectApi(perDay(1));
  const self = projectSelfHosted({ ...perDay(1), selfHosted: { ...s.selfHosted, minGpus: 0 } });
  const a = api.perMonthUsd;
  const c = self.perMonthUsd;
  if (!(a > c)) return null;
  const floor = Math.floor(safe(s.selfHosted.minGpus)) * HOURS_PER_MONTH * selfHostedDetail(s).hourlyUsd;
  return safe(floor / a);
}

/** All three options for the scenario, with the break-even between API and self-hosting. */
export function project(s: Scenario): Projection {
  return {
    api: projectApi(s),
    selfHosted: projectSelfHosted(s),
    browser: projectBrowser(s),
    selfHostedDetail: selfHostedDetail(s),
    browserUserElectricityUsdPerMonth: browserUserElectricityUsdPerMonth(s),
    breakEvenRequestsPerDay: breakEvenRequestsPerDay(s),
  };
}

/** The option with the lowest finite monthly bill; null when none can be priced. */
export function cheapestOption(p: Pick<Projection, OptionKind>): OptionKind | null {
  let best: OptionKind | null = null;
  for (const kind of OPTION_KINDS) {
    const usd = p[kind].perMonthUsd;
    if (Number.isFinite(usd) && (best === null || usd < p[best].perMonthUsd)) best = kind;
  }
  return best;
}

export const projectOption = (s: Scenario, kind: OptionKind): OptionCost =>
  kind === 'api' ? projectApi(s) : kind === 'selfHosted' ? projectSelfHosted(s) : projectBrowser(s);

export const withRequestsPerDay = (s: Scenario, requestsPerDay: number): Scenario => ({
  ...s,
  workload: { ...s.workload, requestsPerDay },
});

export interface TrafficPoint {
  requestsPerDay: number;
  apiUsdPerMonth: number;
  selfHostedUsdPerMonth: number;
  browserUsdPerMonth: number;
}

/**
 * Monthly cost of each option at `points` traffic levels from 0 to `maxRequestsPerDay`
 * (the chart "monthly cost vs traffic"). The break-even, when there is one, is one of the points.
 */
export function monthlyCostVsTraffic(s: Scenario, maxRequestsPerDay: number, points = 40): TrafficPoint[] {
  const max = safe(maxRequestsPerDay);
  const volumes = Array.from({ length: points + 1 }, (_, i) => (max * i) / points);
  const be = breakEvenRequestsPerDay(s);
  if (be !== null && be > 0 && be < max) volumes.push(be);
  volumes.sort((a, b) => a - b);
  return volumes.map((v) => {
    const sv = withRequestsPerDay(s, v);
    return {
      requestsPerDay: v,
      apiUsdPerMonth: projectApi(sv).perMonthUsd,
      selfHostedUsdPerMonth: projectSelfHosted(sv).perMonthUsd,
      browserUsdPerMonth: projectBrowser(sv).perMonthUsd,
    };
  });
}

export interface RequestSplitPoint {
  outputTokens: number;
  prefillUsd: number;
  decodeUsd: number;
}

/**
 * Marginal cost of one request split into prefill and decode as the output grows, at the option's
 * unit prices (idle capacity excluded): prefill = input $ share, decode = output tokens × output $/1M / 1e6,
 * both × (1 − response-cache share) × tier factor.
 */
export function requestCostByOutputLength(
  s: Scenario,
  kind: OptionKind,
  outputTokens: readonly number[],
): RequestSplitPoint[] {
  return outputTokens.map((out) => {
    const sv: Scenario = {
      ...s,
      workload: { ...s.workload, outputTokensPerRequest: out },
    };
    const c = projectOption(withRequestsPerDay(sv, 1), kind);
    const requests = DAYS_PER_MONTH;
    return {
      outputTokens: out,
      prefillUsd: safe(c.prefillUsdPerMonth / requests),
      decodeUsd: safe(c.decodeUsdPerMonth / requests),
    };
  });
}

export type LeverId =
  | 'modelSize'
  | 'inputLength'
  | 'outputLength'
  | 'concurrency'
  | 'promptCache'
  | 'responseCache'
  | 'quantization'
  | 'routing';

export interface LeverEffect {
  lever: LeverId;
  label: string;
  lowLabel: string;
  highLabel: string;
  /** Monthly cost with the lever at its low / high setting. */
  lowUsdPerMonth: number;
  highUsdPerMonth: number;
}

interface LeverDef {
  lever: LeverId;
  label: string;
  appliesTo: readonly OptionKind[];
  low: { label: string; apply: (s: Scenario) => Scenario };
  high: { label: string; apply: (s: Scenario) => Scenario };
}

const wl = (s: Scenario, patch: Partial<Workload>): Scenario => ({
  ...s,
  workload: { ...s.workload, ...patch },
});
const gpu = (s: Scenario, patch: Partial<SelfHosted>): Scenario => ({
  ...s,
  selfHosted: { ...s.selfHosted, ...patch },
});
const ALL: readonly OptionKind[] = OPTION_KINDS;

/**
 * A model half the size: on your own hardware the weights halve and memory-bound speeds double;
 * on an API it means sending every request to the smaller tier.
 */
function halfSize(s: Scenario): Scenario {
  const g = s.selfHosted;
  const b = s.browser;
  const ratio = clamp01(s.workload.smallTierCostRatio);
  return {
    ...s,
    api: {
      ...s.api,
      inputUsdPer1M: s.api.inputUsdPer1M * ratio,
      cachedInputUsdPer1M: s.api.cachedInputUsdPer1M * ratio,
      outputUsdPer1M: s.api.outputUsdPer1M * ratio,
    },
    selfHosted: {
      ...g,
      weightsGb: g.weightsGb / 2,
      prefillTokPerS: g.prefillTokPerS * 2,
      decodeTokPerS: g.decodeTokPerS * 2,
    },
    browser: { ...b, prefillTokPerS: b.prefillTokPerS * 2, decodeTokPerS: b.decodeTokPerS * 2 },
  };
}

const LEVERS: readonly LeverDef[] = [
  {
    lever: 'modelSize',
    label: 'Model size (right-sizing)',
    appliesTo: ['api', 'selfHosted'],
    low: { label: 'half the size / small tier', apply: halfSize },
    high: { label: 'as now', apply: (s) => s },
  },
  {
    lever: 'inputLength',
    label: 'Input length (prompt trimming)',
    appliesTo: ALL,
    low: {
      label: 'half the prompt',
      apply: (s) => wl(s, { inputTokensPerRequest: s.workload.inputTokensPerRequest / 2 }),
    },
    high: {
      label: '1.5× the prompt',
      apply: (s) => wl(s, { inputTokensPerRequest: s.workload.inputTokensPerRequest * 1.5 }),
    },
  },
  {
    lever: 'outputLength',
    label: 'Output length',
    appliesTo: ALL,
    low: {
      label: 'half the answer',
      apply: (s) => wl(s, { outputTokensPerRequest: s.workload.outputTokensPerRequest / 2 }),
    },
    high: {
      label: 'twice the answer',
      apply: (s) => wl(s, { outputTokensPerRequest: s.workload.outputTokensPerRequest * 2 }),
    },
  },
  {
    lever: 'promptCache',
    label: 'Prompt cache hit rate',
    appliesTo: ALL,
    low: { label: '0 % cached', apply: (s) => wl(s, { promptCacheShare: 0 }) },
    high: { label: '90 % cached', apply: (s) => wl(s, { promptCacheShare: 0.9 }) },
  },
  {
    lever: 'responseCache',
    label: 'Response cache hit rate',
    appliesTo: ALL,
    low: { label: '0 % answered from cache', apply: (s) => wl(s, { responseCacheShare: 0 }) },
    high: { label: '50 % answered from cache', apply: (s) => wl(s, { responseCacheShare: 0.5 }) },
  },
  {
    lever: 'routing',
    label: 'Routing to a small tier',
    appliesTo: ['api', 'selfHosted'],
    low: { label: 'no routing', apply: (s) => wl(s, { routingShare: 0 }) },
    high: { label: '50 % routed', apply: (s) => wl(s, { routingShare: 0.5 }) },
  },
  {
    lever: 'quantization',
    label: 'Quantization',
    appliesTo: ['selfHosted'],
    low: {
      label: 'half the bytes per weight',
      apply: (s) =>
        gpu(s, {
          weightsGb: s.selfHosted.weightsGb / 2,
          decodeTokPerS: s.selfHosted.decodeTokPerS * 2,
        }),
    },
    high: { label: 'as now', apply: (s) => s },
  },
  {
    lever: 'concurrency',
    label: 'Batch size (concurrency)',
    appliesTo: ['selfHosted'],
    low: { label: 'one request at a time', apply: (s) => gpu(s, { concurrency: 1 }) },
    high: {
      label: 'largest batch that fits',
      apply: (s) =>
        gpu(s, {
          concurrency: Math.max(
            1,
            maxBatch(s.selfHosted.gpuMemoryGb, s.selfHosted.weightsGb, s.selfHosted.kvCacheGbPerSequence),
          ),
        }),
    },
  },
];

/**
 * "What moves the bill most": the monthly cost of `kind` with each lever set low and high, the rest
 * of the scenario unchanged, sorted by the size of the swing |high − low|.
 */
export function sensitivity(s: Scenario, kind: OptionKind): LeverEffect[] {
  return LEVERS.filter((l) => l.appliesTo.includes(kind))
    .map((l) => ({
      lever: l.lever,
      label: l.label,
      lowLabel: l.low.label,
      highLabel: l.high.label,
      lowUsdPerMonth: projectOption(l.low.apply(s), kind).perMonthUsd,
      highUsdPerMonth: projectOption(l.high.apply(s), kind).perMonthUsd,
    }))
    .sort(
      (a, b) =>
        Math.abs(b.highUsdPerMonth - b.lowUsdPerMonth) - Math.abs(a.highUsdPerMonth - a.lowUsdPerMonth),
    );
}
