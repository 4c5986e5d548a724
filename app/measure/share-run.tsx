import { useId, useMemo, useState } from 'react';
import { encodeReport, reportUrl } from '../run/link.ts';
import { setParticipant, useParticipant } from '../run/participant.ts';
import type { RunResult } from '../run/run.ts';
import { copyForUser } from '../ui/clipboard.ts';
import { QrCode } from '../ui/qr-code.tsx';
import { sinkRun, useMeasure } from './store.ts';
import './share-run.css';

/**
 * Longest link offered as a QR code: a version-40 code at medium error correction holds 2,331 bytes, and a
 * dense code is hard to scan from a laptop screen well before that.
 */
export const QR_MAX_LINK_CHARS = 2_000;

/**
 * The run as it is shared: with the participant name set now when the run was made without one (the student
 * filled it in after running). The same run, so the history and the class view count it once.
 */
export const withParticipant = (run: RunResult, name: string | null): RunResult =>
  run.participant || !name ? run : { ...run, participant: name };

/**
 * Share on the result card: the result link (copied to the clipboard) and its QR code, so a student hands a
 * run to the teacher's class view without going through Compare. The participant name asked here is the one
 * every later run carries, and the room's join form sets the same one.
 */
export function ShareRun(props: { run: RunResult }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const name = useParticipant((s) => s.name);
  const run = useMemo(() => withParticipant(props.run, name), [props.run, name]);
  const link = useMemo(() => reportUrl(location.href, encodeReport([run])), [run]);

  const share = async () => {
    setOpen(true);
    if (run !== props.run) keepParticipant(run);
    setCopied(await copyForUser(link));
  };

  return (
    <div className="share-run" data-testid="share-run">
      <button type="button" className="secondary" aria-expanded={open} onClick={share}>
        Share this result
      </button>
      {open && (
        <div className="share-run-body">
          <ParticipantField />
          <div className="share-run-link">
            <label className="field">
              Result link
              <input
                type="text"
                readOnly
                value={link}
                onFocus={(e) => e.target.select()}
                data-testid="share-run-link"
              />
            </label>
            <p className="muted small-text" role="status">
              {copied} {link.length.toLocaleString('en')} characters. The result travels in the part after #,
              which browsers never send to a server: paste it into the class view, or scan the code.
            </p>
          </div>
          {link.length <= QR_MAX_LINK_CHARS ? (
            <QrCode text={link} sizePx={256} label="QR code of the result link" className="share-run-qr" />
          ) : (
            <p className="muted small-text">
              This link is too long for a QR code that scans reliably; copy the link instead.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** Saves the name on the run shown and in the history, so a later link from Compare carries it too. */
function keepParticipant(run: RunResult) {
  if (useMeasure.getState().result?.id === run.id) useMeasure.setState({ result: run });
  sinkRun(run);
}

/** "Your name or seat (for class results)": saved in this browser; every run made while it is set carries it. */
export function ParticipantField() {
  const stored = useParticipant((s) => s.name);
  const [text, setText] = useState(stored ?? '');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const commit = () => {
    const check = setParticipant(text);
    setError(check.ok ? null : check.message);
    if (check.ok) setText(check.name ?? '');
  };
  return (
    <label className="field participant-field" htmlFor={id}>
      Your name or seat (for class results)
      <span className="hint">
        Shown beside your results in the class view, so identical laptops are not merged. Leave empty to stay
        anonymous.
      </span>
      <input
        id={id}
        type="text"
        value={text}
        maxLength={80}
        autoComplete="nickname"
        aria-invalid={error !== null}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
