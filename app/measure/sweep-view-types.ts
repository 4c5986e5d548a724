/**
 * What a sweep kind's result view receives: the sweep, and the composition's hand-offs to other views (app.tsx
 * passes them down; a feature never imports another). A kind with a "Use this" button adds its callback here.
 */
import type { BatchCurve } from '../run/batch-curve.ts';
import { ranOnSoftwareAdapter } from '../run/machine.ts';
import type { PrefixSaving } from '../run/prefix-saving.ts';
import type { ActiveSweep } from './sweep-store.ts';

export interface SweepHandoffs {
  /** "Use this curve": the fitted batching curve into the Cost view's self-hosted projection. */
  onUseBatchCurve?: (curve: BatchCurve) => void;
  /** "Use this saving": the measured prefix-cache saving into the Cost view's prompt-cache lever. */
  onUsePrefixSaving?: (saving: PrefixSaving & { label: string }) => void;
  /** The Cost view's self-hosted GPU price (read when shown), to price the batch sizes that meet a latency target. */
  selfHostedPrice?: () => { gpuUsdPerHour: number; utilisation: number };
}

/**
 * What the sweep measured, from its first run: "tiny-random-llama · fp32 · webgpu", the backend the run really
 * used (after a fallback, not the one asked for), marked when it was a software adapter. Empty before a run.
 */
export function sweepSubject(sweep: Pick<ActiveSweep, 'runs'>, { markSoftware = false } = {}): string {
  const first = sweep.runs[0];
  if (!first) return '';
  const software = markSoftware && ranOnSoftwareAdapter(first.env) ? ' (software adapter)' : '';
  return `${first.settings.modelId} · ${first.settings.dtype} · ${first.env.device}${software}`;
}

export interface SweepChartProps {
  sweep: ActiveSweep;
  handoffs: SweepHandoffs;
}
