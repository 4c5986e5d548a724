/**
 * CPU pressure as the browser reports it (the Compute Pressure API, desktop Chromium 125+): a coarse state that
 * rises when the machine is busy or hot. The page records it while a run goes on, and each repetition is stamped
 * with the worst state seen during it, so that a number measured under "serious" or "critical" pressure (thermal
 * throttling, a background job) is flagged rather than trusted. Where the API is missing, the recorder is null and
 * repetitions carry no state: absence is not evidence of calm.
 */

/** The API's states, calmest first (https://w3c.github.io/compute-pressure/#pressure-states). */
export const PRESSURE_STATES = ['nominal', 'fair', 'serious', 'critical'] as const;
export type PressureState = (typeof PRESSURE_STATES)[number];

/** A state at which measured speeds are not to be trusted: the API's "serious" and "critical". */
export const isPressured = (state: PressureState | null | undefined): boolean =>
  state === 'serious' || state === 'critical';

/** One observed state, from the moment it was reported (epoch ms, like a repetition's startEpochMs). */
export interface PressureSample {
  epochMs: number;
  state: PressureState;
}

/** The more severe of two states (null, unknown, loses to any known state). */
export function worsePressure(a: PressureState | null, b: PressureState | null): PressureState | null {
  if (a === null) return b;
  if (b === null) return a;
  return PRESSURE_STATES.indexOf(a) >= PRESSURE_STATES.indexOf(b) ? a : b;
}

/**
 * The worst state in effect during [startEpochMs, endEpochMs]: the state last reported at or before the start
 * (it holds until the next report) and every state reported inside the window. Null when nothing had been
 * reported by the end of the window. `samples` need not be sorted.
 */
export function worstPressureDuring(
  samples: readonly PressureSample[],
  startEpochMs: number,
  endEpochMs: number,
): PressureState | null {
  let before: PressureSample | null = null;
  let worst: PressureState | null = null;
  for (const s of samples) {
    if (s.epochMs <= startEpochMs) {
      if (before === null || s.epochMs >= before.epochMs) before = s;
    } else if (s.epochMs <= endEpochMs) {
      worst = worsePressure(worst, s.state);
    }
  }
  return worsePressure(worst, before?.state ?? null);
}

/** A state string from the browser, or null for anything this version does not know. */
export const parsePressureState = (value: unknown): PressureState | null =>
  (PRESSURE_STATES as readonly unknown[]).includes(value) ? (value as PressureState) : null;

// The API is not in TypeScript's lib.dom yet: the minimal shape this module uses.
interface PressureRecordLike {
  readonly source: string;
  readonly state: string;
  /** DOMHighResTimeStamp, relative to performance.timeOrigin. */
  readonly time: number;
}
interface PressureObserverLike {
  observe(source: 'cpu', options?: { sampleInterval?: number }): Promise<void>;
  disconnect(): void;
}
type PressureObserverConstructor = new (
  callback: (records: PressureRecordLike[], observer: PressureObserverLike) => void,
) => PressureObserverLike;

/** What the recorder needs from the page: the constructor (if any) and the clock's origin. */
export interface PressureScope {
  PressureObserver?: unknown;
  performance: { timeOrigin: number };
}

export interface PressureRecorder {
  /** States reported since the recorder started, in arrival order. */
  samples(): readonly PressureSample[];
  /** The worst state in effect during a window (see worstPressureDuring); null when none was known. */
  worstDuring(startEpochMs: number, endEpochMs: number): PressureState | null;
  /** Stops observing; samples stay readable. */
  stop(): void;
}

/**
 * Starts recording the CPU pressure state. Resolves to null where the API is absent, the 'cpu' source is not
 * supported, or a permissions policy forbids it; never throws.
 */
export async function startPressureRecorder(
  scope: PressureScope = globalThis as unknown as PressureScope,
  sampleIntervalMs = 500,
): Promise<PressureRecorder | null> {
  const ctor = scope.PressureObserver;
  if (typeof ctor !== 'function') return null;
  const samples: PressureSample[] = [];
  const origin = scope.performance.timeOrigin;
  let observer: PressureObserverLike;
  try {
    observer = new (ctor as PressureObserverConstructor)((records) => {
      for (const r of records) {
        const state = parsePressureState(r.state);
        if (r.source === 'cpu' && state !== null) samples.push({ epochMs: origin + r.time, state });
      }
    });
    await observer.observe('cpu', { sampleInterval: sampleIntervalMs });
  } catch {
    return null;
  }
  return {
    samples: () => samples,
    worstDuring: (startEpochMs, endEpochMs) => worstPressureDuring(samples, startEpochMs, endEpochMs),
    stop: () => observer.disconnect(),
  };
}
