/**
 * The length sweep's plan: prompt lengths P from a shortest to a longest, log-spaced (powers of two), each point
 * a run of P prompt and G generated tokens. The longest P is bounded by the model's context (P + G) and by the
 * KV cache the device is expected to hold.
 */
import { RUN_LIMITS } from '../engine/protocol.ts';
import { logSpacedLengths } from '../run/context-length.ts';
import type { SweepBase, SweepKindSpec, SweepPlan } from './run-kinds.ts';
import { parseCount } from './settings.ts';

/** Typed as the longest P: up to the model's context (minus G). */
export const LONGEST_AT_CONTEXT = 'max';

/** Plans the length sweep; errors name the field to change and say what would fit. */
export function planLengthSweep(base: SweepBase, inputs: Readonly<Record<string, string>>): SweepPlan {
  const { settings, contextTokens, kvTokenRoom } = base;
  const g = settings.genTokens;
  const contextLimit = Math.min(contextTokens - g, RUN_LIMITS.promptTokens.max);
  const roomLimit = kvTokenRoom === null ? Number.POSITIVE_INFINITY : Math.floor(kvTokenRoom) - g;
  const shortest = parseCount(inputs.minPrompt ?? '', 'Shortest P', RUN_LIMITS.promptTokens);
  if ('error' in shortest) return { ok: false, errors: { minPrompt: shortest.error } };
  const typedLongest = (inputs.maxPrompt ?? '').trim().toLowerCase();
  let longest: number;
  if (typedLongest === LONGEST_AT_CONTEXT) {
    longest = Math.min(contextLimit, roomLimit);
  } else {
    const parsed = parseCount(typedLongest, 'Longest P', RUN_LIMITS.promptTokens);
    if ('error' in parsed)
      return {
        ok: false,
        errors: { maxPrompt: `${parsed.error} Or type "${LONGEST_AT_CONTEXT}" for the model's context.` },
      };
    longest = parsed.value;
    if (longest > contextLimit) {
      return {
        ok: false,
        errors: {
          maxPrompt: `P = ${longest.toLocaleString('en-US')} + G = ${g} exceeds the model's context of ${contextTokens.toLocaleString('en-US')} tokens: the longest P is ${Math.max(0, contextLimit).toLocaleString('en-US')}.`,
        },
      };
    }
    if (longest > roomLimit) {
      return {
        ok: false,
        errors: {
          maxPrompt: `P = ${longest.toLocaleString('en-US')} needs ${(longest + g).toLocaleString('en-US')} tokens of KV cache (P + G); this device is expected to hold about ${Math.floor(kvTokenRoom ?? 0).toLocaleString('en-US')}: the longest P that fits is ${Math.max(0, roomLimit).toLocaleString('en-US')}.`,
        },
      };
    }
  }
  if (longest < 1) {
    return {
      ok: false,
      errors: { '': `G = ${g} leaves no room for a prompt in this model's context or this device's memory.` },
    };
  }
  if (longest < shortest.value) {
    return {
      ok: false,
      errors: {
        maxPrompt: `The longest P (${longest.toLocaleString('en-US')}) is below the shortest (${shortest.value}).`,
      },
    };
  }
  const lengths = logSpacedLengths(shortest.value, longest);
  if (lengths.length < 3) {
    return {
      ok: false,
      errors: { maxPrompt: 'A length sweep needs at least three lengths: widen the range (e.g. 16 to 256).' },
    };
  }
  const points = lengths.map((p) => ({
    value: p,
    label: `P = ${p}`,
    settings: { ...settings, promptTokens: p },
  }));
  const notes =
    kvTokenRoom === null
      ? [
          "This device's memory is not known: a P that does not fit ends the sweep there, keeping the shorter ones.",
        ]
      : [];
  return { ok: true, points, notes };
}

export const LENGTH_SWEEP: SweepKindSpec = {
  kind: 'length',
  summary:
    'Prompt lengths P from short to the model’s context, log-spaced: where prefill stops scaling linearly, and how decode slows as the KV cache grows.',
  leverLabel: 'P',
  fields: [
    { key: 'minPrompt', label: 'Shortest P', hint: 'Prompt tokens at the first point.', default: '16' },
    {
      key: 'maxPrompt',
      label: 'Longest P',
      hint: `Prompt tokens at the last point (powers of two up to it); "${LONGEST_AT_CONTEXT}" = the model’s context − G.`,
      default: LONGEST_AT_CONTEXT,
    },
  ],
  plan: planLengthSweep,
};
