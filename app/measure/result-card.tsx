import type { RunResult } from '../run/run.ts';
import { summarize } from '../run/stats.ts';
import { formatNumber } from '../ui/format.ts';

const STATUS_LABEL: Record<RunResult['status'], string> = {
  running: 'running',
  complete: 'complete',
  partial: 'partial',
  failed: 'failed',
};

/** The metrics of one run, each with its spread across valid repetitions. */
export function ResultCard({ run, onUseInCost }: { run: RunResult; onUseInCost?: (run: RunResult) => void }) {
  const summary = summarize(run.repetitions);
  const { settings, env } = run;
  return (
    <section className="panel" aria-label="Result" data-testid="result-card">
      <h2>
        Result: {settings.modelId} · {settings.dtype} · {env.device}
        <span className={run.status === 'complete' ? 'badge' : 'badge warn'} data-testid="run-status">
          {STATUS_LABEL[run.status]}
        </span>
        {env.adapter?.isFallbackAdapter && <span className="badge warn">software adapter</span>}
      </h2>
      <p className="muted">
        P = {settings.promptTokens} prompt tokens, G = {settings.genTokens} generated tokens, R ={' '}
        {settings.reps} repetitions after one discarded warm-up. Load{' '}
        {run.load.ms > 0
          ? `${formatNumber(run.load.ms, 0)} ms`
          : run.status === 'failed'
            ? 'failed'
            : 'reused'}
        {run.load.ms > 0 && (run.load.fromCache ? ' (from browser cache)' : ' (cold)')}
        {run.warmupMs !== null && `, warm-up ${formatNumber(run.warmupMs, 0)} ms`}.
      </p>
      {summary ? (
        <table className="metrics" data-testid="metrics">
          <thead>
            <tr>
              <th>metric</th>
              <th>median</th>
              <th>min</th>
              <th>max</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['TTFT (ms)', 'ttft', summary.ttftMs, 2],
                ['Prefill (tok/s)', 'prefill', summary.prefillTokPerS, 1],
                ['TPOT (ms)', 'tpot', summary.tpotMs, 2],
                ['Decode (tok/s)', 'decode', summary.decodeTokPerS, 1],
                ['E2E latency (ms)', 'e2e', summary.e2eMs, 1],
              ] as const
            ).map(([label, key, s, digits]) => (
              <tr key={key} data-testid={`metric-${key}`}>
                <td>{label}</td>
                <td data-value={s.median}>{formatNumber(s.median, digits)}</td>
                <td>{formatNumber(s.min, digits)}</td>
                <td>{formatNumber(s.max, digits)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="message warn">No valid repetition: nothing to summarise.</p>
      )}
      {summary && onUseInCost && (
        <p>
          <button type="button" className="secondary" onClick={() => onUseInCost(run)}>
            What does this cost? Use these speeds in the cost projection
          </button>
        </p>
      )}
      {summary && (
        <p data-testid="itl">
          Inter-token latency over {summary.itlMs.n} gaps: p50 {formatNumber(summary.itlMs.p50, 2)} ms · p90{' '}
          {formatNumber(summary.itlMs.p90, 2)} ms · p99 {formatNumber(summary.itlMs.p99, 2)} ms. Valid
          repetitions: {summary.validReps} of {summary.totalReps}.
        </p>
      )}
      <details>
        <summary>Per repetition</summary>
        <table className="metrics" data-testid="repetitions">
          <thead>
            <tr>
              <th>rep</th>
              <th>tokens</th>
              <th>TTFT (ms)</th>
              <th>E2E (ms)</th>
              <th>TPOT (ms)</th>
              <th>status</th>
            </tr>
          </thead>
          <tbody>
            {run.repetitions.map((r) => {
              const n = r.tokenTimesMs.length;
              const tpot = n > 1 ? (r.e2eMs - r.ttftMs) / (n - 1) : Number.NaN;
              return (
                <tr key={r.rep}>
                  <td>{r.rep + 1}</td>
                  <td>{n}</td>
                  <td>{formatNumber(r.ttftMs, 2)}</td>
                  <td>{formatNumber(r.e2eMs, 1)}</td>
                  <td>{formatNumber(tpot, 2)}</td>
                  <td>{r.partial ? 'partial' : r.hidden ? 'invalid: tab hidden' : 'valid'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
      {run.notes.length > 0 && (
        <ul className="notes" data-testid="run-notes">
          {run.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {env.device === 'webgpu' && env.adapter
          ? `WebGPU on ${env.adapter.vendor || '?'} ${env.adapter.architecture || ''} ${env.adapter.description || ''}`
          : `WASM, ${env.wasmThreads} thread${env.wasmThreads === 1 ? '' : 's'}`}{' '}
        · transformers.js {env.transformersVersion} · onnxruntime-web {env.onnxruntimeVersion} ·{' '}
        {env.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'} · timer step{' '}
        {formatNumber(env.timerResolutionMs * 1000, 0)} µs
      </p>
    </section>
  );
}
