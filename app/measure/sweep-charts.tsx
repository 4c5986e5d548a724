/** Each sweep kind's result view (run-kinds.ts says how to add a kind). */
import type { ReactNode } from 'react';
import { BatchSweepView } from './batch-sweep-view.tsx';
import { LengthSweepView } from './length-sweep-view.tsx';
import { PrefixSweepView } from './prefix-sweep-view.tsx';
import type { SweepKind } from './run-kinds.ts';
import type { SweepChartProps } from './sweep-view-types.ts';

export const SWEEP_CHARTS: Partial<Record<SweepKind, (props: SweepChartProps) => ReactNode>> = {
  batch: BatchSweepView,
  prefix: PrefixSweepView,
  length: LengthSweepView,
};
