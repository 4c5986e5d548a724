import { useId, useState } from 'react';
import { hubHost } from '../engine/hub-host.ts';
import { DEVICES, type Device, DTYPES, type Dtype, RUN_LIMITS } from '../engine/protocol.ts';
import type { CatalogModel, ModelFactsLookup } from '../models/catalog.ts';
import { DEFAULT_RUN_LENGTHS } from '../run/defaults.ts';
import type { RunResult } from '../run/run.ts';
import type { SavedRunActions } from './saved-runs.ts';
import { type SweepState, setSelected, startSweep, stopSweep, useCompare } from './store.ts';
import {
  estimateSweep,
  formatDuration,
  parsePromptLengths,
  planSweep,
  type SweepRequest,
  sweepModels,
  sweepSecondsLeft,
} from './sweep.ts';

const toggle = <T,>(list: readonly T[], item: T): T[] =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

/** Overall progress of a sweep: finished cells plus the running cell's share of repetitions done. */
export function sweepFraction(sweep: SweepState): number {
  if (sweep.cells.length === 0) return 0;
  const current =
    sweep.current && sweep.current.reps > 0 ? Math.min(1, sweep.current.repsDone / sweep.current.reps) : 0;
  return Math.min(1, (sweep.done + (sweep.status === 'running' ? current : 0)) / sweep.cells.length);
}

/** The sweep's progress bar, current cell, time left, failures and stop button; "Compare these runs" when done. */
export function SweepProgress(props: {
  /** Opens the comparison (app section) once the sweep's runs are selected. */
  onCompare?: () => void;
}) {
  const sweep = useCompare((s) => s.sweep);
  if (sweep.status === 'idle') return null;
  const fraction = sweepFraction(sweep);
  const current =
    sweep.current && sweep.current.reps > 0 ? Math.min(1, sweep.current.repsDone / sweep.current.reps) : 0;
  const secondsLeft =
    sweep.status === 'running' && sweep.estimates.length === sweep.cells.length && sweep.startedAtMs !== null
      ? sweepSecondsLeft(sweep.estimates, sweep.done, current, (Date.now() - sweep.startedAtMs) / 1000)
      : null;
  return (
    <div className="sweep-progress" aria-live="polite">
      <div className="row space-between">
        <strong>
          {sweep.status === 'running'
            ? `Measuring ${sweep.done + 1} of ${sweep.cells.length}`
            : sweep.status === 'stopped'
              ? `Stopped after ${sweep.done} of ${sweep.cells.length}`
              : `Finished ${sweep.cells.length} measurement${sweep.cells.length === 1 ? '' : 's'}`}
        </strong>
        {sweep.status === 'running' && (
          <button type="button" className="secondary" onClick={stopSweep}>
            Stop
          </button>
        )}
      </div>
      <progress max={1} value={fraction} aria-label="Sweep progress" />
      {secondsLeft !== null && (
        <p className="muted small-text" data-testid="sweep-eta">
          About {formatDuration(secondsLeft)} left (estimate, corrected as cells finish).
        </p>
      )}
      {sweep.current && (
        <p className="muted small-text">
          {sweep.current.label}:{' '}
          {sweep.current.loading ??
            `repetition ${Math.min(sweep.current.repsDone + 1, sweep.current.reps)} of ${sweep.current.reps}`}
        </p>
      )}
      {sweep.failures.length > 0 && (
        <ul className="problems">
          {sweep.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      {sweep.status !== 'running' && sweep.runIds.length > 0 && sweep.purpose === 'sweep' && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setSelected(sweep.runIds);
            props.onCompare?.();
          }}
        >
          Compare these {sweep.runIds.length} runs
        </button>
      )}
    </div>
  );
}

/** The plan's cell count and estimated duration, shown before the sweep starts; null while the form is invalid. */
function sweepPreview(
  request: SweepRequest | null,
  models: readonly CatalogModel[],
  runs: readonly RunResult[],
  facts: ModelFactsLookup,
) {
  if (!request) return null;
  const plan = planSweep(request, sweepModels(models, hubHost()));
  if (!plan.ok) return null;
  const here = { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency ?? 0 };
  return { cells: plan.cells.length, estimate: estimateSweep(plan.cells, runs, facts, here) };
}

/** Pick models × dtypes × devices × prompt lengths and measure them one after another. */
export function SweepPanel(props: {
  models: readonly CatalogModel[];
  /** Keeps each measured run (app.tsx passes the history's save). */
  save: SavedRunActions['save'];
  /** The saved runs: earlier runs on this machine make the duration estimate. */
  runs: readonly RunResult[];
  facts: ModelFactsLookup;
  /** Opens the comparison with the sweep's runs selected. */
  onCompare?: () => void;
}) {
  const id = useId();
  const embedded = props.models.filter((m) => m.source === 'embedded');
  // The embedded catalog arrives after the first render: until the user picks, default to its two smallest.
  const [picked, setModelIds] = useState<string[] | null>(null);
  const modelIds = picked ?? embedded.slice(0, 2).map((m) => m.id);
  const [dtypes, setDtypes] = useState<Dtype[]>(['fp32', 'q4']);
  const [devices, setDevices] = useState<Device[]>(['wasm']);
  // The Measure page's defaults (run/defaults.ts), so a sweep's runs compare with single runs.
  const [lengths, setLengths] = useState(String(DEFAULT_RUN_LENGTHS.promptTokens));
  const [genTokens, setGenTokens] = useState(String(DEFAULT_RUN_LENGTHS.genTokens));
  const [reps, setReps] = useState(String(DEFAULT_RUN_LENGTHS.reps));
  const [errors, setErrors] = useState<string[]>([]);
  const [skipped, setSkipped] = useState<string[]>([]);
  const running = useCompare((s) => s.sweep.status === 'running');

  const promptLengths = parsePromptLengths(lengths);
  const request: SweepRequest | null = promptLengths.ok
    ? {
        modelIds,
        dtypes,
        devices,
        promptTokens: promptLengths.values,
        genTokens: Number(genTokens),
        reps: Number(reps),
      }
    : null;
  // The plan and its estimate as the user picks: the cell count and duration are known before starting.
  const preview = sweepPreview(request, props.models, props.runs, props.facts);
  const start = () => {
    if (!promptLengths.ok || !request) {
      setErrors(promptLengths.ok ? [] : [promptLengths.error]);
      return;
    }
    const plan = planSweep(request, sweepModels(props.models, hubHost()));
    if (!plan.ok) {
      setErrors(plan.errors);
      return;
    }
    setErrors([]);
    setSkipped(plan.skipped);
    void startSweep(plan.cells, {
      tag: `sweep ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
      purpose: 'sweep',
      save: props.save,
      estimates: preview?.estimate.cells.map((c) => c.seconds),
    });
  };

  const shownModels = props.models.filter((m) => m.source === 'embedded' || modelIds.includes(m.id));
  const [showHub, setShowHub] = useState(false);
  const listed = showHub ? props.models : shownModels;

  return (
    <section className="panel" aria-label="Sweep">
      <h2>Sweep</h2>
      <p className="muted">
        Measures every combination one after another. Each finished repetition is saved at once, so stopping
        keeps what finished.
      </p>
      <fieldset className="choices" disabled={running}>
        <legend>Models</legend>
        {listed.map((m) => (
          <label key={m.id} className="inline-choice">
            <input
              type="checkbox"
              checked={modelIds.includes(m.id)}
              onChange={() => setModelIds(toggle(modelIds, m.id))}
            />{' '}
            {m.label}
            {m.source === 'hub' && <span className="badge">download</span>}
          </label>
        ))}
        <button type="button" className="link" onClick={() => setShowHub(!showHub)}>
          {showHub ? 'Hide Hub models' : 'Show Hub models (downloads)'}
        </button>
      </fieldset>
      <fieldset className="choices" disabled={running}>
        <legend>dtypes</legend>
        {DTYPES.map((d) => (
          <label key={d} className="inline-choice">
            <input
              type="checkbox"
              checked={dtypes.includes(d)}
              onChange={() => setDtypes(toggle(dtypes, d))}
            />{' '}
            {d}
          </label>
        ))}
      </fieldset>
      <fieldset className="choices" disabled={running}>
        <legend>Devices</legend>
        {DEVICES.map((d) => (
          <label key={d} className="inline-choice">
            <input
              type="checkbox"
              checked={devices.includes(d)}
              onChange={() => setDevices(toggle(devices, d))}
            />{' '}
            {d === 'webgpu' ? 'WebGPU' : 'WASM'}
          </label>
        ))}
      </fieldset>
      <div className="grid three">
        <label className="field" htmlFor={`${id}-p`}>
          Prompt lengths (tokens)
          <input
            id={`${id}-p`}
            type="text"
            value={lengths}
            disabled={running}
            aria-invalid={!promptLengths.ok}
            onChange={(e) => setLengths(e.target.value)}
          />
          {!promptLengths.ok && <span className="field-error">{promptLengths.error}</span>}
          <span className="hint">Several, e.g. 128, 512, 2048, to see prefill scaling.</span>
        </label>
        <label className="field" htmlFor={`${id}-g`}>
          Generated tokens
          <input
            id={`${id}-g`}
            type="number"
            min={RUN_LIMITS.genTokens.min}
            max={RUN_LIMITS.genTokens.max}
            value={genTokens}
            disabled={running}
            onChange={(e) => setGenTokens(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-r`}>
          Repetitions
          <input
            id={`${id}-r`}
            type="number"
            min={RUN_LIMITS.reps.min}
            max={RUN_LIMITS.reps.max}
            value={reps}
            disabled={running}
            onChange={(e) => setReps(e.target.value)}
          />
        </label>
      </div>
      {errors.length > 0 && (
        <div className="message error" role="alert">
          {errors.map((e) => (
            <div key={e}>{e}</div>
          ))}
        </div>
      )}
      {skipped.length > 0 && <p className="message warn">Skipped: {skipped.join(' ')}</p>}
      {preview && (
        <p className="muted" data-testid="sweep-estimate">
          {preview.cells} measurement{preview.cells === 1 ? '' : 's'}, about{' '}
          {formatDuration(preview.estimate.totalSeconds)}
          {preview.estimate.guessed > 0
            ? ` (${preview.estimate.guessed} with no earlier run on this machine: a rough guess from model size)`
            : ' (from earlier runs on this machine)'}
          .
        </p>
      )}
      <button type="button" className="primary" disabled={running} onClick={start}>
        Run sweep
      </button>
      <SweepProgress onCompare={props.onCompare} />
    </section>
  );
}
