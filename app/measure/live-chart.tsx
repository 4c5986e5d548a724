import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LiveToken } from './store.ts';

interface Point {
  token: number;
  latencyMs: number;
  phase: 'prefill' | 'decode';
}

/**
 * Each token's latency as it arrives: the first bar is TTFT (prefill plus the first decode step), the rest are
 * inter-token latencies. Prefill and decode get different colours because they are different regimes.
 */
export function toPoints(tokens: readonly LiveToken[]): Point[] {
  const sorted = [...tokens].sort((a, b) => a.index - b.index);
  return sorted.map((t, i) => ({
    token: t.index + 1,
    latencyMs: i === 0 ? t.timeMs : t.timeMs - (sorted[i - 1] as LiveToken).timeMs,
    phase: t.index === 0 ? 'prefill' : 'decode',
  }));
}

export function LiveChart({
  tokens,
  rep,
  genTokens,
}: {
  tokens: readonly LiveToken[];
  rep: number;
  genTokens: number;
}) {
  const points = toPoints(tokens);
  const decode = points.filter((p) => p.phase === 'decode');
  const prefill = points[0];
  const scaleMax = Math.max(1e-3, ...decode.map((p) => p.latencyMs)) * 1.15;
  const clipped = prefill && prefill.latencyMs > scaleMax * 3;
  // TTFT is often 10-100x one decode step; clipping its bar keeps decode latencies readable, the label keeps it honest.
  const data = points.map((p) => ({
    ...p,
    shownMs: clipped && p.phase === 'prefill' ? scaleMax : p.latencyMs,
  }));
  return (
    <figure
      className="live-chart"
      aria-label="Per-token latency chart"
      data-testid="live-chart"
      data-tokens={points.length}
    >
      <figcaption className="row">
        <strong>Per-token latency, repetition {rep + 1}</strong>
        <span className="muted">
          {points.length} / {genTokens} tokens
        </span>
        <span className="legend-swatch" style={{ background: 'var(--prefill)' }} /> prefill (TTFT
        {prefill ? `: ${prefill.latencyMs.toFixed(1)} ms` : ''})
        <span className="legend-swatch" style={{ background: 'var(--decode)' }} /> decode (inter-token
        latency)
      </figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 18, left: 8 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="token"
            label={{ value: 'generated token #', position: 'insideBottom', offset: -10 }}
            interval="preserveStartEnd"
            tick={{ fontSize: 11 }}
          />
          <YAxis
            domain={[0, clipped ? scaleMax : 'auto']}
            tickFormatter={(v: number) => v.toFixed(v < 10 ? 1 : 0)}
            label={{ value: 'latency (ms)', angle: -90, position: 'insideLeft', offset: 4 }}
            tick={{ fontSize: 11 }}
          />
          <Tooltip
            formatter={(_v, _n, item) => [
              `${(item.payload as Point).latencyMs.toFixed(2)} ms`,
              (item.payload as Point).phase === 'prefill' ? 'TTFT' : 'inter-token latency',
            ]}
            labelFormatter={(label) => `token ${label}`}
          />
          <Bar dataKey="shownMs" isAnimationActive={false}>
            {data.map((p) => (
              <Cell key={p.token} fill={p.phase === 'prefill' ? 'var(--prefill)' : 'var(--decode)'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      {clipped && (
        <p className="muted small">
          The TTFT bar is cut at the top of the scale; its full value is {prefill?.latencyMs.toFixed(1)} ms.
        </p>
      )}
    </figure>
  );
}
