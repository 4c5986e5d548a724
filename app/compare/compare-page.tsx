import { useEffect, useMemo, useState } from 'react';
import { modelFactsOf } from '../models/catalog.ts';
import { useCatalog } from '../models/use-catalog.ts';
import { extractPayload, hasReport } from '../run/link.ts';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { ClassView } from './class-view.tsx';
import { ComparisonView } from './comparison-view.tsx';
import { HistoryList } from './history-list.tsx';
import { ReportView } from './report-view.tsx';
import type { SavedRunActions, SavedRuns } from './saved-runs.ts';
import { ImportPanel, SharePanel } from './share-panel.tsx';
import { useCompare } from './store.ts';
import { SweepPanel, SweepProgress } from './sweep-panel.tsx';
import type { QualityLookup } from './verdict.ts';
import './compare.css';

const SECTIONS = ['history', 'sweep', 'class'] as const;
type Section = (typeof SECTIONS)[number];
const SECTION_LABEL: Record<Section, string> = {
  history: 'History & comparison',
  sweep: 'Sweep',
  class: 'Class view',
};

const readSection = (): Section => {
  const s = new URLSearchParams(location.search).get('section');
  return (SECTIONS as readonly string[]).includes(s ?? '') ? (s as Section) : 'history';
};

/**
 * Compare & share: the saved runs, comparisons of any selection, sweeps, result links and the
 * class view. Opens a shared report whenever the page's URL carries `#report=…`. The saved runs
 * and what may be done to them come from app.tsx; each panel has its own error boundary, so one
 * panel's error leaves the others, and the way out of it, working.
 */
export function ComparePage(props: {
  saved: SavedRuns;
  actions: SavedRunActions;
  costScenario?: unknown;
  onOpenCostScenario?: (scenario: unknown) => void;
  /** Quality scores by model and dtype, for the verdict's quality bar. */
  quality?: QualityLookup;
}) {
  const [section, setSection] = useState<Section>(readSection);
  const [hash, setHash] = useState(() => location.hash);
  const catalog = useCatalog();
  const facts = useMemo(() => modelFactsOf(catalog.models), [catalog.models]);
  const { runs } = props.saved;
  const selectedIds = useCompare((s) => s.selectedIds);
  const selected = useMemo(() => {
    const ids = new Set(selectedIds);
    return runs.filter((run) => ids.has(run.id));
  }, [runs, selectedIds]);

  useEffect(() => {
    const onHash = () => setHash(location.hash);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: Section) => {
    const url = new URL(location.href);
    url.searchParams.set('section', next);
    history.replaceState(null, '', url);
    setSection(next);
  };
  const closeReport = () => {
    const url = new URL(location.href);
    url.hash = '';
    history.replaceState(null, '', url);
    setHash('');
  };

  return (
    <div className="compare-page">
      {hasReport(hash) && (
        <ReportView
          payload={extractPayload(hash)}
          facts={facts}
          savedRuns={runs}
          actions={props.actions}
          onClose={closeReport}
          onOpenCostScenario={props.onOpenCostScenario}
          quality={props.quality}
        />
      )}
      <nav className="subnav" aria-label="Compare sections">
        {SECTIONS.map((s) => (
          <button
            key={s}
            type="button"
            className={s === section ? 'tab active' : 'tab'}
            aria-current={s === section ? 'page' : undefined}
            onClick={() => go(s)}
          >
            {SECTION_LABEL[s]}
          </button>
        ))}
      </nav>
      {catalog.error && (
        <p className="message warn">{catalog.error} Model sizes are unknown for embedded models.</p>
      )}
      {section === 'history' && (
        <>
          <SweepProgress />
          <div className="history-layout">
            <ErrorBoundary label="The list of saved runs">
              <HistoryList saved={props.saved} actions={props.actions} />
            </ErrorBoundary>
            <div>
              <ErrorBoundary label="Share and export" resetKey={selected}>
                <SharePanel runs={selected} facts={facts} costScenario={props.costScenario} />
              </ErrorBoundary>
              <ErrorBoundary label="Import">
                <ImportPanel importRuns={props.actions.importRuns} />
              </ErrorBoundary>
            </div>
          </div>
          <section className="panel" aria-label="Comparison">
            <h2>
              Comparison{' '}
              <span className="muted">
                ({selected.length} selected run{selected.length === 1 ? '' : 's'})
              </span>
            </h2>
            {selected.length === 0 ? (
              <p className="message info">Select runs in the list above (or run a sweep) to compare them.</p>
            ) : (
              // Changing the selection (the way out of a run that breaks the charts) resets the boundary.
              <ErrorBoundary label="The comparison" resetKey={selected}>
                <ComparisonView runs={selected} facts={facts} quality={props.quality} />
              </ErrorBoundary>
            )}
          </section>
        </>
      )}
      {section === 'sweep' && (
        <ErrorBoundary label="The sweep">
          <SweepPanel
            models={catalog.models}
            save={props.actions.save}
            runs={runs}
            facts={facts}
            onCompare={() => {
              go('history');
              // Land on the comparison itself, below the list, once the history section has rendered.
              requestAnimationFrame(() =>
                document
                  .querySelector('section[aria-label="Comparison"]')
                  ?.scrollIntoView({ block: 'start' }),
              );
            }}
          />
        </ErrorBoundary>
      )}
      {section === 'class' && (
        <ClassView facts={facts} importRuns={props.actions.importRuns} quality={props.quality} />
      )}
    </div>
  );
}
