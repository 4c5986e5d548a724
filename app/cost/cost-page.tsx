import { useEffect, useMemo } from 'react';
import type { RunResult } from '../run/run.ts';
import { RequestSplitChart, RunsCostChart, SensitivityChart, TrafficChart } from './charts.tsx';
import './cost.css';
import { HowComputed } from './explain.tsx';
import { fmtCount } from './format.ts';
import { ApiPanel, BrowserPanel, RunsPanel, SelfHostedPanel, WorkloadPanel } from './inputs.tsx';
import { maxBatch, OPTION_KINDS, OPTION_LABEL, type OptionKind, project } from './model.ts';
import { AnswerLine, BreakEven, MixedModelsNote, ResultsTable } from './results.tsx';
import { type RunSpeeds, runSpeeds } from './runs.ts';
import { FIELDS, parseField, validateDraft } from './scenario.ts';
import {
  dismissUrlNotes,
  ensurePriceTable,
  loadDraftFromUrl,
  resetScenario,
  setFocus,
  useCostStore,
  writeDraftToUrl,
} from './store.ts';
import { costVerdict, type VerdictInput } from './verdict.ts';

/**
 * The cost page: a scenario (workload, the three options, overrides) on the left, what it costs on the
 * right. The scenario lives in `?cost=` so a reload or a copied link restores it.
 */
export function CostPage(props: { runs: RunResult[] }) {
  const draft = useCostStore((s) => s.draft);
  const lastValid = useCostStore((s) => s.lastValid);
  const priceTable = useCostStore((s) => s.priceTable);
  const urlNotes = useCostStore((s) => s.urlNotes);

  useEffect(() => {
    loadDraftFromUrl(location.search);
    void ensurePriceTable();
    return useCostStore.subscribe((s, prev) => {
      if (s.draft !== prev.draft) writeDraftToUrl(s.draft);
    });
  }, []);

  const validation = useMemo(() => validateDraft(draft), [draft]);
  const scenario = validation.scenario ?? lastValid;
  const projection = useMemo(() => project(scenario), [scenario]);
  const latencyTarget = parseField('latencyTargetS', draft.fields.latencyTargetS);
  const verdictInput: VerdictInput = {
    projection,
    models: draft.models,
    latencyTargetS: 'value' in latencyTarget ? latencyTarget.value : FIELDS.latencyTargetS.default,
    requiredTier: draft.requiredTier,
  };
  const verdict = costVerdict(verdictInput);
  const requestsText =
    draft.volumeUnit === 'month'
      ? `${fmtCount(scenario.workload.requestsPerDay * 30)} req/month`
      : `${fmtCount(scenario.workload.requestsPerDay)} req/day`;
  const speeds = useMemo(() => props.runs.map((r) => runSpeeds(r)), [props.runs]);
  const validSpeeds = speeds.filter((s): s is RunSpeeds => s !== null);
  const errorKeys = Object.keys(validation.errors) as (keyof typeof FIELDS)[];

  // The memory bound of the batch, shown beside the concurrency input even while another field is wrong.
  const num = (k: 'gpuMemoryGb' | 'weightsGb' | 'kvCacheGb') => {
    const r = parseField(k, draft.fields[k]);
    return 'value' in r ? r.value : 0;
  };
  const fits = maxBatch(num('gpuMemoryGb'), num('weightsGb'), num('kvCacheGb'));

  return (
    <div className="cost-page">
      <AnswerLine
        input={verdictInput}
        verdict={verdict}
        requestsText={requestsText}
        serverSource={draft.serverSource?.file}
      />
      <p className="cost-intro">
        What will this cost, and which lever moves it? Describe the traffic, compare a hosted API, your own
        GPUs and running the model in your users’ browsers, then play with the levers. Measured runs feed in
        with one click; every formula is under “How this is computed”.
      </p>
      {/* On a phone the key results come first, then the inputs, then the detail charts (cost.css). */}
      <div className="cost-layout">
        <div className="cost-inputs">
          {/* Measured runs first: one click prices the in-browser option with a measurement. */}
          <RunsPanel runs={speeds} names={props.runs.map((r) => r.name || r.settings.modelId)} />
          <WorkloadPanel draft={draft} errors={validation.errors} />
          <ApiPanel draft={draft} errors={validation.errors} table={priceTable} />
          <SelfHostedPanel draft={draft} errors={validation.errors} maxBatch={fits} />
          <BrowserPanel draft={draft} errors={validation.errors} />
          <button type="button" className="secondary" onClick={resetScenario}>
            Reset the scenario
          </button>
        </div>
        <div className="cost-key">
          {urlNotes.length > 0 && (
            <div className="message warn" role="status" data-testid="scenario-notes">
              {urlNotes.map((note) => (
                <p key={note}>{note}</p>
              ))}
              <button type="button" className="secondary" onClick={dismissUrlNotes}>
                Dismiss
              </button>
            </div>
          )}
          {errorKeys.length > 0 && (
            <div className="message warn" role="alert" data-testid="invalid-summary">
              <strong>Some inputs need fixing</strong> — the numbers below are from the last valid scenario
              until then:
              <ul>
                {errorKeys.map((k) => (
                  <li key={k}>
                    <a href={`#cost-${k}`}>{FIELDS[k].label}</a>: {validation.errors[k]}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <MixedModelsNote verdict={verdict} />
          <ResultsTable
            projection={projection}
            blendRatio={scenario.blendInputPerOutput}
            models={draft.models}
            verdict={verdict}
          />
          <BreakEven projection={projection} requestsPerDay={scenario.workload.requestsPerDay} />
        </div>
        <div className="cost-details">
          <TrafficChart scenario={scenario} breakEven={projection.breakEvenRequestsPerDay} />
          <div className="panel cost-focus">
            <label htmlFor="cost-focus">Detail charts for</label>
            <select
              id="cost-focus"
              data-testid="focus-select"
              value={draft.focus}
              onChange={(e) => {
                const k = OPTION_KINDS.find((o) => o === e.target.value);
                if (k) setFocus(k satisfies OptionKind);
              }}
            >
              {OPTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {OPTION_LABEL[k]}
                </option>
              ))}
            </select>
          </div>
          <RequestSplitChart scenario={scenario} focus={draft.focus} />
          <SensitivityChart scenario={scenario} focus={draft.focus} />
          <RunsCostChart scenario={scenario} runs={validSpeeds} />
          <HowComputed />
        </div>
      </div>
    </div>
  );
}
