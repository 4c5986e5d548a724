/**
 * The batch sweep's plan: B = 1, 2, 4, 8, … up to the largest B the user asks for, each point a run of B
 * parallel sequences of P prompt tokens and G generated tokens. Checked against the device's room before
 * anything runs: B sequences hold B × (P + G) tokens of KV cache.
 */
import { RUN_LIMITS } from '../engine/protocol.ts';
import type { SweepBase, SweepKindSpec, SweepPlan } from './run-kinds.ts';
import { parseCount } from './settings.ts';

/**
 * Batch sizes of a sweep up to `maxSequences`: the powers of two below it, then `maxSequences` itself
 * (1, 2, 4, 8, 12 for 12).
 */
export function batchSizes(maxSequences: number): number[] {
  const sizes: number[] = [];
  for (let b = 1; b < maxSequences; b *= 2) sizes.push(b);
  sizes.push(maxSequences);
  return sizes;
}

/** The largest B whose KV cache, B × (P + G) tokens, fits `kvTokenRoom`; 0 when not even one sequence does. */
export const largestFittingBatch = (tokensPerSequence: number, kvTokenRoom: number): number =>
  Math.max(0, Math.floor(kvTokenRoom / Math.max(1, tokensPerSequence)));

/** Plans the batch sweep; errors name the field to change and say what would fit. */
export function planBatchSweep(base: SweepBase, inputs: Readonly<Record<string, string>>): SweepPlan {
  const limits = { min: 2, max: RUN_LIMITS.parallelSequences.max };
  const parsed = parseCount(inputs.maxSequences ?? '', 'Largest B', limits);
  if ('error' in parsed) return { ok: false, errors: { maxSequences: parsed.error } };
  const maxSequences = parsed.value;
  const { settings, kvTokenRoom } = base;
  const perSequence = settings.promptTokens + settings.genTokens;
  if (kvTokenRoom !== null) {
    const fits = largestFittingBatch(perSequence, kvTokenRoom);
    if (fits < maxSequences) {
      return {
        ok: false,
        errors: {
          maxSequences:
            fits < 2
              ? `Even B = 2 needs ${(2 * perSequence).toLocaleString('en-US')} tokens of KV cache, more than this device is expected to hold (about ${Math.floor(kvTokenRoom).toLocaleString('en-US')}). Shorten P or G, or pick a smaller model or dtype.`
              : `B = ${maxSequences} needs ${(maxSequences * perSequence).toLocaleString('en-US')} tokens of KV cache (B × (P + G)); this device is expected to hold about ${Math.floor(kvTokenRoom).toLocaleString('en-US')}: the largest B that fits is ${fits}.`,
        },
      };
    }
  }
  const points = batchSizes(maxSequences).map((b) => ({
    value: b,
    label: `B = ${b}`,
    settings: { ...settings, parallelSequences: b },
  }));
  const notes =
    kvTokenRoom === null
      ? [
          "This device's memory is not known: a B that does not fit ends the sweep there, keeping the points before it.",
        ]
      : [];
  return { ok: true, points, notes };
}

export const BATCH_SWEEP: SweepKindSpec = {
  kind: 'batch',
  summary:
    'B different prompts of P tokens generated together, G tokens each, for B = 1, 2, 4, … : aggregate speed against each sequence’s latency.',
  leverLabel: 'B',
  fields: [
    {
      key: 'maxSequences',
      label: 'Largest B',
      hint: 'Parallel sequences at the last point (powers of two up to it).',
      default: '16',
    },
  ],
  plan: planBatchSweep,
};
