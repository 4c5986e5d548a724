import type { CatalogModel } from '../models/catalog.ts';
import { RoomSendControl } from '../room/room-bar.tsx';
import { noiseOf } from '../run/noise.ts';
import type { RunResult } from '../run/run.ts';
import { firstRequestMetrics, repetitionMetrics, summarize } from '../run/stats.ts';
import { formatBytes, formatDecimals, formatSignificant } from '../ui/format.ts';
import { formatCv, NoiseBadge, NoiseNotice } from '../ui/noise-notice.tsx';
import { memoryComparison } from './memory.ts';
import { ShareRun } from './share-run.tsx';

const VERDICT_TEXT = { fits: 'fits', tight: 'tight', 'wont-fit': 'will not fit' } as const;

/** Memory the run used, measured, beside what "will it fit?" predicted from the model's arithmetic. */
function MemoryTable({ run, model }: { run: RunResult; model?: Pick<CatalogModel, 'config' | 'dtypes'> }) {
  if (!run.memory) return null;
  const { rows, kvTokens, verdict } = memoryComparison(run, model);
  // GPU rows only where there are GPU buffers; the heap row always, so its absence is explained.
  const shown = rows.filter((r) => r.measuredBytes !== null || r.predictedBytes !== null || r.key === 'heap');
  return (
    <table className="metrics" data-testid="memory">
      <thead>
        <tr>
          <th>memory</th>
          <th>measured</th>
          <th title="From the model's config and files (models/arithmetic.ts), as 'will it fit?' computes it">
            predicted{verdict && ` (will it fit? ${VERDICT_TEXT[verdict]})`}
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.key} data-testid={`memory-${r.key}`}>
            <td>
              {r.label}
              {r.key === 'kv' && kvTokens !== null && ` (${kvTokens.toLocaleString('en-US')} tokens)`}
            </td>
            <td
              data-bytes={r.measuredBytes ?? undefined}
              className={r.measuredBytes === null ? 'wrap-text' : undefined}
            >
              {r.measuredBytes !== null
                ? formatBytes(r.measuredBytes)
                : r.key === 'heap'
                  ? 'not measured (cross-origin isolated Chromium only, when it answers within 3 s)'
                  : 'not available here'}
            </td>
            <td data-bytes={r.predictedBytes ?? undefined}>
              {r.predictedBytes === null ? '—' : formatBytes(r.predictedBytes)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATUS_LABEL: Record<RunResult['status'], string> = {
  running: 'running',
  complete: 'complete',
  partial: 'partial',
  failed: 'failed',
};

/** How the warm-up went (steady or not) and the cold first request, when the run recorded them. */
function WarmupOutcome({ run }: { run: RunResult }) {
  const { warmup, firstRequest } = run;
  const first = firstRequest && firstRequestMetrics(firstRequest);
  if (!warmup && !first) return null;
  const seconds = run.warmupMs === null ? '' : `, ${formatDecimals(run.warmupMs / 1000, 1)} s`;
  const length = warmup ? `${warmup.windows} generations, ${warmup.tokens} tokens${seconds}` : '';
  return (
    <>
      {warmup &&
        (warmup.steady ? (
          <p className="muted" data-testid="warmup">
            Warm-up: {length}, steady.
          </p>
        ) : (
          <p className="message warn" data-testid="warmup">
            Warm-up: {length}, <strong>did not settle</strong>: these figures may time a still-warming engine
            (see the notes).
          </p>
        ))}
      {first && (
        <p className="muted" data-testid="first-request">
          First request after load (cold, what a freshly opened page feels): TTFT{' '}
          {formatSignificant(first.ttftMs)} ms, decode {formatSignificant(first.decodeTokPerS)} tok/s.
        </p>
      )}
    </>
  );
}

/** The metrics of one run, each with its spread across valid repetitions. */
/** `model`: the catalog entry the run measured, for the memory the arithmetic predicts (absent: measured only). */
export function ResultCard({
  run,
  onUseInCost,
  model,
}: {
  run: RunResult;
  onUseInCost?: (run: RunResult) => void;
  model?: Pick<CatalogModel, 'config' | 'dtypes'>;
}) {
  const summary = summarize(run.repetitions);
  const noise = noiseOf(run.repetitions);
  const { settings, env } = run;
  return (
    <section className="panel" aria-label="Result" data-testid="result-card">
      <h2>
        Result: {settings.modelId} · {settings.dtype} · {env.device}
        <span className={run.status === 'complete' ? 'badge' : 'badge warn'} data-testid="run-status">
          {STATUS_LABEL[run.status]}
        </span>
        {env.adapter?.isFallbackAdapter && <span className="badge warn">software adapter</span>}
        <NoiseBadge report={noise} />
      </h2>
      <p className="muted">
        P = {settings.promptTokens} prompt tokens, G = {settings.genTokens} generated tokens, R ={' '}
        {settings.reps} repetitions after a discarded warm-up until steady. Load{' '}
        {run.load.ms > 0
          ? `${formatDecimals(run.load.ms, 0)} ms`
          : run.status === 'failed'
            ? 'failed'
            : 'reused'}
        {run.load.ms > 0 && (run.load.fromCache ? ' (from browser cache)' : ' (cold)')}
        {run.warmupMs !== null && run.warmup === null && `, warm-up ${formatDecimals(run.warmupMs, 0)} ms`}.
      </p>
      {/* In a workshop room: this run goes to the room unless unticked (nothing without a room). */}
      <RoomSendControl run={run} />
      <WarmupOutcome run={run} />
      {summary ? (
        <table className="metrics" data-testid="metrics">
          <thead>
            <tr>
              <th>metric</th>
              <th>median</th>
              <th>min</th>
              <th>max</th>
              <th title="Coefficient of variation across valid repetitions: sample standard deviation / mean">
                CV
              </th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['TTFT (ms)', 'ttft', summary.ttftMs, noise.cv.ttftMs],
                ['Prefill (tok/s)', 'prefill', summary.prefillTokPerS, noise.cv.prefillTokPerS],
                ['TPOT (ms)', 'tpot', summary.tpotMs, noise.cv.tpotMs],
                ['Decode (tok/s)', 'decode', summary.decodeTokPerS, noise.cv.decodeTokPerS],
                ['E2E latency (ms)', 'e2e', summary.e2eMs, noise.cv.e2eMs],
              ] as const
            ).map(([label, key, s, cv]) => (
              // Three significant digits, as every comparison table and export rounds them.
              <tr key={key} data-testid={`metric-${key}`}>
                <td>{label}</td>
                <td data-value={s.median}>{formatSignificant(s.median)}</td>
                <td>{formatSignificant(s.min)}</td>
                <td>{formatSignificant(s.max)}</td>
                <td data-value={cv ?? undefined}>{formatCv(cv)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : run.status === 'running' ? (
        // The normal state while the first repetition runs: not a warning.
        <p className="muted" data-testid="no-repetition-yet">
          No repetition finished yet: the figures appear when the first one does.
        </p>
      ) : (
        <p className="message warn">No valid repetition: nothing to summarise.</p>
      )}
      <NoiseNotice report={noise} />
      <MemoryTable run={run} {...(model ? { model } : {})} />
      {summary && onUseInCost && (
        <p>
          <button type="button" className="secondary" onClick={() => onUseInCost(run)}>
            What does this cost? Use these speeds in the cost projection
          </button>
        </p>
      )}
      {summary && run.status !== 'running' && <ShareRun run={run} />}
      {summary && (
        <p data-testid="itl">
          Inter-token latency over {summary.itlMs.n} gaps: p50 {formatSignificant(summary.itlMs.p50)} ms · p90{' '}
          {formatSignificant(summary.itlMs.p90)} ms · p99 {formatSignificant(summary.itlMs.p99)} ms. Valid
          repetitions: {summary.validReps} of {summary.totalReps}.
        </p>
      )}
      {summary && (
        <p className="muted small-text" data-testid="tpot-vs-itl">
          TPOT is the mean gap between tokens (decode time ÷ (tokens − 1)); ITL p50 is the median gap, so a
          few slow tokens raise TPOT but not p50.
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
              const tpot = repetitionMetrics(r)?.tpotMs;
              return (
                <tr key={r.rep}>
                  <td>{r.rep + 1}</td>
                  <td>{n}</td>
                  <td>{formatDecimals(r.ttftMs, 2)}</td>
                  <td>{formatDecimals(r.e2eMs, 1)}</td>
                  <td>{formatDecimals(tpot, 2)}</td>
                  <td>
                    {r.partial ? 'partial' : r.hidden ? 'invalid: tab hidden' : 'valid'}
                    {noise.pressuredReps.includes(r.rep) && ` · CPU pressure ${r.pressure}`}
                  </td>
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
        {formatDecimals(env.timerResolutionMs * 1000, 0)} µs
      </p>
    </section>
  );
}
