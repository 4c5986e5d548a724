import { fmtUsd } from '../ui/format.ts';
import { fmtCount, fmtKwh, fmtSeconds } from './format.ts';
import { OPTION_KINDS, OPTION_LABEL, type OptionCost, type OptionKind, type Projection } from './model.ts';
import { answerParts, type OptionModel, TIER_LABEL, type Verdict, type VerdictInput } from './verdict.ts';

interface Row {
  id: string;
  label: string;
  value: (c: OptionCost) => string;
  strong?: boolean;
}

const ROWS: readonly Row[] = [
  { id: 'input-per-1m', label: '$ per 1M input tokens', value: (c) => fmtUsd(c.inputUsdPer1M) },
  { id: 'output-per-1m', label: '$ per 1M output tokens', value: (c) => fmtUsd(c.outputUsdPer1M) },
  {
    id: 'effective-per-1m',
    label: 'Effective $ per 1M tokens at this traffic',
    value: (c) => fmtUsd(c.effectiveUsdPer1M),
    strong: true,
  },
  {
    id: 'blended-per-1m',
    label: 'Marginal blended $ per 1M tokens',
    value: (c) => fmtUsd(c.blendedUsdPer1M),
  },
  { id: 'per-request', label: '$ per request', value: (c) => fmtUsd(c.perRequestUsd) },
  { id: 'per-day', label: '$ per day', value: (c) => fmtUsd(c.perDayUsd) },
  { id: 'per-month', label: '$ per month', value: (c) => fmtUsd(c.perMonthUsd), strong: true },
  { id: 'prefill-month', label: '… of which prefill (input)', value: (c) => fmtUsd(c.prefillUsdPerMonth) },
  { id: 'decode-month', label: '… of which decode (output)', value: (c) => fmtUsd(c.decodeUsdPerMonth) },
  { id: 'idle-month', label: '… of which idle capacity', value: (c) => fmtUsd(c.idleUsdPerMonth) },
  { id: 'energy', label: 'Energy per 1M blended tokens', value: (c) => fmtKwh(c.energyKwhPer1M) },
  { id: 'latency', label: 'Time for one median request', value: (c) => fmtSeconds(c.latencyS) },
];

export function ResultsTable(props: {
  projection: Projection;
  blendRatio: number;
  models: Record<OptionKind, OptionModel>;
  verdict: Verdict;
}) {
  const p = props.projection;
  const cheapest = props.verdict.winner;
  return (
    <section className="panel" aria-labelledby="cost-results">
      <h2 id="cost-results">Projection</h2>
      <div className="cost-table-wrap">
        <table className="metrics cost-results" data-testid="results">
          <thead>
            <tr>
              <th scope="col">Per option</th>
              {OPTION_KINDS.map((k) => (
                <th key={k} scope="col" className={`cost-col-${k}`}>
                  {OPTION_LABEL[k]}
                  {k === cheapest && <span className="badge">cheapest that qualifies</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Model priced</th>
              {OPTION_KINDS.map((k) => (
                <td key={k} data-testid={`cost-${k}-model`}>
                  {props.models[k].name}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Quality tier</th>
              {OPTION_KINDS.map((k) => (
                <td key={k} data-testid={`cost-${k}-tier`}>
                  {TIER_LABEL[props.models[k].tier]}
                </td>
              ))}
            </tr>
            {ROWS.map((r) => (
              <tr key={r.id} className={r.strong ? 'cost-strong' : undefined}>
                <th scope="row">
                  {r.id === 'blended-per-1m'
                    ? `Marginal blended $ per 1M tokens (${fmtCount(props.blendRatio)}:1, idle capacity left out)`
                    : r.label}
                </th>
                {OPTION_KINDS.map((k) => (
                  <td key={k} data-testid={`cost-${k}-${r.id}`}>
                    {r.value(p[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint cost-hint">
        Self-hosted: {fmtCount(p.selfHostedDetail.gpusNeeded)} GPU(s) at{' '}
        {fmtUsd(p.selfHostedDetail.hourlyUsd)}/h all-in, batch of{' '}
        {fmtCount(p.selfHostedDetail.effectiveBatch)} → {fmtCount(p.selfHostedDetail.batchedDecodeTokPerS)}{' '}
        decode tok/s per GPU. In-browser: users’ devices also spend about{' '}
        <span data-testid="browser-user-electricity">{fmtUsd(p.browserUserElectricityUsdPerMonth)}</span> of
        their own electricity a month (not on your bill).
      </p>
    </section>
  );
}

/** The one sentence a budget meeting wants: from which traffic does self-hosting pay off? */
export function BreakEven(props: { projection: Projection; requestsPerDay: number }) {
  const { projection: p, requestsPerDay } = props;
  const be = p.breakEvenRequestsPerDay;
  let text: string;
  if (be === null) {
    const selfPerRequest =
      requestsPerDay > 0
        ? (p.selfHosted.prefillUsdPerMonth + p.selfHosted.decodeUsdPerMonth) / (requestsPerDay * 30)
        : 0;
    text = `Self-hosting never beats the API here: even fully used, a request costs ${fmtUsd(selfPerRequest)} on your GPU against ${fmtUsd(p.api.perRequestUsd)} on the API. Faster speeds, a bigger batch, a cheaper GPU or higher utilisation would change that.`;
  } else if (be === 0) {
    text = 'With no always-on GPUs, self-hosting is cheaper than the API at any traffic.';
  } else {
    const side = requestsPerDay >= be ? 'self-hosting is cheaper' : 'the API is cheaper';
    text = `Break-even: self-hosting becomes cheaper than the API above ${fmtCount(be)} requests/day (${fmtCount(
      be * 30,
    )}/month). At your ${fmtCount(requestsPerDay)} requests/day, ${side}.`;
  }
  return (
    <p className="message info" data-testid="break-even">
      {text}
    </p>
  );
}

/**
 * The one-line answer, kept in view while the inputs change: each option's monthly bill, and the cheapest
 * option that meets the latency target and the quality bar, with its latency and quality beside it.
 */
export function AnswerLine(props: {
  input: VerdictInput;
  verdict: Verdict;
  requestsText: string;
  /** The server benchmark's file the self-hosted figures came from, when imported. */
  serverSource?: string;
}) {
  const { costs, answer } = answerParts(props.input, props.verdict, props.requestsText);
  return (
    <output className="cost-answer" data-testid="cost-answer" aria-live="polite">
      <span data-testid="cost-answer-costs">{costs}</span>
      <span className="cost-answer-sep"> · </span>
      <strong data-testid="cost-answer-verdict">{answer}</strong>
      {props.serverSource && (
        <span className="cost-answer-source" data-testid="cost-answer-source">
          {' '}
          · self-host from your benchmark {props.serverSource}
        </span>
      )}
    </output>
  );
}

/** Said under the answer when the options price models of different or unstated quality. */
export function MixedModelsNote(props: { verdict: Verdict }) {
  if (!props.verdict.mixedModels) return null;
  return (
    <p className="message warn" data-testid="cost-mixed-models">
      The three options price different models, or models of unstated quality: the bills are not for the same
      answers. Say each option’s quality tier (below each option’s inputs), or set “Quality you need”, so that
      “cheapest” compares like with like.
    </p>
  );
}
