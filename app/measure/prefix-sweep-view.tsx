import { fitPrefixSaving, prefixPoints } from '../run/prefix-saving.ts';
import { formatDecimals, formatSignificant } from '../ui/format.ts';
import { SpreadText, SweepChart } from '../ui/sweep-chart.tsx';
import { type SweepChartProps, sweepSubject } from './sweep-view-types.ts';

const pct = (share: number) => `${formatDecimals(100 * share, 0)} %`;

/**
 * The prefix-cache sweep's result: TTFT against the cached share of the prompt, the cold TTFT as a reference
 * line, the fitted saving, a table, and "Use this saving" for the Cost view's prompt-cache lever.
 */
export function PrefixSweepView({ sweep, handoffs }: SweepChartProps) {
  const points = prefixPoints(sweep.runs);
  if (points.length === 0) return <p className="muted">No cached prefix has finished yet.</p>;
  const fit = fitPrefixSaving(points);
  // Greedy decoding after a cached prefix must give the cold prompt's tokens: a check the user can see.
  const textOf = (k: number) =>
    sweep.runs.find((r) => r.status === 'complete' && (r.settings.cachedPrefixTokens ?? 0) === k)
      ?.repetitions[0]?.text;
  const coldText = textOf(0);
  const line = fit
    ? [0, 100 * (points.at(-1)?.cachedShare ?? 0)].map((x) => ({
        x,
        y: fit.coldTtftMs - (fit.savedMsPerCachedToken * x * fit.promptTokens) / 100,
      }))
    : [];
  return (
    <div data-testid="prefix-sweep-view">
      <SweepChart
        title="TTFT against the share of the prompt already in the KV cache"
        testId="prefix-chart"
        x={{
          label: 'share of the prompt already in the KV cache, K / P',
          unit: '%',
          domain: [0, 100],
          ticks: [0, 25, 50, 75, 100],
        }}
        y={{ label: 'TTFT', unit: 'ms' }}
        measured={{
          name: 'TTFT, cached prefix',
          points: points.map((p) => ({ x: { median: 100 * p.cachedShare }, y: p.ttftMs })),
        }}
        fitted={{ name: 'fitted saving', points: line }}
        {...(fit ? { reference: { axis: 'y' as const, value: fit.coldTtftMs, label: 'cold' } } : {})}
      />
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
                <SpreadText value={p.ttftMs} />
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
          Each cached token saves <strong>{formatSignificant(fit.savedMsPerCachedToken)} ms</strong> of
          prefill; a cold prompt token costs {formatSignificant(fit.coldPrefillMsPerToken)} ms. A cache hit
          saves <strong data-testid="prefix-saved-share">{pct(fit.savedShare)}</strong> of a token's prefill
          on this device (line through the medians, R² ={' '}
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
              label: sweepSubject(sweep),
            })
          }
        >
          Use this saving in Cost
        </button>
      )}
    </div>
  );
}
