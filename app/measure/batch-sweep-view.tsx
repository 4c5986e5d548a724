import { useState } from 'react';
import {
  batchPoints,
  batchThroughput,
  costAtLatencyTarget,
  fitBatchCurve,
  LATENCY_PRESETS,
  type LatencyTargets,
} from '../run/batch-curve.ts';
import { fmtUsd, formatDecimals, formatSignificant, formatTrimmed } from '../ui/format.ts';
import { SpreadText, SweepChart } from '../ui/sweep-chart.tsx';
import { type SweepChartProps, sweepSubject } from './sweep-view-types.ts';

/**
 * The batch sweep's result: aggregate decode tok/s against each sequence's TPOT, one point per B with its
 * min–max, the fitted T(B) = S·B / (1 + α(B − 1)) drawn through them, a table, "Use this curve", and the cost
 * at a latency target.
 */
export function BatchSweepView({ sweep, handoffs }: SweepChartProps) {
  const points = batchPoints(sweep.runs);
  const fit = fitBatchCurve(
    points.map((p) => ({ sequences: p.sequences, tokPerS: p.aggregateDecodeTokPerS.median })),
  );
  const maxSequences = points.at(-1)?.sequences ?? 0;
  if (points.length === 0) return <p className="muted">No batch size has finished yet.</p>;
  // The fitted law in the chart's coordinates: each sequence's TPOT is B × 1000 / T(B).
  const curve = fit
    ? Array.from({ length: 41 }, (_, i) => 1 + ((maxSequences - 1) * i) / 40).map((b) => {
        const t = batchThroughput(fit.singleStreamTokPerS, fit.batchSlowdown, b);
        return { x: (1000 * b) / t, y: t };
      })
    : [];
  return (
    <div data-testid="batch-sweep-view">
      <SweepChart
        title="Aggregate decode speed against each sequence's TPOT, one point per B"
        testId="batch-chart"
        x={{ label: 'TPOT per sequence', unit: 'ms' }}
        y={{ label: 'aggregate decode', unit: 'tok/s' }}
        measured={{
          name: 'measured',
          pointHeader: 'B',
          points: points.map((p) => ({
            x: p.tpotMs,
            y: p.aggregateDecodeTokPerS,
            label: `B = ${p.sequences}`,
          })),
        }}
        fitted={{ name: 'fitted T(B)', points: curve }}
      />
      <table className="metrics" data-testid="batch-table">
        <thead>
          <tr>
            <th>B</th>
            <th>TTFT per sequence, ms</th>
            <th>TPOT per sequence, ms</th>
            <th>aggregate decode, tok/s</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.sequences}>
              <td>{p.sequences}</td>
              <td>
                <SpreadText value={p.ttftMs} />
              </td>
              <td>
                <SpreadText value={p.tpotMs} />
              </td>
              <td>
                <SpreadText value={p.aggregateDecodeTokPerS} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {fit ? (
        <p className={fit.clamped ? 'message warn' : 'message info'} data-testid="batch-fit">
          Fitted T(B) = S·B / (1 + α(B − 1)): S ={' '}
          <strong>{formatSignificant(fit.singleStreamTokPerS)} tok/s</strong>, α ={' '}
          <strong>{formatDecimals(fit.batchSlowdown, 3)}</strong> (R² ={' '}
          {Number.isNaN(fit.rSquared) ? '—' : formatDecimals(fit.rSquared, 3)}, rms residual{' '}
          {formatTrimmed(fit.rmsResidualTokPerS, 2)} tok/s, {points.length} batch sizes).
          {fit.clamped &&
            ' The best α lies at the edge of [0, 1]: the law fits these points poorly, use α with care.'}
        </p>
      ) : (
        <p className="muted">Two batch sizes are needed to fit α.</p>
      )}
      {fit && handoffs.onUseBatchCurve && !sweep.running && (
        <button
          type="button"
          className="primary"
          onClick={() =>
            handoffs.onUseBatchCurve?.({
              singleStreamTokPerS: fit.singleStreamTokPerS,
              batchSlowdown: fit.batchSlowdown,
              maxSequences,
              label: sweepSubject(sweep),
            })
          }
        >
          Use this curve in Cost
        </button>
      )}
      <LatencyTargetCost sweep={sweep} handoffs={handoffs} />
    </div>
  );
}

/** Cost at a latency target: the largest B that meets TTFT and TPOT targets, priced beside the unconstrained. */
function LatencyTargetCost({ sweep, handoffs }: SweepChartProps) {
  const [targets, setTargets] = useState<{ ttftMs: string; tpotMs: string }>({
    ttftMs: String(LATENCY_PRESETS[0].targets.ttftMs),
    tpotMs: String(LATENCY_PRESETS[0].targets.tpotMs),
  });
  const price = handoffs.selfHostedPrice?.();
  const parsed: LatencyTargets = { ttftMs: Number(targets.ttftMs), tpotMs: Number(targets.tpotMs) };
  const valid = parsed.ttftMs > 0 && parsed.tpotMs > 0;
  const points = batchPoints(sweep.runs);
  const result = price && valid ? costAtLatencyTarget(points, parsed, price) : null;
  return (
    <fieldset className="plain" data-testid="latency-target">
      <legend>Cost at a latency target</legend>
      <div className="row">
        <label className="field">
          Preset
          <select
            aria-label="Latency preset"
            value={
              LATENCY_PRESETS.find(
                (p) =>
                  String(p.targets.ttftMs) === targets.ttftMs && String(p.targets.tpotMs) === targets.tpotMs,
              )?.id ?? 'custom'
            }
            onChange={(e) => {
              const preset = LATENCY_PRESETS.find((p) => p.id === e.target.value);
              if (preset)
                setTargets({ ttftMs: String(preset.targets.ttftMs), tpotMs: String(preset.targets.tpotMs) });
            }}
          >
            {LATENCY_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label} (TTFT ≤ {p.targets.ttftMs} ms, TPOT ≤ {p.targets.tpotMs} ms)
              </option>
            ))}
            <option value="custom">custom</option>
          </select>
        </label>
        <label className="field">
          TTFT target, ms
          <input
            type="text"
            inputMode="numeric"
            value={targets.ttftMs}
            aria-invalid={parsed.ttftMs > 0 ? 'false' : 'true'}
            onChange={(e) => setTargets({ ...targets, ttftMs: e.target.value })}
          />
        </label>
        <label className="field">
          TPOT target, ms
          <input
            type="text"
            inputMode="numeric"
            value={targets.tpotMs}
            aria-invalid={parsed.tpotMs > 0 ? 'false' : 'true'}
            onChange={(e) => setTargets({ ...targets, tpotMs: e.target.value })}
          />
        </label>
      </div>
      {!valid && <p className="field-error">Targets must be positive numbers of milliseconds.</p>}
      {result && price && (
        <p data-testid="latency-target-cost">
          {result.atTarget
            ? `Largest B meeting both targets in every repetition: B = ${result.atTarget.sequences}, ${formatSignificant(result.atTarget.aggregateDecodeTokPerS)} tok/s, ${fmtUsd(result.atTarget.usdPer1M)} per 1M generated tokens`
            : 'No measured batch size meets both targets'}
          {result.unconstrained &&
            `; unconstrained: B = ${result.unconstrained.sequences}, ${formatSignificant(result.unconstrained.aggregateDecodeTokPerS)} tok/s, ${fmtUsd(result.unconstrained.usdPer1M)} per 1M`}
          {` (at the Cost view's $${price.gpuUsdPerHour}/GPU-hour and ${Math.round(price.utilisation * 100)}% utilisation).`}
        </p>
      )}
    </fieldset>
  );
}
