import { type ReactNode, useState } from 'react';
import { DTYPES, type Dtype } from '../engine/protocol.ts';
import { modelArithmetic, parseModelConfig } from '../models/arithmetic.ts';
import { type CatalogModel, catalogDtypes, fileBytes } from '../models/catalog.ts';
import { willItFit } from '../models/fit.ts';
import { formatBytes } from '../ui/format.ts';
import { ContextField, parseContextTokens } from './arithmetic-table.tsx';
import type { DeviceProbe } from './store.ts';

const VERDICT_TEXT = { fits: 'Fits', tight: 'Tight', 'wont-fit': 'Will not fit' } as const;
const VERDICT_CLASS = { fits: 'message info', tight: 'message warn', 'wont-fit': 'message error' } as const;

const limitsText = (probe: DeviceProbe | null): string => {
  const buffer = probe?.maxBufferSize ? formatBytes(probe.maxBufferSize) : 'unknown';
  const binding = probe?.maxStorageBufferBindingSize
    ? formatBytes(probe.maxStorageBufferBindingSize)
    : 'unknown';
  const mem = probe?.deviceMemoryGB;
  const memory = mem ? `${mem} GB${mem >= 8 ? ' or more' : ''}` : 'not reported';
  return `GPU limits: largest buffer ${buffer}, largest storage binding ${binding}; device memory ${memory}. Browsers do not reveal free GPU memory, so a model that passes can still fail to load on a busy device.`;
};

/** Weights + KV cache at the chosen context against the device's buffer limits and memory, before loading. */
export function WillItFitPanel(props: { models: readonly CatalogModel[]; probe: DeviceProbe | null }) {
  const { models, probe } = props;
  const [modelId, setModelId] = useState<string>(models[0]?.id ?? '');
  const [chosenDtype, setDtype] = useState<Dtype | null>(null);
  const [backend, setBackend] = useState<'webgpu' | 'wasm'>('webgpu');
  const [contextText, setContextText] = useState('4096');
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  if (!model) return <p className="muted">No models in the catalog yet.</p>;
  const dtypes = catalogDtypes(model);
  // A dtype picked for another model may not exist for this one: fall back to its most compact.
  const dtype =
    chosenDtype !== null && dtypes.includes(chosenDtype)
      ? chosenDtype
      : (dtypes[dtypes.length - 1] ?? 'fp32');
  const ctx = parseContextTokens(contextText);
  const shape = parseModelConfig(model.config);
  let body: ReactNode;
  if (!shape.ok) {
    body = (
      <div className="message error">
        {model.label}: config.json cannot be used: {shape.errors.join(' ')}
      </div>
    );
  } else if (!ctx.ok) {
    body = null; // the field shows its own message
  } else if (probe === null) {
    body = <p className="muted">Asking the browser about its limits…</p>;
  } else {
    const a = modelArithmetic(shape.value, dtype, ctx.value, fileBytes(model, dtype));
    const r = willItFit(
      {
        weightBytes: a.weight.bytes,
        kvBytesPerToken: a.kvBytesPerToken,
        contextTokens: ctx.value,
        largestTensorBytes: a.largestTensorBytes,
        maxContextTokens: shape.value.maxContextTokens,
      },
      {
        backend,
        maxBufferSize: probe.maxBufferSize,
        maxStorageBufferBindingSize: probe.maxStorageBufferBindingSize,
        deviceMemoryGB: probe.deviceMemoryGB,
      },
    );
    body = (
      <>
        <div className={VERDICT_CLASS[r.verdict]} data-testid="fit-result" data-verdict={r.verdict}>
          <strong>{VERDICT_TEXT[r.verdict]}:</strong> {formatBytes(r.weightBytes)} of weights
          {a.weight.source === 'estimate' ? ' (estimated)' : ''} + {formatBytes(r.kvBytes)} of KV cache ={' '}
          <strong>{formatBytes(r.totalBytes)}</strong>.
        </div>
        <ul>
          {r.checks.map((c) => (
            <li
              key={c.message}
              className={c.level === 'error' ? 'field-error' : c.level === 'warn' ? '' : 'muted'}
            >
              {c.message}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <label className="field" style={{ minWidth: 220 }}>
          Model
          <select value={model.id} onChange={(e) => setModelId(e.target.value)}>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          dtype
          <select
            value={dtype}
            onChange={(e) => setDtype(DTYPES.find((d) => d === e.target.value) ?? 'q4f16')}
          >
            {DTYPES.map((d) => (
              <option key={d} value={d}>
                {d}
                {fileBytes(model, d) === undefined ? ' (estimated size)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Backend
          <select value={backend} onChange={(e) => setBackend(e.target.value === 'wasm' ? 'wasm' : 'webgpu')}>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM</option>
          </select>
        </label>
        <ContextField id="fit-context" text={contextText} onChange={setContextText} />
      </div>
      {body}
      <p className="muted">{limitsText(probe)}</p>
    </>
  );
}
