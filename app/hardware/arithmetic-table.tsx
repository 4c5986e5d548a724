import {
  formatCount,
  formatSi,
  type ModelArithmetic,
  modelArithmetic,
  parseModelConfig,
} from '../models/arithmetic.ts';
import { type CatalogModel, catalogDtypes, fileBytes } from '../models/catalog.ts';
import { formatBytes } from '../ui/format.ts';
import { bandwidthFloorMs } from './roofline.ts';

/** Validates a context length typed by the user; returns the number or a message. */
export function parseContextTokens(
  text: string,
): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter a context length in tokens.' };
  const n = Number(t);
  if (!Number.isInteger(n))
    return { ok: false, message: 'The context length must be a whole number of tokens.' };
  if (n < 1 || n > 1_048_576)
    return { ok: false, message: 'The context length must be between 1 and 1,048,576 tokens.' };
  return { ok: true, value: n };
}

export function ContextField(props: { text: string; onChange: (text: string) => void; id: string }) {
  const parsed = parseContextTokens(props.text);
  return (
    <label className="field" htmlFor={props.id} style={{ maxWidth: 260 }}>
      Context length (tokens)
      <input
        id={props.id}
        type="text"
        inputMode="numeric"
        value={props.text}
        aria-invalid={!parsed.ok}
        aria-describedby={`${props.id}-error`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {parsed.ok ? (
        <span className="hint">Memory and per-token cost grow with the tokens already in the KV cache.</span>
      ) : (
        <span className="field-error" id={`${props.id}-error`} role="alert">
          {parsed.message}
        </span>
      )}
    </label>
  );
}

/** Parameters, weights, KV cache, FLOPs and memory of every catalog model, from config.json and file sizes. */
export function ArithmeticTable(props: {
  models: readonly CatalogModel[];
  contextTokens: number;
  gpuBandwidthGBps: number | null;
  cpuBandwidthGBps: number | null;
}) {
  const { models, contextTokens } = props;
  if (models.length === 0) return <p className="muted">No models in the catalog yet.</p>;
  const rows: Array<{
    model: CatalogModel;
    a: ModelArithmetic | null;
    errors: string[];
    assumptions: string[];
  }> = [];
  for (const m of models) {
    const shape = parseModelConfig(m.config);
    if (!shape.ok) {
      rows.push({ model: m, a: null, errors: shape.errors, assumptions: [] });
      continue;
    }
    for (const d of catalogDtypes(m)) {
      rows.push({
        model: m,
        a: modelArithmetic(shape.value, d, contextTokens, fileBytes(m, d)),
        errors: [],
        assumptions: shape.value.assumptions,
      });
    }
  }
  const tokPerS = (a: ModelArithmetic, bw: number | null) => {
    if (bw === null) return '—';
    const ms = bandwidthFloorMs(a.decodeBytesPerToken, bw);
    return Number.isFinite(ms) && ms > 0 ? formatCount(1000 / ms) : '—';
  };
  const assumptions = [...new Set(rows.flatMap((r) => r.assumptions.map((x) => `${r.model.label}: ${x}`)))];
  return (
    <>
      <div style={{ overflowX: 'auto' }}>
        <table className="metrics" data-testid="arithmetic-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>dtype</th>
              <th>Parameters</th>
              <th>Weights</th>
              <th>KV cache / token</th>
              <th>Memory at context</th>
              <th>Bytes read / decoded token</th>
              <th>FLOPs / decoded token</th>
              <th>FLOPs / prefill token</th>
              <th title="Bandwidth floor: measured read bandwidth / bytes per token">
                Bandwidth-bound tok/s (GPU · CPU)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ model, a, errors }) =>
              a === null ? (
                <tr key={model.id} data-model={model.id}>
                  <td>{model.label}</td>
                  <td colSpan={9} style={{ textAlign: 'left' }} className="field-error">
                    config.json cannot be used: {errors.join(' ')}
                  </td>
                </tr>
              ) : (
                <tr key={`${model.id}-${a.dtype}`} data-model={model.id} data-dtype={a.dtype}>
                  <td>{model.label}</td>
                  <td>{a.dtype}</td>
                  <td>{formatCount(a.params.total)}</td>
                  <td>
                    {formatBytes(a.weight.bytes)}
                    {a.weight.source === 'estimate' ? <span className="badge">est.</span> : null}
                  </td>
                  <td>{formatBytes(a.kvBytesPerToken)}</td>
                  <td>{formatBytes(a.memoryBytes)}</td>
                  <td>{formatBytes(a.decodeBytesPerToken)}</td>
                  <td>{formatSi(a.decodeFlopsPerToken, 'FLOP')}</td>
                  <td>{formatSi(a.prefillFlopsPerToken, 'FLOP')}</td>
                  <td>
                    {tokPerS(a, props.gpuBandwidthGBps)} · {tokPerS(a, props.cpuBandwidthGBps)}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      <p className="muted">
        KV cache / token = 2 × layers × KV heads × head dim × bytes (fp16 for fp16/q4f16, fp32 otherwise).
        FLOPs count 2 per multiply-add of every projection and the LM head, plus attention over the context.
        “est.” sizes are estimated from the dtype’s bits per weight until the file size is known.
      </p>
      {assumptions.length > 0 ? (
        <ul className="muted">
          {assumptions.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
