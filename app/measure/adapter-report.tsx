import type { CapabilityReport } from '../engine/protocol.ts';
import { formatBytes, formatDecimals } from '../ui/format.ts';

/** What this browser and GPU offer: one click away, because every result depends on it. */
export function AdapterReportView({ report }: { report: CapabilityReport | null }) {
  return (
    <details className="panel" data-testid="adapter-report">
      <summary>Device &amp; adapter report</summary>
      {!report ? (
        <p className="muted">Reading capabilities…</p>
      ) : (
        <dl className="report">
          <dt>WebGPU</dt>
          <dd data-testid="webgpu-status">
            {report.webgpu
              ? `${report.webgpu.vendor || 'unknown vendor'} · ${report.webgpu.architecture || 'unknown architecture'}${report.webgpu.description ? ` · ${report.webgpu.description}` : ''}`
              : `unavailable: ${report.webgpuUnavailableReason}`}
            {report.webgpu?.isFallbackAdapter && (
              <span className="badge warn">software fallback adapter: not representative of GPU speed</span>
            )}
          </dd>
          {report.webgpu && (
            <>
              <dt>Features</dt>
              <dd className="chips">
                {report.webgpu.features.length === 0
                  ? 'none'
                  : report.webgpu.features.map((f) => (
                      <span key={f} className="chip mono">
                        {f}
                      </span>
                    ))}
              </dd>
              <dt>shader-f16</dt>
              <dd>
                {report.webgpu.features.includes('shader-f16')
                  ? 'yes (fp16 and q4f16 offered)'
                  : 'no (fp16 and q4f16 hidden)'}
              </dd>
              <dt>timestamp-query</dt>
              <dd>{report.webgpu.features.includes('timestamp-query') ? 'yes' : 'no'}</dd>
              <dt>Limits</dt>
              <dd className="chips">
                {Object.entries(report.webgpu.limits).map(([k, v]) => (
                  <span key={k} className="chip mono">
                    {k} {k.endsWith('Size') && v > 65536 ? formatBytes(v) : v.toLocaleString('en-US')}
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>Cross-origin isolated</dt>
          <dd>
            {report.crossOriginIsolated
              ? 'yes (WASM threads, 5 µs timers)'
              : 'no (single-threaded WASM, coarse timers)'}
          </dd>
          <dt>WASM threads</dt>
          <dd>
            {report.wasmThreads} (of {report.hardwareConcurrency} logical cores)
          </dd>
          <dt>Timer resolution</dt>
          <dd>{formatDecimals(report.timerResolutionMs * 1000, 0)} µs</dd>
          <dt>Libraries</dt>
          <dd>
            transformers.js {report.transformersVersion} · onnxruntime-web {report.onnxruntimeVersion}
          </dd>
          <dt>Browser</dt>
          <dd className="small">{report.userAgent}</dd>
        </dl>
      )}
    </details>
  );
}
