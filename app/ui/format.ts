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

/** $ with 2 decimals from $1 up, 3 significant digits below ($0.000312), thousands separated. */
export function fmtUsd(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const v = Math.max(0, x);
  if (v === 0) return '$0.00';
  if (v >= 1e9) return `$${(v / 1e9).toLocaleString('en-US', { maximumFractionDigits: 2 })}B`;
  if (v >= 1e6) return `$${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })}M`;
  if (v >= 1000) return `$${v.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  if (v >= 1) return `$${v.toFixed(2)}`;
  // Below $1: three significant digits, but never fewer than two decimals ($0.40, $0.135, $0.000312).
  const decimals = Math.min(12, Math.max(2, 2 - Math.floor(Math.log10(v))));
  const text = v.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `$${text}`;
}

/**
 * formatSignificant without trailing zeros (16, 20.5, 0.25 rather than 16.0, 20.5, 0.250): for chart ticks and
 * for values that are settings (P, K / P, a position in the KV cache) rather than measured figures.
 */
export function formatTrimmed(value: number | null | undefined, significantDigits = 3): string {
  const text = formatSignificant(value, significantDigits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
