import { useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Label,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { maxOf } from '../run/stats.ts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import { fitOverhead } from './roofline.ts';
import type { RunAnalysis } from './run-analysis.ts';

const MB = 1e6;

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
  const points = samples.map((s) => ({ x: s.bytesPerToken / MB, y: s.tpotMs, name: s.label }));
  const xMax = maxOf(points.map((p) => p.x)) * 1.1;
  const line = fit.ok
    ? [0, xMax].map((x) => ({ x, fitted: fit.t0Ms + (x * MB) / (fit.bandwidthEffGBps * 1e6) }))
    : [];
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
      <figure className="chart-figure" aria-label="TPOT against bytes read per decoded token">
        <div style={{ width: '100%', height: 300 }} data-testid="fit-chart">
          <ResponsiveContainer>
            <ComposedChart margin={{ top: 10, right: 24, bottom: 28, left: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="x"
                domain={[0, xMax]}
                tickFormatter={(v: number) => v.toPrecision(3)}
              >
                <Label value="MB read per decoded token" position="bottom" offset={8} />
              </XAxis>
              <YAxis type="number" domain={[0, 'auto']} width={64}>
                <Label
                  value="TPOT (ms)"
                  angle={-90}
                  position="insideLeft"
                  offset={-8}
                  style={{ textAnchor: 'middle' }}
                />
              </YAxis>
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(3) : String(v))} />
              <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 8 }} />
              <Scatter
                data={points}
                dataKey="y"
                name="Measured runs (median TPOT)"
                fill="var(--decode)"
                isAnimationActive={false}
              />
              {fit.ok ? (
                <Line
                  data={line}
                  dataKey="fitted"
                  name="Fit: t0 + bytes / BW_eff"
                  stroke="#d9822b"
                  dot={false}
                  isAnimationActive={false}
                />
              ) : null}
            </ComposedChart>
          </ResponsiveContainer>
        </div>
        <ChartDataTable
          columns={[
            'Run',
            'MB read per decoded token',
            'TPOT, median (ms)',
            ...(fit.ok ? ['Fit: t0 + bytes / BW_eff (ms)'] : []),
          ]}
          rows={samples.map((s) => [
            s.label,
            (s.bytesPerToken / MB).toPrecision(3),
            s.tpotMs.toPrecision(3),
            ...(fit.ok ? [(fit.t0Ms + s.bytesPerToken / (fit.bandwidthEffGBps * 1e6)).toPrecision(3)] : []),
          ])}
        />
      </figure>
    </>
  );
}
