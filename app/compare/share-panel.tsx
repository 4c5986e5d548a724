import { useState } from 'react';
import type { ModelFactsLookup } from '../models/catalog.ts';
import { encodeReport, reportUrl, TEN_RUN_LINK_BUDGET_CHARS } from '../run/link.ts';
import { toMarkdown } from '../run/llama-bench.ts';
import type { RunResult } from '../run/run.ts';
import { copyForUser } from '../ui/clipboard.ts';
import { downloadText } from '../ui/download.ts';
import { toCsv, toJsonExport } from './exports.ts';
import { MAX_IMPORT_BYTES, parseImport } from './import.ts';
import type { SavedRunActions } from './saved-runs.ts';

const stamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');

/** Share the selected runs as a link, or export them as JSON, CSV or Markdown. */
export function SharePanel(props: {
  runs: readonly RunResult[];
  facts: ModelFactsLookup;
  costScenario?: unknown;
}) {
  const [perToken, setPerToken] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const none = props.runs.length === 0;

  const makeLink = async () => {
    const url = reportUrl(
      location.href,
      encodeReport(props.runs, { perToken, costScenario: props.costScenario }),
    );
    setLink(url);
    setCopied(await copyForUser(url));
  };

  return (
    <section className="panel" aria-label="Share and export">
      <h2>
        Share and export{' '}
        {none ? '' : `${props.runs.length} selected run${props.runs.length === 1 ? '' : 's'}`}
      </h2>
      {none && <p className="muted">Select runs in the list to share or export them.</p>}
      <div className="row">
        <button type="button" className="primary" disabled={none} onClick={makeLink}>
          Copy result link
        </button>
        <label className="inline-choice">
          <input type="checkbox" checked={perToken} onChange={(e) => setPerToken(e.target.checked)} /> include
          per-token timings (longer link)
        </label>
      </div>
      {link && (
        <div className="share-link">
          <input
            type="text"
            readOnly
            value={link}
            aria-label="Result link"
            onFocus={(e) => e.target.select()}
          />
          <p className="muted small-text">
            {copied} {link.length.toLocaleString('en')} characters
            {link.length > TEN_RUN_LINK_BUDGET_CHARS * 4 &&
              ' — long for a chat message; consider a file export instead'}
            . The results travel in the part after #, which browsers never send to a server.
          </p>
        </div>
      )}
      <div className="row">
        <button
          type="button"
          className="secondary"
          disabled={none}
          onClick={() =>
            downloadText(
              `inference-results-${stamp()}.json`,
              toJsonExport(props.runs, props.costScenario),
              'application/json',
            )
          }
        >
          JSON (complete)
        </button>
        <button
          type="button"
          className="secondary"
          disabled={none}
          onClick={() => downloadText(`inference-results-${stamp()}.csv`, toCsv(props.runs), 'text/csv')}
        >
          CSV (repetitions + median, min, max)
        </button>
        <button
          type="button"
          className="secondary"
          disabled={none}
          onClick={() =>
            downloadText(
              `inference-results-${stamp()}.md`,
              toMarkdown(props.runs, props.facts),
              'text/markdown',
            )
          }
        >
          Markdown (llama-bench)
        </button>
      </div>
      <p className="muted small-text">
        Exports give the figures this page shows: median (min–max) over the valid repetitions, with P/G, the
        engine versions and the machine; software-adapter results are marked.
      </p>
    </section>
  );
}

/** Reads files and pasted links into runs; problems per file, and never a thrown error. */
export async function readSources(files: readonly File[], pasted: string) {
  const runs: RunResult[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      problems.push(
        `${file.name}: too large (${Math.round(file.size / 1024 / 1024)} MB; the lab reads up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`,
      );
      continue;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      problems.push(`${file.name}: could not be read.`);
      continue;
    }
    const result = parseImport(text, new Date(file.lastModified));
    if (!result.ok) problems.push(`${file.name}: ${result.error}`);
    else {
      for (const run of result.runs) runs.push(run);
      for (const problem of result.problems) problems.push(`${file.name}: ${problem}`);
    }
  }
  if (pasted.trim()) {
    const result = parseImport(pasted);
    if (!result.ok) problems.push(result.error);
    else {
      for (const run of result.runs) runs.push(run);
      for (const problem of result.problems) problems.push(problem);
    }
  }
  return { runs, problems };
}

/** Import results files (the lab's JSON, the bench CLI's JSON) or pasted links into the history. */
export function ImportPanel(props: { importRuns: SavedRunActions['importRuns'] }) {
  const [files, setFiles] = useState<File[]>([]);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ message: string; problems: string[] } | null>(null);

  const run = async () => {
    setBusy(true);
    try {
      const { runs, problems } = await readSources(files, pasted);
      if (runs.length === 0) {
        setOutcome({ message: 'Nothing was imported.', problems });
        return;
      }
      const { added, duplicates } = await props.importRuns(runs);
      setOutcome({
        message: `Imported ${added.length} run${added.length === 1 ? '' : 's'}${duplicates ? ` (${duplicates} already in the history, skipped)` : ''}. Existing runs were not changed.`,
        problems,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Import results">
      <h2>Import results</h2>
      <label className="field">
        Results files
        <span className="hint">
          The lab's JSON export, the bench CLI's JSON output, or a text file of result links.
        </span>
        <input
          type="file"
          multiple
          accept=".json,.txt,application/json,text/plain"
          onChange={(e) => setFiles([...(e.target.files ?? [])])}
        />
      </label>
      <label className="field">
        Or paste result links
        <textarea
          rows={2}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          placeholder="https://…#report=…"
        />
      </label>
      <button
        type="button"
        className="primary"
        disabled={busy || (files.length === 0 && !pasted.trim())}
        onClick={run}
      >
        {busy ? 'Importing…' : 'Import into my history'}
      </button>
      {outcome && (
        <div role="status">
          <p className={outcome.problems.length ? 'message warn' : 'message info'}>{outcome.message}</p>
          {outcome.problems.length > 0 && (
            <ul className="problems">
              {outcome.problems.slice(0, 10).map((p) => (
                <li key={p}>{p}</li>
              ))}
              {outcome.problems.length > 10 && <li>…and {outcome.problems.length - 10} more.</li>}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
