import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEVICES, type Device } from '../engine/protocol.ts';
import {
  type CostConsequence,
  consequenceSentence,
  LESSON_TRAFFIC,
  lessonConsequences,
} from '../lessons/cost.ts';
import { latestLessonRuns } from '../lessons/experiment.ts';
import type { Lesson } from '../lessons/lesson.ts';
import { LessonChart } from '../lessons/lesson-chart.tsx';
import { LESSONS, lessonById } from '../lessons/lessons.ts';
import { lessonPoints, stepName } from '../lessons/points.ts';
import { useRoom } from '../room/store.ts';
import { HOME_ELECTRICITY_USD_PER_KWH, LAPTOP_POWER_W } from '../run/hourly-cost.ts';
import type { RunResult } from '../run/run.ts';
import {
  followRoomLesson,
  openLesson,
  setLearnDevice,
  startExperiment,
  stopExperiment,
  useLearn,
} from './store.ts';
import './learn.css';

const DEVICE_LABEL: Record<Device, string> = { wasm: 'WASM (CPU)', webgpu: 'WebGPU (GPU)' };

/**
 * The Lessons tab: the list of guided lessons, or the open one. `save` puts a lesson's runs in the history;
 * `saved` (the history) brings a lesson's last numbers back after a reload.
 */
export function LearnPage(props: { save: (run: RunResult) => void; saved: readonly RunResult[] }) {
  const openId = useLearn((s) => s.openId);
  const roomLessonId = useRoom((s) => s.info?.lessonId ?? null);
  // The instructor started a lesson: open it (once per start).
  useEffect(() => followRoomLesson(roomLessonId), [roomLessonId]);
  const lesson = lessonById(openId);
  return lesson ? (
    <LessonView lesson={lesson} save={props.save} saved={props.saved} />
  ) : (
    <LessonList roomLessonId={roomLessonId} />
  );
}

function LessonList(props: { roomLessonId: string | null }) {
  return (
    <section className="panel lessons" aria-labelledby="lessons-title">
      <h2 id="lessons-title">Guided lessons</h2>
      <p className="muted">
        One lesson per lever of inference cost. Each runs a short experiment on this device (under two
        minutes) and turns your numbers into dollars.
      </p>
      <ol className="lesson-list" data-testid="lesson-list">
        {LESSONS.map((l) => (
          <li key={l.id}>
            <button type="button" className="lesson-link" onClick={() => openLesson(l.id)}>
              <strong>{l.title}</strong>
              {l.id === props.roomLessonId && <span className="badge">started by your instructor</span>}
              <span className="muted">{l.paragraphs[0]}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function LessonView(props: { lesson: Lesson; save: (run: RunResult) => void; saved: readonly RunResult[] }) {
  const { lesson } = props;
  const { device, running, runs, message } = useLearn(
    useShallow((s) => ({
      device: s.device,
      running: s.running,
      runs: s.runs[lesson.id],
      message: s.messages[lesson.id],
    })),
  );
  const { inRoom, classRows, myId } = useRoom(
    useShallow((s) => ({
      inRoom: s.info !== null && s.me !== null,
      classRows: s.results,
      myId: s.me?.participant.id ?? null,
    })),
  );
  // This session's experiment, else the lesson's latest saved runs (the page was reloaded).
  const mine =
    runs !== undefined
      ? runs.filter((r): r is RunResult => r !== undefined)
      : latestLessonRuns(lesson, props.saved);
  const others = classRows.filter((r) => r.lessonId === lesson.id && r.participantId !== myId);
  const points = lessonPoints(lesson, mine);
  const classPoints = inRoom ? lessonPoints(lesson, others) : [];
  const consequences = lessonConsequences(lesson, mine);
  const classConsequences = classPoints.length > 0 ? lessonConsequences(lesson, others) : [];
  const busy = running !== null;
  const thisRunning = running?.lessonId === lesson.id;
  const run = () =>
    void startExperiment(lesson, {
      save: props.save,
      send: (r, lessonId) => void useRoom.getState().sendRun(r, lessonId),
    });
  return (
    <article className="panel lesson" aria-labelledby="lesson-title" data-testid="lesson-page">
      <button type="button" className="lesson-back" onClick={() => openLesson(null)}>
        ← All lessons
      </button>
      <h2 id="lesson-title">{lesson.title}</h2>
      {lesson.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <details className="lesson-steps">
        <summary>The experiment: {lesson.steps.length} measurements</summary>
        <ol>
          {lesson.steps.map((s) => (
            <li key={s.id}>
              {stepName(s)}, {s.reps} repetitions
            </li>
          ))}
        </ol>
      </details>
      <div className="row lesson-run">
        <label>
          Device{' '}
          <select
            value={device}
            disabled={busy}
            onChange={(e) => setLearnDevice(e.target.value === 'webgpu' ? 'webgpu' : 'wasm')}
          >
            {DEVICES.map((d) => (
              <option key={d} value={d}>
                {DEVICE_LABEL[d]}
              </option>
            ))}
          </select>
        </label>
        {thisRunning ? (
          <button type="button" className="secondary" onClick={stopExperiment}>
            Stop
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy} onClick={run}>
            {mine.length > 0 ? 'Run this experiment again' : 'Run this experiment'}
          </button>
        )}
        {busy && !thisRunning && <span className="muted">Another lesson’s experiment is running.</span>}
      </div>
      {thisRunning && running && (
        <div className="progress" data-testid="lesson-progress">
          <p className="muted" role="status">
            {running.progress.label} ({Math.round(100 * running.progress.fraction)} %)
          </p>
          <progress max={1} value={running.progress.fraction} aria-label="Experiment progress" />
        </div>
      )}
      {message && !thisRunning && (
        <p
          className={message.failed ? 'message warn' : 'message info'}
          role="status"
          data-testid="lesson-status"
        >
          {message.text}
        </p>
      )}
      {points.length > 0 || classPoints.length > 0 ? (
        <LessonChart lesson={lesson} points={points} classPoints={classPoints} />
      ) : (
        <p className="muted">Your numbers appear here as each measurement finishes.</p>
      )}
      <section className="lesson-cost" aria-label="What it costs" data-testid="lesson-cost">
        <h3>What it costs</h3>
        <Consequences consequences={consequences} who="your" />
        {classConsequences.length > 0 && <Consequences consequences={classConsequences} who="the class’s" />}
        <p className="muted small">
          This device’s time priced at its electricity, ${LESSON_TRAFFIC.deviceUsdPerHour.toFixed(3)} per hour
          ({LAPTOP_POWER_W} W at ${HOME_ELECTRICITY_USD_PER_KWH.toFixed(2)}/kWh, as the Cost page prices
          running in the browser), one request after another; the share a lever saves holds at any hourly
          price. The embedded models have random weights: their speed is real, their answers are not.
        </p>
      </section>
      <section className="lesson-question" aria-label="To discuss">
        <h3>To discuss</h3>
        <p>{lesson.question}</p>
      </section>
    </article>
  );
}

function Consequences(props: { consequences: ReadonlyArray<CostConsequence | null>; who: string }) {
  const priced = props.consequences.filter((c): c is CostConsequence => c !== null);
  if (priced.length === 0)
    return <p className="muted">Run the experiment to see what {props.who} numbers cost.</p>;
  return (
    <>
      {priced.map((c) => (
        <p
          key={`${c.cost.kind}-${c.without.label}`}
          className="lesson-consequence"
          data-testid="lesson-dollars"
        >
          {props.who === 'your' ? '' : 'Class median: '}
          {consequenceSentence(c)}
        </p>
      ))}
    </>
  );
}
