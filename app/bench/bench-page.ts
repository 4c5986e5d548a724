/**
 * Entry of bench.html, the page `npm run bench` drives in headless Chromium. It exposes the lab's own
 * measurement path (runMeasurement → engine session → inference worker), so the bench measures exactly what
 * the Measure page measures, and logs progress to the console, which the CLI forwards to stderr.
 */

import { saveHubHost } from '../engine/hub-host.ts';
import type { CapabilityReport, Device, LoadedModel, ModelSource } from '../engine/protocol.ts';
import { runMeasurement } from '../engine/runner.ts';
import { session } from '../engine/session.ts';
import { runExperiment } from '../lessons/experiment.ts';
import { lessonById } from '../lessons/lessons.ts';
import type { RunResult, RunSettings } from '../run/run.ts';
import { repetitionMetrics } from '../run/stats.ts';

export interface LabBench {
  capabilities(): Promise<CapabilityReport>;
  /** One measurement; never rejects (a failure is a result with status 'failed' and a note). */
  run(settings: RunSettings, source: ModelSource): Promise<RunResult>;
  /** A guided lesson's experiment, as the Lessons tab runs it; never rejects. */
  lesson(lessonId: string, device: Device): Promise<LessonBenchResult>;
}

/** What `npm run bench:lessons` reads of one lesson's experiment. */
export interface LessonBenchResult {
  /** Wall time of the whole experiment, ms: model loads, warm-ups and repetitions. */
  durationMs: number;
  end: 'complete' | 'stopped' | 'failed';
  message: string;
  runs: RunResult[];
}

declare global {
  interface Window {
    labBench?: LabBench;
  }
}

let lastModel: LoadedModel | null = null;

const label = (s: RunSettings) => `${s.modelId} ${s.dtype} ${s.device} P${s.promptTokens} G${s.genTokens}`;

window.labBench = {
  capabilities: () => session.capabilities(),
  lesson: (lessonId, device) => runLesson(lessonId, device),
  run: async (settings, source) => {
    // The CLI's --hub-host is this page's Hub host setting, which every load uses.
    if (source.kind === 'hub') {
      const saved = saveHubHost(source.host);
      if (!saved.ok) throw new Error(saved.message);
    }
    // Logging reaches the CLI over the DevTools protocol and wakes the browser and Node processes, so only the
    // load (before the warm-up) is logged as it happens; the rest is logged once the measurement is over.
    const later: string[] = [];
    const result = await runMeasurement(settings, source, {
      onLoaded: (model) => {
        // runMeasurement hands back the same object when it reuses the loaded model.
        const reused = model === lastModel;
        lastModel = model;
        console.info(
          `[lab] ${label(settings)}: ${reused ? 'model already loaded' : `loaded on ${model.device} in ${model.loadMs.toFixed(0)} ms`}${model.fallbackReason ? ` (${model.fallbackReason})` : ''}`,
        );
      },
      onWarmup: (warmup) =>
        later.push(
          `warm-up ${warmup.windows} generations, ${warmup.tokens} tokens, ${warmup.durationMs.toFixed(0)} ms: ${warmup.reason}`,
        ),
    });
    for (const rep of result.repetitions) {
      const decodeTokPerS = repetitionMetrics(rep)?.decodeTokPerS ?? Number.NaN;
      later.push(
        `rep ${rep.rep + 1}/${settings.reps} ttft ${rep.ttftMs.toFixed(2)} ms, decode ${decodeTokPerS.toFixed(1)} tok/s`,
      );
    }
    for (const line of later) console.info(`[lab] ${label(settings)}: ${line}`);
    return result;
  },
};
const runLesson: LabBench['lesson'] = async (lessonId, device) => {
  const lesson = lessonById(lessonId);
  if (!lesson) return { durationMs: 0, end: 'failed', message: `No lesson "${lessonId}".`, runs: [] };
  const startMs = performance.now();
  let lastLabel = '';
  const outcome = await runExperiment(lesson, device, {
    onProgress: ({ label }) => {
      // One line per step, not per repetition: logging wakes the CLI (see run above).
      const step = label.split(':')[0] ?? label;
      if (step !== lastLabel) console.info(`[lab] lesson ${lessonId}: ${label}`);
      lastLabel = step;
    },
  });
  return { durationMs: performance.now() - startMs, ...outcome };
};
document.body.dataset.ready = 'true';
