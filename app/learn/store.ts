/**
 * The Lessons tab's state: which lesson is open, the device its experiments run on, the experiment in progress
 * and each lesson's latest runs. Module-level, so a running experiment and its numbers survive tab switches.
 */
import { create } from 'zustand';
import type { Device } from '../engine/protocol.ts';
import { type ExperimentProgress, runExperiment } from '../lessons/experiment.ts';
import type { Lesson } from '../lessons/lesson.ts';
import { lessonById } from '../lessons/lessons.ts';
import type { RunResult } from '../run/run.ts';

export interface LearnState {
  /** The open lesson's id; null: the list. */
  openId: string | null;
  device: Device;
  /** The experiment running now; null when none is. */
  running: { lessonId: string; progress: ExperimentProgress; controller: AbortController } | null;
  /** Each lesson's latest experiment: one run per started step, by step index. */
  runs: Record<string, RunResult[]>;
  /** How each lesson's last experiment ended, in words. */
  messages: Record<string, { text: string; failed: boolean }>;
  /** The lesson the room's instructor started that this tab has already followed (opened once). */
  followed: string | null;
}

export const useLearn = create<LearnState>()(() => ({
  openId: lessonFromUrl(),
  device: 'wasm',
  running: null,
  runs: {},
  messages: {},
  followed: null,
}));

const LESSON_PARAM = 'lesson';

function lessonFromUrl(): string | null {
  if (typeof location === 'undefined') return null;
  return lessonById(new URLSearchParams(location.search).get(LESSON_PARAM))?.id ?? null;
}

/** Opens a lesson (null: back to the list), keeping it in the address so a reload stays on it. */
export function openLesson(id: string | null): void {
  const lesson = lessonById(id);
  useLearn.setState({ openId: lesson?.id ?? null });
  if (typeof location === 'undefined') return;
  const url = new URL(location.href);
  if (lesson) url.searchParams.set(LESSON_PARAM, lesson.id);
  else url.searchParams.delete(LESSON_PARAM);
  history.replaceState(history.state, '', url);
}

/** Opens the lesson the instructor started, once per start (the student may go back to the list after). */
export function followRoomLesson(lessonId: string | null): void {
  if (lessonId === useLearn.getState().followed) return;
  useLearn.setState({ followed: lessonId });
  if (lessonById(lessonId)) openLesson(lessonId);
}

export const setLearnDevice = (device: Device) => useLearn.setState({ device });

/** Where a lesson's runs go besides the chart: the history, and the room with the lesson's id. */
export interface LessonSinks {
  save: (run: RunResult) => void;
  /** Called once per step that completed, as it lands. */
  send?: (run: RunResult, lessonId: string) => void;
}

/**
 * Runs the lesson's experiment on the chosen device, replacing its previous runs; each run is saved as it
 * lands. Does nothing while another experiment runs (the engine runs one thing at a time).
 */
export async function startExperiment(lesson: Lesson, sinks: LessonSinks): Promise<void> {
  if (useLearn.getState().running) return;
  const controller = new AbortController();
  useLearn.setState((s) => ({
    running: { lessonId: lesson.id, progress: { fraction: 0, label: 'Waiting for the engine…' }, controller },
    runs: { ...s.runs, [lesson.id]: [] },
    messages: withoutKey(s.messages, lesson.id),
  }));
  // Each finished step goes to the room as it lands, once (the run's final update and its result both arrive).
  const sent = new Set<string>();
  const outcome = await runExperiment(
    lesson,
    useLearn.getState().device,
    {
      onProgress: (progress) =>
        useLearn.setState((s) => (s.running ? { running: { ...s.running, progress } } : {})),
      onRun: (index, run) => {
        sinks.save(run);
        if (run.status === 'complete' && !sent.has(run.id)) {
          sent.add(run.id);
          sinks.send?.(run, lesson.id);
        }
        useLearn.setState((s) => {
          const runs = [...(s.runs[lesson.id] ?? [])];
          runs[index] = run;
          return { runs: { ...s.runs, [lesson.id]: runs } };
        });
      },
    },
    controller.signal,
  );
  useLearn.setState((s) => ({
    running: null,
    messages: { ...s.messages, [lesson.id]: { text: outcome.message, failed: outcome.end === 'failed' } },
  }));
}

/** Stops the running experiment; the finished steps are kept. */
export function stopExperiment(): void {
  useLearn.getState().running?.controller.abort();
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _, ...rest } = record;
  return rest;
}
