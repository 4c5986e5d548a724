import { useMemo, useState } from 'react';
import type { ModelFactsLookup } from '../models/catalog.ts';
import { formatParameters } from '../models/catalog.ts';
import { backendName, machineName, ranOnSoftwareAdapter } from '../run/machine.ts';
import { noiseOf } from '../run/noise.ts';
import { type RunResult, sequencesOf } from '../run/run.ts';
import { isSummaryOnly } from '../run/schema.ts';
import { runSummary } from '../run/summary.ts';
import { formatBytes } from '../ui/format.ts';
import { NoiseBadge } from '../ui/noise-notice.tsx';
import { ChartFrame, SpreadBarChart, SpreadScatterChart, seriesColor } from './charts.tsx';
import {
  backendPairs,
  DISAGREE_RATIO,
  disagreements,
  dtypeTradeoffs,
  prefillScaling,
  type Series,
  type SizeAxis,
  SOFTWARE_ADAPTER_CAVEAT,
  SOFTWARE_SUFFIX,
  sizeSeries,
} from './comparison.ts';
import { formatDate, formatPercent, formatRatio, formatSignificant, formatSpread } from './format.ts';
import type { QualityLookup } from './verdict.ts';
import { VerdictPanel } from './verdict-view.tsx';

/** The caveat under a chart that shows a software-adapter result; nothing otherwise. */
function SoftwareCaveat(props: { shown: boolean }) {
  if (!props.shown) return null;
  return (
    <p className="message warn small-text" data-testid="software-caveat">
      {SOFTWARE_ADAPTER_CAVEAT}
    </p>
  );
}

const hasSoftware = (series: readonly { name: string }[]): boolean =>
  series.some((s) => s.name.includes(SOFTWARE_SUFFIX));

/** "WebGPU decodes 33× slower than WASM" rather than "×0.03": a ratio below 1 read the other way round. */
export function describeSpeedup(webgpuOverWasm: number): string {
  if (!Number.isFinite(webgpuOverWasm) || webgpuOverWasm <= 0) return 'no comparable speeds';
  if (webgpuOverWasm >= 1) return `WebGPU decodes ${formatSignificant(webgpuOverWasm)}× as fast as WASM`;
  return `WebGPU decodes ${formatSignificant(1 / webgpuOverWasm)}× slower than WASM`;
}

const legendOf = (series: readonly { name: string }[]) =>
  series.map((s, i) => ({ name: s.name, color: seriesColor(i) }));

/**
 * The comparison of any set of runs: the verdict (which one to ship, or why the runs cannot say), repeats that
 * disagree, a table of every metric's spread, and the charts.
 */
export function ComparisonView(props: {
  runs: readonly RunResult[];
  facts: ModelFactsLookup;
  /** Quality scores, where app.tsx has them; without, the verdict says quality is unknown. */
  quality?: QualityLookup;
}) {
  return (
    <div className="comparison">
      <VerdictPanel runs={props.runs} facts={props.facts} quality={props.quality} />
      <DisagreementNotice runs={props.runs} />
      <RunTable runs={props.runs} />
      <ComparisonCharts runs={props.runs} facts={props.facts} />
    </div>
  );
}

/** Repeats of one setting that disagree: the pooled figure would hide it, so each run is listed. */
function DisagreementNotice(props: { runs: readonly RunResult[] }) {
  const found = useMemo(() => disagreements(props.runs), [props.runs]);
  if (found.length === 0) return null;
  return (
    <div className="message warn" role="note" data-testid="disagreement">
      <strong>Runs with the same settings disagree.</strong> The charts pool repeats of one setting; these
      differ by more than ×{DISAGREE_RATIO} (or their ranges do not overlap), so their pooled point hides it.
      Measure again on a quiet machine.
      <ul>
        {found.map((d) => (
          <li key={d.label}>
            <strong>{d.label}</strong>:{' '}
            {d.runs.map((r, i) => (
              <span key={r.id}>
                {i > 0 && ' · '}
                {r.name} ({formatDate(r.createdAt)}) {formatSpread(r.decodeTokPerS)} tok/s
                {r.noisy && <span className="badge warn">noisy</span>}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function statusBadges(run: RunResult) {
  return (
    <>
      {run.status !== 'complete' && (
        <span className={run.status === 'failed' ? 'badge warn' : 'badge'}>{run.status}</span>
      )}
      {isSummaryOnly(run) && (
        <span
          className="badge"
          title="Shared without per-token timings: inter-token latency percentiles are not available."
        >
          no per-token timings
        </span>
      )}
      {ranOnSoftwareAdapter(run.env) && (
        <span className="badge warn" title={SOFTWARE_ADAPTER_CAVEAT}>
          software GPU
        </span>
      )}
      <NoiseBadge report={noiseOf(run.repetitions)} />
    </>
  );
}

/** The table stays readable (and fast) with a big selection; the charts use every run. */
const TABLE_LIMIT = 100;

export function RunTable(props: { runs: readonly RunResult[] }) {
  const shown = props.runs.slice(0, TABLE_LIMIT);
  return (
    <div className="table-scroll">
      <table className="metrics comparison-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Measured on</th>
            <th title="Prompt tokens P / generated tokens G (· B parallel sequences, when more than one)">
              P / G
            </th>
            <th title="Valid repetitions / all repetitions">Reps</th>
            <th>TTFT ms</th>
            <th>TPOT ms</th>
            <th>Prefill tok/s</th>
            <th>Decode tok/s</th>
            <th title="Inter-token latency percentiles, pooled over repetitions">ITL p50 / p99 ms</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((run) => {
            const summary = runSummary(run);
            const s = run.settings;
            return (
              <tr key={run.id}>
                <td>
                  <div className="run-name">{run.name}</div>
                  <div className="muted small-text">
                    {s.modelId} · {s.dtype} · {backendName(s.device)} {statusBadges(run)}
                  </div>
                </td>
                <td className="device-cell">{machineName(run.env)}</td>
                <td>
                  {s.promptTokens} / {s.genTokens}
                  {sequencesOf(s) > 1 && ` · B${sequencesOf(s)}`}
                </td>
                <td>
                  {summary?.validReps ?? 0} / {run.repetitions.length}
                </td>
                <td>{formatSpread(summary?.ttftMs)}</td>
                <td>{formatSpread(summary?.tpotMs)}</td>
                <td>{formatSpread(summary?.prefillTokPerS)}</td>
                <td>{formatSpread(summary?.decodeTokPerS)}</td>
                <td>
                  {summary && !isSummaryOnly(run)
                    ? `${formatSignificant(summary.itlMs.p50)} / ${formatSignificant(summary.itlMs.p99)}`
                    : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.runs.length > TABLE_LIMIT && (
        <p className="muted small-text">
          The table shows the first {TABLE_LIMIT} of {props.runs.length} runs; the charts use all of them.
        </p>
      )}
      <p className="muted small-text">
        Each cell: median (min–max) over the valid repetitions. TTFT includes the first decode step; decode
        tok/s = 1000 ÷ TPOT.
      </p>
    </div>
  );
}

function ComparisonCharts(props: { runs: readonly RunResult[]; facts: ModelFactsLookup }) {
  const [axis, setAxis] = useState<SizeAxis>('parameters');
  const { runs, facts } = props;
  const decode = useMemo(() => sizeSeries(runs, facts, 'decodeTokPerS', axis), [runs, facts, axis]);
  const ttft = useMemo(() => sizeSeries(runs, facts, 'ttftMs', axis), [runs, facts, axis]);
  const tradeoffs = useMemo(() => dtypeTradeoffs(runs, facts), [runs, facts]);
  const prefill = useMemo(() => prefillScaling(runs), [runs]);
  const pairs = useMemo(() => backendPairs(runs), [runs]);

  const formatX = axis === 'parameters' ? formatParameters : formatBytes;
  const sizeLabel = axis === 'parameters' ? 'parameters (log scale)' : 'weight file size (log scale)';
  const sizeEmpty = (series: readonly Series[]) =>
    series.some((s) => s.points.length > 1) ||
    new Set(series.flatMap((s) => s.points.map((p) => p.x))).size > 1
      ? null
      : 'Select runs of at least two model sizes (e.g. tiny and small) to see how speed scales with size.';
  const unsizedNote = decode.unsized > 0 && (
    <p className="muted small-text">
      {decode.unsized} run{decode.unsized === 1 ? '' : 's'} of models with unknown size are not on this chart.
    </p>
  );

  const tradeoffSeries: Series[] = [];
  for (const t of tradeoffs) {
    if (t.sizeSaved === null) continue;
    const name = `${t.modelId} · ${backendName(t.device)}${t.softwareAdapter ? SOFTWARE_SUFFIX : ''} · ${t.lengths}`;
    let series = tradeoffSeries.find((s) => s.name === name);
    if (!series) {
      series = { name, points: [] };
      tradeoffSeries.push(series);
    }
    series.points.push({
      x: t.sizeSaved * 100,
      y: t.speedup.median,
      yError: [t.speedup.median - t.speedup.min, t.speedup.max - t.speedup.median],
      spread: t.speedup,
      label: `${t.dtype} vs ${t.baseline}`,
    });
  }
  for (const s of tradeoffSeries) s.points.sort((a, b) => a.x - b.x);

  const prefillSeries: Series[] = prefill.map((p) => ({ name: p.name, points: p.points }));
  const backendKeys = ['WASM', 'WebGPU'];

  return (
    <>
      <div className="row axis-toggle" role="radiogroup" aria-label="Model size axis">
        <span className="muted">Model size as</span>
        {(['parameters', 'bytes'] as const).map((a) => (
          <label key={a} className="inline-choice">
            <input type="radio" name="size-axis" checked={axis === a} onChange={() => setAxis(a)} />{' '}
            {a === 'parameters' ? 'parameters' : 'bytes on disk'}
          </label>
        ))}
      </div>
      <div className="chart-grid">
        <ChartFrame
          title="Decode speed vs model size"
          question="How much slower does generation get as the model grows?"
          legend={legendOf(decode.series)}
          empty={sizeEmpty(decode.series)}
          footer={
            <>
              {unsizedNote}
              <SoftwareCaveat shown={hasSoftware(decode.series)} />
            </>
          }
        >
          <SpreadScatterChart
            series={decode.series}
            xLabel={sizeLabel}
            yLabel="decode tok/s"
            unit="tok/s"
            formatX={formatX}
            logX
          />
        </ChartFrame>
        <ChartFrame
          title="Time to first token vs model size"
          question="How long does a user wait for the first word?"
          legend={legendOf(ttft.series)}
          empty={sizeEmpty(ttft.series)}
          footer={<SoftwareCaveat shown={hasSoftware(ttft.series)} />}
        >
          <SpreadScatterChart
            series={ttft.series}
            xLabel={sizeLabel}
            yLabel="TTFT ms"
            unit="ms"
            formatX={formatX}
            logX
          />
        </ChartFrame>
        <ChartFrame
          title="Quantization: speed gained vs size saved"
          question="Per model, each dtype against its largest (least compressed) file measured: is the smaller file also faster?"
          legend={legendOf(tradeoffSeries)}
          empty={
            tradeoffSeries.length > 0
              ? null
              : 'Select one model measured in at least two dtypes (e.g. fp32 and q4) on the same device.'
          }
          footer={
            <>
              <SoftwareCaveat shown={hasSoftware(tradeoffSeries)} />
              <table className="metrics compact">
                <thead>
                  <tr>
                    <th>Model · backend · P/G</th>
                    <th>dtype</th>
                    <th>size</th>
                    <th>size saved</th>
                    <th>decode tok/s</th>
                    <th>speed vs baseline</th>
                  </tr>
                </thead>
                <tbody>
                  {tradeoffs.map((t) => (
                    <tr key={`${t.modelId}|${t.device}|${t.promptTokens}|${t.genTokens}|${t.dtype}`}>
                      <td>
                        {t.modelId} · {backendName(t.device)}
                        {t.softwareAdapter && SOFTWARE_SUFFIX} · {t.lengths}
                      </td>
                      <td>{t.dtype}</td>
                      <td>{t.bytes === null ? '—' : formatBytes(t.bytes)}</td>
                      <td>{formatPercent(t.sizeSaved)}</td>
                      <td>{formatSpread(t.decodeTokPerS)}</td>
                      <td>
                        {formatRatio(t.speedup.median)}
                        {t.dtype === t.baseline && <span className="badge">baseline</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          }
        >
          <SpreadScatterChart
            series={tradeoffSeries}
            xLabel="size saved vs baseline (%)"
            yLabel="decode speed ÷ baseline"
            unit="× baseline"
            formatX={(x) => `${Math.round(x)} %`}
            xDomain={[0, 100]}
          />
        </ChartFrame>
        <ChartFrame
          title="Prefill time vs prompt length"
          question="Where does reading the prompt stop growing linearly?"
          legend={legendOf(prefillSeries)}
          empty={
            prefillSeries.length > 0
              ? null
              : 'Select runs of one model, dtype and device at two or more prompt lengths (a sweep with "128, 512, 2048").'
          }
          footer={
            <>
              <SoftwareCaveat shown={hasSoftware(prefillSeries)} />
              <ul className="findings">
                {prefill.map((p) => (
                  <li key={p.name}>
                    <strong>{p.name}:</strong>{' '}
                    {p.fit &&
                      (p.fit.msPerToken > 0
                        ? `${formatSignificant(p.fit.msPerToken)} ms per prompt token between the two shortest prompts; `
                        : 'TTFT did not grow between the two shortest prompts (noise and fixed costs dominate at this size); ')}
                    {p.breaksAt
                      ? `at P = ${p.breaksAt.promptTokens} it takes ${formatPercent(p.breaksAt.excess)} longer than that line.`
                      : p.points.length > 2
                        ? 'stays within 25 % of that line at every measured length.'
                        : 'measure a third, longer prompt to see where it bends.'}
                  </li>
                ))}
              </ul>
            </>
          }
        >
          <SpreadScatterChart
            series={prefillSeries}
            xLabel="prompt tokens (P)"
            yLabel="TTFT ms"
            unit="ms"
            formatX={(x) => String(x)}
            ticksAtData
          />
        </ChartFrame>
        <ChartFrame
          title="WebGPU vs WASM"
          question="Same model and dtype on both backends: how much does the GPU buy?"
          legend={backendKeys.map((name, i) => ({ name, color: seriesColor(i) }))}
          empty={
            pairs.length > 0 ? null : 'Select the same model and dtype measured on both WebGPU and WASM.'
          }
          footer={
            <>
              <ul className="findings">
                {pairs.map((p) => (
                  <li key={p.label}>
                    <strong>{p.label}:</strong> {describeSpeedup(p.webgpuSpeedup)} (median decode{' '}
                    {formatSignificant(p.webgpu.median)} vs {formatSignificant(p.wasm.median)} tok/s)
                    {p.softwareAdapter && ': on a software adapter, so this says nothing about a real GPU'}.
                  </li>
                ))}
              </ul>
              <SoftwareCaveat shown={pairs.some((p) => p.softwareAdapter)} />
            </>
          }
        >
          <SpreadBarChart
            groups={pairs.map((p) => ({ label: p.label, values: { WASM: p.wasm, WebGPU: p.webgpu } }))}
            keys={backendKeys}
            yLabel="decode tok/s"
          />
        </ChartFrame>
      </div>
    </>
  );
}
