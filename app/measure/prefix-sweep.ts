/**
 * The prefix-cache sweep's plan: the same P-token prompt with its first K tokens already in the KV cache, for K
 * as shares of P (0 % = cold, the reference), each point a run of P prompt and G generated tokens. Every point
 * holds P + G tokens of KV cache, as the single run does.
 */
import { cachedTokensFor } from '../run/prefix-saving.ts';
import { clipForMessage } from '../ui/quote.ts';
import type { SweepBase, SweepKindSpec, SweepPlan, SweepPoint } from './run-kinds.ts';

/** Most shares one sweep measures. */
const MAX_SHARES = 10;

/** Parses "0, 25, 50" (percent of P): each a number from 0 to 99; returns the shares in [0, 1) or a sentence. */
export function parseShares(text: string): { shares: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.replace(/%$/, ''))
    .filter((p) => p !== '');
  if (parts.length === 0) return { error: 'Give at least one cached share of P, e.g. 0, 25, 50, 75, 90.' };
  if (parts.length > MAX_SHARES) return { error: `At most ${MAX_SHARES} cached shares per sweep.` };
  const shares: number[] = [];
  for (const part of parts) {
    const value = /^\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isFinite(value)) return { error: `"${clipForMessage(part, 20)}" is not a percentage.` };
    if (value >= 100)
      return {
        error: `${value} % cached leaves no prompt token to prefill: shares go from 0 to 99 %.`,
      };
    shares.push(value / 100);
  }
  return { shares };
}

/** Plans the prefix-cache sweep; errors name the field to change. */
export function planPrefixSweep(base: SweepBase, inputs: Readonly<Record<string, string>>): SweepPlan {
  const parsed = parseShares(inputs.cachedShares ?? '');
  if ('error' in parsed) return { ok: false, errors: { cachedShares: parsed.error } };
  const { settings, kvTokenRoom } = base;
  const { promptTokens: p, genTokens: g } = settings;
  if (p < 2) {
    return {
      ok: false,
      errors: {
        cachedShares:
          'Prefix caching needs a prompt of at least 2 tokens (P ≥ 2): one cached, one prefilled.',
      },
    };
  }
  if (kvTokenRoom !== null && p + g > kvTokenRoom) {
    return {
      ok: false,
      errors: {
        '': `P + G = ${(p + g).toLocaleString('en-US')} tokens of KV cache is more than this device is expected to hold (about ${Math.floor(kvTokenRoom).toLocaleString('en-US')}).`,
      },
    };
  }
  const notes: string[] = [];
  // The cold prompt is the reference every cached point is compared with: always measured, first.
  const ks = new Set<number>([0]);
  for (const share of parsed.shares) ks.add(cachedTokensFor(share, p));
  if (!parsed.shares.includes(0))
    notes.push('0 % (the cold prompt) is added: it is what caching is compared with.');
  if (ks.size < parsed.shares.length + (parsed.shares.includes(0) ? 0 : 1))
    notes.push(`At P = ${p} some shares round to the same K: each K is measured once.`);
  if (ks.size < 2) {
    return {
      ok: false,
      errors: {
        cachedShares: `At P = ${p} every share rounds to K = 0: give a larger share or a longer prompt.`,
      },
    };
  }
  const points: SweepPoint[] = [...ks]
    .sort((a, b) => a - b)
    .map((k) => ({
      value: k / p,
      label: `K = ${k} (${Math.round((100 * k) / p)} %)`,
      settings: { ...settings, ...(k > 0 ? { cachedPrefixTokens: k } : {}) },
    }));
  return { ok: true, points, notes };
}

export const PREFIX_SWEEP: SweepKindSpec = {
  kind: 'prefix',
  summary:
    'The same P-token prompt with its first K tokens already in the KV cache, against the prompt cold: the prefill time a prompt cache saves.',
  leverLabel: 'K / P',
  fields: [
    {
      key: 'cachedShares',
      label: 'Cached shares of P (%)',
      hint: 'K as percentages of P; 0 % is the cold prompt.',
      default: '0, 25, 50, 75, 90',
    },
  ],
  plan: planPrefixSweep,
};
