import { useMemo, useState } from 'react';
import { hubHost, saveHubHost, useHubHost } from '../engine/hub-host.ts';
import { type ModelFactsLookup, modelSource } from '../models/catalog.ts';
import { linkedHubHosts } from '../run/hub-link.ts';
import { decodeReport } from '../run/link.ts';
import type { RunResult } from '../run/run.ts';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { cellKey, machinesOf, sideBySide } from './comparison.ts';
import { ComparisonView } from './comparison-view.tsx';
import { formatDate, formatRatio, formatSpread } from './format.ts';
import type { SavedRunActions } from './saved-runs.ts';
import { startSweep, useCompare } from './store.ts';
import type { SweepCell } from './sweep.ts';
import { SweepProgress } from './sweep-panel.tsx';
import type { QualityLookup } from './verdict.ts';

/** The measurements of a report, as cells to run here (models picked from disk cannot be re-run). */
function sameCells(runs: readonly RunResult[]): { cells: SweepCell[]; unavailable: number } {
  const seen = new Set<string>();
  const cells: SweepCell[] = [];
  let unavailable = 0;
  for (const run of runs) {
    const key = cellKey(run);
    if (seen.has(key)) continue;
    seen.add(key);
    const s = run.settings;
    if (s.sourceKind === 'files') {
      unavailable++;
      continue;
    }
    cells.push({
      settings: { ...s },
      source: modelSource({ id: s.modelId, source: s.sourceKind }, hubHost()),
    });
  }
  return { cells, unavailable };
}

/**
 * Where "run the same on my device" fetches Hub models from: the lab's Hub host, with an offer to switch to the
 * host the shared runs used (a room's mirror), and why a host named by the link is not used.
 */
function HubHostChoice(props: { runs: readonly RunResult[] }) {
  const current = useHubHost((s) => s.host);
  const { usable, refused } = useMemo(() => linkedHubHosts(props.runs), [props.runs]);
  const others = usable.filter((host) => host !== current);
  if (others.length === 0 && refused.length === 0) return null;
  return (
    <div data-testid="linked-hub-host">
      {others.map((host) => (
        <p key={host} className="message info">
          These runs loaded their models from <strong>{host}</strong>; yours load from {current}.{' '}
          <button type="button" className="link" onClick={() => saveHubHost(host)}>
            Load models from {host}
          </button>
        </p>
      ))}
      {refused.map((message) => (
        <p key={message} className="message warn">
          {message} "Run the same on my device" loads from your own Hub host ({current}).
        </p>
      ))}
    </div>
  );
}

/**
 * A result link, opened: a read-only report of its runs, the machines they were measured on, and
 * two actions — import them into the history, or measure the same settings on this device.
 *
 * "Close report" sits outside the report's error boundary: whatever a link's data does to the
 * panels, the way back to the page stays.
 */
export function ReportView(props: ReportProps & { onClose: () => void }) {
  const { onClose, ...body } = props;
  return (
    <section className="panel report" aria-label="Shared results">
      <div className="row space-between">
        <h2>
          Shared results <span className="badge">read-only</span>
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close report
        </button>
      </div>
      <ErrorBoundary label="The report" resetKey={props.payload}>
        <ReportBody {...body} />
      </ErrorBoundary>
    </section>
  );
}

interface ReportProps {
  payload: string;
  facts: ModelFactsLookup;
  /** The saved runs, where "run the same on my device" finds what it measured. */
  savedRuns: readonly RunResult[];
  actions: Pick<SavedRunActions, 'save' | 'importRuns'>;
  onOpenCostScenario?: (scenario: unknown) => void;
  /** Quality scores kept on this device, for the verdict's quality bar. */
  quality?: QualityLookup;
}

function ReportBody(props: ReportProps) {
  const decoded = useMemo(() => decodeReport(props.payload), [props.payload]);
  const [imported, setImported] = useState<string | null>(null);
  const sweep = useCompare((s) => s.sweep);
  const { savedRuns } = props;
  const myRuns = useMemo(() => {
    if (sweep.purpose !== 'same-as-report') return [];
    const ids = new Set(sweep.runIds);
    return savedRuns.filter((run) => ids.has(run.id));
  }, [sweep, savedRuns]);

  if (!decoded.ok) {
    return (
      <>
        <p className="message error" role="alert">
          {decoded.error}
        </p>
        <p className="muted">Nothing from the link was run or saved.</p>
      </>
    );
  }
  const { report } = decoded;
  const machines = machinesOf(report.runs);
  const { cells, unavailable } = sameCells(report.runs);
  const rows = sideBySide(report.runs, myRuns);
  const dates = report.runs.map((r) => r.createdAt).sort();

  return (
    <>
      <p>
        {report.runs.length} run{report.runs.length === 1 ? '' : 's'}
        {dates.length > 0 &&
          `, measured ${formatDate(dates[0] ?? '')}${dates.length > 1 && dates[0] !== dates.at(-1) ? ` – ${formatDate(dates.at(-1) ?? '')}` : ''}`}
        , on:
      </p>
      <ul className="devices">
        {machines.map((d) => (
          <li key={d.label + d.env.userAgent}>
            <strong>{d.label}</strong>{' '}
            <span className="muted">
              ({d.runs} run{d.runs === 1 ? '' : 's'})
            </span>
            <div className="muted small-text mono">{d.env.userAgent}</div>
            <div className="muted small-text">
              transformers.js {d.env.transformersVersion} · onnxruntime {d.env.onnxruntimeVersion} ·{' '}
              {d.env.crossOriginIsolated
                ? `cross-origin isolated, ${d.env.wasmThreads} WASM threads`
                : 'not cross-origin isolated'}
            </div>
          </li>
        ))}
      </ul>
      {!report.perToken && (
        <p className="muted small-text">
          This link carries summaries (TTFT, end-to-end time and token counts per repetition), not every
          token's time: inter-token latency percentiles are not shown.
        </p>
      )}
      {report.sourceVersion < 2 && (
        <p className="muted small-text">Made by an older version of the lab; upgraded on open.</p>
      )}
      {report.costScenario !== undefined && (
        <p className="message info">
          This link also carries a cost scenario.{' '}
          {props.onOpenCostScenario && (
            <button
              type="button"
              className="link"
              onClick={() => props.onOpenCostScenario?.(report.costScenario)}
            >
              Open it on the Cost page
            </button>
          )}
        </p>
      )}
      <HubHostChoice runs={report.runs} />
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={async () => {
            const { added, duplicates } = await props.actions.importRuns(report.runs);
            setImported(
              `Imported ${added.length} run${added.length === 1 ? '' : 's'} into your history${duplicates ? ` (${duplicates} were already there)` : ''}. Nothing was overwritten.`,
            );
          }}
        >
          Import into my history
        </button>
        <button
          type="button"
          className="secondary"
          disabled={cells.length === 0 || sweep.status === 'running'}
          onClick={() =>
            void startSweep(cells, {
              tag: 'same as shared report',
              purpose: 'same-as-report',
              save: props.actions.save,
            })
          }
        >
          Run the same on my device ({cells.length} measurement{cells.length === 1 ? '' : 's'})
        </button>
      </div>
      {unavailable > 0 && (
        <p className="muted small-text">
          {unavailable} run{unavailable === 1 ? '' : 's'} used a model picked from disk and cannot be re-run
          from a link.
        </p>
      )}
      {imported && (
        <p className="message info" role="status">
          {imported}
        </p>
      )}
      {sweep.purpose === 'same-as-report' && <SweepProgress />}
      {myRuns.length > 0 && (
        <div className="side-by-side">
          <h3>Side by side: the shared device vs this device</h3>
          <table className="metrics">
            <thead>
              <tr>
                <th>Measurement</th>
                <th>Decode tok/s — shared</th>
                <th>Decode tok/s — here</th>
                <th>here ÷ shared</th>
                <th>TTFT ms — shared</th>
                <th>TTFT ms — here</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <td>{row.label}</td>
                  <td>{formatSpread(row.theirs?.decodeTokPerS)}</td>
                  <td>{row.mine ? formatSpread(row.mine.decodeTokPerS) : 'not measured'}</td>
                  <td>
                    {row.mine && row.theirs
                      ? formatRatio(row.mine.decodeTokPerS.median / row.theirs.decodeTokPerS.median)
                      : '—'}
                  </td>
                  <td>{formatSpread(row.theirs?.ttftMs)}</td>
                  <td>{row.mine ? formatSpread(row.mine.ttftMs) : 'not measured'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBoundary label="The comparison">
        <ComparisonView runs={report.runs} facts={props.facts} quality={props.quality} />
      </ErrorBoundary>
    </>
  );
}
