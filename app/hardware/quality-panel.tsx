import { useEffect, useRef, useState } from 'react';
import type { Dtype } from '../engine/protocol.ts';
import { formatBytes } from '../ui/format.ts';
import {
  compareScores,
  type FileScore,
  PRECISION_ORDER,
  QUALITY_MAX_TOKENS,
  QUALITY_TOP_K,
} from './quality.ts';
import { type QualityEntry, scoreDtypes } from './scoring.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toPrecision(digits) : '—');
/** KL spans many orders of magnitude between dtypes: small values in scientific notation, exact zero as 0. */
const kl = (x: number) =>
  !Number.isFinite(x) ? '—' : x === 0 ? '0' : x < 1e-3 ? x.toExponential(2) : x.toPrecision(3);

/**
 * Quantization quality beside speed and size: each dtype scores the same text with teacher forcing and is compared
 * with the most precise dtype present. `scoreWith(dtype, signal)` loads that variant and scores the text; leaving
 * the panel (unmount, another tab) aborts the scoring.
 */
export function QualityPanel(props: {
  dtypes: readonly Dtype[];
  scoreWith: ((dtype: Dtype, signal: AbortSignal) => Promise<FileScore>) | null;
  randomWeights: boolean;
  /** Weight bytes per dtype. */
  sizes: Partial<Record<Dtype, number>>;
  /** Median decode tok/s per dtype from measured runs of this model, when there are any. */
  decodeTokPerS: Partial<Record<Dtype, number>>;
  /** Called when a scoring ends (finished or stopped) with every dtype scored in it. */
  onScored?: (scores: Partial<Record<Dtype, FileScore>>) => void;
}) {
  const ordered = PRECISION_ORDER.filter((d) => props.dtypes.includes(d));
  const [entries, setEntries] = useState<Partial<Record<Dtype, QualityEntry>>>({});
  const [busy, setBusy] = useState(false);
  const scoring = useRef<AbortController | null>(null);
  const reference = ordered[0];
  // Leaving the panel stops the scoring: nothing would show its results.
  useEffect(() => () => scoring.current?.abort(), []);

  const scoreAll = async () => {
    const scoreWith = props.scoreWith;
    if (!scoreWith) return;
    scoring.current?.abort();
    const controller = new AbortController();
    scoring.current = controller;
    setBusy(true);
    setEntries({});
    const scored: Partial<Record<Dtype, FileScore>> = {};
    await scoreDtypes(
      ordered,
      scoreWith,
      (d, entry) => {
        if (entry.state === 'done') scored[d] = entry.score;
        setEntries((e) => ({ ...e, [d]: entry }));
      },
      controller.signal,
    );
    props.onScored?.(scored);
    if (scoring.current === controller) {
      scoring.current = null;
      setBusy(false);
    }
  };

  const refEntry = reference ? entries[reference] : undefined;
  const refScore = refEntry?.state === 'done' ? refEntry.score : null;
  const refSize = reference ? props.sizes[reference] : undefined;
  const refSpeed = reference ? props.decodeTokPerS[reference] : undefined;

  return (
    <>
      {props.randomWeights ? (
        <div className="message warn">
          This model has random weights: agreement, KL and perplexity only check that the mechanism works. Use
          a real Hub model to see what quantization costs.
        </div>
      ) : null}
      {ordered.length < 2 ? (
        <div className="message info">
          Quality needs at least two dtypes of the same model; this one has {ordered.length}.
        </div>
      ) : null}
      {props.scoreWith === null ? (
        <div className="message info">
          Scoring needs the inference engine, which is not connected on this page.
        </div>
      ) : (
        <div className="row">
          <button type="button" className="primary" disabled={busy || ordered.length < 2} onClick={scoreAll}>
            {busy ? 'Scoring…' : `Score ${ordered.length} dtypes`}
          </button>
          {busy ? (
            <button type="button" className="secondary" onClick={() => scoring.current?.abort()}>
              Stop
            </button>
          ) : null}
          <span className="muted">
            Teacher-forced over the first {QUALITY_MAX_TOKENS} tokens of a fixed paragraph; reference:{' '}
            {reference ?? '—'}.
          </span>
        </div>
      )}
      <table className="metrics" data-testid="quality-table">
        <thead>
          <tr>
            <th>dtype</th>
            <th>Weights</th>
            <th>Decode tok/s</th>
            <th>Top-1 agreement</th>
            <th>Mean KL (nats)</th>
            <th>Perplexity</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((d) => {
            const entry = entries[d];
            const size = props.sizes[d];
            const speed = props.decodeTokPerS[d];
            const cmp = refScore && entry?.state === 'done' ? compareScores(refScore, entry.score) : null;
            return (
              <tr key={d} data-dtype={d}>
                <td>
                  {d}
                  {d === reference ? <span className="badge">reference</span> : null}
                </td>
                <td>
                  {size !== undefined ? formatBytes(size) : '—'}
                  {size !== undefined && refSize !== undefined && d !== reference ? (
                    <span className="muted"> ({(refSize / size).toFixed(1)}× smaller)</span>
                  ) : null}
                </td>
                <td>
                  {speed !== undefined && Number.isFinite(speed) ? speed.toFixed(1) : '—'}
                  {speed !== undefined && refSpeed !== undefined && d !== reference && refSpeed > 0 ? (
                    <span className="muted"> ({(speed / refSpeed).toFixed(2)}×)</span>
                  ) : null}
                </td>
                {entry?.state === 'failed' ? (
                  <td colSpan={3} className="field-error" style={{ textAlign: 'left' }}>
                    {entry.message}
                  </td>
                ) : entry?.state === 'scoring' ? (
                  <td colSpan={3} className="muted">
                    scoring…
                  </td>
                ) : entry?.state === 'stopped' ? (
                  <td colSpan={3} className="muted">
                    stopped
                  </td>
                ) : cmp && !cmp.ok ? (
                  <td colSpan={3} className="field-error" style={{ textAlign: 'left' }}>
                    {cmp.reason}
                  </td>
                ) : (
                  <>
                    <td data-testid={`top1-${d}`}>{cmp?.ok ? pct(cmp.value.top1Agreement) : '—'}</td>
                    <td>{cmp?.ok ? kl(cmp.value.meanKlNats) : '—'}</td>
                    <td>{cmp?.ok ? num(cmp.value.candidatePerplexity, 4) : '—'}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        Top-1 agreement: share of positions where this dtype’s most likely next token is the reference’s. Mean
        KL: KL(reference ‖ dtype) per position, computed over the reference’s top {QUALITY_TOP_K} tokens with
        the rest of each distribution lumped into one “other” bucket — a slight underestimate of the
        full-vocabulary KL. Perplexity: exp(−mean log p of the actual next token).
      </p>
    </>
  );
}
