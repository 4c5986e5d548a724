/** Ordinary least squares on a line, shared by the lever fits (prefix caching, context length). */

export interface LineFit {
  intercept: number;
  slope: number;
  /** 1 − SSE / SST; NaN when every y is the same (SST = 0). */
  rSquared: number;
  n: number;
}

/**
 * y = intercept + slope · x by least squares:
 * slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², intercept = ȳ − slope · x̄.
 * Null with fewer than two points, two distinct x, or a non-finite value.
 */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((ys[i] as number) - intercept - slope * (xs[i] as number)) ** 2;
  return { intercept, slope, rSquared: syy > 0 ? 1 - sse / syy : Number.NaN, n };
}
