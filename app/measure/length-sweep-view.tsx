import { decodeByPosition, decodeSlowdown, lengthPoints, prefillScaling } from '../run/context-length.ts';
import { formatDecimals, formatSignificant } from '../ui/format.ts';
import { SpreadText, SweepChart } from '../ui/sweep-chart.tsx';
import type { SweepChartProps } from './sweep-view-types.ts';

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
  const linear = scaling ? [0, maxP].map((x) => ({ x, y: scaling.overheadMs + scaling.msPerToken * x })) : [];
  const decodeLine = decode
    ? [decode.fromTokens, decode.toTokens].map((x) => ({
        x,
        y: decode.startTpotMs + (decode.msPer1kTokens * (x - decode.fromTokens)) / 1000,
      }))
    : [];
  return (
    <div data-testid="length-sweep-view">
      <h3>Prefill against prompt length</h3>
      <SweepChart
        title="TTFT against prompt length"
        testId="length-prefill-chart"
        height={260}
        x={{ label: 'prompt length P', unit: 'tokens' }}
        y={{ label: 'TTFT', unit: 'ms' }}
        measured={{
          name: 'TTFT',
          points: points.map((p) => ({ x: { median: p.promptTokens }, y: p.ttftMs })),
        }}
        fitted={{ name: 'linear (fitted on the short prompts)', points: linear }}
        {...(scaling?.breakTokens != null
          ? { reference: { axis: 'x' as const, value: scaling.breakTokens, label: 'not linear from here' } }
          : {})}
      />
      {scaling ? (
        <p className="message info" data-testid="prefill-scaling">
          {scaling.msPerToken > 0 ? (
            <>
              Prefill costs <strong>{formatSignificant(scaling.msPerToken)} ms per prompt token</strong> (
              {scaling.overheadMs < 0 ? '−' : '+'} {formatSignificant(Math.abs(scaling.overheadMs))} ms per
              request)
            </>
          ) : (
            <>
              Prefill time is <strong>flat at about {formatSignificant(scaling.overheadMs)} ms</strong>: a
              fixed cost per request outweighs the prompt's tokens
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
            `Trimming a prompt saves about ${formatSignificant(scaling.msPerToken * 1000)} ms per 1,000 tokens.`}
        </p>
      ) : (
        <p className="muted">Three prompt lengths are needed to fit the prefill line.</p>
      )}
      <h3>Decode against the position in the KV cache</h3>
      <SweepChart
        title="TPOT against the position in the KV cache"
        testId="length-decode-chart"
        height={240}
        x={{ label: 'position in the KV cache', unit: 'tokens' }}
        y={{ label: 'TPOT', unit: 'ms' }}
        measured={{
          name: 'median TPOT',
          points: bins.map((b) => ({ x: { median: b.contextTokens }, y: { median: b.tpotMs } })),
        }}
        fitted={{ name: 'fitted', points: decodeLine }}
      />
      {decode ? (
        <p className="message info" data-testid="decode-slowdown">
          Each generated token takes{' '}
          <strong>{formatSignificant(decode.msPer1kTokens)} ms longer per 1,000 tokens</strong> in the KV
          cache ({formatDecimals(100 * decode.sharePer1kTokens, 1)} % of the{' '}
          {formatSignificant(decode.startTpotMs)} ms TPOT at{' '}
          {Math.round(decode.fromTokens).toLocaleString('en-US')} tokens; R² ={' '}
          {Number.isNaN(decode.rSquared) ? '—' : formatDecimals(decode.rSquared, 2)}, over{' '}
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
                <SpreadText value={p.ttftMs} />
              </td>
              <td>{formatSignificant(p.prefillTokPerS.median)}</td>
              <td>{formatSignificant(p.tpotMs.median)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
