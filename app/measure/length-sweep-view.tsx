import {
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Label,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { decodeByPosition, decodeSlowdown, lengthPoints, prefillScaling } from '../run/context-length.ts';
import { formatDecimals } from '../ui/format.ts';
import type { SweepChartProps } from './sweep-view-types.ts';

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '—');

/**
 * The length sweep's result: prefill (TTFT) against P with the linear region's line and where it stops, and
 * decode (TPOT) against the position in the KV cache with its slope per 1,000 tokens.
 */
export function LengthSweepView({ sweep }: SweepChartProps) {
  const points = lengthPoints(sweep.runs);
  if (points.length === 0) return <p className="muted">No prompt length has finished yet.</p>;
  const done = sweep.runs.filter((r) => r.status === 'complete');
  const scaling = prefillScaling(points);
  const decode = decodeSlowdown(done);
  const bins = decodeByPosition(done);
  const maxP = points.at(-1)?.promptTokens ?? 0;
  const prefillData = points.map((p) => ({
    x: p.promptTokens,
    y: p.ttftMs.median,
    yErr: [p.ttftMs.median - p.ttftMs.min, p.ttftMs.max - p.ttftMs.median],
  }));
  const linear = scaling
    ? [0, maxP].map((x) => ({ x, linear: scaling.overheadMs + scaling.msPerToken * x }))
    : [];
  const decodeLine = decode
    ? [decode.fromTokens, decode.toTokens].map((x) => ({
        x,
        fitted: decode.startTpotMs + (decode.msPer1kTokens * (x - decode.fromTokens)) / 1000,
      }))
    : [];
  return (
    <div data-testid="length-sweep-view">
      <h3>Prefill against prompt length</h3>
      <div style={{ width: '100%', height: 260 }} data-testid="length-prefill-chart">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" domain={[0, 'auto']}>
              <Label value="prompt tokens P" position="bottom" offset={4} />
            </XAxis>
            <YAxis type="number" domain={[0, 'auto']} tickFormatter={(v: number) => fmt(v, 2)}>
              <Label value="TTFT (ms)" angle={-90} position="insideLeft" style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${fmt(value)} ms` : String(value))}
            />
            <Legend verticalAlign="top" height={24} />
            {scaling?.breakTokens != null && (
              <ReferenceLine
                x={scaling.breakTokens}
                stroke="var(--warn, #c80)"
                strokeDasharray="6 3"
                label={{ value: 'not linear from here', position: 'insideTopRight' }}
              />
            )}
            {linear.length > 0 && (
              <Line
                data={linear}
                dataKey="linear"
                name="linear (fitted on the short prompts)"
                dot={false}
                stroke="var(--muted, #888)"
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            )}
            <Scatter
              data={prefillData}
              dataKey="y"
              name="TTFT"
              fill="var(--accent, #2a6)"
              isAnimationActive={false}
            >
              <ErrorBar dataKey="yErr" direction="y" width={4} />
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {scaling ? (
        <p className="message info" data-testid="prefill-scaling">
          {scaling.msPerToken > 0 ? (
            <>
              Prefill costs <strong>{fmt(scaling.msPerToken)} ms per prompt token</strong> (+{' '}
              {fmt(scaling.overheadMs)} ms per request)
            </>
          ) : (
            <>
              Prefill time is <strong>flat at about {fmt(scaling.overheadMs)} ms</strong>: a fixed cost per
              request outweighs the prompt's tokens
            </>
          )}{' '}
          up to P = {scaling.linearUpToTokens.toLocaleString('en-US')}
          {scaling.breakTokens === null
            ? ': linear over the whole range measured.'
            : `; at P = ${scaling.breakTokens.toLocaleString('en-US')} it is ${formatDecimals(
                100 * ((scaling.excessAtBreak ?? 1) - 1),
                0,
              )} % above that line: prefill stops scaling linearly there.`}{' '}
          {scaling.msPerToken > 0 &&
            `Trimming a prompt saves about ${fmt(scaling.msPerToken * 1000)} ms per 1,000 tokens.`}
        </p>
      ) : (
        <p className="muted">Three prompt lengths are needed to fit the prefill line.</p>
      )}
      <h3>Decode against the position in the KV cache</h3>
      <div style={{ width: '100%', height: 240 }} data-testid="length-decode-chart">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" domain={[0, 'auto']}>
              <Label value="tokens in the KV cache" position="bottom" offset={4} />
            </XAxis>
            <YAxis type="number" domain={[0, 'auto']} tickFormatter={(v: number) => fmt(v, 2)}>
              <Label value="TPOT (ms)" angle={-90} position="insideLeft" style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${fmt(value)} ms` : String(value))}
            />
            {decodeLine.length > 0 && (
              <Line
                data={decodeLine}
                dataKey="fitted"
                name="fitted"
                dot={false}
                stroke="var(--muted, #888)"
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            )}
            <Scatter
              data={bins.map((b) => ({ x: b.contextTokens, y: b.tpotMs }))}
              dataKey="y"
              name="median TPOT"
              fill="var(--accent, #2a6)"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {decode ? (
        <p className="message info" data-testid="decode-slowdown">
          Each generated token takes <strong>{fmt(decode.msPer1kTokens)} ms longer per 1,000 tokens</strong>{' '}
          in the KV cache ({formatDecimals(100 * decode.sharePer1kTokens, 1)} % of the{' '}
          {fmt(decode.startTpotMs)} ms TPOT at {Math.round(decode.fromTokens).toLocaleString('en-US')} tokens;
          R² = {Number.isNaN(decode.rSquared) ? '—' : formatDecimals(decode.rSquared, 2)}, over{' '}
          {Math.round(decode.fromTokens).toLocaleString('en-US')}–
          {Math.round(decode.toTokens).toLocaleString('en-US')} tokens). Shorter answers and trimmed histories
          keep decode near the left of this line.
        </p>
      ) : (
        <p className="muted">
          The positions measured span too few tokens for a decode slope: widen the range of P or raise G.
        </p>
      )}
      <table className="metrics" data-testid="length-table">
        <thead>
          <tr>
            <th>P</th>
            <th>TTFT, ms</th>
            <th>prefill, tok/s</th>
            <th>TPOT, ms</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.promptTokens}>
              <td>{p.promptTokens.toLocaleString('en-US')}</td>
              <td>
                {fmt(p.ttftMs.median)}{' '}
                <span className="muted">
                  ({fmt(p.ttftMs.min)}–{fmt(p.ttftMs.max)})
                </span>
              </td>
              <td>{fmt(p.prefillTokPerS.median)}</td>
              <td>{fmt(p.tpotMs.median)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
