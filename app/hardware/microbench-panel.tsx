import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BENCH_ORDER, BENCHES, type BenchResult, SUITE_BUDGET_MS } from './microbench.ts';
import { cancelMicrobench, runMicrobench, useHardwareStore } from './store.ts';

const fmt = (v: number, digits = 1) =>
  Number.isFinite(v)
    ? v.toLocaleString('en-US', {
        maximumFractionDigits: v >= 100 ? 0 : digits,
        minimumFractionDigits: v >= 100 ? 0 : digits,
      })
    : '—';

/** Elapsed seconds while a suite runs, refreshed a few times a second. */
function useElapsedS(startedAtMs: number | null, running: boolean): number {
  const [t, setT] = useState(0);
  useEffect(() => {
    if (!running || startedAtMs === null) return;
    const tick = () => setT((performance.now() - startedAtMs) / 1000);
    tick();
    const h = setInterval(tick, 250);
    return () => clearInterval(h);
  }, [running, startedAtMs]);
  return t;
}

function ResultRow({ result }: { result: BenchResult }) {
  const spec = BENCHES[result.id];
  if (result.status !== 'ok') {
    return (
      <tr data-bench={result.id} data-status={result.status}>
        <td>
          {spec.label} <span className="badge">{spec.backend === 'webgpu' ? 'WebGPU' : 'WASM'}</span>
        </td>
        <td
          colSpan={5}
          style={{ textAlign: 'left' }}
          className={result.status === 'failed' ? 'field-error' : 'muted'}
        >
          {result.status === 'failed' ? 'Failed: ' : 'Skipped: '}
          {result.reason}
        </td>
      </tr>
    );
  }
  return (
    <tr data-bench={result.id} data-status="ok">
      <td title={spec.measures}>
        {spec.label} <span className="badge">{spec.backend === 'webgpu' ? 'WebGPU' : 'WASM'}</span>
      </td>
      <td data-testid={`bench-value-${result.id}`} data-value={result.value}>
        <strong>{fmt(result.value)}</strong> {result.unit}
      </td>
      <td>
        ±{fmt(result.spreadPct / 2)}% {result.stable ? null : <span className="badge warn">not settled</span>}
      </td>
      <td>{result.reps}</td>
      <td>{result.timing === 'timestamp-query' ? 'GPU timestamps' : 'wall clock'}</td>
      <td className="muted" style={{ textAlign: 'left' }}>
        {result.work}
        {result.note ? ` — ${result.note}` : ''}
      </td>
    </tr>
  );
}

/** Run / cancel / re-measure the device's ceilings, with what each figure means and how it was timed. */
export function MicrobenchPanel() {
  const { probe, status, suite, fromStorage, progress, startedAtMs, budgetMs, error } = useHardwareStore(
    useShallow((s) => ({
      probe: s.probe,
      status: s.status,
      suite: s.suite,
      fromStorage: s.fromStorage,
      progress: s.progress,
      startedAtMs: s.startedAtMs,
      budgetMs: s.budgetMs,
      error: s.error,
    })),
  );
  const running = status === 'running';
  const elapsedS = useElapsedS(startedAtMs, running);
  const ordered = suite ? BENCH_ORDER.flatMap((id) => suite.results.filter((r) => r.id === id)) : [];
  const adapter = suite?.adapter ?? probe?.adapter ?? null;
  const software =
    adapter !== null &&
    (adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`));
  const timestamps = adapter?.features.includes('timestamp-query') ?? false;
  const f16 = adapter?.features.includes('shader-f16') ?? false;

  return (
    <section className="panel" aria-labelledby="hw-bench-title">
      <h2 id="hw-bench-title">Device ceilings (microbenchmarks)</h2>
      <p className="muted">
        Memory bandwidth and matmul throughput measured on this device, each calibrated to ~25 ms samples,
        with a discarded warm-up, repeated until the last five agree within 5%. The whole suite stops at{' '}
        {SUITE_BUDGET_MS / 1000} s.
      </p>
      <p>
        <strong>GPU:</strong>{' '}
        {adapter
          ? suite?.deviceLabel ||
            [adapter.description, adapter.vendor, adapter.architecture].filter(Boolean).join(' · ')
          : 'none'}
        {software ? <span className="badge warn">software adapter</span> : null}
        {adapter ? (
          <>
            <span className={timestamps ? 'badge' : 'badge warn'}>
              {timestamps ? 'timestamp-query' : 'no timestamp-query: wall clock'}
            </span>
            <span className={f16 ? 'badge' : 'badge warn'}>{f16 ? 'shader-f16' : 'no shader-f16'}</span>
          </>
        ) : null}
      </p>
      {probe?.webgpuUnavailableReason ? (
        <div className="message warn" role="status">
          {probe.webgpuUnavailableReason} The WASM (CPU) figures are still measured.
        </div>
      ) : null}
      {software ? (
        <div className="message info">
          This is a software WebGPU adapter (it runs on the CPU): its figures show the mechanism, not what a
          real GPU does.
        </div>
      ) : null}
      <div className="row">
        {running ? (
          <button type="button" className="secondary" onClick={cancelMicrobench}>
            Cancel
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => runMicrobench()}>
            {suite && suite.results.length > 0 ? 'Re-measure' : 'Measure this device'}
          </button>
        )}
        <span
          className="muted"
          role="status"
          aria-live="polite"
          data-testid="bench-status"
          data-status={status}
        >
          {running
            ? `Measuring… ${elapsedS.toFixed(1)} s${progress ? ` — ${BENCHES[progress.bench].label} (${progress.phase})` : ''}`
            : status === 'done'
              ? `Done in ${((suite?.totalMs ?? 0) / 1000).toFixed(1)} s; saved for this device.`
              : status === 'cancelled'
                ? 'Cancelled: the finished benchmarks are shown, nothing was saved.'
                : status === 'timed-out'
                  ? `Stopped at the ${(budgetMs / 1000).toFixed(budgetMs % 1000 === 0 ? 0 : 1)} s time bound: the finished benchmarks are shown and saved as a partial result.`
                  : fromStorage && suite
                    ? `Saved results from ${new Date(suite.measuredAt).toLocaleString()}${suite.complete ? '' : ' (partial)'}; Re-measure to refresh.`
                    : 'Not measured yet on this device.'}
        </span>
      </div>
      {error ? (
        <div className="message error" role="alert">
          {error}
        </div>
      ) : null}
      {ordered.length > 0 ? (
        <table className="metrics" data-testid="bench-table">
          <thead>
            <tr>
              <th>Benchmark</th>
              <th>Median</th>
              <th>Spread</th>
              <th>Samples</th>
              <th>Timed with</th>
              <th style={{ textAlign: 'left' }}>Work per sample</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((r) => (
              <ResultRow key={r.id} result={r} />
            ))}
          </tbody>
        </table>
      ) : null}
      <details>
        <summary className="muted">What each benchmark measures</summary>
        <ul>
          {BENCH_ORDER.map((id) => (
            <li key={id}>
              <strong>{BENCHES[id].label}</strong>: {BENCHES[id].measures}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
