/** A sweep's runs as chart points: one per value of the setting the sweep varies. Pure. */
import type { RunResult } from './run.ts';

/**
 * One point per distinct `keyOf(run)` over the complete runs, in ascending key order; a key measured twice keeps
 * its last run (a point re-measured replaces the earlier one). `pointOf` returns null to leave a run out (no
 * valid repetition). The batch (B), prefix-cache (K) and length (P) sweeps all draw their points through it.
 */
export function pointsBy<Point>(
  runs: readonly RunResult[],
  keyOf: (run: RunResult) => number,
  pointOf: (run: RunResult, key: number) => Point | null,
): Point[] {
  const byKey = new Map<number, Point>();
  for (const run of runs) {
    if (run.status !== 'complete') continue;
    const key = keyOf(run);
    const point = pointOf(run, key);
    if (point !== null) byKey.set(key, point);
  }
  return [...byKey.entries()].sort(([a], [b]) => a - b).map(([, point]) => point);
}
