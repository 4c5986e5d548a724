import { type FormEvent, useState } from 'react';
import { INPUT_TEXT, LEVER_TEXT } from './explain.tsx';
import { NumberField } from './fields.tsx';
import { fmtCount, fmtUsd } from './format.ts';
import { findGpu, GPUS } from './gpus.ts';
import { PRICE_TABLE_SOURCE, type PriceRow } from './prices.ts';
import type { RunSpeeds } from './runs.ts';
import { customRowError, type FieldKey, parseField, type ScenarioDraft } from './scenario.ts';
import {
  addCustomRow,
  applyRunSpeeds,
  customRowToPriceRow,
  type PriceTableState,
  removeCustomRow,
  selectGpuById,
  selectPriceRow,
  setPowerIncluded,
  setVolumeUnit,
} from './store.ts';

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
  const custom = p.draft.customRows.map(customRowToPriceRow);
  const tableRows = p.table.status === 'ready' ? p.table.rows : [];
  const all = [...custom, ...tableRows];
  const selected = all.find((r) => r.id === p.draft.apiRowId);
  const overridden =
    selected !== undefined &&
    !(
      sameNumber(p.draft.fields.apiInput, selected.inputUsdPer1M) &&
      sameNumber(p.draft.fields.apiCachedInput, selected.cachedInputUsdPer1M) &&
      sameNumber(p.draft.fields.apiOutput, selected.outputUsdPer1M)
    );
  const byProvider = new Map<string, PriceRow[]>();
  for (const r of tableRows) byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
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
            if (row) selectPriceRow(row);
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
          {[...byProvider].map(([provider, rows]) => (
            <optgroup key={provider} label={provider}>
              {rows.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.model} — {fmtUsd(r.inputUsdPer1M)} in / {fmtUsd(r.outputUsdPer1M)} out
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
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
                  {selected.provider} · {selected.model}
                </strong>
                .{' '}
              </>
            )}
            Prices per 1M tokens from {PRICE_TABLE_SOURCE.name} v{PRICE_TABLE_SOURCE.version}, published{' '}
            {PRICE_TABLE_SOURCE.publishedOn} (bundled, works offline).{' '}
          </>
        )}
        {overridden && <span className="badge warn">overridden by you</span>}
      </p>
      <NumberField {...fieldProps(p, 'apiInput')} />
      <NumberField {...fieldProps(p, 'apiCachedInput')} />
      <NumberField {...fieldProps(p, 'apiOutput')} />
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
        hint="Measured with one request at a time, or typed in for hardware you do not have."
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
                    <button type="button" className="secondary" onClick={() => applyRunSpeeds(r)}>
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
        “Use this run” sets the in-browser speeds and the self-hosted single-stream speeds. A server GPU is
        usually much faster than a browser: adjust the self-hosted speeds if you know better.
      </p>
    </section>
  );
}
