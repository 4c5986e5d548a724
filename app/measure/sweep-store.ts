/**
 * The run kind the Measure page is set to, each sweep kind's inputs as typed, and the sweep in progress or last
 * finished. A store apart from the single run's (store.ts): a sweep's updates re-render only the sweep panel.
 */
import { create } from 'zustand';
import type { RunResult } from '../run/run.ts';
import { kvTokenRoom } from './room.ts';
import {
  type RunKind,
  type SweepBase,
  type SweepEnd,
  type SweepKind,
  type SweepPlan,
  type SweepPoint,
  sweepEndMessage,
  sweepInputs,
} from './run-kinds.ts';
import { validateRun } from './settings.ts';
import {
  contextTokensOf,
  effectiveDevice,
  type MeasureState,
  selectedModel,
  sinkRun,
  sourceFor,
  useMeasure,
} from './store.ts';
import { SWEEP_KINDS } from './sweep-kinds.ts';
import { runSweep } from './sweep-runner.ts';

export interface ActiveSweep {
  kind: SweepKind;
  points: SweepPoint[];
  /** The latest copy of each started point's run, by point index. */
  runs: RunResult[];
  /** The point running now (or the last one that ran). */
  current: number;
  /** Repetitions finished in the running point. */
  repsDone: number;
  running: boolean;
  end: SweepEnd | null;
  /** The sentence that reports how it ended. */
  endMessage: string | null;
  /** What the plan said before it ran (e.g. memory unknown). */
  notes: string[];
}

export interface SweepState {
  kind: RunKind;
  /** Inputs as typed, by kind and field key; a field not typed takes its default. */
  inputs: Partial<Record<SweepKind, Record<string, string>>>;
  sweep: ActiveSweep | null;
}

export const useSweep = create<SweepState>()(() => ({ kind: 'single', inputs: {}, sweep: null }));

export const setRunKind = (kind: RunKind) => useSweep.setState({ kind });

export const setSweepInput = (kind: SweepKind, key: string, value: string) =>
  useSweep.setState((s) => ({ inputs: { ...s.inputs, [kind]: { ...s.inputs[kind], [key]: value } } }));

/** The navigator's device memory in GB, where the browser reports it. */
const deviceMemoryGB = (): number | null =>
  (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory ?? null;

/** The plan a sweep kind would run from the Measure form as it stands; null when the form itself is invalid. */
export function planFor(kind: SweepKind, measure: MeasureState, sweep: SweepState): SweepPlan | null {
  const spec = SWEEP_KINDS[kind];
  const model = selectedModel(measure);
  if (!spec || !model) return null;
  const contextTokens = contextTokensOf(measure, model);
  const checked = validateRun(measure.form, contextTokens);
  if (!checked.ok) return null;
  const device = effectiveDevice(measure);
  const base: SweepBase = {
    settings: {
      modelId: model.id,
      sourceKind: measure.pickedFiles[model.id] ? 'files' : model.source,
      dtype: measure.form.dtype,
      device: measure.form.device === 'auto' ? device : measure.form.device,
      promptTokens: checked.promptTokens,
      genTokens: checked.genTokens,
      reps: checked.reps,
    },
    contextTokens,
    kvTokenRoom: kvTokenRoom(model, measure.form.dtype, device, deviceMemoryGB()),
  };
  return spec.plan(base, sweepInputs(spec, sweep.inputs[kind]));
}

let controller: AbortController | null = null;

/**
 * Plans the chosen sweep and runs it; every point's run goes to the run sink (the history) as it lands.
 * Does nothing when the plan has errors (the panel shows them) or a sweep is running.
 */
export async function startSweep(): Promise<void> {
  const { kind, sweep: previous } = useSweep.getState();
  if (kind === 'single' || previous?.running) return;
  const measure = useMeasure.getState();
  const model = selectedModel(measure);
  const plan = planFor(kind, measure, useSweep.getState());
  if (!model || !plan?.ok) return;
  controller = new AbortController();
  const patch = (p: Partial<ActiveSweep>) =>
    useSweep.setState((s) => (s.sweep ? { sweep: { ...s.sweep, ...p } } : {}));
  useSweep.setState({
    sweep: {
      kind,
      points: plan.points,
      runs: [],
      current: 0,
      repsDone: 0,
      running: true,
      end: null,
      endMessage: null,
      notes: plan.notes,
    },
  });
  const outcome = await runSweep(
    plan.points,
    sourceFor(model, measure),
    {
      onPoint: (index) => patch({ current: index, repsDone: 0 }),
      onUpdate: (index, run) => {
        useSweep.setState((s) => {
          if (!s.sweep) return {};
          const runs = [...s.sweep.runs];
          runs[index] = run;
          return { sweep: { ...s.sweep, runs, repsDone: run.repetitions.filter((r) => !r.partial).length } };
        });
        if (run.repetitions.length > 0 || run.status !== 'running') sinkRun(run);
      },
    },
    controller.signal,
  );
  controller = null;
  patch({
    running: false,
    runs: outcome.runs,
    end: outcome.end,
    endMessage: sweepEndMessage(plan.points, outcome.end),
  });
}

/** Stops the sweep at the next token; finished points are kept (and saved). */
export function stopSweep() {
  controller?.abort();
}
