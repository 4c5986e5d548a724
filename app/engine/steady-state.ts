/**
 * When is the engine warm? A browser engine speeds up while it works: V8 runs WebAssembly first with its
 * baseline compiler (Liftoff) and swaps in optimised code (TurboFan) once a function is hot, buffers and caches
 * are allocated on first use, and WebGPU compiles its pipelines on first dispatch. Timing it before that is over
 * measures a warming engine, and a sweep's figures then depend on its order.
 *
 * So the worker keeps generating discarded **warm-up windows** (one generation each, the run's own prompt) until
 * the per-token latency of the last `agreeWindows` windows agrees within ±`tolerance` of their median, and gives
 * up at `capMs`. A window's per-token latency is the median of its inter-token latencies (robust to the one slow
 * token a garbage collection or a tier-up swap causes). A warm-up that hits the cap is reported as not steady,
 * never silently passed off as steady.
 *
 * Pure: no timers, no engine. The worker feeds it the token times of each window and asks what to do next.
 */
import { interTokenLatencies, median } from '../run/stats.ts';

/** How steady is decided. */
export interface SteadyStateRules {
  /** k: how many successive windows must agree. */
  agreeWindows: number;
  /** Relative tolerance: each of the last k per-token latencies within ±tolerance of their median (0.1 = ±10 %). */
  tolerance: number;
  /** Never judge before this many windows, even when they already agree. */
  minWindows: number;
  /**
   * Never judge before this model has generated this many tokens and run this long (ms) since its load: a
   * plateau at baseline-compiler speed can look steady for a few windows before the optimised code arrives…
   */
  minTokens: number;
  minDurationMs: number;
  /** …unless it has run this long (ms), whatever the tokens: a slow model needs fewer of them. */
  floorMetAfterMs: number;
  /** Stop warming once the warm-up has taken this long (ms), steady or not. */
  capMs: number;
  /** Stop after this many windows, steady or not (a bound for very fast models). */
  maxWindows: number;
}

/**
 * The lab's protocol: the last 3 windows within ±10 % of their median, after at least 3 windows and, since the
 * model was loaded, 384 tokens and 5 s (or 10 s alone), at most 30 s or 2,000 windows. ±10 % is wider than the
 * window-to-window noise of a warm engine (a few %) and far narrower than the 2–3× step of a tier-up. The floor:
 * in fresh browsers on a 2-core machine the small model's decode sped up 2× only after 260–360 generated tokens,
 * the tiny model's only after more than 2 s of warm-up, and a model measured after another one still sped up
 * 2× after 3 agreeing windows (its own code paths were cold): windows before such a step can agree.
 */
export const STEADY_STATE_RULES: SteadyStateRules = {
  agreeWindows: 3,
  tolerance: 0.1,
  minWindows: 3,
  minTokens: 384,
  minDurationMs: 5_000,
  floorMetAfterMs: 10_000,
  capMs: 30_000,
  maxWindows: 2_000,
};

/** What a model generated before this warm-up, since its load: tokens and time spent generating them (ms). */
export interface PriorWork {
  tokens: number;
  durationMs: number;
}

export const NO_PRIOR_WORK: PriorWork = { tokens: 0, durationMs: 0 };

/** One discarded warm-up generation, as the worker timed it. */
export interface WarmupWindow {
  /** Token arrival times, ms since its `generate()` began (the same clock as a repetition's). */
  tokenTimesMs: readonly number[];
}

/** What the warm-up amounted to, recorded on the run. */
export interface WarmupOutcome {
  /** The last `agreeWindows` windows agreed: the timed repetitions measure a warm engine. */
  steady: boolean;
  /** The warm-up is over (steady, or the cap was reached): start the timed repetitions. */
  done: boolean;
  /** Windows generated so far. */
  windows: number;
  /** Tokens generated in them. */
  tokens: number;
  /** Time spent in them (sum of each window's last token time), ms. */
  durationMs: number;
  /** Per-token latency (median ITL) of the last window, ms; null before a window with two tokens. */
  lastPerTokenMs: number | null;
  /** Why, in words: what agreed, or what did not and which cap stopped it. */
  reason: string;
}

/**
 * A window's per-token latency: the median of its inter-token latencies t_{i+1} − t_i, in ms.
 * Null for a window of fewer than two tokens (no decode step was timed).
 */
export function windowPerTokenMs(window: WarmupWindow): number | null {
  const itl = interTokenLatencies(window.tokenTimesMs);
  return itl.length === 0 ? null : median(itl);
}

/**
 * Whether per-token latencies agree: every value within ±`tolerance` of their median, i.e.
 * |xᵢ − m| ≤ tolerance · m with m = median(x). False for an empty list or a non-positive median.
 */
export function agreeWithin(perTokenMs: readonly number[], tolerance: number): boolean {
  if (perTokenMs.length === 0) return false;
  const m = median(perTokenMs);
  if (!(m > 0)) return false;
  return perTokenMs.every((x) => Math.abs(x - m) <= tolerance * m);
}

/** Largest relative deviation from the median, for the reason text: max |xᵢ − m| / m. */
function relativeSpread(perTokenMs: readonly number[]): number {
  const m = median(perTokenMs);
  return m > 0 ? Math.max(...perTokenMs.map((x) => Math.abs(x - m) / m)) : Number.POSITIVE_INFINITY;
}

const pct = (fraction: number) => `${Math.round(fraction * 100)} %`;
const msText = (value: number) => `${value.toPrecision(3)} ms`;

/**
 * Judges the warm-up so far. The worker generates a window, appends it, and calls this again until `done`.
 *
 * `prior`: what this model generated since its load before this warm-up (earlier runs); it counts towards the
 * floor. Another model's work does not: its code paths differ.
 *
 * Steady when at least `minWindows` windows ran, the model generated `minTokens` tokens in `minDurationMs`
 * (or ran `floorMetAfterMs`), and
 * the per-token latencies of the last `agreeWindows` windows agree within ±`tolerance` of their median
 * (see {@link agreeWithin}). Done when steady, or when the windows'
 * summed duration reached `capMs` or their count `maxWindows`; a capped warm-up is done but not steady.
 * A window without a timed decode step (fewer than two tokens) breaks the streak.
 */
export function judgeWarmup(
  windows: readonly WarmupWindow[],
  rules: SteadyStateRules = STEADY_STATE_RULES,
  prior: PriorWork = NO_PRIOR_WORK,
): WarmupOutcome {
  const tokens = windows.reduce((sum, w) => sum + w.tokenTimesMs.length, 0);
  const durationMs = windows.reduce((sum, w) => sum + (w.tokenTimesMs.at(-1) ?? 0), 0);
  const perToken = windows.map(windowPerTokenMs);
  const lastPerTokenMs = perToken.at(-1) ?? null;
  const k = Math.max(1, rules.agreeWindows);
  const recent = perToken.slice(-k);
  const recentKnown = recent.filter((x): x is number => x !== null);
  const base = { windows: windows.length, tokens, durationMs, lastPerTokenMs };
  const modelTokens = prior.tokens + tokens;
  const modelMs = prior.durationMs + durationMs;
  const longEnough =
    (modelTokens >= rules.minTokens && modelMs >= rules.minDurationMs) || modelMs >= rules.floorMetAfterMs;
  const enough = windows.length >= Math.max(rules.minWindows, k) && longEnough && recentKnown.length === k;
  if (enough && agreeWithin(recentKnown, rules.tolerance)) {
    return {
      ...base,
      steady: true,
      done: true,
      reason: `steady: the last ${k} windows agree within ±${pct(rules.tolerance)} (${msText(Math.min(...recentKnown))}–${msText(Math.max(...recentKnown))} per token)`,
    };
  }
  const capped =
    durationMs >= rules.capMs
      ? `the ${(rules.capMs / 1000).toFixed(0)} s cap`
      : windows.length >= rules.maxWindows
        ? `the ${rules.maxWindows}-window cap`
        : null;
  if (capped === null) {
    return { ...base, steady: false, done: false, reason: `warming up (${windows.length} windows so far)` };
  }
  const detail =
    recentKnown.length === k
      ? `the last ${k} windows still differ by up to ±${pct(relativeSpread(recentKnown))} (${msText(Math.min(...recentKnown))}–${msText(Math.max(...recentKnown))} per token)`
      : `fewer than ${k} recent windows timed a decode step`;
  return {
    ...base,
    steady: false,
    done: true,
    reason: `did not settle within ${capped}: ${detail}`,
  };
}

/** Tokens per warm-up window: G, kept within 16–64 so a window times enough steps yet stays short. */
export const WARMUP_WINDOW_TOKENS = { min: 16, max: 64 } as const;

/**
 * Tokens each warm-up window generates: G clamped to WARMUP_WINDOW_TOKENS, and never past the model's context
 * (`roomTokens` = context − P, at least 1).
 */
export function warmupWindowTokens(genTokens: number, roomTokens: number): number {
  const clamped = Math.min(Math.max(genTokens, WARMUP_WINDOW_TOKENS.min), WARMUP_WINDOW_TOKENS.max);
  return Math.max(1, Math.min(clamped, roomTokens));
}

/** The reason a warm-up gives when an interrupt ended it (not a failure to settle). */
export const WARMUP_INTERRUPTED = 'interrupted during the warm-up';

/**
 * The note a run carries when its warm-up hit the cap without settling: its figures may include a warming
 * engine. Null for a steady or interrupted warm-up.
 */
export function unsettledNote(warmup: { steady: boolean; reason: string }): string | null {
  if (warmup.steady || warmup.reason === WARMUP_INTERRUPTED) return null;
  return `The engine did not settle during the warm-up (${warmup.reason}): the repetitions may time a still-warming engine. Close other tabs and programs, or run again.`;
}
