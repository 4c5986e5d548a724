import { useMemo, useState } from 'react';
import type { ModelFactsLookup } from '../models/catalog.ts';
import { backendName } from '../run/machine.ts';
import type { RunResult } from '../run/run.ts';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { addToClass, setClassText, startClassOver, useClassView } from './class-store.ts';
import {
  describeDisagreement,
  describeSeats,
  type LeaderboardRow,
  leaderboards,
  SOFTWARE_ADAPTER_CAVEAT,
  seatsOf,
} from './comparison.ts';
import { ComparisonView } from './comparison-view.tsx';
import { formatSignificant, formatSpread } from './format.ts';
import type { SavedRunActions } from './saved-runs.ts';
import { readSources } from './share-panel.tsx';
import type { QualityLookup } from './verdict.ts';

/**
 * The workshop view: a teacher pastes the room's result links (or loads exported files) and sees
 * every machine merged: a leaderboard per model and dtype, and how far apart the machines are.
 *
 * What the teacher pasted and gathered lives in a store (class-store.ts: kept across tabs and reloads) and is
 * shown outside the result panels' error boundaries: a link whose data breaks a panel leaves the text, the
 * inputs and "Start over" working.
 */
export function ClassView(props: {
  facts: ModelFactsLookup;
  importRuns: SavedRunActions['importRuns'];
  /** Quality scores kept on this device, for the verdict's quality bar. */
  quality?: QualityLookup;
}) {
  const { text, runs, report } = useClassView();
  const [files, setFiles] = useState<File[]>([]);
  const [imported, setImported] = useState<string | null>(null);

  const merge = async () => {
    addToClass(await readSources(files, text));
    setImported(null);
  };

  return (
    <div className="class-view">
      <section className="panel" aria-label="Gather results">
        <h2>Class view</h2>
        <p className="muted">
          Paste everyone's result links (one per line) or load their exported files. The same run pasted twice
          is counted once. Nothing is uploaded: the results are in the links themselves, and what you gather
          stays in this browser until you start over.
        </p>
        <label className="field">
          Result links
          <textarea
            rows={5}
            value={text}
            onChange={(e) => setClassText(e.target.value)}
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
            disabled={runs.length === 0 && report === null}
            onClick={() => {
              startClassOver();
              setImported(null);
            }}
          >
            Start over
          </button>
          <button
            type="button"
            className="secondary"
            disabled={runs.length === 0}
            onClick={async () => {
              const { added, duplicates } = await props.importRuns(runs);
              setImported(
                `Imported ${added.length} runs into your history (${duplicates} were already there).`,
              );
            }}
          >
            Import all into my history
          </button>
        </div>
        {(report || runs.length > 0) && (
          <ErrorBoundary label="The summary" resetKey={runs}>
            <GatherSummary
              runs={runs}
              duplicates={report?.duplicates ?? 0}
              problems={report?.problems ?? []}
            />
          </ErrorBoundary>
        )}
        {imported && <p className="message info">{imported}</p>}
      </section>

      <ErrorBoundary label="The leaderboards" resetKey={runs}>
        <Leaderboards runs={runs} />
      </ErrorBoundary>
      {runs.length > 0 && (
        <section className="panel" aria-label="Class comparison">
          <h2>Every result, compared</h2>
          <p className="muted small-text">
            Runs of the same model file, dtype, backend and lengths are pooled across machines here, so the
            error bars show how far apart the room is.
          </p>
          <ErrorBoundary label="The comparison" resetKey={runs}>
            <ComparisonView runs={runs} facts={props.facts} quality={props.quality} />
          </ErrorBoundary>
        </section>
      )}
    </div>
  );
}

/** How many runs from how many participants (or machines) were gathered, and which inputs could not be read. */
function GatherSummary(props: {
  runs: readonly RunResult[];
  duplicates: number;
  problems: readonly string[];
}) {
  const { runs, duplicates, problems } = props;
  const seats = useMemo(() => seatsOf(runs), [runs]);
  const devices =
    seats.participants > 0 && seats.seats > seats.participants + seats.unnamed
      ? ` on ${seats.seats} devices`
      : '';
  return (
    <div role="status">
      <p className={problems.length ? 'message warn' : 'message info'}>
        {runs.length} run{runs.length === 1 ? '' : 's'} from {describeSeats(seats)}
        {devices}
        {duplicates > 0 && ` · ${duplicates} duplicate${duplicates === 1 ? '' : 's'} merged`}
        {problems.length > 0 &&
          ` · ${problems.length} input${problems.length === 1 ? '' : 's'} could not be read:`}
      </p>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.slice(0, 20).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * One leaderboard per model (by its file, wherever it was served from) and dtype: every participant's (or
 * machine's) decode speed and TTFT, fastest first.
 */
function Leaderboards(props: { runs: readonly RunResult[] }) {
  const boards = useMemo(() => leaderboards(props.runs), [props.runs]);
  return boards.map((board) => (
    <section
      key={board.modelKey}
      className="panel leaderboard"
      aria-label={`Leaderboard ${board.modelName} ${board.dtype}`}
    >
      <h2>
        {board.modelName} · {board.dtype}
      </h2>
      <p className="muted small-text" data-testid="model-identity">
        {board.weightSha256 ? (
          <>
            Weight file SHA-256 <span className="mono">{board.weightSha256.slice(0, 12)}…</span>
          </>
        ) : (
          'Weight file not identified (the run did not record its hash)'
        )}{' '}
        · loaded as {board.servedAs.join('; ')}
      </p>
      <p className="muted">
        {board.acrossMachines.n > 1 ? (
          <>
            Across {board.acrossMachines.n} {rowsNoun(board.rows)}: median decode{' '}
            {formatSignificant(board.acrossMachines.median)} tok/s, from{' '}
            {formatSignificant(board.acrossMachines.min)} to {formatSignificant(board.acrossMachines.max)} —
            the fastest is{' '}
            <strong>×{formatSignificant(board.acrossMachines.max / board.acrossMachines.min)}</strong> the
            slowest.
          </>
        ) : (
          'One machine so far.'
        )}
      </p>
      <table className="metrics">
        <thead>
          <tr>
            <th>#</th>
            <th className="device-cell">Who · machine</th>
            <th>Backend</th>
            <th>P / G</th>
            <th>Runs</th>
            <th>Decode tok/s</th>
            <th>TTFT ms</th>
          </tr>
        </thead>
        <tbody>
          {board.rows.map((row, i) => (
            <tr
              key={`${row.participant}|${row.machine}|${row.backend}|${row.promptTokens}|${row.genTokens}|${row.parallelSequences}`}
            >
              <td>{i + 1}</td>
              <td className="device-cell">
                {row.participant && <strong className="participant">{row.participant}</strong>}
                {row.participant && ' · '}
                {row.machine}
              </td>
              <td>
                {backendName(row.backend)}
                {row.softwareAdapter && (
                  <span className="badge warn" title={SOFTWARE_ADAPTER_CAVEAT}>
                    software GPU
                  </span>
                )}
              </td>
              <td>
                {row.promptTokens} / {row.genTokens}
                {row.parallelSequences > 1 && ` · B${row.parallelSequences}`}
              </td>
              <td>
                {row.runs}
                {row.disagreement && (
                  <span className="badge warn" title={describeDisagreement(row.disagreement)}>
                    disagree
                  </span>
                )}
              </td>
              <td>
                <SpreadBar value={row.decodeTokPerS.median} max={board.acrossMachines.max} />
                {formatSpread(row.decodeTokPerS)}
              </td>
              <td>{formatSpread(row.ttftMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  ));
}

/** What a board's rows are: participants (every row named), machines (none), or both. */
const rowsNoun = (rows: readonly LeaderboardRow[]): string => {
  const named = rows.filter((r) => r.participant).length;
  return named === rows.length ? 'participants' : named === 0 ? 'machines' : 'participants and machines';
};

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
