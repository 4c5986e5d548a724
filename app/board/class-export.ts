/**
 * The room's runs as the instructor exports them: read from the room's full export (`/api/instructor/export.json`,
 * every run as stored), each run carrying its participant's name, for the llama-bench Markdown and the class result
 * link. Pure; the runs go through the same restore step as history and links.
 */
import { tryRestoreRun } from '../run/restore.ts';
import type { RunResult } from '../run/run.ts';

export type ClassRuns = { ok: true; runs: RunResult[]; unreadable: number } | { ok: false; error: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The runs in the room's export, oldest first as the room stored them. Each run carries its participant (the
 * class view groups by it) and, in the Markdown's `run` column, "participant · run name". Runs that do not
 * restore are counted in `unreadable`, never guessed at.
 */
export function classRuns(exported: unknown): ClassRuns {
  if (!isObject(exported) || !Array.isArray(exported.results))
    return { ok: false, error: 'The room sent an export this lab cannot read (is the lab up to date?).' };
  const runs: RunResult[] = [];
  let unreadable = 0;
  for (const entry of exported.results) {
    const restored = isObject(entry) ? tryRestoreRun(entry.run) : null;
    if (!restored?.ok) {
      unreadable++;
      continue;
    }
    const participant = isObject(entry) && typeof entry.participant === 'string' ? entry.participant : null;
    const run = restored.run;
    runs.push(
      participant
        ? {
            ...run,
            participant,
            name: run.name.startsWith(participant) ? run.name : `${participant} · ${run.name}`,
          }
        : run,
    );
  }
  return { ok: true, runs, unreadable };
}
