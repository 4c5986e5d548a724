import type { CapabilityReport, Device, Dtype } from '../engine/protocol.ts';
import { modelArithmetic, parseModelConfig } from '../models/arithmetic.ts';
import type { CatalogModel } from '../models/catalog.ts';
import { willItFit } from '../models/fit.ts';
import { formatBytes } from '../ui/format.ts';

/**
 * Before a download: will this model, in this dtype, at P + G tokens of context, fit what the browser exposes?
 * A warning here is cheaper than a crashed tab. Shown for models not yet on this device (Hub), whose config is
 * known; embedded models are small by construction.
 */
export function FitWarning(props: {
  model: CatalogModel;
  dtype: Dtype;
  device: Device;
  contextTokens: number | null;
  capabilities: CapabilityReport | null;
}) {
  const { model, dtype, device, contextTokens, capabilities } = props;
  if (model.source !== 'hub' || contextTokens === null || !capabilities) return null;
  const shape = parseModelConfig(model.config);
  if (!shape.ok) return null; // a typed-in id: nothing is known until config.json arrives
  const exact = model.dtypes[dtype];
  const a = modelArithmetic(shape.value, dtype, contextTokens, exact?.exact ? exact.bytes : undefined);
  const limits = capabilities.webgpu?.limits ?? {};
  const deviceMemoryGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? null;
  const r = willItFit(
    {
      weightBytes: a.weight.bytes,
      kvBytesPerToken: a.kvBytesPerToken,
      contextTokens,
      largestTensorBytes: a.largestTensorBytes,
      maxContextTokens: shape.value.maxContextTokens,
    },
    {
      backend: device,
      maxBufferSize: device === 'webgpu' ? (limits.maxBufferSize ?? null) : null,
      maxStorageBufferBindingSize: device === 'webgpu' ? (limits.maxStorageBufferBindingSize ?? null) : null,
      deviceMemoryGB,
    },
  );
  if (r.verdict === 'fits') {
    return (
      <p className="hint muted" data-testid="fit-warning" data-verdict="fits">
        Needs about {formatBytes(r.totalBytes)} ({formatBytes(r.weightBytes)} of weights +{' '}
        {formatBytes(r.kvBytes)} of KV cache at {contextTokens} tokens): within what this browser reports
        (buffer limits, device memory).
      </p>
    );
  }
  return (
    <div
      className={r.verdict === 'wont-fit' ? 'message error' : 'message warn'}
      role="alert"
      data-testid="fit-warning"
      data-verdict={r.verdict}
    >
      <strong>{r.verdict === 'wont-fit' ? 'Will not fit' : 'Tight'}:</strong> about{' '}
      {formatBytes(r.totalBytes)} ({formatBytes(r.weightBytes)} of weights + {formatBytes(r.kvBytes)} of KV
      cache).
      <ul>
        {r.checks
          .filter((c) => c.level === 'error' || c.level === 'warn')
          .map((c) => (
            <li key={c.message}>{c.message}</li>
          ))}
      </ul>
      Loading may fail or stall the tab; a smaller dtype or model is safer.
    </div>
  );
}
