import { useState } from 'react';
import { maxOf } from '../run/stats.ts';
import { axisTitle, CHART_COLOR, type ChartAxis, ChartFrame } from '../ui/chart-frame.tsx';
import { formatSignificant } from '../ui/format.ts';
import { fitOverhead } from './roofline.ts';
import type { RunAnalysis } from './run-analysis.ts';

const MB = 1e6;

const BYTES_AXIS: ChartAxis = { label: 'data read per decoded token', unit: 'MB' };
const TPOT_AXIS: ChartAxis = { label: 'TPOT, median', unit: 'ms' };
const FIT_NAME = 'Fit: t0 + bytes / BW_eff';

/** Groups runs by the machine they ran on; the fit only makes sense within one machine and backend. */
function groupByMachine(
  analyses: readonly RunAnalysis[],
): Array<{ key: string; label: string; runs: RunAnalysis[] }> {
  const groups = new Map<string, RunAnalysis[]>();
  for (const a of analyses) groups.set(a.machineKey, [...(groups.get(a.machineKey) ?? []), a]);
  return [...groups.entries()]
    .map(([key, runs]) => {
      const first = runs[0] as RunAnalysis;
      const adapter = first.run.env.adapter;
      const where =
        first.run.env.device === 'webgpu'
          ? `WebGPU on ${adapter?.description || adapter?.vendor || 'GPU'}`
          : 'WASM';
      return { key, label: `${where} — ${runs.length} run${runs.length === 1 ? '' : 's'}`, runs };
    })
    .sort((a, b) => b.runs.length - a.runs.length);
}

/** Fits t_token = t0 + bytes / BW_eff across runs of several model sizes on one device. */
export function OverheadFitPanel(props: { analyses: RunAnalysis[] }) {
  const groups = groupByMachine(props.analyses);
  const [key, setKey] = useState<string | null>(null);
  const group = groups.find((g) => g.key === key) ?? groups[0] ?? null;
  if (!group)
    return <p className="muted">No measured runs yet. Measure models of two or more sizes on this device.</p>;
  const samples = group.runs.map((a) => ({
    bytesPerToken: a.decode.decodeBytesPerToken,
    tpotMs: a.tpotMs,
    label: `${a.model.label} ${a.run.settings.dtype}`,
  }));
  const fit = fitOverhead(samples);
  const points = samples.map((s) => ({ x: s.bytesPerToken / MB, y: s.tpotMs, label: s.label }));
  const xMax = maxOf(points.map((p) => p.x)) * 1.1;
  const fittedMs = (bytesPerToken: number) =>
    fit.ok ? fit.t0Ms + bytesPerToken / (fit.bandwidthEffGBps * 1e6) : Number.NaN;
  const line = fit.ok ? [0, xMax].map((x) => ({ x, y: fittedMs(x * MB) })) : [];
  return (
    <>
      {groups.length > 1 ? (
        <label className="field" style={{ maxWidth: 520 }}>
          Device
          <select value={group.key} onChange={(e) => setKey(e.target.value)}>
            {groups.map((g) => (
              <option key={g.key} value={g.key}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fit.ok ? (
        <div
          className={fit.dominatedBy === 'overhead' ? 'message warn' : 'message info'}
          data-testid="fit-verdict"
        >
          Fixed overhead t0 = <strong>{fit.t0Ms.toFixed(2)} ms</strong> per token; effective bandwidth BW_eff
          = <strong>{fit.bandwidthEffGBps.toPrecision(3)} GB/s</strong> (R² = {fit.r2.toFixed(3)}, {fit.n}{' '}
          runs).{' '}
          {fit.dominatedBy === 'overhead'
            ? `For these models the fixed overhead is ${(fit.overheadShare * 100).toFixed(0)}% of a typical token: the runtime’s per-token cost, not memory bandwidth, sets the speed. A smaller dtype would barely help.`
            : `Moving the weights is ${((1 - fit.overheadShare) * 100).toFixed(0)}% of a typical token: these models are bandwidth-bound, so fewer bytes per weight (quantization) speed them up nearly in proportion.`}
        </div>
      ) : (
        <div className="message info" data-testid="fit-verdict">
          {fit.reason}
        </div>
      )}
      <ChartFrame
        title="TPOT against bytes read per decoded token"
        testId="fit-chart"
        height={300}
        x={{ ...BYTES_AXIS, domain: [0, xMax] }}
        y={TPOT_AXIS}
        series={[
          { kind: 'points', name: 'Measured runs (median TPOT)', points, color: 'var(--decode)' },
          ...(fit.ok
            ? [
                {
                  kind: 'line' as const,
                  name: FIT_NAME,
                  points: line,
                  color: CHART_COLOR.fitted,
                  dashed: true,
                },
              ]
            : []),
        ]}
        table={{
          columns: [
            'Run',
            axisTitle(BYTES_AXIS),
            axisTitle(TPOT_AXIS),
            ...(fit.ok ? [`${FIT_NAME} (ms)`] : []),
          ],
          rows: samples.map((s) => [
            s.label,
            formatSignificant(s.bytesPerToken / MB),
            formatSignificant(s.tpotMs),
            ...(fit.ok ? [formatSignificant(fittedMs(s.bytesPerToken))] : []),
          ]),
        }}
      />
    </>
  );
}
