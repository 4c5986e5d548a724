import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LessonChart } from '../lessons/lesson-chart.tsx';
import { lessonById } from '../lessons/lessons.ts';
import { lessonPoints } from '../lessons/points.ts';
import { ROOM_CODE_PARAM } from '../room/protocol.ts';
import { useRoom } from '../room/store.ts';
import { formatSignificant } from '../ui/format.ts';
import { QrCode } from '../ui/qr-code.tsx';
import {
  costConclusion,
  type DeviceSpread,
  deviceSpreads,
  LAPTOP_HOUR,
  type Leaderboard,
  leaderboards,
  type Seat,
  seats,
} from './board-model.ts';
import { InstructorControls } from './instructor-controls.tsx';
import { type BoardConnection, useBoardRoom } from './use-board-room.ts';
import './board.css';

/** The query parameter that opens the board, and the one that carries the instructor token. */
export const BOARD_PARAM = 'board';
export const TOKEN_PARAM = 'token';

/** Rows of the first leaderboard shown; the rest of the room is in the spread. */
const TOP_ENTRIES = 8;

/** Host names that only this machine can reach: students cannot join at them. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const BACKEND: Readonly<Record<string, string>> = { webgpu: 'WebGPU', wasm: 'WASM' };
const tokPerS = (v: number) => formatSignificant(v);

/**
 * The class board, for the projector: the room's join address and code (with a QR code), who joined and who has
 * finished the current lesson, that lesson's chart with every student's points, a leaderboard per model, the
 * spread across the room's devices and the class's cost conclusion, live from the room's event stream. With the
 * instructor token in the address (`&token=…`), the instructor's actions too. Names are the students' own text:
 * React renders them as text, never as markup.
 */
export function BoardPage() {
  const search = location.search;
  const origin = location.origin;
  const connection = useBoardRoom(search, origin);
  const token = new URLSearchParams(search).get(TOKEN_PARAM);
  useEffect(() => {
    document.title = 'Class board · Inference Cost Lab';
  }, []);
  return (
    <div className="board">
      {connection.state === 'watching' ? (
        <LiveBoard code={connection.code} origin={origin} token={token} />
      ) : (
        <BoardNotice connection={connection} />
      )}
    </div>
  );
}

function BoardNotice(props: { connection: Exclude<BoardConnection, { state: 'watching' }> }) {
  const { connection } = props;
  return (
    <main className="board-notice">
      <h1>Class board</h1>
      {connection.state === 'checking' && <p role="status">Connecting to the room…</p>}
      {connection.state === 'no-room' && (
        <p role="alert">
          This page was not served by a room server. Start one with <code>npm run room</code> and open the
          board address it prints.
        </p>
      )}
      {connection.state === 'no-code' && (
        <p role="alert">
          The board’s address needs the room code: <code>?board&amp;{ROOM_CODE_PARAM}=CODE</code>, as{' '}
          <code>npm run room</code> prints it.
        </p>
      )}
      {connection.state === 'refused' && <p role="alert">{connection.message}</p>}
    </main>
  );
}

function LiveBoard(props: { code: string; origin: string; token: string | null }) {
  const { info, participants, results, stream } = useRoom(
    useShallow(({ info, participants, results, stream }) => ({ info, participants, results, stream })),
  );
  const lesson = lessonById(info?.lessonId) ?? null;
  const joinUrl = `${props.origin}/?${ROOM_CODE_PARAM}=${props.code}`;
  const derived = useMemo(
    () => ({
      seats: seats(participants, results, lesson),
      boards: leaderboards(results),
      spreads: deviceSpreads(results),
      conclusion: costConclusion(results),
      // The lesson's own results (sent from its page), as the "finished" count counts them.
      points: lesson
        ? lessonPoints(
            lesson,
            results.filter((row) => row.lessonId === lesson.id),
          )
        : [],
    }),
    [participants, results, lesson],
  );
  const live = stream === 'live';
  return (
    <>
      <header className="board-header">
        <div className="board-join">
          <h1>Class board</h1>
          <p className="board-join-line">
            Join at <span className="board-url">{joinUrl}</span>
          </p>
          {LOOPBACK.has(location.hostname) && (
            <p className="board-warning">
              This address works on this laptop only: open the board from the network address that{' '}
              <code>npm run room</code> printed.
            </p>
          )}
          <p className="board-join-line">
            Room code <span className="board-code">{props.code}</span>
            {info?.closed && <span className="board-closed">Room closed</span>}
          </p>
        </div>
        <p
          className={live ? 'board-live' : 'board-live reconnecting'}
          role="status"
          data-testid="board-stream"
        >
          <span aria-hidden="true">{live ? '●' : '○'}</span>{' '}
          {live ? 'Live' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </p>
        <QrCode
          className="board-qr"
          text={joinUrl}
          sizePx={132}
          label={`QR code of the join address ${joinUrl}`}
        />
      </header>
      <main className="board-main">
        <section
          className="board-conclusion"
          aria-label="The class's cost conclusion"
          data-testid="board-conclusion"
        >
          {derived.conclusion ? (
            <>
              <p className="board-sentence">{derived.conclusion.sentence}</p>
              <p className="board-source">{LAPTOP_HOUR.source}</p>
            </>
          ) : (
            <p className="board-sentence">
              {participants.length === 0
                ? 'Nobody has joined yet: scan the QR code or type the address above.'
                : 'No results yet: the cost conclusion appears with the first finished run.'}
            </p>
          )}
        </section>
        <div className="board-grid">
          <Joined
            seats={derived.seats}
            lessonTitle={lesson?.title ?? null}
            lessonSteps={lesson?.steps.length ?? 0}
          />
          <section className="board-panel" aria-labelledby="board-lesson-title">
            <h2 id="board-lesson-title">{lesson ? `Lesson: ${lesson.title}` : 'No lesson running'}</h2>
            {lesson ? (
              <div className="board-chart">
                <LessonChart lesson={lesson} points={[]} classPoints={derived.points} height={280} />
                {derived.points.length === 0 && <p>No results for this lesson yet.</p>}
              </div>
            ) : (
              <p>
                {props.token ? 'Start one below for everyone.' : 'The instructor can start one for everyone.'}
              </p>
            )}
          </section>
          <Leaderboards boards={derived.boards} />
        </div>
        <Spreads spreads={derived.spreads} />
        {props.token && (
          <InstructorControls
            origin={props.origin}
            token={props.token}
            lessonId={info?.lessonId ?? null}
            closed={info?.closed ?? false}
            resultCount={results.length}
          />
        )}
      </main>
    </>
  );
}

function Joined(props: { seats: readonly Seat[]; lessonTitle: string | null; lessonSteps: number }) {
  const done = props.seats.filter((s) => s.finishedLesson).length;
  return (
    <section className="board-panel" aria-labelledby="board-joined-title" data-testid="board-joined">
      <h2 id="board-joined-title">Joined: {props.seats.length}</h2>
      {props.lessonTitle && (
        <p className="board-progress">
          {done} of {props.seats.length} finished the lesson
        </p>
      )}
      {props.seats.length === 0 ? (
        <p>Nobody yet.</p>
      ) : (
        <ul className="board-seats">
          {props.seats.map((s) => (
            <li key={s.participant.id} className={s.finishedLesson ? 'done' : undefined}>
              <span className="board-name">{s.participant.name}</span>
              {props.lessonTitle && (
                <span className="board-steps">
                  {s.finishedLesson ? (
                    <>
                      <span aria-hidden="true">✓</span> done
                    </>
                  ) : (
                    `${s.lessonStepsDone}/${props.lessonSteps}`
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Leaderboards(props: { boards: readonly Leaderboard[] }) {
  const [first, ...others] = props.boards;
  return (
    <section className="board-panel" aria-labelledby="board-leaders-title" data-testid="board-leaderboard">
      <h2 id="board-leaders-title">Fastest decode</h2>
      {!first ? (
        <p>No finished runs yet.</p>
      ) : (
        <>
          <LeaderTable board={first} limit={TOP_ENTRIES} />
          {others.map((board) => (
            <LeaderTable key={board.modelKey} board={board} limit={3} />
          ))}
        </>
      )}
    </section>
  );
}

function LeaderTable(props: { board: Leaderboard; limit: number }) {
  const { board } = props;
  const shown = board.entries.slice(0, props.limit);
  const more = board.entries.length - shown.length;
  return (
    <table className="board-table">
      <caption>{board.label}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Who</th>
          <th scope="col">tok/s</th>
          <th scope="col">on</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((e) => (
          <tr key={e.participantId}>
            <td>{e.rank}</td>
            <td className="board-name">{e.participant}</td>
            <td>{tokPerS(e.decodeTokPerS)}</td>
            <td>{BACKEND[e.device] ?? e.device}</td>
          </tr>
        ))}
        {more > 0 && (
          <tr>
            <td />
            <td colSpan={3}>and {more} more</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Spreads(props: { spreads: readonly DeviceSpread[] }) {
  if (props.spreads.length === 0) return null;
  return (
    <section className="board-panel" aria-labelledby="board-spread-title" data-testid="board-spread">
      <h2 id="board-spread-title">Spread across the room’s devices (decode tok/s, each device’s best run)</h2>
      <table className="board-table board-spread">
        <thead>
          <tr>
            <th scope="col">model</th>
            <th scope="col">group</th>
            <th scope="col">devices</th>
            <th scope="col">median</th>
            <th scope="col">min – max</th>
          </tr>
        </thead>
        <tbody>
          {props.spreads.flatMap((s) =>
            [
              { label: 'all devices', spread: s.all },
              ...s.byBackend,
              ...s.byVendor.map((g) => ({ ...g, label: `WebGPU · ${g.label}` })),
            ].map((g, i) => (
              <tr key={`${s.modelKey}:${g.label}`}>
                <td>{i === 0 ? s.label : ''}</td>
                <td>{g.label}</td>
                <td>{g.spread.n}</td>
                <td>{tokPerS(g.spread.median)}</td>
                <td>
                  {tokPerS(g.spread.min)} – {tokPerS(g.spread.max)}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}
