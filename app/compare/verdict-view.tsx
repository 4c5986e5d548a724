import { useMemo } from 'react';
import type { ModelFactsLookup } from '../models/catalog.ts';
import type { RunResult } from '../run/run.ts';
import { formatBytes } from '../ui/format.ts';
import { formatSpread } from './format.ts';
import './verdict.css';
import { type Candidate, candidateName, type QualityLookup, recommend, type Verdict } from './verdict.ts';

const CAUSE_TITLE: Record<Extract<Verdict, { kind: 'undecided' }>['cause'], string> = {
  'no-valid-runs': 'Nothing to decide from',
  'one-option': 'Nothing to choose between',
  'software-adapter': 'Cannot decide: software GPU',
  quality: 'Cannot decide: quality',
  'different-settings': 'Cannot decide: different P/G',
  'too-noisy': 'Cannot decide: too noisy',
};

function Figures({ c }: { c: Candidate }) {
  return (
    <dl className="verdict-figures">
      <div>
        <dt>size</dt>
        <dd>{c.bytes === null ? 'unknown' : formatBytes(c.bytes)}</dd>
      </div>
      <div>
        <dt>decode</dt>
        <dd>{formatSpread(c.decodeTokPerS)} tok/s</dd>
      </div>
      <div>
        <dt>TTFT</dt>
        <dd>{formatSpread(c.ttftMs)} ms</dd>
      </div>
      {c.top1Agreement !== null && (
        <div>
          <dt>top-1 agreement</dt>
          <dd>{Math.round(c.top1Agreement * 100)} %</dd>
        </div>
      )}
    </dl>
  );
}

/**
 * The answer above the charts: per machine, which configuration to ship and why, or plainly why these runs
 * cannot decide (compare/verdict.ts).
 */
export function VerdictPanel(props: {
  runs: readonly RunResult[];
  facts: ModelFactsLookup;
  quality?: QualityLookup;
}) {
  const { runs, facts, quality } = props;
  const verdicts = useMemo(() => recommend(runs, facts, { quality }), [runs, facts, quality]);
  return (
    <section className="verdicts" aria-label="Verdict">
      {verdicts.map((v) => (
        <article
          key={v.machine}
          className={v.kind === 'pick' ? 'verdict pick' : 'verdict undecided'}
          data-testid="verdict"
          data-kind={v.kind === 'pick' ? 'pick' : v.cause}
        >
          <p className="verdict-machine muted small-text">
            On {v.machine}
            {v.settings && ` · at ${v.settings}`} · figures are median (min–max)
          </p>
          {v.kind === 'pick' ? (
            <>
              <h3>
                Ship <span className="verdict-name">{candidateName(v.pick)}</span>
              </h3>
              <Figures c={v.pick} />
            </>
          ) : (
            <h3>{CAUSE_TITLE[v.cause]}</h3>
          )}
          <p className="verdict-reason">{v.reason}</p>
          {v.caveats.length > 0 && (
            <ul className="verdict-caveats small-text">
              {v.caveats.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </section>
  );
}
