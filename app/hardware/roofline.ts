/**
 * Roofline arithmetic: how close a measured run came to the device's physical floors.
 *
 * Units: bandwidth in GB/s (10⁹ bytes/s), compute in GFLOP/s (10⁹ FLOP/s), times in ms.
 * A floor is the least time the work could take if the device ran at its measured ceiling and nothing else cost time.
 */

/** The device's measured ceilings for one backend. */
export interface DeviceCeilings {
  bandwidthGBps: number;
  computeGflops: number;
}

/**
 * Time to move `bytes` at `bandwidthGBps`: bytes / (BW × 10⁹) s = bytes / (BW × 10⁶) ms.
 * NaN when the bandwidth is not a positive finite number.
 */
export const bandwidthFloorMs = (bytes: number, bandwidthGBps: number): number =>
  bandwidthGBps > 0 && Number.isFinite(bandwidthGBps) ? bytes / (bandwidthGBps * 1e6) : Number.NaN;

/** Time to compute `flops` at `computeGflops`: flops / (C × 10⁶) ms. */
export const computeFloorMs = (flops: number, computeGflops: number): number =>
  computeGflops > 0 && Number.isFinite(computeGflops) ? flops / (computeGflops * 1e6) : Number.NaN;

/**
 * Memory-bandwidth utilisation: achieved bandwidth / measured bandwidth
 * = (bytes per token / TPOT) / BW = bandwidth floor / TPOT.
 */
export const memoryBandwidthUtilisation = (
  bytesPerToken: number,
  tpotMs: number,
  bandwidthGBps: number,
): number => (tpotMs > 0 ? bandwidthFloorMs(bytesPerToken, bandwidthGBps) / tpotMs : Number.NaN);

/** FLOP utilisation: achieved FLOP/s / measured FLOP/s = compute floor / measured time. */
export const flopUtilisation = (flops: number, timeMs: number, computeGflops: number): number =>
  timeMs > 0 ? computeFloorMs(flops, computeGflops) / timeMs : Number.NaN;

/** One decoded token's time split into what physics demands and what the runtime added. */
export interface TokenBreakdown {
  bandwidthFloorMs: number;
  computeFloorMs: number;
  /** measured − bandwidth floor − compute floor, never below 0. */
  overheadMs: number;
  measuredMs: number;
  /**
   * The measured time is below the floors' sum: the ceilings were measured low (e.g. a short microbenchmark,
   * or weights held in a cache), or the floors overlap as they do on real hardware. The bar is then capped.
   */
  measuredBelowFloor: boolean;
}

/**
 * Splits a measured TPOT into bandwidth floor + compute floor + overhead.
 * Stacking the two floors assumes they do not overlap (a pessimistic floor; a perfect overlap would give
 * max(bandwidth, compute)). In decode the compute floor is a few percent of the bandwidth floor, so the choice
 * barely moves the overhead. Returns null when an input is not a positive finite number.
 */
export function tokenBreakdown(
  bytesPerToken: number,
  flopsPerToken: number,
  measuredTpotMs: number,
  ceilings: DeviceCeilings,
): TokenBreakdown | null {
  const bw = bandwidthFloorMs(bytesPerToken, ceilings.bandwidthGBps);
  const compute = computeFloorMs(flopsPerToken, ceilings.computeGflops);
  if (![bw, compute, measuredTpotMs].every((v) => Number.isFinite(v) && v >= 0) || measuredTpotMs <= 0)
    return null;
  const floors = bw + compute;
  return {
    bandwidthFloorMs: bw,
    computeFloorMs: compute,
    overheadMs: Math.max(0, measuredTpotMs - floors),
    measuredMs: measuredTpotMs,
    measuredBelowFloor: measuredTpotMs < floors,
  };
}

/** A point on the roofline chart. */
export interface RooflinePoint {
  /** Arithmetic intensity, FLOP per byte moved. */
  intensityFlopPerByte: number;
  /** Achieved throughput, GFLOP/s. */
  achievedGflops: number;
}

/** Roofline point of some work: intensity = flops / bytes, achieved = flops / time. Null for non-finite input. */
export function rooflinePoint(flops: number, bytes: number, timeMs: number): RooflinePoint | null {
  if (!(flops > 0 && bytes > 0 && timeMs > 0) || ![flops, bytes, timeMs].every(Number.isFinite)) return null;
  return { intensityFlopPerByte: flops / bytes, achievedGflops: flops / (timeMs * 1e6) };
}

/** The attainable throughput at an intensity: min(C, I × BW) GFLOP/s. */
export const attainableGflops = (intensityFlopPerByte: number, ceilings: DeviceCeilings): number =>
  Math.min(ceilings.computeGflops, intensityFlopPerByte * ceilings.bandwidthGBps);

/** The ridge point, where the bandwidth slope meets the compute ceiling: I* = C / BW FLOP/byte. */
export const ridgeIntensity = (ceilings: DeviceCeilings): number =>
  ceilings.computeGflops / ceilings.bandwidthGBps;

/** One run in the fixed-overhead fit: bytes moved per decoded token and the measured TPOT. */
export interface TokenSample {
  bytesPerToken: number;
  tpotMs: number;
  label?: string;
}

export type OverheadFit =
  | {
      ok: true;
      /** Fixed time per token, independent of model size (kernel launches, JS, synchronisation), ms. */
      t0Ms: number;
      /** Effective bandwidth: the slope's inverse, GB/s. */
      bandwidthEffGBps: number;
      /** Coefficient of determination of the line (1 = perfect). */
      r2: number;
      n: number;
      /** Share of the mean sample's TPOT that is the fixed overhead t0. */
      overheadShare: number;
      /** 'overhead' when t0 is more than half of the typical token's time. */
      dominatedBy: 'overhead' | 'bandwidth';
    }
  | { ok: false; reason: string };

/**
 * Least-squares fit of t_token = t0 + bytes / BW_eff across runs of different model sizes on one device:
 * slope s = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², t0 = ȳ − s·x̄, BW_eff = 1 / s bytes/ms = 10⁻⁶ / s GB/s.
 */
export function fitOverhead(samples: readonly TokenSample[]): OverheadFit {
  const pts = samples.filter(
    (p) =>
      Number.isFinite(p.bytesPerToken) && Number.isFinite(p.tpotMs) && p.bytesPerToken > 0 && p.tpotMs > 0,
  );
  if (pts.length < 2) {
    return {
      ok: false,
      reason: `The fit needs runs of at least two model sizes on this device; there are ${pts.length}.`,
    };
  }
  const n = pts.length;
  const meanX = pts.reduce((a, p) => a + p.bytesPerToken, 0) / n;
  const meanY = pts.reduce((a, p) => a + p.tpotMs, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of pts) {
    const dx = p.bytesPerToken - meanX;
    const dy = p.tpotMs - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx <= meanX * meanX * 1e-12) {
    return {
      ok: false,
      reason: 'All runs move the same bytes per token: measure models of different sizes.',
    };
  }
  const slope = sxy / sxx;
  if (!(slope > 0)) {
    return {
      ok: false,
      reason:
        'Time per token does not grow with model size across these runs: the fixed overhead dominates so much that no bandwidth can be fitted.',
    };
  }
  const t0Ms = meanY - slope * meanX;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  const overheadShare = Math.max(0, t0Ms) / meanY;
  return {
    ok: true,
    t0Ms,
    bandwidthEffGBps: 1e-6 / slope,
    r2,
    n,
    overheadShare,
    dominatedBy: overheadShare > 0.5 ? 'overhead' : 'bandwidth',
  };
}
