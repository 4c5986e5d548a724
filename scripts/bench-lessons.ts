/**
 * `npm run bench:lessons -- [-l model-size,batching] [-d wasm] [--limit 120]`
 *
 * A benchmark, not a test: does each guided lesson finish in under two minutes on this machine? Every lesson runs
 * in a fresh headless Chromium (nothing compiled or cached, as for a student opening it), through bench.html's
 * `labBench.lesson`, the same experiment runner the Lessons tab uses. Progress goes to stderr; stdout holds the
 * table (scripts/bench/lessons.ts). Exit code 0 when every lesson passes.
 */

// The page's global (app/bench/bench-page.ts declares its type on Window).
import type { LessonBenchResult } from '../app/bench/bench-page.ts';
import { lessonById } from '../app/lessons/lessons.ts';
import { log, openHarnessPage, runCli, withHarness, withTimeout } from './bench/harness.ts';
import {
  formatLessonTimings,
  LESSONS_USAGE,
  type LessonsPlan,
  type LessonTiming,
  lessonPassed,
  parseLessonsArgs,
} from './bench/lessons.ts';

runCli(parseLessonsArgs, LESSONS_USAGE, async (plan: LessonsPlan) => {
  const timings: LessonTiming[] = [];
  for (const lessonId of plan.lessons) {
    log(`[lessons] ${lessonId} …`);
    const result = await withHarness(plan.harness, async ({ context, origin }) => {
      const page = await openHarnessPage(context, `${origin}/bench.html`, 'lab');
      return withTimeout(
        page.evaluate(
          ([id, device]): Promise<LessonBenchResult> => {
            const lab = window.labBench;
            if (!lab) throw new Error('bench.html did not set window.labBench');
            return lab.lesson(id, device);
          },
          [lessonId, plan.device] as const,
        ),
        plan.harness.caseTimeoutMs,
        `lesson ${lessonId}`,
      );
    });
    const timing: LessonTiming = {
      lessonId,
      steps: lessonById(lessonId)?.steps.length ?? 0,
      durationMs: result.durationMs,
      end: result.end,
      message: result.message,
    };
    log(`[lessons] ${lessonId}: ${(timing.durationMs / 1000).toFixed(1)} s, ${result.message}`);
    timings.push(timing);
  }
  process.stdout.write(formatLessonTimings(timings, plan.limitS, plan.device));
  return timings.every((t) => lessonPassed(t, plan.limitS)) ? 0 : 1;
});
