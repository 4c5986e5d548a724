/**
 * `npm run bench:lessons`: arguments and the report. Each guided lesson must finish in under two minutes on a
 * 2-core laptop on WASM with the embedded models (issue 11); the bench times each lesson's experiment as the
 * Lessons tab runs it, in a fresh browser (model loads and warm-ups included), and prints PASS/FAIL per lesson.
 */
import { parseArgs } from 'node:util';
import { DEVICES, type Device } from '../../app/engine/protocol.ts';
import { LESSONS } from '../../app/lessons/lessons.ts';
import { HARNESS_ARG_OPTIONS, type HarnessOptions, parseHarness, splitList } from './plan.ts';

/** The budget a lesson must finish within, s. */
export const LESSON_LIMIT_S = 120;

export interface LessonsPlan {
  lessons: string[];
  device: Device;
  limitS: number;
  harness: HarnessOptions;
}

export const LESSONS_USAGE = `usage: npm run bench:lessons -- [options]

Times each guided lesson's experiment (app/lessons/lessons.ts) in a fresh headless Chromium, as the Lessons tab
runs it, and prints its duration with PASS/FAIL against the limit. Exit code 0 when every lesson passes.

  -l, --lesson <ids>   lessons to time (default: all: ${LESSONS.map((l) => l.id).join(', ')})
  -d, --device <d>     wasm | webgpu (default wasm)
      --limit <s>      the budget per lesson in seconds (default ${LESSON_LIMIT_S})
      --dist <dir>     the production build to serve (default dist; built when missing or stale)
      --build / --no-build, --chromium <path>, --port <n>, --timeout <s> (per lesson, default 600)
  -h, --help`;

export type LessonsParse =
  | { kind: 'plan'; plan: LessonsPlan }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** Parses the arguments; never throws: a bad argument gives a message naming it. */
export function parseLessonsArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): LessonsParse {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    values = parseFlags([...argv]).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const harness = parseHarness(values, env);
  if (typeof harness === 'string') return { kind: 'error', message: harness };
  const known = LESSONS.map((l) => l.id);
  const lessons = splitList(values.lesson);
  const unknown = lessons.find((id) => !known.includes(id));
  if (unknown !== undefined)
    return { kind: 'error', message: `--lesson "${unknown}" is unknown (expected ${known.join(', ')}).` };
  const device = values.device ?? 'wasm';
  if (!(DEVICES as readonly string[]).includes(device))
    return { kind: 'error', message: `-d "${device}" is unknown (expected ${DEVICES.join(', ')}).` };
  const limitText = values.limit ?? String(LESSON_LIMIT_S);
  const limitS = Number(limitText);
  if (!/^\d+$/.test(limitText) || limitS < 1)
    return { kind: 'error', message: `--limit must be a whole number of seconds, not "${limitText}".` };
  return {
    kind: 'plan',
    plan: { lessons: lessons.length > 0 ? lessons : known, device: device as Device, limitS, harness },
  };
}

const parseFlags = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: false,
    options: {
      lesson: { type: 'string', short: 'l', multiple: true },
      device: { type: 'string', short: 'd' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...HARNESS_ARG_OPTIONS,
    },
  });

/** One timed lesson. */
export interface LessonTiming {
  lessonId: string;
  steps: number;
  durationMs: number;
  end: 'complete' | 'stopped' | 'failed';
  message: string;
}

/** PASS when the experiment completed within the limit. */
export const lessonPassed = (t: LessonTiming, limitS: number): boolean =>
  t.end === 'complete' && t.durationMs <= limitS * 1000;

/** The report as a Markdown table, one row per lesson. */
export function formatLessonTimings(
  timings: readonly LessonTiming[],
  limitS: number,
  device: Device,
): string {
  const lines = [
    `## bench:lessons — ${device}, limit ${limitS} s per lesson`,
    '',
    '| lesson | steps | duration (s) | result |',
    '|---|---:|---:|---|',
    ...timings.map(
      (t) =>
        `| ${t.lessonId} | ${t.steps} | ${(t.durationMs / 1000).toFixed(1)} | ${lessonPassed(t, limitS) ? 'PASS' : `FAIL${t.end === 'complete' ? ' (too slow)' : `: ${t.message}`}`} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
