import { type FormEvent, useState } from 'react';
import { fmtUsd } from '../ui/format.ts';
import { INPUT_TEXT, LEVER_TEXT } from './explain.tsx';
import { NumberField } from './fields.tsx';
import { fmtCount } from './format.ts';
import { findGpu, GPUS } from './gpus.ts';
import { OPTION_LABEL, type OptionKind } from './model.ts';
import { KNOWN_RETIRED, PRICE_TABLE_SOURCE, pickerGroups, priceRowLabels } from './prices.ts';
import type { RunSpeeds } from './runs.ts';
import { customRowError, type FieldKey, parseField, type ScenarioDraft } from './scenario.ts';
import { ServerBenchImport } from './server-import.tsx';
import {
  DECODE_BANDWIDTH_EFFICIENCY,
  findPrecision,
  findServerModel,
  PREFILL_COMPUTE_EFFICIENCY,
  PRESET_CONTEXT_TOKENS,
  SERVER_MODELS,
  SERVER_PRECISIONS,
  serverFigures,
} from './server-presets.ts';
import {
  addCustomRow,
  applyBrowserRun,
  applyServerFigures,
  customRowToPriceRow,
  type PriceTableState,
  removeCustomRow,
  selectGpuById,
  selectPriceRow,
  setOptionModel,
  setPowerIncluded,
  setRequiredTier,
  setVolumeUnit,
} from './store.ts';
import {
  isQualityTier,
  isRequiredTier,
  QUALITY_TIERS,
  REQUIRED_TIERS,
  requiredLabel,
  TIER_LABEL,
} from './verdict.ts';

type Errors = Partial<Record<FieldKey, string>>;

interface PanelProps {
  draft: ScenarioDraft;
  errors: Errors;
}

/** A field of the draft with its error: saves repeating three props on every input. */
const fieldProps = (p: PanelProps, k: FieldKey) => ({ k, value: p.draft.fields[k], error: p.errors[k] });

export function WorkloadPanel(p: PanelProps) {
  return (
    <section className="panel" aria-labelledby="cost-workload">
      <h2 id="cost-workload">Workload</h2>
      <div className="cost-requests">
        <NumberField {...fieldProps(p, 'requests')} />
        <label className="cost-unit">
          <span className="sr-only">Requests per</span>
          <select
            aria-label="Requests per"
            value={p.draft.volumeUnit}
            onChange={(e) => setVolumeUnit(e.target.value === 'month' ? 'month' : 'day')}
          >
            <option value="day">per day</option>
            <option value="month">per month</option>
          </select>
        </label>
      </div>
      <NumberField
        {...fieldProps(p, 'latencyTargetS')}
        hint="An option slower than this is never the answer, however cheap."
      />
      <label className="cost-field">
        Quality you need
        <select
          data-testid="required-tier"
          value={p.draft.requiredTier}
          onChange={(e) => {
            if (isRequiredTier(e.target.value)) setRequiredTier(e.target.value);
          }}
        >
          {REQUIRED_TIERS.map((t) => (
            <option key={t} value={t}>
              {t === 'any' ? 'Any (say each option’s tier below)' : `${requiredLabel(t)} or better`}
            </option>
          ))}
        </select>
      </label>
      <NumberField {...fieldProps(p, 'inputTokens')} hint={LEVER_TEXT.inputLength} />
      <NumberField {...fieldProps(p, 'outputTokens')} hint={LEVER_TEXT.outputLength} />
      <NumberField {...fieldProps(p, 'promptCachePct')} hint={LEVER_TEXT.promptCache} />
      <NumberField {...fieldProps(p, 'responseCachePct')} hint={LEVER_TEXT.responseCache} />
      <NumberField {...fieldProps(p, 'routingPct')} hint={LEVER_TEXT.routing} />
      <NumberField {...fieldProps(p, 'smallTierCostPct')} />
      <NumberField
        {...fieldProps(p, 'blendRatio')}
        hint="The common convention for one “blended” price is 3 input tokens per output token."
      />
    </section>
  );
}

const sameNumber = (raw: string, n: number): boolean => {
  const r = parseField('apiInput', raw);
  return 'value' in r && Math.abs(r.value - n) < 1e-12;
};

export function ApiPanel(p: PanelProps & { table: PriceTableState }) {
  const [showRetired, setShowRetired] = useState(false);
  const custom = p.draft.customRows.map(customRowToPriceRow);
  const tableRows = p.table.status === 'ready' ? p.table.rows : [];
  const all = [...custom, ...tableRows];
  const selected = all.find((r) => r.id === p.draft.apiRowId);
  const labels = priceRowLabels(tableRows);
  const groups = pickerGroups(tableRows, showRetired, p.draft.apiRowId);
  const retiredCount = tableRows.filter((r) => r.retired).length;
  const overridden =
    selected !== undefined &&
    !(
      sameNumber(p.draft.fields.apiInput, selected.inputUsdPer1M) &&
      sameNumber(p.draft.fields.apiCachedInput, selected.cachedInputUsdPer1M) &&
      sameNumber(p.draft.fields.apiOutput, selected.outputUsdPer1M)
    );
  return (
    <section className="panel" aria-labelledby="cost-api">
      <h2 id="cost-api">Hosted API</h2>
      <label className="cost-field">
        Price table row
        <select
          data-testid="price-row"
          value={selected ? selected.id : ''}
          onChange={(e) => {
            const row = all.find((r) => r.id === e.target.value);
            if (row) selectPriceRow(row, labels.get(row.id) ?? row.model);
          }}
        >
          {!selected && (
            <option value="">
              {p.table.status === 'loading' ? 'Loading price table…' : 'Your own prices'}
            </option>
          )}
          {custom.length > 0 && (
            <optgroup label="Your rows">
              {custom.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.model}
                </option>
              ))}
            </optgroup>
          )}
          {groups.map((g) => (
            <optgroup key={g.provider} label={g.provider}>
              {g.rows.map((r) => (
                <option key={r.id} value={r.id}>
                  {labels.get(r.id) ?? r.model} — {fmtUsd(r.inputUsdPer1M)} in / {fmtUsd(r.outputUsdPer1M)}{' '}
                  out
                  {r.retired ? ' (retired)' : ''}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {retiredCount > 0 && (
        <label className="cost-check">
          <input
            type="checkbox"
            data-testid="show-retired"
            checked={showRetired}
            onChange={(e) => setShowRetired(e.target.checked)}
          />
          Show {retiredCount} retired or deprecated models
        </label>
      )}
      <p className="hint cost-hint" data-testid="price-source">
        {p.table.status === 'error' ? (
          <span className="field-error">
            The bundled price table did not load ({p.table.message}); type prices in.
          </span>
        ) : (
          <>
            {selected && !selected.custom && (
              <>
                <strong>
                  {selected.provider} · {labels.get(selected.id) ?? selected.model}
                </strong>
                {selected.retired ? ' (retired: no longer offered)' : ''}.{' '}
              </>
            )}
            Prices per 1M tokens from {PRICE_TABLE_SOURCE.name} v{PRICE_TABLE_SOURCE.version}, published{' '}
            {PRICE_TABLE_SOURCE.publishedOn} (bundled, works offline). Retired: flagged in that data, or on
            the providers’ deprecation pages as of {KNOWN_RETIRED.asOf}.{' '}
          </>
        )}
        {overridden && <span className="badge warn">overridden by you</span>}
      </p>
      <ModelFields kind="api" draft={p.draft} nameFromRow />
      <NumberField {...fieldProps(p, 'apiInput')} />
      <NumberField {...fieldProps(p, 'apiCachedInput')} />
      <NumberField {...fieldProps(p, 'apiOutput')} />
      <NumberField {...fieldProps(p, 'apiTtftS')} />
      <NumberField {...fieldProps(p, 'apiOutputTokPerS')} />
      <CustomRowForm />
      {p.draft.customRows.length > 0 && (
        <ul className="cost-custom-rows">
          {p.draft.customRows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are identified by position in the URL too
            <li key={i} className="row">
              <span>
                {r.name}: {fmtUsd(r.inputUsdPer1M)} in / {fmtUsd(r.cachedInputUsdPer1M)} cached /{' '}
                {fmtUsd(r.outputUsdPer1M)} out
              </span>
              <button type="button" className="secondary" onClick={() => removeCustomRow(i)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Which model an option prices and its quality tier: what makes the three options comparable. The API's
 * name comes from the price row, so only its tier is asked.
 */
function ModelFields(props: { kind: OptionKind; draft: ScenarioDraft; nameFromRow?: boolean }) {
  const m = props.draft.models[props.kind];
  const id = `cost-model-${props.kind}`;
  return (
    <div className="cost-model" data-testid={`model-${props.kind}`}>
      {props.nameFromRow ? (
        <p className="cost-model-name">
          Prices <strong>{m.name}</strong>
        </p>
      ) : (
        <label className="cost-field" htmlFor={`${id}-name`}>
          Model this option prices
          <input
            id={`${id}-name`}
            type="text"
            value={m.name}
            maxLength={160}
            onChange={(e) => setOptionModel(props.kind, { name: e.target.value })}
          />
        </label>
      )}
      <label className="cost-field" htmlFor={`${id}-tier`}>
        Quality tier of {OPTION_LABEL[props.kind]}
        <select
          id={`${id}-tier`}
          data-testid={`tier-${props.kind}`}
          value={m.tier}
          onChange={(e) => {
            if (isQualityTier(e.target.value)) setOptionModel(props.kind, { tier: e.target.value });
          }}
        >
          {QUALITY_TIERS.map((t) => (
            <option key={t} value={t}>
              {TIER_LABEL[t]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function CustomRowForm() {
  const [row, setRow] = useState({ name: '', input: '', cachedInput: '', output: '' });
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = customRowError(row);
    setError(problem);
    if (problem) return;
    const num = (raw: string) => {
      const r = parseField('apiInput', raw);
      return 'value' in r ? r.value : 0;
    };
    const input = num(row.input);
    addCustomRow({
      name: row.name.trim().slice(0, 80),
      inputUsdPer1M: input,
      cachedInputUsdPer1M: row.cachedInput.trim() === '' ? input : num(row.cachedInput),
      outputUsdPer1M: num(row.output),
    });
    setRow({ name: '', input: '', cachedInput: '', output: '' });
  };
  const text = (key: keyof typeof row, label: string) => (
    <label className="cost-field">
      {label}
      <input
        type="text"
        inputMode={key === 'name' ? 'text' : 'decimal'}
        value={row[key]}
        onChange={(e) => setRow({ ...row, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <details className="cost-custom">
      <summary>Add a custom price row (a quote, a model not in the table)</summary>
      <form onSubmit={submit} aria-label="Custom price row">
        {text('name', 'Row name')}
        <div className="cost-three">
          {text('input', 'Input $/1M')}
          {text('cachedInput', 'Cached $/1M (optional)')}
          {text('output', 'Output $/1M')}
        </div>
        {error && (
          <p className="field-error" role="alert" data-testid="custom-row-error">
            {error}
          </p>
        )}
        <button type="submit" className="secondary">
          Add row
        </button>
      </form>
    </details>
  );
}

export function SelfHostedPanel(p: PanelProps & { maxBatch: number }) {
  const gpu = findGpu(p.draft.gpuId);
  const concurrency = parseField('concurrency', p.draft.fields.concurrency);
  const capped = 'value' in concurrency && p.maxBatch > 0 && concurrency.value > p.maxBatch;
  return (
    <section className="panel" aria-labelledby="cost-gpu">
      <h2 id="cost-gpu">Self-hosted GPU</h2>
      <label className="cost-field">
        GPU
        <select data-testid="gpu-row" value={gpu?.id ?? ''} onChange={(e) => selectGpuById(e.target.value)}>
          {!gpu && <option value="">Your own GPU</option>}
          {GPUS.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name} — {fmtUsd(g.usdPerHourLow)}–{fmtUsd(g.usdPerHourHigh)}/h
            </option>
          ))}
        </select>
      </label>
      <ServerPreset gpuId={gpu?.id ?? null} />
      <ServerBenchImport draft={p.draft} />
      <ModelFields kind="selfHosted" draft={p.draft} />
      {gpu && (
        <p className="hint cost-hint">
          {gpu.memoryGb} GB, {fmtCount(gpu.bandwidthGbPerS)} GB/s, {gpu.tdpW} W. On-demand{' '}
          {fmtUsd(gpu.usdPerHourLow)}–{fmtUsd(gpu.usdPerHourHigh)} per GPU-hour: {gpu.priceSource}, as of{' '}
          {gpu.pricesAsOf}. Specs:{' '}
          <a href={gpu.specSource} target="_blank" rel="noreferrer">
            datasheet
          </a>
          . Prices drift: type your quote.
        </p>
      )}
      <NumberField {...fieldProps(p, 'gpuUsdPerHour')} />
      <NumberField {...fieldProps(p, 'utilisationPct')} hint={INPUT_TEXT.utilisation} />
      <NumberField
        {...fieldProps(p, 'gpuPrefillTokPerS')}
        hint="A server's figure, one request at a time: from a preset, your server's benchmark, or typed. A run measured in this browser never changes it."
      />
      <NumberField {...fieldProps(p, 'gpuDecodeTokPerS')} />
      <NumberField
        {...fieldProps(p, 'concurrency')}
        hint={
          <>
            {LEVER_TEXT.concurrency}{' '}
            {p.maxBatch > 0 && (
              <strong data-testid="max-batch">
                Fits at most {fmtCount(p.maxBatch)} at once{capped ? ': the batch is capped there.' : '.'}
              </strong>
            )}
          </>
        }
      />
      <NumberField {...fieldProps(p, 'batchSlowdown')} />
      <NumberField
        {...fieldProps(p, 'prefixSavingPct')}
        hint="How much of a prompt token's prefill a prompt-cache hit saves: 100 % if cached tokens were free. Measure it with a prefix-cache sweep."
      />
      <NumberField {...fieldProps(p, 'gpuMemoryGb')} />
      <NumberField {...fieldProps(p, 'weightsGb')} hint={LEVER_TEXT.quantization} />
      <NumberField {...fieldProps(p, 'kvCacheGb')} />
      <NumberField {...fieldProps(p, 'minGpus')} hint={INPUT_TEXT.minGpus} />
      <NumberField {...fieldProps(p, 'gpuPowerW')} />
      <NumberField {...fieldProps(p, 'pue')} />
      <label className="cost-check">
        <input
          type="checkbox"
          checked={p.draft.powerIncludedInPrice}
          onChange={(e) => setPowerIncluded(e.target.checked)}
        />
        Power is included in the $/h (cloud rental)
      </label>
      <p className="hint cost-hint">{INPUT_TEXT.power}</p>
      <NumberField {...fieldProps(p, 'electricityUsdPerKwh')} />
    </section>
  );
}

export function BrowserPanel(p: PanelProps) {
  return (
    <section className="panel" aria-labelledby="cost-browser">
      <h2 id="cost-browser">In-browser (on the user’s device)</h2>
      <ModelFields kind="browser" draft={p.draft} />
      <NumberField {...fieldProps(p, 'deviceSharePct')} hint={INPUT_TEXT.deviceShare} />
      <NumberField {...fieldProps(p, 'browserPrefillTokPerS')} />
      <NumberField {...fieldProps(p, 'browserDecodeTokPerS')} />
      <NumberField {...fieldProps(p, 'devicePowerW')} />
      <NumberField {...fieldProps(p, 'userElectricityUsdPerKwh')} />
    </section>
  );
}

export function RunsPanel(props: { runs: readonly (RunSpeeds | null)[]; names: readonly string[] }) {
  return (
    <section className="panel" aria-labelledby="cost-runs">
      <h2 id="cost-runs">Measured runs</h2>
      {props.runs.length === 0 ? (
        <p className="muted" data-testid="no-runs">
          No measured runs yet. Measure a model on the Measure tab and it appears here; one click puts its
          speeds into the projection. Until then, type speeds in.
        </p>
      ) : (
        <table className="metrics">
          <thead>
            <tr>
              <th>Run</th>
              <th>Prefill tok/s</th>
              <th>Decode tok/s</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.runs.map((r, i) => (
              <tr key={r?.runId ?? `invalid-${props.names[i]}`}>
                <td>{r?.label ?? props.names[i]}</td>
                <td>{r ? fmtCount(r.prefillTokPerS) : '—'}</td>
                <td>{r ? fmtCount(r.decodeTokPerS) : '—'}</td>
                <td>
                  {r ? (
                    <button type="button" className="secondary" onClick={() => applyBrowserRun(r)}>
                      Use this run
                    </button>
                  ) : (
                    <span className="muted">no valid repetition</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint cost-hint">
        “Use this run” prices the in-browser option with the run’s speeds. It leaves the self-hosted option
        alone: a laptop’s speeds say nothing about a server GPU (use a preset or your server’s benchmark
        there). A run of the lab’s random-weight models is priced at quality “random weights”.
      </p>
    </section>
  );
}

/** Self-hosted presets: an open model at a precision on the picked GPU, as roofline server figures. */
function ServerPreset(props: { gpuId: string | null }) {
  const [modelId, setModelId] = useState('llama-3.1-8b');
  const [precisionId, setPrecisionId] = useState('bf16');
  const gpu = props.gpuId ? findGpu(props.gpuId) : undefined;
  const model = findServerModel(modelId);
  const precision = findPrecision(precisionId);
  const figures = gpu && model && precision ? serverFigures(model, precision, gpu) : null;
  return (
    <fieldset className="cost-preset" data-testid="server-preset">
      <legend>Server preset</legend>
      <div className="cost-three">
        <label className="cost-field">
          Model
          <select value={modelId} onChange={(e) => setModelId(e.target.value)}>
            {SERVER_MODELS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="cost-field">
          Precision
          <select value={precisionId} onChange={(e) => setPrecisionId(e.target.value)}>
            {SERVER_PRECISIONS.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={figures === null}
          onClick={() => figures && applyServerFigures(figures)}
        >
          Use preset
        </button>
      </div>
      <p className="hint cost-hint">
        {figures ? (
          <>
            {figures.weightsGb} GB of weights, {fmtCount(figures.prefillTokPerS)} prefill and{' '}
            {fmtCount(figures.decodeTokPerS)} decode tok/s on the {gpu?.name}
            {figures.fits ? '' : ': does not fit in its memory'}.{' '}
          </>
        ) : (
          'Pick a GPU from the list for a preset. '
        )}
        Estimates: decode at {DECODE_BANDWIDTH_EFFICIENCY * 100} % of memory bandwidth, prefill at{' '}
        {PREFILL_COMPUTE_EFFICIENCY * 100} % of dense BF16 peak, KV cache for {PRESET_CONTEXT_TOKENS} tokens.
      </p>
    </fieldset>
  );
}
