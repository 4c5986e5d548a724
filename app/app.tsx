import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SavedRunActions } from './compare/saved-runs.ts';
import { runSpeeds } from './cost/runs.ts';
import { URL_PARAM as COST_PARAM } from './cost/scenario.ts';
import {
  applyBatchCurve,
  applyBrowserRun,
  applyPrefixSaving,
  loadDraftFromUrl,
  useCostStore,
  writeDraftToUrl,
} from './cost/store.ts';
import {
  clearHistory,
  deleteRuns,
  importRuns,
  loadHistory,
  renameRun,
  saveRun,
  setRunTags,
  useHistory,
} from './history/store.ts';
import { setRunSink, useMeasure } from './measure/store.ts';
import {
  clearQualityScores,
  qualityLookup,
  recordQualityScores,
  useQualityScores,
} from './models/quality-scores.ts';
import { RoomBar } from './room/room-bar.tsx';
import { offerRun, useRoom } from './room/store.ts';
import { AppStatus } from './ui/app-status.tsx';
import { ErrorBoundary } from './ui/error-boundary.tsx';

// Each view (and what only it uses: recharts, the price table, the microbenchmarks) is its own chunk, loaded
// when first shown, so the first load carries only the shell (`npm run size` keeps it under budget).
const MeasurePage = lazy(() =>
  import('./measure/measure-page.tsx').then((m) => ({ default: m.MeasurePage })),
);
const CostPage = lazy(() => import('./cost/cost-page.tsx').then((m) => ({ default: m.CostPage })));
const ComparePage = lazy(() =>
  import('./compare/compare-page.tsx').then((m) => ({ default: m.ComparePage })),
);
const LearnPage = lazy(() => import('./learn/learn-page.tsx').then((m) => ({ default: m.LearnPage })));
const HardwarePage = lazy(() =>
  import('./hardware/hardware-page.tsx').then((m) => ({ default: m.HardwarePage })),
);
const BoardPage = lazy(() => import('./board/board-page.tsx').then((m) => ({ default: m.BoardPage })));

// Composition: every measured run goes to the history as each repetition lands.
setRunSink((run) => void saveRun(run));
// In a workshop room, a Measure run goes to the room when it ends, unless unticked on its card (no room: nothing).
useMeasure.subscribe(({ result }, prev) => {
  if (
    result &&
    result.status !== 'running' &&
    prev.result?.id === result.id &&
    prev.result.status === 'running'
  )
    offerRun(result);
});
void loadHistory();

/** What Compare & share may do to the saved runs: the history's actions, handed down as props. */
const HISTORY_ACTIONS: SavedRunActions = {
  save: saveRun,
  rename: renameRun,
  setTags: setRunTags,
  remove: deleteRuns,
  clear: clearHistory,
  importRuns,
};

/** Compare & share over the saved runs. Only this view re-renders when the history changes. */
function CompareWithHistory(props: {
  costScenario?: string;
  onOpenCostScenario: (scenario: unknown) => void;
}) {
  const saved = useHistory(
    useShallow(({ runs, status, error, unreadable, loadMs }) => ({
      runs,
      status,
      error,
      unreadable,
      loadMs,
    })),
  );
  const qualityTable = useQualityScores((s) => s.table);
  const quality = useMemo(() => qualityLookup(qualityTable), [qualityTable]);
  return <ComparePage saved={saved} actions={HISTORY_ACTIONS} quality={quality} {...props} />;
}

/** The Cost and "Why this fast" views read the saved runs; each subscribes on its own. */
function CostWithHistory() {
  const runs = useHistory((s) => s.runs);
  return <CostPage runs={runs} />;
}

/** The Lessons tab saves a lesson's runs to the history and reads them back after a reload. */
function LearnWithHistory() {
  const runs = useHistory((s) => s.runs);
  return <LearnPage save={saveRun} saved={runs} />;
}

function HardwareWithHistory() {
  const runs = useHistory((s) => s.runs);
  const qualityScores = useQualityScores((s) => s.table);
  return (
    <HardwarePage
      runs={runs}
      qualityScores={qualityScores}
      onQualityScored={recordQualityScores}
      onClearQualityScores={clearQualityScores}
    />
  );
}

/** The lab's screens. The current one lives in the URL (?view=…) so a reload or a link keeps it. */
const VIEWS = ['measure', 'cost', 'compare', 'hardware', 'lessons'] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABEL: Record<View, string> = {
  measure: 'Measure',
  cost: 'Cost',
  compare: 'Compare & share',
  hardware: 'Why this fast',
  lessons: 'Lessons',
};

const readView = (): View => {
  // A result link (#report=…) always opens on the report, whatever view the link's query names.
  if (location.hash.startsWith('#report=')) return 'compare';
  const v = new URLSearchParams(location.search).get('view');
  return (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'measure';
};

function Lab() {
  const [view, setView] = useState<View>(readView);
  useEffect(() => {
    const onPop = () => setView(readView());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.title = `${location.hash.startsWith('#report=') ? 'Shared results' : VIEW_LABEL[view]} · Inference Cost Lab`;
  }, [view]);
  // The instructor started a lesson for the room: the Lessons tab opens it (learn/ follows the lesson id). A result
  // link opened on the room's address (the class result link) stays on its report.
  const roomLessonId = useRoom((s) => s.info?.lessonId ?? null);
  useEffect(() => {
    if (!roomLessonId || location.hash.startsWith('#report=')) return;
    const url = new URL(location.href);
    url.searchParams.set('view', 'lessons');
    history.replaceState(history.state, '', url);
    setView('lessons');
  }, [roomLessonId]);
  const go = (next: View) => {
    const url = new URL(location.href);
    url.searchParams.set('view', next);
    history.pushState(null, '', url);
    setView(next);
  };
  const openCostScenario = (scenario: unknown) => {
    if (typeof scenario !== 'string') return;
    const url = new URL(location.href);
    url.searchParams.set(COST_PARAM, scenario);
    url.searchParams.set('view', 'cost');
    url.hash = '';
    history.pushState(null, '', url);
    loadDraftFromUrl(url.search);
    setView('cost');
  };
  const pages: Record<View, ReactNode> = {
    measure: (
      <MeasurePage
        onUseInCost={(run) => {
          const speeds = runSpeeds(run);
          if (!speeds) return;
          applyBrowserRun(speeds);
          // The Cost page reads its scenario from the URL when it opens: put the new speeds there first.
          writeDraftToUrl(useCostStore.getState().draft);
          go('cost');
        }}
        sweepHandoffs={{
          onUseBatchCurve: (curve) => {
            applyBatchCurve(curve);
            writeDraftToUrl(useCostStore.getState().draft);
            go('cost');
          },
          selfHostedPrice: () => {
            const { gpuUsdPerHour, utilisation } = useCostStore.getState().lastValid.selfHosted;
            return { gpuUsdPerHour, utilisation };
          },
          onUsePrefixSaving: (saving) => {
            applyPrefixSaving(saving.savedShare);
            writeDraftToUrl(useCostStore.getState().draft);
            go('cost');
          },
        }}
      />
    ),
    cost: <CostWithHistory />,
    compare: (
      <CompareWithHistory
        costScenario={new URLSearchParams(location.search).get(COST_PARAM) ?? undefined}
        onOpenCostScenario={openCostScenario}
      />
    ),
    hardware: <HardwareWithHistory />,
    lessons: <LearnWithHistory />,
  };
  return (
    <div className="app">
      {/* A button, not a #main link: the fragment may hold a result link (#report=…), which must stay. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to the {VIEW_LABEL[view]} view
      </button>
      <header className="app-header">
        <h1>Inference Cost Lab</h1>
        <nav aria-label="Lab views">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className={v === view ? 'tab active' : 'tab'}
              aria-current={v === view ? 'page' : undefined}
              onClick={() => go(v)}
            >
              {VIEW_LABEL[v]}
            </button>
          ))}
        </nav>
      </header>
      <AppStatus />
      <RoomBar />
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={view}>
          <Suspense
            fallback={
              <p className="muted" role="status" data-testid="view-loading">
                Loading {VIEW_LABEL[view]}…
              </p>
            }
          >
            {pages[view]}
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** `?board` opens the class board alone (the projector view of a room, without the tabs); anything else, the lab. */
export function App() {
  if (!new URLSearchParams(location.search).has('board')) return <Lab />;
  return (
    <ErrorBoundary label="The class board">
      <Suspense
        fallback={
          <p className="muted" role="status">
            Loading the class board…
          </p>
        }
      >
        <BoardPage />
      </Suspense>
    </ErrorBoundary>
  );
}
