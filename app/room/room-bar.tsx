import { type FormEvent, useState } from 'react';
import { DISPLAY_NAME_MAX_CHARS } from '../run/display-name.ts';
import type { RunResult } from '../run/run.ts';
import { joinRoom, leaveRoom, resendRun, type SendStatus, setSendThisRun, useRoom } from './store.ts';

const STREAM_TEXT = { off: '', connecting: 'connecting…', live: 'live', retrying: 'reconnecting…' } as const;

/**
 * The bar under the header when the lab was opened from a workshop room: the join form (a display name, and the
 * room code when the address did not carry it), then who this browser is in the room. Nothing without a room.
 */
export function RoomBar() {
  const info = useRoom((s) => s.info);
  const me = useRoom((s) => s.me);
  if (!info) return null;
  return (
    <section className="message info room-bar" aria-label="Workshop room" data-testid="room-bar">
      {me ? <Joined name={me.participant.name} /> : <JoinForm />}
      {info.closed && (
        <p className="room-bar-note" role="status">
          The room is closed: it takes no more results.
        </p>
      )}
    </section>
  );
}

function Joined({ name }: { name: string }) {
  const stream = useRoom((s) => s.stream);
  const people = useRoom((s) => s.participants.length);
  const results = useRoom((s) => s.results.length);
  return (
    <div className="row">
      <strong>You are in a workshop room.</strong>
      <span data-testid="room-joined">
        Joined as <strong>{name}</strong>
      </span>
      <span className="muted">
        · {people} joined · {results} result{results === 1 ? '' : 's'}
        {stream !== 'off' && ` · ${STREAM_TEXT[stream]}`}
      </span>
      <button type="button" className="secondary" onClick={leaveRoom}>
        Leave
      </button>
    </div>
  );
}

function JoinForm() {
  const code = useRoom((s) => s.code);
  const joining = useRoom((s) => s.joining);
  const error = useRoom((s) => s.joinError);
  const [name, setName] = useState('');
  const [typedCode, setTypedCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void joinRoom(name, code ?? typedCode);
  };
  return (
    <form className="row" onSubmit={submit} aria-describedby="room-join-help">
      <span className="room-bar-line">
        <strong>You are in a workshop room.</strong>{' '}
        <span id="room-join-help" className="muted">
          Pick a name for the class board; your finished runs go to the room (you can untick any).
        </span>
      </span>
      <label className="room-field">
        Your name
        <input
          type="text"
          value={name}
          maxLength={DISPLAY_NAME_MAX_CHARS * 2}
          autoComplete="nickname"
          placeholder="a first name or a seat"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {code === null && (
        <label className="room-field">
          Room code
          <input
            type="text"
            value={typedCode}
            autoCapitalize="characters"
            placeholder="from the address on the screen"
            onChange={(e) => setTypedCode(e.target.value)}
          />
        </label>
      )}
      <button type="submit" className="primary" disabled={joining || name.trim() === ''}>
        {joining ? 'Joining…' : 'Join the room'}
      </button>
      {error && (
        <p className="field-error room-bar-note" role="alert" data-testid="room-join-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** What the result card says about a run and the room, in words. */
function statusText(status: SendStatus | undefined): string {
  switch (status?.state) {
    case undefined:
      return '';
    case 'sending':
      return 'Sending to the room…';
    case 'sent':
      return status.again ? 'Already in the room.' : 'Sent to the room.';
    case 'failed':
      return status.retrying
        ? `Not sent yet: ${status.message} The lab tries again by itself.`
        : `Not sent: ${status.message}`;
    case 'waiting':
      return status.message;
    case 'not-sent':
      return 'Not sent to the room.';
  }
}

/**
 * On a run's result card, in a room: the "Send this run to the room" box (ticked unless the student unticks it)
 * and what became of the run. Nothing without a room.
 */
export function RoomSendControl({ run }: { run: RunResult }) {
  const inRoom = useRoom((s) => s.info !== null);
  const status = useRoom((s) => s.sends[run.id]);
  const optedOut = useRoom((s) => s.optedOut[run.id] === true);
  if (!inRoom) return null;
  const locked = status?.state === 'sent' || status?.state === 'sending';
  const refused = status?.state === 'failed' && !status.retrying;
  return (
    <div className="row room-send" data-testid="room-send">
      <label>
        <input
          type="checkbox"
          checked={!optedOut && status?.state !== 'not-sent'}
          disabled={locked}
          onChange={(e) => setSendThisRun(run, e.target.checked)}
        />{' '}
        Send this run to the room
      </label>
      <span
        className={status?.state === 'failed' ? 'field-error' : 'muted'}
        role="status"
        data-testid="room-send-status"
      >
        {statusText(status)}
      </span>
      {refused && (
        <button type="button" className="secondary" onClick={() => void resendRun(run)}>
          Send again
        </button>
      )}
    </div>
  );
}
