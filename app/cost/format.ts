/**
 * Numbers for people: dollars with as many digits as matter, compact volumes, never "NaN" or "Infinity"
 * (anything not finite reads as an em dash).
 */

import { fmtUsd } from '../ui/format.ts';

const DASH = '—';

/** Short $ for chart axes: $0, $250, $1.5k, $2M. */
export function fmtUsdAxis(x: number): string {
  if (!Number.isFinite(x)) return DASH;
  const sign = x < 0 ? '−' : '';
  const v = Math.abs(x);
  if (v >= 1e6) return `${sign}$${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e3) return `${sign}$${Number((v / 1e3).toPrecision(3))}k`;
  if (v >= 1 || v === 0) return `${sign}$${Number(v.toPrecision(3))}`;
  return `${sign}$${Number(v.toPrecision(2))}`;
}

/** A signed $ difference: "+$120", "−$35.20". */
export function fmtUsdDelta(x: number): string {
  if (!Number.isFinite(x)) return DASH;
  return `${x < 0 ? '−' : '+'}${fmtUsd(Math.abs(x))}`;
}

/** Counts: 12,345 / 1.2M / 3.4B. */
export function fmtCount(x: number): string {
  if (!Number.isFinite(x)) return DASH;
  const v = Math.max(0, x);
  if (v >= 1e9) return `${Number((v / 1e9).toPrecision(3))}B`;
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e4) return v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return Number(v.toPrecision(3)).toLocaleString('en-US');
}

export function fmtKwh(x: number | null): string {
  if (x === null) return 'not disclosed';
  if (!Number.isFinite(x)) return DASH;
  return `${Number(Math.max(0, x).toPrecision(3)).toLocaleString('en-US')} kWh`;
}

export function fmtSeconds(x: number | null): string {
  if (x === null) return 'depends on provider';
  if (!Number.isFinite(x)) return DASH;
  if (x <= 0) return '0 ms';
  if (x < 1) return `${Math.round(x * 1000)} ms`;
  if (x < 120) return `${Number(x.toPrecision(3))} s`;
  return `${Number((x / 60).toPrecision(3))} min`;
}
