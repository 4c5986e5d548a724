import { useShallow } from 'zustand/react/shallow';
import { formatDecimals } from '../ui/format.ts';
import { RUN_KIND_LABEL, type RunKind, type SweepKind, sweepInputs, sweepProgress } from './run-kinds.ts';
import { pageSelection, useMeasure } from './store.ts';
import { SWEEP_CHARTS } from './sweep-charts.tsx';
import { SWEEP_KINDS } from './sweep-kinds.ts';
import { planFor, setRunKind, setSweepInput, startSweep, stopSweep, useSweep } from './sweep-store.ts';
import { type SweepHandoffs, sweepSubject } from './sweep-view-types.ts';

/** The run kinds as a segmented control: one choice, the rest of the page changes with it. */
export function RunKindControl(props: { kinds: readonly RunKind[]; disabled: boolean }) {
  const kind = useSweep((s) => s.kind);
  if (props.kinds.length < 2) return null;
  return (
    <div className="segmented" role="radiogroup" aria-label="Run kind">
      {props.kinds.map((k) => (
        <label key={k} className={k === kind ? 'segment active' : 'segment'}>
          <input
            type="radio"
            name="run-kind"
            value={k}
            checked={k === kind}
            disabled={props.disabled}
            onChange={() => setRunKind(k)}
          />
          {RUN_KIND_LABEL[k]}
        </label>
      ))}
    </div>
  );
}

/** A sweep kind's own inputs, its plan (points or errors), and Run sweep / Stop. */
export function SweepSettings(props: { kind: SweepKind; formBusy: boolean }) {
  const spec = SWEEP_KINDS[props.kind];
  const measure = useMeasure(useShallow(pageSelection));
  const sweep = useSweep();
  if (!spec) return null;
  const inputs = sweepInputs(spec, sweep.inputs[props.kind]);
  const plan = planFor(props.kind, measure, sweep);
  const errors = plan && !plan.ok ? plan.errors : {};
  const running = sweep.sweep?.running ?? false;
  return (
    <div className="sweep-settings" data-testid="sweep-settings">
      <p className="hint">{spec.summary}</p>
      <div className="row">
        {spec.fields.map((f) => {
          const id = `sweep-${props.kind}-${f.key}`;
          return (
            <label key={f.key} className="field" style={{ flex: 1 }}>
              {f.label}
              <input
                type="text"
                inputMode="numeric"
                value={inputs[f.key] ?? ''}
                disabled={running || props.formBusy}
                aria-invalid={errors[f.key] ? 'true' : 'false'}
                aria-describedby={errors[f.key] ? `${id}-error` : `${id}-hint`}
                onChange={(e) => setSweepInput(props.kind, f.key, e.target.value)}
              />
              {errors[f.key] ? (
                <span id={`${id}-error`} className="field-error" role="alert">
                  {errors[f.key]}
                </span>
              ) : (
                <span id={`${id}-hint`} className="hint">
                  {f.hint}
                </span>
              )}
            </label>
          );
        })}
      </div>
      {errors[''] && <p className="field-error">{errors['']}</p>}
      {plan?.ok && (
        <p className="hint" data-testid="sweep-plan">
          {plan.points.length} points: {plan.points.map((p) => p.label).join(', ')}, each R ={' '}
          {plan.points[0]?.settings.reps} repetitions after a warm-up.
        </p>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={running || props.formBusy || !plan?.ok}
          onClick={() => void startSweep()}
        >
          Run {RUN_KIND_LABEL[props.kind].toLowerCase()}
        </button>
        <button type="button" className="secondary" disabled={!running} onClick={stopSweep}>
          Stop
        </button>
      </div>
    </div>
  );
}

/** The sweep's overall progress, how it ended, and its kind's chart. */
export function SweepResult(props: { handoffs: SweepHandoffs }) {
  const sweep = useSweep((s) => s.sweep);
  if (!sweep) return null;
  const Chart = SWEEP_CHARTS[sweep.kind];
  const pointsDone = sweep.running ? sweep.current : sweep.runs.filter((r) => r.status === 'complete').length;
  const reps = sweep.points[sweep.current]?.settings.reps ?? 1;
  const fraction = sweepProgress(pointsDone, sweep.points.length, sweep.running ? sweep.repsDone : 0, reps);
  return (
    <section className="panel" aria-label="Sweep result" data-testid="sweep-result">
      <h2>{RUN_KIND_LABEL[sweep.kind]}</h2>
      {sweep.runs.length > 0 && (
        <p className="hint" data-testid="sweep-subject">
          {sweepSubject(sweep, { markSoftware: true })}
        </p>
      )}
      {sweep.running ? (
        <div className="progress">
          <p className="muted" role="status" data-testid="sweep-status">
            {sweep.points[sweep.current]?.label}: point {sweep.current + 1} of {sweep.points.length},{' '}
            {sweep.repsDone} of {reps} repetitions ({formatDecimals(100 * fraction, 0)}% of the sweep). Each
            point is saved to the history as it lands.
          </p>
          <progress max={1} value={fraction} aria-label="Sweep progress" />
        </div>
      ) : (
        sweep.endMessage && (
          <p
            className={sweep.end?.kind === 'failed' ? 'message warn' : 'message info'}
            role="status"
            data-testid="sweep-status"
          >
            {sweep.endMessage}
          </p>
        )
      )}
      {sweep.notes.map((n) => (
        <p key={n} className="hint">
          {n}
        </p>
      ))}
      {Chart && <Chart sweep={sweep} handoffs={props.handoffs} />}
    </section>
  );
}
