/** Number formatting for tables and charts: never NaN or Infinity on screen, always with the spread. */
import type { Spread } from '../run/stats.ts';
import { formatSignificant } from '../ui/format.ts';

// The comparison's tables and charts round as the result card does (ui/format.ts).
export { formatSignificant };

/** "median (min–max)", or "—" when the spread is empty. */
export function formatSpread(spread: Spread | null | undefined, significantDigits = 3): string {
  if (!spread || spread.n === 0 || !Number.isFinite(spread.median)) return '—';
  const f = (v: number): string => formatSignificant(v, significantDigits);
  if (spread.n === 1 || spread.min === spread.max) return f(spread.median);
  return `${f(spread.median)} (${f(spread.min)}–${f(spread.max)})`;
}

/** "×1.85", for ratios. */
export const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `×${ratio.toFixed(2)}` : '—');

/** "87 %", for fractions 0…1. */
export const formatPercent = (fraction: number | null): string =>
  fraction !== null && Number.isFinite(fraction) ? `${Math.round(fraction * 100)} %` : '—';

/** A short local date and time. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? '—'
    : date.toLocaleString('en-GB', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}
