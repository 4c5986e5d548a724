/**
 * Formats a number with `decimals` digits after the point (one at most from 100, none from 1000), grouped
 * en-US style; anything that is not a finite number shows as an em dash, never NaN or Infinity.
 * For a fixed count of significant digits, compare/format.ts has formatSignificant.
 */
export function formatDecimals(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const d = abs >= 1000 ? 0 : abs >= 100 ? Math.min(decimals, 1) : decimals;
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Formats a byte count in binary units (KiB, MiB, GiB), as browsers and GPU limits use them; '—' when unknown. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2)} ${units[i]}`;
}
