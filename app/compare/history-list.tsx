import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { backendName } from '../run/machine.ts';
import { noiseOf } from '../run/noise.ts';
import type { RunResult } from '../run/run.ts';
import { runSummary } from '../run/summary.ts';
import { NoiseBadge } from '../ui/noise-notice.tsx';
import { formatDate, formatSignificant } from './format.ts';
import type { SavedRunActions, SavedRuns } from './saved-runs.ts';
import { setSelected, toggleSelected, useCompare } from './store.ts';

/**
 * A row's height: one line of figures beside the name, or on a phone (see compare.css) the figures and then the
 * buttons on lines of their own.
 */
const rowHeight = (): number => (matchMedia('(max-width: 600px)').matches ? 96 : 52);

/** Whether a run matches every word of the filter (name, model, dtype, device, tags, status). */
function matches(run: RunResult, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const s = run.settings;
  const hay = [
    run.name,
    s.modelId,
    s.dtype,
    backendName(s.device),
    `p${s.promptTokens}`,
    `g${s.genTokens}`,
    run.status,
    ...run.tags,
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The saved runs: a virtualised list (1,000+ runs scroll smoothly), with select, rename, tag and delete. */
export function HistoryList(props: { saved: SavedRuns; actions: SavedRunActions }) {
  const { runs, status, error, unreadable, loadMs } = props.saved;
  const { actions } = props;
  const selectedIds = useCompare((s) => s.selectedIds);
  const [filter, setFilter] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);
  const words = useMemo(() => filter.toLowerCase().split(/\s+/).filter(Boolean), [filter]);
  const shown = useMemo(() => runs.filter((run) => matches(run, words)), [runs, words]);
  const selected = useMemo(() => new Set(selectedIds), [selectedIds]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    overscan: 10,
  });
  const selectedShown = shown.filter((run) => selected.has(run.id)).length;

  return (
    <section className="panel history" aria-label="Saved runs" data-load-ms={loadMs ?? undefined}>
      <div className="row space-between">
        <h2>
          Saved runs <span className="muted">({runs.length.toLocaleString('en')})</span>
        </h2>
        <span className="muted small-text">Kept in this browser (IndexedDB); nothing is uploaded.</span>
      </div>
      {status === 'loading' && <p className="muted">Loading saved runs…</p>}
      {error && (
        <p className="message error" role="alert">
          {error}
        </p>
      )}
      {unreadable.length > 0 && (
        <p className="message warn">
          {unreadable.length} saved record{unreadable.length === 1 ? '' : 's'} could not be read by this
          version and {unreadable.length === 1 ? 'is' : 'are'} left untouched ({unreadable[0]?.reason}).
        </p>
      )}
      <div className="row">
        <input
          type="text"
          className="grow"
          placeholder="Filter: model, dtype, device, tag…"
          aria-label="Filter saved runs"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button
          type="button"
          className="secondary"
          disabled={shown.length === 0}
          onClick={() => setSelected([...selectedIds, ...shown.map((r) => r.id)])}
        >
          Select {words.length ? 'shown' : 'all'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={selectedIds.length === 0}
          onClick={() => setSelected([])}
        >
          Select none
        </button>
      </div>
      <p className="muted small-text" aria-live="polite">
        {selectedIds.length} selected
        {words.length > 0 ? ` · ${shown.length} match the filter (${selectedShown} selected)` : ''}
      </p>
      {runs.length === 0 && status === 'ready' ? (
        <p className="message info">
          No saved runs yet. Measure a model, run a sweep, or import a results file or link; every run is
          saved here as each repetition finishes.
        </p>
      ) : (
        <div ref={scrollRef} className="history-scroll" data-testid="history-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const run = shown[item.index];
              if (!run) return null;
              return (
                <HistoryRow
                  key={run.id}
                  run={run}
                  selected={selected.has(run.id)}
                  top={item.start}
                  actions={actions}
                />
              );
            })}
          </div>
        </div>
      )}
      <div className="row history-actions">
        <button
          type="button"
          className="secondary"
          disabled={selectedIds.length === 0}
          onClick={() => {
            void actions.remove(selectedIds);
            setSelected([]);
          }}
        >
          Delete selected
        </button>
        {confirmClear ? (
          <span className="row">
            <strong>Delete all {runs.length} saved runs?</strong>
            <button
              type="button"
              className="secondary danger"
              onClick={() => {
                void actions.clear();
                setSelected([]);
                setConfirmClear(false);
              }}
            >
              Yes, delete all
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmClear(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={runs.length === 0}
            onClick={() => setConfirmClear(true)}
          >
            Clear history…
          </button>
        )}
      </div>
    </section>
  );
}

function HistoryRow(props: { run: RunResult; selected: boolean; top: number; actions: SavedRunActions }) {
  const { run } = props;
  const [editing, setEditing] = useState<'name' | 'tags' | null>(null);
  const [draft, setDraft] = useState('');
  const summary = runSummary(run);
  const s = run.settings;
  const commit = () => {
    if (editing === 'name') void props.actions.rename(run.id, draft);
    if (editing === 'tags') void props.actions.setTags(run.id, draft.split(','));
    setEditing(null);
  };
  return (
    <div
      className={props.selected ? 'history-row selected' : 'history-row'}
      style={{ transform: `translateY(${props.top}px)`, height: rowHeight() }}
      data-run-id={run.id}
    >
      <input
        type="checkbox"
        checked={props.selected}
        onChange={() => toggleSelected(run.id)}
        aria-label={`Select ${run.name}`}
      />
      <div className="history-main">
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              commit();
            }}
          >
            <input
              type="text"
              // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to edit it
              autoFocus
              aria-label={editing === 'name' ? 'Run name' : 'Tags, comma separated'}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onBlur={commit}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
            />
          </form>
        ) : (
          <>
            <div className="run-name" title={run.name}>
              {run.name}
              {run.status !== 'complete' && (
                <span className={run.status === 'failed' ? 'badge warn' : 'badge'}>{run.status}</span>
              )}
              <NoiseBadge report={noiseOf(run.repetitions)} />
              {run.tags.map((tag) => (
                <span key={tag} className="badge tag">
                  {tag}
                </span>
              ))}
            </div>
            <div className="muted small-text">
              {s.modelId} · {s.dtype} · {backendName(s.device)} · P{s.promptTokens} G{s.genTokens} ·{' '}
              {formatDate(run.createdAt)}
            </div>
          </>
        )}
      </div>
      <div className="history-metric" title="median decode tok/s">
        {formatSignificant(summary?.decodeTokPerS.median)} <span className="muted">tok/s</span>
      </div>
      <div className="history-metric" title="median time to first token">
        {formatSignificant(summary?.ttftMs.median)} <span className="muted">ms TTFT</span>
      </div>
      <div className="history-buttons">
        <button
          type="button"
          className="link"
          onClick={() => {
            setDraft(run.name);
            setEditing('name');
          }}
        >
          Rename
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setDraft(run.tags.join(', '));
            setEditing('tags');
          }}
        >
          Tags
        </button>
        <button
          type="button"
          className="link"
          onClick={() => void props.actions.remove([run.id])}
          aria-label={`Delete ${run.name}`}
        >
          Delete
        </button>
      </div>
    </div>
  );
}
