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
import { fitPrefixSaving, prefixPoints } from '../run/prefix-saving.ts';
import { formatDecimals } from '../ui/format.ts';
import type { SweepChartProps } from './sweep-view-types.ts';

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '—');
const pct = (share: number) => `${formatDecimals(100 * share, 0)} %`;

/**
 * The prefix-cache sweep's result: TTFT against the cached share of the prompt, the cold TTFT as a reference
 * line, the fitted saving, a table, and "Use this saving" for the Cost view's prompt-cache lever.
 */
export function PrefixSweepView({ sweep, handoffs }: SweepChartProps) {
  const points = prefixPoints(sweep.runs);
  if (points.length === 0) return <p className="muted">No cached prefix has finished yet.</p>;
  const fit = fitPrefixSaving(points);
  const first = sweep.runs[0];
  // Greedy decoding after a cached prefix must give the cold prompt's tokens: a check the user can see.
  const textOf = (k: number) =>
    sweep.runs.find((r) => r.status === 'complete' && (r.settings.cachedPrefixTokens ?? 0) === k)
      ?.repetitions[0]?.text;
  const coldText = textOf(0);
  const data = points.map((p) => ({
    x: 100 * p.cachedShare,
    y: p.ttftMs.median,
    yErr: [p.ttftMs.median - p.ttftMs.min, p.ttftMs.max - p.ttftMs.median],
  }));
  const line = fit
    ? [0, 100 * (points.at(-1)?.cachedShare ?? 0)].map((x) => ({
        x,
        fitted: fit.coldTtftMs - (fit.savedMsPerCachedToken * x * fit.promptTokens) / 100,
      }))
    : [];
  return (
    <div data-testid="prefix-sweep-view">
      <div style={{ width: '100%', height: 280 }} data-testid="prefix-chart">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit=" %">
              <Label
                value="share of the prompt already in the KV cache (K / P)"
                position="bottom"
                offset={4}
              />
            </XAxis>
            <YAxis type="number" domain={[0, 'auto']} tickFormatter={(v: number) => fmt(v, 2)}>
              <Label value="TTFT (ms)" angle={-90} position="insideLeft" style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${fmt(value)} ms` : String(value))}
              labelFormatter={(x) => (typeof x === 'number' ? `${fmt(x, 2)} % cached` : '')}
            />
            <Legend verticalAlign="top" height={24} />
            {fit && (
              <ReferenceLine
                y={fit.coldTtftMs}
                stroke="var(--warn, #c80)"
                strokeDasharray="6 3"
                label={{ value: 'cold', position: 'insideTopRight' }}
              />
            )}
            {line.length > 0 && (
              <Line
                data={line}
                dataKey="fitted"
                name="fitted saving"
                dot={false}
                stroke="var(--muted, #888)"
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            )}
            <Scatter
              data={data}
              dataKey="y"
              name="TTFT, cached prefix"
              fill="var(--accent, #2a6)"
              isAnimationActive={false}
            >
              <ErrorBar dataKey="yErr" direction="y" width={4} />
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <table className="metrics" data-testid="prefix-table">
        <thead>
          <tr>
            <th>K cached</th>
            <th>K / P</th>
            <th>TTFT, ms</th>
            <th>saved vs cold</th>
            <th title="Greedy decoding: the tokens generated after the cached prefix equal the cold prompt's">
              same tokens as cold
            </th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.cachedTokens}>
              <td>{p.cachedTokens === 0 ? '0 (cold)' : p.cachedTokens}</td>
              <td>{pct(p.cachedShare)}</td>
              <td>
                {fmt(p.ttftMs.median)}{' '}
                <span className="muted">
                  ({fmt(p.ttftMs.min)}–{fmt(p.ttftMs.max)})
                </span>
              </td>
              <td>{fit && p.cachedTokens > 0 ? pct(1 - p.ttftMs.median / fit.coldTtftMs) : '—'}</td>
              <td data-testid="prefix-same-tokens">
                {p.cachedTokens === 0 || coldText === undefined
                  ? '—'
                  : textOf(p.cachedTokens) === coldText
                    ? 'yes'
                    : 'no (rounding differs)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {fit ? (
        <p className="message info" data-testid="prefix-fit">
          Each cached token saves <strong>{fmt(fit.savedMsPerCachedToken)} ms</strong> of prefill; a cold
          prompt token costs {fmt(fit.coldPrefillMsPerToken)} ms. A cache hit saves{' '}
          <strong data-testid="prefix-saved-share">{pct(fit.savedShare)}</strong> of a token's prefill on this
          device (line through the medians, R² ={' '}
          {Number.isNaN(fit.rSquared) ? '—' : formatDecimals(fit.rSquared, 3)}
          ). With {pct(fit.largestSaving.cachedShare)} of P = {fit.promptTokens} cached, TTFT drops by{' '}
          {pct(fit.largestSaving.ttftSavedShare)}.
        </p>
      ) : (
        <p className="muted">The cold prompt and one cached prefix are needed to fit the saving.</p>
      )}
      {fit && handoffs.onUsePrefixSaving && !sweep.running && (
        <button
          type="button"
          className="primary"
          onClick={() =>
            handoffs.onUsePrefixSaving?.({
              ...fit,
              label: first ? `${first.settings.modelId} · ${first.settings.dtype} · ${first.env.device}` : '',
            })
          }
        >
          Use this saving in Cost
        </button>
      )}
    </div>
  );
}
