/**
 * What a sweep kind's result view receives: the sweep, and the composition's hand-offs to other views (app.tsx
 * passes them down; a feature never imports another). A kind with a "Use this" button adds its callback here.
 */
import type { BatchCurve } from '../run/batch-curve.ts';
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

export interface SweepChartProps {
  sweep: ActiveSweep;
  handoffs: SweepHandoffs;
}
