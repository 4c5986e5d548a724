/** The sweep kinds this build offers (run-kinds.ts says how to add one). A kind not registered is not offered. */
import { BATCH_SWEEP } from './batch-sweep.ts';
import { LENGTH_SWEEP } from './length-sweep.ts';
import { PREFIX_SWEEP } from './prefix-sweep.ts';
import type { SweepKind, SweepKindSpec } from './run-kinds.ts';

export const SWEEP_KINDS: Partial<Record<SweepKind, SweepKindSpec>> = {
  batch: BATCH_SWEEP,
  prefix: PREFIX_SWEEP,
  length: LENGTH_SWEEP,
};
