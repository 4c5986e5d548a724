import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { maxOf } from '../run/stats.ts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import { useThrottled } from '../ui/use-throttled.ts';
import type { LiveToken } from './store.ts';

/** At most this many bars: more tokens are grouped, so drawing stays cheap however long the run. */
const MAX_BARS = 120;
/** The chart redraws at most this often while tokens stream (the counter and the text update every frame). */
const REDRAW_MS = 200;

export interface LatencyBar {
  /** First token of the bar (1-based). */
  from: number;
  /** Last token of the bar. */
  to: number;
  /** TTFT for the first bar; 0 for the others. */
  prefillMs: number;
  /** Mean inter-token latency of the tokens in the bar; 0 for the prefill bar. */
  decodeMs: number;
  /** Largest inter-token latency in the bar, so a grouped spike is not hidden. */
  maxDecodeMs: number;
}

/**
 * Each token's latency: the first bar is TTFT (prefill plus the first decode step), the others inter-token
 * latencies. Beyond `maxBars` decode tokens, consecutive tokens are grouped into one bar showing their mean,
 * with their maximum kept for the tooltip.
 */
export function latencyBars(tokens: readonly LiveToken[], maxBars = MAX_BARS): LatencyBar[] {
  const sorted = [...tokens].sort((a, b) => a.index - b.index);
  const first = sorted[0];
  if (!first) return [];
  const bars: LatencyBar[] = [{ from: 1, to: 1, prefillMs: first.timeMs, decodeMs: 0, maxDecodeMs: 0 }];
  const gaps = sorted.slice(1).map((t, i) => t.timeMs - (sorted[i] as LiveToken).timeMs);
  const perBar = Math.max(1, Math.ceil(gaps.length / (maxBars - 1)));
  for (let start = 0; start < gaps.length; start += perBar) {
    const group = gaps.slice(start, start + perBar);
    bars.push({
      from: start + 2,
      to: start + 1 + group.length,
      prefillMs: 0,
      decodeMs: group.reduce((a, b) => a + b, 0) / group.length,
      maxDecodeMs: maxOf(group),
    });
  }
  return bars;
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
  const shownTokens = useThrottled(tokens, REDRAW_MS);
  const bars = useMemo(() => latencyBars(shownTokens), [shownTokens]);
  const prefill = bars[0];
  const grouped = bars.some((b) => b.to > b.from);
  return (
    <figure
      className="live-chart"
      aria-label="Per-token latency chart"
      data-testid="live-chart"
      data-tokens={tokens.length}
    >
      <figcaption className="row">
        <strong>Per-token latency, repetition {rep + 1}</strong>
        <span className="muted">
          {tokens.length} / {genTokens} tokens
        </span>
        <span className="legend-item">
          <span className="legend-swatch prefill" aria-hidden="true" /> prefill, hatched (TTFT
          {prefill ? `: ${prefill.prefillMs.toFixed(1)} ms` : ''})
        </span>
        <span className="legend-item">
          <span className="legend-swatch decode" aria-hidden="true" /> decode, solid (inter-token latency
          {grouped ? ', mean per group of tokens' : ''})
        </span>
      </figcaption>
      <BarsChart bars={bars} />
      <BarsTable bars={bars} />
    </figure>
  );
}

/** The chart's numbers as a table (its text alternative). */
function BarsTable({ bars }: { bars: readonly LatencyBar[] }) {
  return (
    <ChartDataTable
      summary="Latencies as a table"
      columns={['token', 'kind', 'latency (ms)']}
      rows={bars.map((b) => [
        b.from === b.to ? b.from : `${b.from}–${b.to}`,
        b.prefillMs > 0 ? 'prefill (TTFT)' : b.to > b.from ? 'decode, mean' : 'decode',
        (b.prefillMs > 0 ? b.prefillMs : b.decodeMs).toFixed(2),
      ])}
    />
  );
}

/** Rounds a scale maximum up to 1, 2 or 5 times a power of ten, for readable ticks. */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

const HEIGHT = 220;
const PAD = { top: 10, right: 12, bottom: 34, left: 52 };

/**
 * The chart itself, redrawn only when its bars change. Drawn as plain SVG rather than with recharts (which
 * every other chart of the lab uses): it redraws while tokens stream, and a recharts redraw took 60–90 ms of
 * main-thread time on a 2-core machine with inference running (npm run bench:ui), over the 50 ms budget.
 */
const BarsChart = memo(function BarsChart({ bars }: { bars: readonly LatencyBar[] }) {
  const width = useWidth();
  const prefill = bars[0];
  const decode = bars.slice(1);
  const decodeMax = Math.max(0, ...decode.map((b) => b.decodeMs));
  // TTFT is often 10-100x one decode step; clipping its bar keeps decode latencies readable, the label keeps it honest.
  const clipped = prefill !== undefined && decode.length > 0 && prefill.prefillMs > decodeMax * 3;
  const yMax = niceCeiling(
    clipped || !prefill ? decodeMax * 1.15 : Math.max(prefill.prefillMs, decodeMax) * 1.05,
  );
  const plotW = Math.max(10, width.px - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const y = (ms: number) => PAD.top + plotH - (Math.min(ms, yMax) / yMax) * plotH;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => f * yMax);
  const labelled = new Set([0, Math.floor((bars.length - 1) / 2), bars.length - 1]);
  return (
    <div ref={width.ref}>
      <svg
        width={width.px}
        height={HEIGHT}
        role="img"
        aria-label="Latency of each generated token in milliseconds"
      >
        <defs>
          <pattern
            id="prefill-hatch"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="var(--prefill)" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#fff" strokeWidth="2" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.left}
              x2={PAD.left + plotW}
              y1={y(t)}
              y2={y(t)}
              stroke="var(--line)"
              strokeDasharray="3 3"
            />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill="var(--muted)">
              {t.toFixed(t < 10 && t !== 0 ? 1 : 0)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const ms = b.prefillMs > 0 ? b.prefillMs : b.decodeMs;
          const top = y(ms);
          const label = b.from === b.to ? String(b.from) : `${b.from}–${b.to}`;
          return (
            <g key={b.from}>
              <rect
                x={PAD.left + i * slot + Math.min(1, slot * 0.1)}
                y={top}
                width={Math.max(1, slot - Math.min(2, slot * 0.2))}
                height={PAD.top + plotH - top}
                fill={b.prefillMs > 0 ? 'url(#prefill-hatch)' : 'var(--decode)'}
              >
                <title>
                  {b.prefillMs > 0
                    ? `token 1: TTFT ${b.prefillMs.toFixed(2)} ms`
                    : b.to > b.from
                      ? `tokens ${label}: ${b.decodeMs.toFixed(2)} ms mean, ${b.maxDecodeMs.toFixed(2)} ms max`
                      : `token ${label}: ${b.decodeMs.toFixed(2)} ms`}
                </title>
              </rect>
              {labelled.has(i) && (
                <text
                  x={PAD.left + (i + 0.5) * slot}
                  y={PAD.top + plotH + 14}
                  textAnchor="middle"
                  fontSize={11}
                  fill="var(--muted)"
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
        <line
          x1={PAD.left}
          x2={PAD.left + plotW}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          stroke="var(--muted)"
        />
        <text x={PAD.left + plotW / 2} y={HEIGHT - 4} textAnchor="middle" fontSize={12} fill="var(--muted)">
          generated token #
        </text>
        <text
          transform={`translate(14 ${PAD.top + plotH / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize={12}
          fill="var(--muted)"
        >
          latency (ms)
        </text>
      </svg>
      {clipped && (
        <p className="muted small">
          The TTFT bar is cut at the top of the scale; its full value is {prefill.prefillMs.toFixed(1)} ms.
        </p>
      )}
    </div>
  );
});

/** The width of an element, followed with a ResizeObserver (cheaper than re-measuring on every redraw). */
function useWidth(): { ref: (el: HTMLDivElement | null) => void; px: number } {
  const [px, setPx] = useState(600);
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => () => observer.current?.disconnect(), []);
  const ref = (el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => {
      if (entry) setPx(Math.max(200, Math.floor(entry.contentRect.width)));
    });
    observer.current.observe(el);
  };
  return { ref, px };
}
