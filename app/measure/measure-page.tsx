import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { autoDevice } from '../engine/adapter.ts';
import { saveHubHost, useHubHost } from '../engine/hub-host.ts';
import { type DTYPES, RUN_LIMITS } from '../engine/protocol.ts';
import { STEADY_STATE_RULES } from '../engine/steady-state.ts';
import { availableDtypes, formatParameters, HUB_ID_PATTERN } from '../models/catalog.ts';
import type { RunResult } from '../run/run.ts';
import { formatBytes, formatDecimals } from '../ui/format.ts';
import { AdapterReportView } from './adapter-report.tsx';
import { FitWarning } from './fit-warning.tsx';
import { LiveChart } from './live-chart.tsx';
import { ResultCard } from './result-card.tsx';
import { offeredRunKinds } from './run-kinds.ts';
import { validateRun } from './settings.ts';
import {
  addHubModel,
  addPickedFolder,
  allModels,
  contextTokensOf,
  effectiveDevice,
  initMeasure,
  interruptRun,
  pageSelection,
  selectedModel,
  setForm,
  simulateFault,
  startRun,
  useDownloadProgress,
  useMeasure,
} from './store.ts';
import { SWEEP_KINDS } from './sweep-kinds.ts';
import { RunKindControl, SweepResult, SweepSettings } from './sweep-panel.tsx';
import { useSweep } from './sweep-store.ts';
import type { SweepHandoffs } from './sweep-view-types.ts';

const PHASE_LABEL = {
  idle: '',
  waiting: 'Waiting for the engine (another measurement or scoring holds it)…',
  loading: 'Loading model…',
  'warming-up': `Warming up until the speed is steady (${STEADY_STATE_RULES.capMs / 1000} s at most)…`,
  running: 'Running…',
} as const;

/**
 * `onUseInCost`: the composition's hook to put a finished run's speeds into the cost projection;
 * `sweepHandoffs`: the same for each sweep kind's result ("Use this curve").
 */
export function MeasurePage(props: {
  onUseInCost?: (run: RunResult) => void;
  sweepHandoffs?: SweepHandoffs;
}) {
  useEffect(() => {
    void initMeasure();
  }, []);
  // Everything but the streaming fields and the download progress: the form and the result do not re-render on
  // every token batch or download frame.
  const state = useMeasure(useShallow(pageSelection));
  const models = useMeasure(useShallow(allModels));
  const model = selectedModel(state);
  const device = effectiveDevice(state);
  const dtypes = model ? availableDtypes(model, device, state.capabilities?.webgpu?.features ?? []) : [];
  const check = validateRun(state.form, model ? contextTokensOf(state, model) : Number.POSITIVE_INFINITY);
  const errors = check.ok ? {} : check.errors;
  const runKind = useSweep((s) => s.kind);
  const sweepRunning = useSweep((s) => s.sweep?.running ?? false);
  const busy = state.phase !== 'idle' || sweepRunning;
  const debug = new URLSearchParams(location.search).has('debug');
  const canRun = !busy && check.ok && model !== undefined;
  const focus = useRunFocus(busy);

  return (
    <div className="grid two">
      <div>
        <section className="panel" aria-label="Run settings">
          <h2>Run settings</h2>
          <RunKindControl kinds={offeredRunKinds(SWEEP_KINDS)} disabled={busy} />
          {state.catalogError && <p className="message error">{state.catalogError}</p>}
          <label className="field">
            Model
            <select
              value={state.form.modelId}
              onChange={(e) => setForm({ modelId: e.target.value })}
              disabled={busy}
              aria-label="Model"
            >
              <optgroup label="Embedded (offline, random weights)">
                {models
                  .filter((m) => m.source === 'embedded')
                  .map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                    </option>
                  ))}
              </optgroup>
              <optgroup label="Hugging Face Hub (download)">
                {models
                  .filter((m) => m.source === 'hub')
                  .map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                      {m.parameters > 0 ? ` · ${formatParameters(m.parameters)}` : ''}
                    </option>
                  ))}
              </optgroup>
            </select>
            {model && (
              <span className="hint" data-testid="model-note">
                {model.parameters > 0 ? `${formatParameters(model.parameters)} parameters. ` : ''}
                {model.randomWeights ? 'Random-weight timing model: its text is gibberish. ' : ''}
                {model.note && !model.randomWeights ? model.note : ''}
              </span>
            )}
          </label>
          <HubModelInput disabled={busy} />
          <label className="field">
            Model folder from disk
            <input
              type="file"
              aria-label="Model folder from disk"
              disabled={busy}
              webkitdirectory=""
              multiple
              onChange={(e) => addPickedFolder([...(e.target.files ?? [])])}
            />
            <span className="hint">A folder with config.json, tokenizer files and onnx/model*.onnx.</span>
          </label>
          <div className="row">
            <label className="field" style={{ flex: 1 }}>
              Device
              <select
                aria-label="Device"
                value={state.form.device}
                disabled={busy}
                onChange={(e) => setForm({ device: e.target.value as 'auto' | 'webgpu' | 'wasm' })}
              >
                <option value="auto">
                  auto ({autoDevice(state.capabilities).device === 'webgpu' ? 'WebGPU' : 'WASM'})
                </option>
                <option value="webgpu">WebGPU</option>
                <option value="wasm">WASM (CPU)</option>
              </select>
              {state.form.device === 'auto' && autoDevice(state.capabilities).reason && (
                <span className="hint" data-testid="auto-device-reason">
                  {autoDevice(state.capabilities).reason}
                </span>
              )}
            </label>
            <label className="field" style={{ flex: 1 }}>
              Dtype
              <select
                aria-label="Dtype"
                value={state.form.dtype}
                disabled={busy}
                onChange={(e) => setForm({ dtype: e.target.value as (typeof DTYPES)[number] })}
              >
                {dtypes.map((d) => (
                  <option key={d} value={d}>
                    {d}
                    {model?.dtypes[d]?.bytes
                      ? ` · ${model.dtypes[d].exact ? '' : '≈'}${formatBytes(model.dtypes[d].bytes)}`
                      : ''}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {model && device === 'webgpu' && dtypes.length < Object.keys(model.dtypes).length && (
            <p className="hint muted">
              fp16 and q4f16 need the shader-f16 feature, which this adapter lacks.
            </p>
          )}
          {model && (
            <FitWarning
              model={model}
              dtype={state.form.dtype}
              device={device}
              contextTokens={check.ok ? check.promptTokens + check.genTokens : null}
              capabilities={state.capabilities}
            />
          )}
          <div className="count-fields">
            <CountField
              label="Prompt tokens (P)"
              field="promptTokens"
              onEnter={canRun ? () => void startRun() : undefined}
              error={errors.promptTokens}
              disabled={busy}
              limits={RUN_LIMITS.promptTokens}
            />
            <CountField
              label="Generated tokens (G)"
              field="genTokens"
              onEnter={canRun ? () => void startRun() : undefined}
              error={errors.genTokens}
              disabled={busy}
              limits={RUN_LIMITS.genTokens}
            />
            <CountField
              label="Repetitions (R)"
              field="reps"
              onEnter={canRun ? () => void startRun() : undefined}
              error={errors.reps}
              disabled={busy}
              limits={RUN_LIMITS.reps}
            />
          </div>
          {runKind === 'single' ? (
            <div className="row">
              <button
                type="button"
                className="primary"
                disabled={busy || !check.ok || !model}
                onClick={() => void startRun()}
              >
                Run
              </button>
              <button type="button" className="secondary" disabled={!busy} onClick={interruptRun}>
                Interrupt
              </button>
              <span className="muted" role="status" data-testid="phase" tabIndex={-1} ref={focus.status}>
                {PHASE_LABEL[state.phase]}
              </span>
            </div>
          ) : (
            <SweepSettings kind={runKind} formBusy={state.phase !== 'idle'} />
          )}
          <LoadProgress />
          {debug && (
            <fieldset className="row plain">
              <legend className="muted">Fault injection (debug)</legend>
              <button type="button" className="secondary" onClick={() => simulateFault('crash')}>
                crash worker
              </button>
              <button type="button" className="secondary" onClick={() => simulateFault('hang')}>
                hang worker
              </button>
              <button type="button" className="secondary" onClick={() => simulateFault('lose-device')}>
                lose GPU device
              </button>
            </fieldset>
          )}
        </section>
        <HubHostSetting disabled={busy} />
      </div>
      <div>
        <div aria-live="polite">
          {state.messages.map((m) => (
            <p key={m.text} className={`message ${m.kind}`} role={m.kind === 'error' ? 'alert' : undefined}>
              {m.text}
            </p>
          ))}
        </div>
        {runKind !== 'single' && <SweepResult handoffs={props.sweepHandoffs ?? {}} />}
        {runKind === 'single' && (
          <section className="panel" aria-label="Live run">
            <h2>Live</h2>
            {!busy && !state.result && (
              <p className="muted">
                Press Run to measure. The chart shows every token's latency as it arrives: the first bar is
                the time to first token (prefill), the rest are decode steps.
              </p>
            )}
            {(busy || state.result) && <LiveTokens />}
          </section>
        )}
        {runKind === 'single' && state.result && (
          <div ref={focus.result} tabIndex={-1}>
            <ResultCard
              run={state.result}
              onUseInCost={busy ? undefined : props.onUseInCost}
              model={allModels(state).find((m) => m.id === state.result?.settings.modelId)}
            />
          </div>
        )}
        <AdapterReportView report={state.capabilities} />
      </div>
    </div>
  );
}

/**
 * Keeps keyboard focus somewhere useful: Run disables itself when pressed (focus would fall to the page body),
 * so focus moves to the status line; when the run ends (Interrupt disables itself), to the result. Focus the
 * user moved elsewhere meanwhile is left alone.
 */
function useRunFocus(busy: boolean) {
  const status = useRef<HTMLSpanElement>(null);
  const result = useRef<HTMLDivElement>(null);
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current === busy) return;
    wasBusy.current = busy;
    const active = document.activeElement;
    const lost = !active || active === document.body || active === status.current;
    const disabledControl =
      (active instanceof HTMLButtonElement ||
        active instanceof HTMLInputElement ||
        active instanceof HTMLSelectElement) &&
      active.disabled;
    if (!lost && !disabledControl) return;
    (busy ? status.current : result.current)?.focus();
  }, [busy]);
  return { status, result };
}

function CountField({
  label,
  field,
  error,
  disabled,
  limits,
  onEnter,
}: {
  label: string;
  field: 'promptTokens' | 'genTokens' | 'reps';
  error: string | undefined;
  disabled: boolean;
  limits: { min: number; max: number };
  /** Enter in the field starts the run, when it can start. */
  onEnter: (() => void) | undefined;
}) {
  const value = useMeasure((s) => s.form[field]);
  const id = `field-${field}`;
  return (
    <label className="field">
      {label}
      <input
        type="text"
        inputMode="numeric"
        value={value}
        disabled={disabled}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setForm({ [field]: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onEnter) onEnter();
        }}
        title={`${limits.min}–${limits.max}`}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </label>
  );
}

function HubModelInput({ disabled }: { disabled: boolean }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const id = text.trim();
    if (!HUB_ID_PATTERN.test(id)) {
      setError('Type a Hub model id as organisation/name, e.g. onnx-community/Qwen3-0.6B-ONNX.');
      return;
    }
    setError(null);
    addHubModel(id);
    setText('');
  };
  return (
    <label className="field">
      Other Hub model
      <div className="row">
        <input
          type="text"
          placeholder="organisation/name"
          value={text}
          disabled={disabled}
          aria-invalid={error ? 'true' : 'false'}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && submit()}
          style={{ flex: 1 }}
        />
        <button type="button" className="secondary" disabled={disabled} onClick={submit}>
          Add
        </button>
      </div>
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

function HubHostSetting({ disabled }: { disabled: boolean }) {
  const host = useHubHost((s) => s.host);
  const [text, setText] = useState(host);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const parsed = saveHubHost(text);
    setError(parsed.ok ? null : parsed.message);
  };
  return (
    <details className="panel">
      <summary>Hub host (for a mirror or a workshop room without internet)</summary>
      <label className="field">
        Hub host
        <div className="row">
          <input
            type="url"
            aria-label="Hub host"
            value={text}
            disabled={disabled}
            aria-invalid={error ? 'true' : 'false'}
            onChange={(e) => setText(e.target.value)}
            style={{ flex: 1 }}
          />
          <button type="button" className="secondary" disabled={disabled} onClick={save}>
            Save
          </button>
        </div>
        <span className="hint">
          Files are fetched from {host}/&lt;organisation&gt;/&lt;name&gt;/resolve/main/… and kept in the
          browser cache. Every load in the lab uses this host: Measure, sweeps, “run the same on my device”
          and quality scoring.
        </span>
        {error && <span className="field-error">{error}</span>}
      </label>
    </details>
  );
}

function LoadProgress() {
  const progress = useDownloadProgress((s) => s.files);
  const files = Object.values(progress);
  if (files.length === 0) return null;
  const loaded = files.reduce((a, f) => a + f.loadedBytes, 0);
  const total = files.reduce((a, f) => a + Math.max(f.totalBytes, f.loadedBytes), 0);
  return (
    <div className="progress" data-testid="load-progress">
      <p className="muted">
        Download: {formatBytes(loaded)} of {formatBytes(total)} (
        {formatDecimals(total > 0 ? (100 * loaded) / total : 0, 0)}%)
      </p>
      {files.map((f) => (
        <div key={f.file} className="progress-file">
          <span className="mono small">{f.file}</span>
          <progress max={Math.max(1, f.totalBytes)} value={f.loadedBytes} aria-label={`download ${f.file}`} />
        </div>
      ))}
    </div>
  );
}

/** The streaming part of the page: the only component that re-renders on every token batch. */
function LiveTokens() {
  const { liveTokens, currentRep, liveText, genTokens } = useMeasure(
    useShallow((s) => ({
      liveTokens: s.liveTokens,
      currentRep: s.currentRep,
      liveText: s.liveText,
      genTokens: s.form.genTokens,
    })),
  );
  return (
    <>
      <LiveChart tokens={liveTokens} rep={currentRep} genTokens={Number(genTokens)} />
      <h3>Generated text</h3>
      <pre className="generated" data-testid="generated-text">
        {liveText}
      </pre>
    </>
  );
}
