/** Number formatting for tables and charts: never NaN or Infinity on screen, always with the spread. */
import type { Spread } from '../run/stats.ts';

/** A number with sensible significant digits, or an em dash when it is not a finite number. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  if (abs === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(decimals, 4));
}

/** "median (min–max)", or "—" when the spread is empty. */
export function formatSpread(spread: Spread | null | undefined, digits = 3): string {
  if (!spread || spread.n === 0 || !Number.isFinite(spread.median)) return '—';
  if (spread.n === 1 || spread.min === spread.max) return formatNumber(spread.median, digits);
  return `${formatNumber(spread.median, digits)} (${formatNumber(spread.min, digits)}–${formatNumber(spread.max, digits)})`;
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
