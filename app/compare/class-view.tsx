import { useMemo, useState } from 'react';
import { importRuns } from '../history/store.ts';
import { mergeRuns } from '../run/merge.ts';
import type { RunResult } from '../run/run.ts';
import { deviceName, devicesOf, leaderboards } from './comparison.ts';
import { ComparisonView } from './comparison-view.tsx';
import type { ModelFactsLookup } from './exports.ts';
import { formatNumber, formatSpread } from './format.ts';
import { readSources } from './share-panel.tsx';

/**
 * The workshop view: a teacher pastes the room's result links (or loads exported files) and sees
 * every device merged: a leaderboard per model and dtype, and how far apart the devices are.
 */
export function ClassView(props: { facts: ModelFactsLookup }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [runs, setRuns] = useState<RunResult[]>([]);
  const [report, setReport] = useState<{ duplicates: number; problems: string[] } | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const boards = useMemo(() => leaderboards(runs), [runs]);
  const devices = useMemo(() => devicesOf(runs), [runs]);

  const merge = async () => {
    const read = await readSources(files, text);
    const { runs: merged, duplicates } = mergeRuns(runs, read.runs);
    setRuns(merged);
    setReport({ duplicates, problems: read.problems });
    setImported(null);
  };

  return (
    <div className="class-view">
      <section className="panel" aria-label="Gather results">
        <h2>Class view</h2>
        <p className="muted">
          Paste everyone's result links (one per line) or load their exported files. The same run pasted twice
          is counted once. Nothing is uploaded: the results are in the links themselves.
        </p>
        <label className="field">
          Result links
          <textarea
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={'https://…?view=compare#report=…\nhttps://…?view=compare#report=…'}
          />
        </label>
        <label className="field">
          Exported files
          <input
            type="file"
            multiple
            accept=".json,.txt,application/json,text/plain"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </label>
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={!text.trim() && files.length === 0}
            onClick={merge}
          >
            Add to the class results
          </button>
          <button
            type="button"
            className="secondary"
            disabled={runs.length === 0}
            onClick={() => {
              setRuns([]);
              setReport(null);
            }}
          >
            Start over
          </button>
          <button
            type="button"
            className="secondary"
            disabled={runs.length === 0}
            onClick={async () => {
              const { added, duplicates } = await importRuns(runs);
              setImported(
                `Imported ${added.length} runs into your history (${duplicates} were already there).`,
              );
            }}
          >
            Import all into my history
          </button>
        </div>
        {report && (
          <div role="status">
            <p className={report.problems.length ? 'message warn' : 'message info'}>
              {runs.length} run{runs.length === 1 ? '' : 's'} from {devices.length} device
              {devices.length === 1 ? '' : 's'}
              {report.duplicates > 0 &&
                ` · ${report.duplicates} duplicate${report.duplicates === 1 ? '' : 's'} merged`}
              {report.problems.length > 0 &&
                ` · ${report.problems.length} input${report.problems.length === 1 ? '' : 's'} could not be read:`}
            </p>
            {report.problems.length > 0 && (
              <ul className="problems">
                {report.problems.slice(0, 20).map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {imported && <p className="message info">{imported}</p>}
      </section>

      {boards.map((board) => (
        <section
          key={`${board.modelId}|${board.dtype}`}
          className="panel leaderboard"
          aria-label={`Leaderboard ${board.modelId} ${board.dtype}`}
        >
          <h2>
            {board.modelId} · {board.dtype}
          </h2>
          <p className="muted">
            {board.acrossDevices.n > 1 ? (
              <>
                Across {board.acrossDevices.n} devices: median decode{' '}
                {formatNumber(board.acrossDevices.median)} tok/s, from {formatNumber(board.acrossDevices.min)}{' '}
                to {formatNumber(board.acrossDevices.max)} — the fastest is{' '}
                <strong>×{formatNumber(board.acrossDevices.max / board.acrossDevices.min)}</strong> the
                slowest.
              </>
            ) : (
              'One device so far.'
            )}
          </p>
          <table className="metrics">
            <thead>
              <tr>
                <th>#</th>
                <th className="device-cell">Device</th>
                <th>Backend</th>
                <th>P / G</th>
                <th>Runs</th>
                <th>Decode tok/s</th>
                <th>TTFT ms</th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((row, i) => (
                <tr key={`${row.device}|${row.backend}|${row.promptTokens}|${row.genTokens}`}>
                  <td>{i + 1}</td>
                  <td className="device-cell">{row.device}</td>
                  <td>{deviceName(row.backend)}</td>
                  <td>
                    {row.promptTokens} / {row.genTokens}
                  </td>
                  <td>{row.runs}</td>
                  <td>
                    <SpreadBar value={row.decodeTokPerS.median} max={board.acrossDevices.max} />
                    {formatSpread(row.decodeTokPerS)}
                  </td>
                  <td>{formatSpread(row.ttftMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {runs.length > 0 && (
        <section className="panel" aria-label="Class comparison">
          <h2>Every result, compared</h2>
          <p className="muted small-text">
            Runs with the same model, dtype, backend and lengths are pooled across devices here, so the error
            bars show how far apart the room is.
          </p>
          <ComparisonView runs={runs} facts={props.facts} />
        </section>
      )}
    </div>
  );
}

/** A small inline bar so the leaderboard reads at a glance. */
function SpreadBar(props: { value: number; max: number }) {
  const width =
    props.max > 0 && Number.isFinite(props.value)
      ? Math.max(2, Math.min(100, (props.value / props.max) * 100))
      : 0;
  return (
    <span className="spread-bar" aria-hidden="true">
      <span style={{ width: `${width}%` }} />
    </span>
  );
}
