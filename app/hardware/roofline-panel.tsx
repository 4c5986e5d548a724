import { useState } from 'react';
import {
  Bar,
  BarChart,
  Label,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatSi } from '../models/arithmetic.ts';
import { ranAtStamp } from '../run/machine.ts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import { axisTitle, type ChartAxis, ChartFrame, type ChartSeries } from '../ui/chart-frame.tsx';
import { formatBytes } from '../ui/format.ts';
import { BENCHES, ceilingsOf, type MicrobenchSuite } from './microbench.ts';
import {
  attainableGflops,
  type DeviceCeilings,
  flopUtilisation,
  memoryBandwidthUtilisation,
  ridgeIntensity,
  rooflinePoint,
  tokenBreakdown,
} from './roofline.ts';
import type { RunAnalysis } from './run-analysis.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%` : '—');
const msText = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 1 ? 3 : x < 10 ? 2 : 1)} ms` : '—');

const decadeFloor = (x: number) => 10 ** Math.floor(Math.log10(x));
const decadeCeil = (x: number) => 10 ** Math.ceil(Math.log10(x));
const decades = (lo: number, hi: number) => {
  const out: number[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) out.push(v);
  return out;
};
/** Three significant figures for the tables beside the charts. */
const sig3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '—');
const tickSi = (v: number) => {
  if (v >= 1e3) return `${v / 1e3}k`;
  if (v >= 1) return String(v);
  return String(Number(v.toPrecision(1)));
};

const INTENSITY_AXIS = { label: 'Arithmetic intensity', unit: 'FLOP/byte' } as const;
const SPEED_AXIS = { label: 'Performance', unit: 'GFLOP/s' } as const;

/** A log axis from `lo` to `hi` with a tick at each power of ten, its values to three significant figures. */
const decadeAxis = (axis: { label: string; unit: string }, lo: number, hi: number): ChartAxis => ({
  ...axis,
  log: true,
  domain: [lo, hi],
  ticks: decades(lo, hi),
  tickText: tickSi,
  valueText: (v) => `${sig3(v)} ${axis.unit}`,
});

/**
 * The roofline on log axes: the bandwidth slope up to the ridge point, the compute ceiling after it, and where
 * this run's prefill and decode landed.
 */
export function RooflineChart(props: {
  ceilings: DeviceCeilings;
  prefill: ReturnType<typeof rooflinePoint>;
  decode: ReturnType<typeof rooflinePoint>;
}) {
  const { ceilings, prefill, decode } = props;
  const ridge = ridgeIntensity(ceilings);
  const xs = [ridge, prefill?.intensityFlopPerByte, decode?.intensityFlopPerByte].filter(
    (v): v is number => v !== undefined && Number.isFinite(v) && v > 0,
  );
  const xMin = decadeFloor(Math.min(0.1, ...xs) / 2);
  const xMax = decadeCeil(Math.max(1000, ...xs) * 2);
  const ys = [
    ceilings.computeGflops,
    xMin * ceilings.bandwidthGBps,
    prefill?.achievedGflops,
    decode?.achievedGflops,
  ].filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const yMin = decadeFloor(Math.min(...ys) / 2);
  const yMax = decadeCeil(Math.max(...ys) * 2);
  const x = decadeAxis(INTENSITY_AXIS, xMin, xMax);
  const y = decadeAxis(SPEED_AXIS, yMin, yMax);
  const runPoints = [
    ['Prefill (this run)', prefill, 'var(--prefill)'],
    ['Decode (this run)', decode, 'var(--decode)'],
  ] as const;
  const series: ChartSeries[] = [
    {
      kind: 'line',
      name: `Roofline: ${ceilings.bandwidthGBps.toPrecision(3)} GB/s slope, ${ceilings.computeGflops.toPrecision(3)} GFLOP/s ceiling`,
      points: [xMin, ridge, xMax].map((v) => ({ x: v, y: attainableGflops(v, ceilings) })),
      color: '#5f6670',
    },
    ...runPoints.flatMap(([name, p, color]): ChartSeries[] =>
      p
        ? [{ kind: 'points', name, color, points: [{ x: p.intensityFlopPerByte, y: p.achievedGflops }] }]
        : [],
    ),
  ];
  return (
    <ChartFrame
      title="Roofline"
      testId="roofline-chart"
      height={340}
      x={x}
      y={y}
      series={series}
      references={[{ axis: 'x', value: ridge, label: 'ridge point' }]}
      table={{
        columns: [
          'Point',
          axisTitle(INTENSITY_AXIS),
          axisTitle(SPEED_AXIS),
          `Roofline there (${SPEED_AXIS.unit})`,
        ],
        rows: [
          ['Ridge: bandwidth slope meets compute ceiling', sig3(ridge), sig3(ceilings.computeGflops), '—'],
          ...runPoints.map(([name, p]) =>
            p
              ? [
                  name,
                  sig3(p.intensityFlopPerByte),
                  sig3(p.achievedGflops),
                  sig3(attainableGflops(p.intensityFlopPerByte, ceilings)),
                ]
              : [name, '—', '—', '—'],
          ),
        ],
      }}
    />
  );
}

/** One decoded token: bandwidth floor + compute floor + runtime overhead = measured TPOT. */
export function TokenBar(props: { breakdown: NonNullable<ReturnType<typeof tokenBreakdown>> }) {
  const b = props.breakdown;
  const data = [
    {
      name: 'Decode token',
      bandwidth: b.bandwidthFloorMs,
      compute: b.computeFloorMs,
      overhead: b.overheadMs,
    },
  ];
  return (
    <figure className="chart-figure" aria-label="Where one decoded token’s time goes">
      <div style={{ width: '100%', height: 150 }} data-testid="token-bar">
        <ResponsiveContainer>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 24, left: 8 }}>
            <XAxis
              type="number"
              domain={[0, Math.max(b.measuredMs, b.bandwidthFloorMs + b.computeFloorMs) * 1.05]}
              tickFormatter={(v: number) => v.toPrecision(2)}
            >
              <Label value="ms per decoded token" position="bottom" offset={4} />
            </XAxis>
            <YAxis type="category" dataKey="name" width={96} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? msText(v) : String(v))} />
            <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 4 }} />
            <Bar
              dataKey="bandwidth"
              stackId="t"
              name="Bandwidth floor"
              fill="#2459d6"
              isAnimationActive={false}
            />
            <Bar
              dataKey="compute"
              stackId="t"
              name="Compute floor"
              fill="#d9822b"
              isAnimationActive={false}
            />
            <Bar
              dataKey="overhead"
              stackId="t"
              name="Runtime overhead"
              fill="#b8bec7"
              isAnimationActive={false}
            />
            <ReferenceLine
              x={b.measuredMs}
              stroke="#1d1f23"
              strokeDasharray="4 2"
              label={{ value: 'measured TPOT', position: 'top', fontSize: 11 }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        columns={['Part of one decoded token', 'ms']}
        rows={[
          ['Bandwidth floor', msText(b.bandwidthFloorMs)],
          ['Compute floor', msText(b.computeFloorMs)],
          ['Runtime overhead', msText(b.overheadMs)],
          ['Measured TPOT (median)', msText(b.measuredMs)],
        ]}
      />
    </figure>
  );
}

/** The roofline and per-token breakdown of one measured run against this device's ceilings. */
export function RooflinePanel(props: {
  analyses: RunAnalysis[];
  problems: string[];
  suite: MicrobenchSuite | null;
}) {
  const { analyses, suite } = props;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = analyses.find((a) => a.run.id === selectedId) ?? analyses[0] ?? null;
  if (!selected) {
    return (
      <>
        <p className="muted">No measured run to explain yet: measure one on the Measure tab.</p>
        {props.problems.map((p) => (
          <div key={p} className="message warn">
            {p}
          </div>
        ))}
      </>
    );
  }
  const backend = selected.run.env.device;
  const dtype = selected.run.settings.dtype;
  const c = ceilingsOf(suite, backend, dtype === 'fp16' || dtype === 'q4f16');
  const d = selected.decode;
  return (
    <>
      <label className="field" style={{ maxWidth: 520 }}>
        Run
        <select value={selected.run.id} onChange={(e) => setSelectedId(e.target.value)}>
          {analyses.map((a) => (
            <option key={a.run.id} value={a.run.id}>
              {a.run.name || a.model.label} — {a.run.settings.dtype}, {a.run.settings.device}, P=
              {a.run.settings.promptTokens}
            </option>
          ))}
        </select>
      </label>
      {c === null ? (
        <div className="message info">
          Measure this device above to place the run against its {backend === 'webgpu' ? 'GPU' : 'CPU'}{' '}
          bandwidth and compute ceilings.
        </div>
      ) : (
        (() => {
          const ceilings = { bandwidthGBps: c.bandwidthGBps, computeGflops: c.computeGflops };
          const breakdown = tokenBreakdown(
            d.decodeBytesPerToken,
            d.decodeFlopsPerToken,
            selected.tpotMs,
            ceilings,
          );
          const mbu = memoryBandwidthUtilisation(d.decodeBytesPerToken, selected.tpotMs, c.bandwidthGBps);
          const fu = flopUtilisation(d.decodeFlopsPerToken, selected.tpotMs, c.computeGflops);
          const prefillFu = flopUtilisation(selected.prefillFlops, selected.ttftMs, c.computeGflops);
          const sameDevice = suite !== null && ranAtStamp(selected.run.env, suite.stamp);
          return (
            <>
              {!sameDevice ? (
                <div className="message warn">
                  This run was measured on another browser or adapter than the ceilings below: the comparison
                  is indicative only.
                </div>
              ) : null}
              <table className="metrics" data-testid="roofline-figures">
                <tbody>
                  <tr>
                    <td>Bytes read per decoded token</td>
                    <td>{formatBytes(d.decodeBytesPerToken)}</td>
                    <td className="muted" style={{ textAlign: 'left' }}>
                      weights{d.weight.source === 'estimate' ? ' (estimated)' : ''} + KV cache at{' '}
                      {d.contextTokens.toLocaleString()} tokens
                    </td>
                  </tr>
                  <tr>
                    <td>FLOPs per decoded token</td>
                    <td>{formatSi(d.decodeFlopsPerToken, 'FLOP')}</td>
                    <td />
                  </tr>
                  <tr>
                    <td>Measured TPOT (median)</td>
                    <td>{msText(selected.tpotMs)}</td>
                    <td />
                  </tr>
                  <tr>
                    <td>Bandwidth floor</td>
                    <td>{msText(breakdown?.bandwidthFloorMs ?? Number.NaN)}</td>
                    <td className="muted" style={{ textAlign: 'left' }}>
                      at {c.bandwidthGBps.toPrecision(3)} GB/s ({BENCHES[c.bandwidthFrom].label})
                    </td>
                  </tr>
                  <tr>
                    <td>Compute floor</td>
                    <td>{msText(breakdown?.computeFloorMs ?? Number.NaN)}</td>
                    <td className="muted" style={{ textAlign: 'left' }}>
                      at {c.computeGflops.toPrecision(3)} GFLOP/s ({BENCHES[c.computeFrom].label})
                    </td>
                  </tr>
                  <tr>
                    <td>Memory-bandwidth utilisation (MBU)</td>
                    <td data-testid="mbu">{pct(mbu)}</td>
                    <td className="muted" style={{ textAlign: 'left' }}>
                      bandwidth floor / measured TPOT
                    </td>
                  </tr>
                  <tr>
                    <td>FLOP utilisation, decode · prefill</td>
                    <td>
                      {pct(fu)} · {pct(prefillFu)}
                    </td>
                    <td className="muted" style={{ textAlign: 'left' }}>
                      achieved FLOP/s / measured matmul FLOP/s
                    </td>
                  </tr>
                </tbody>
              </table>
              {breakdown ? (
                <>
                  <h3>Where one decoded token’s time goes</h3>
                  <TokenBar breakdown={breakdown} />
                  {breakdown.measuredBelowFloor ? (
                    <div className="message warn">
                      The run is faster than the floors add up to: the microbenchmarks measured lower ceilings
                      than the runtime reached (caches, or floors that overlap). Re-measure, or read the
                      floors as rough.
                    </div>
                  ) : (
                    <p className="muted">
                      Runtime overhead is {pct(breakdown.overheadMs / breakdown.measuredMs)} of each token:
                      time the device spent neither moving weights at full bandwidth nor computing at full
                      speed (kernel launches, synchronisation, JavaScript between tokens). The two floors are
                      stacked as if they did not overlap.
                    </p>
                  )}
                </>
              ) : null}
              <h3>Roofline</h3>
              <RooflineChart
                ceilings={ceilings}
                prefill={rooflinePoint(selected.prefillFlops, selected.prefillBytes, selected.ttftMs)}
                decode={rooflinePoint(d.decodeFlopsPerToken, d.decodeBytesPerToken, selected.tpotMs)}
              />
              <p className="muted">
                Below the sloped line, work is bandwidth-bound; under the flat line, compute-bound. Decode
                reads every weight for a couple of FLOPs per byte, so it sits far left; prefill reuses each
                weight for all prompt tokens and moves right. Prefill time is TTFT, which also includes the
                first decode step.
              </p>
            </>
          );
        })()
      )}
    </>
  );
}
