/**
 * Formats a number with `decimals` digits after the point (one at most from 100, none from 1000), grouped
 * en-US style; anything that is not a finite number shows as an em dash, never NaN or Infinity.
 * For a fixed count of significant digits, formatSignificant.
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

/**
 * A number with `significantDigits` significant digits (at most 4 decimals; whole numbers from 1000), or an em
 * dash when it is not a finite number. The one rounding of measured figures, on the result card and in every
 * comparison table, so the same run shows the same digits everywhere.
 */
export function formatSignificant(value: number | null | undefined, significantDigits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  if (abs === 0) return '0';
  const decimals = Math.max(0, significantDigits - 1 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(decimals, 4));
}
