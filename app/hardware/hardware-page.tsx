import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { Device, Dtype } from '../engine/protocol.ts';
import { modelArithmetic, parseModelConfig } from '../models/arithmetic.ts';
import { type CatalogModel, catalogDtypes, fileBytes } from '../models/catalog.ts';
import { type QualityScoreEntry, type QualityTable, scoreOf } from '../models/quality-scores.ts';
import { useCatalog } from '../models/use-catalog.ts';
import type { RunResult } from '../run/run.ts';
import { median } from '../run/stats.ts';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { ArithmeticTable, ContextField, parseContextTokens } from './arithmetic-table.tsx';
import { ceilingsOf } from './microbench.ts';
import { MicrobenchPanel } from './microbench-panel.tsx';
import { OverheadFitPanel } from './overhead-fit-panel.tsx';
import { type FileScore, PRECISION_ORDER, scoreEntries } from './quality.ts';
import { QualityPanel } from './quality-panel.tsx';
import { RooflinePanel } from './roofline-panel.tsx';
import { analyzeRun, type RunAnalysis } from './run-analysis.ts';
import { scoreWithEngine } from './scoring.ts';
import { probeDevice, useHardwareStore } from './store.ts';
import { WillItFitPanel } from './will-it-fit-panel.tsx';

function Section(props: { title: string; id: string; children: ReactNode; intro?: string }) {
  return (
    <section className="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.intro ? <p className="muted">{props.intro}</p> : null}
      <ErrorBoundary>{props.children}</ErrorBoundary>
    </section>
  );
}

/**
 * "Why it is this fast": the device's measured ceilings, what each model must move and compute per token, how a
 * measured run compares with the physical floor, whether a model fits, and what quantization costs in quality.
 */
export function HardwarePage(props: {
  runs: RunResult[];
  /** Scores the quality text with one dtype; defaults to the lab's engine. */
  scoreWith?: (model: CatalogModel, dtype: Dtype, device: Device, signal?: AbortSignal) => Promise<FileScore>;
  /** Keeps a model's quality scores (app.tsx hands them to the comparison's verdict). */
  onQualityScored?: (entries: QualityScoreEntry[]) => void;
  /** The scores kept so far, by model file. */
  qualityScores?: QualityTable;
  /** Forgets every kept score (the user asked, and confirmed). */
  onClearQualityScores?: () => void;
}) {
  useEffect(() => {
    void probeDevice();
  }, []);
  const probe = useHardwareStore((s) => s.probe);
  const suite = useHardwareStore((s) => s.suite);
  const catalog = useCatalog();
  // Until the embedded list arrives the runs cannot be joined with their models: wait rather than report them.
  const models = catalog.loading ? [] : catalog.models;
  const [contextText, setContextText] = useState('2048');
  const ctx = parseContextTokens(contextText);

  const { analyses, problems } = useMemo(() => {
    const ok: RunAnalysis[] = [];
    const bad: string[] = [];
    for (const run of props.runs) {
      if (run.status === 'failed' || run.status === 'running') continue;
      const a = analyzeRun(run, models);
      if (a.ok) ok.push(a.value);
      else bad.push(`${run.name || run.settings.modelId}: ${a.reason}`);
    }
    return { analyses: ok, problems: bad };
  }, [props.runs, models]);

  const gpu = ceilingsOf(suite, 'webgpu', false);
  const cpu = ceilingsOf(suite, 'wasm', false);

  return (
    <div className="hardware-page">
      <MicrobenchPanel />
      <Section
        id="hw-roofline"
        title="Roofline and per-token breakdown"
        intro="A measured run against this device's floors: how long a token must take at the measured bandwidth and compute, and how long it took."
      >
        <RooflinePanel analyses={analyses} problems={problems} suite={suite} />
      </Section>
      <Section
        id="hw-fit"
        title="Fixed overhead vs bandwidth, across model sizes"
        intro="Fits t_token = t0 + bytes / BW_eff over runs of different sizes on one device: t0 is the runtime's fixed cost per token, BW_eff the bandwidth it really reaches."
      >
        <OverheadFitPanel analyses={analyses} />
      </Section>
      <Section
        id="hw-willfit"
        title="Will it fit?"
        intro="Before loading: weights + KV cache at a context length against what this browser exposes."
      >
        <WillItFitPanel models={models} probe={probe} />
      </Section>
      <Section
        id="hw-quality"
        title="Quantization quality"
        intro="The same model in several dtypes, scored on one fixed text with teacher forcing and compared with its most precise dtype."
      >
        <QualitySection
          models={models}
          analyses={analyses}
          scoreWith={props.scoreWith ?? scoreWithEngine}
          onScored={props.onQualityScored}
          kept={props.qualityScores ?? {}}
          onClear={props.onClearQualityScores}
        />
      </Section>
      {/* Reference material last: the table covers every catalog model and dtype. */}
      <Section
        id="hw-arith"
        title="Model arithmetic"
        intro="From each model's config.json and ONNX file sizes: what it holds, and what every token must move and compute."
      >
        {catalog.error ? (
          <div className="message warn">
            The embedded models could not be loaded ({catalog.error}); the Hub models are listed below.
          </div>
        ) : null}
        {catalog.loading ? (
          <p className="muted">Loading the model catalog…</p>
        ) : (
          <>
            <ContextField id="arith-context" text={contextText} onChange={setContextText} />
            {ctx.ok ? (
              <ArithmeticTable
                models={models}
                contextTokens={ctx.value}
                gpuBandwidthGBps={gpu?.bandwidthGBps ?? null}
                cpuBandwidthGBps={cpu?.bandwidthGBps ?? null}
              />
            ) : null}
          </>
        )}
      </Section>
    </div>
  );
}

function QualitySection(props: {
  models: CatalogModel[];
  analyses: RunAnalysis[];
  scoreWith: (model: CatalogModel, dtype: Dtype, device: Device, signal?: AbortSignal) => Promise<FileScore>;
  onScored?: (entries: QualityScoreEntry[]) => void;
  kept: QualityTable;
  onClear?: () => void;
}) {
  const candidates = props.models.filter(
    (m) => catalogDtypes(m).length >= 2 && parseModelConfig(m.config).ok,
  );
  const [modelId, setModelId] = useState<string | null>(null);
  const [device, setDevice] = useState<Device>('wasm');
  const model = candidates.find((m) => m.id === modelId) ?? candidates[0] ?? null;
  if (!model) return <p className="muted">No model in the catalog has two or more dtypes to compare.</p>;
  const dtypes = catalogDtypes(model);
  const shape = parseModelConfig(model.config);
  const sizes: Partial<Record<Dtype, number>> = {};
  if (shape.ok)
    for (const d of dtypes) sizes[d] = modelArithmetic(shape.value, d, 0, fileBytes(model, d)).weight.bytes;
  const speeds: Partial<Record<Dtype, number[]>> = {};
  for (const a of props.analyses) {
    if (a.model.id !== model.id) continue;
    const d = a.run.settings.dtype;
    speeds[d] = [...(speeds[d] ?? []), a.decodeTokPerS];
  }
  const decodeTokPerS: Partial<Record<Dtype, number>> = {};
  for (const d of dtypes) {
    const s = speeds[d];
    if (s && s.length > 0) decodeTokPerS[d] = median(s);
  }
  return (
    <>
      <div className="row">
        <label className="field" style={{ minWidth: 240 }}>
          Model
          <select value={model.id} onChange={(e) => setModelId(e.target.value)}>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Score on
          <select value={device} onChange={(e) => setDevice(e.target.value === 'webgpu' ? 'webgpu' : 'wasm')}>
            <option value="wasm">WASM</option>
            <option value="webgpu">WebGPU</option>
          </select>
        </label>
      </div>
      <QualityPanel
        key={`${model.id}-${device}`}
        dtypes={dtypes}
        scoreWith={(d, signal) => props.scoreWith(model, d, device, signal)}
        randomWeights={model.randomWeights === true}
        sizes={sizes}
        decodeTokPerS={decodeTokPerS}
        onScored={(scores) =>
          props.onScored?.(
            scoreEntries(
              { id: model.id, randomWeights: model.randomWeights === true },
              PRECISION_ORDER.filter((d) => dtypes.includes(d)),
              scores,
              new Date().toISOString(),
            ),
          )
        }
      />
      <KeptScores model={model} dtypes={dtypes} kept={props.kept} />
      {props.onClear ? (
        <ForgetScores count={Object.keys(props.kept).length} onForget={props.onClear} />
      ) : null}
    </>
  );
}

/** What the comparison's verdict will use for this model: the scores kept from an earlier scoring. */
function KeptScores(props: { model: CatalogModel; dtypes: readonly Dtype[]; kept: QualityTable }) {
  const kept = PRECISION_ORDER.filter((d) => props.dtypes.includes(d))
    .map((d) => scoreOf(props.kept, props.model.id, d))
    .filter((e) => e !== undefined);
  if (kept.length === 0)
    return (
      <p className="muted" data-testid="quality-kept">
        No scores kept for this model yet: the comparison’s verdict picks among its dtypes on speed alone.
      </p>
    );
  const reference = kept[0]?.referenceDtype;
  return (
    <p className="muted" data-testid="quality-kept">
      Kept in this browser for the comparison’s verdict (top-1 agreement with {reference}):{' '}
      {kept.map((e) => `${e.dtype} ${(e.top1Agreement * 100).toFixed(1)} %`).join(', ')}, scored{' '}
      {kept[0]?.scoredAt.slice(0, 10)}.
    </p>
  );
}

/** Forgets every kept score, after saying what that changes. */
function ForgetScores(props: { count: number; onForget: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button
        type="button"
        className="secondary"
        disabled={props.count === 0}
        onClick={() => setConfirming(true)}
      >
        Forget kept scores…
      </button>
    );
  return (
    <fieldset className="plain">
      <legend>
        Forget all {props.count} quality {props.count === 1 ? 'score' : 'scores'} kept in this browser, for
        every model? The comparison’s verdict then picks on speed alone until you score again.
      </legend>
      <div className="row">
        <button
          type="button"
          className="secondary danger"
          onClick={() => {
            props.onForget();
            setConfirming(false);
          }}
        >
          Yes, forget them
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
