/**
 * What the class board and the exports show of a stored result: one flat row per run, with the figures a
 * leaderboard ranks by (medians over the run's valid repetitions, from run/stats.ts, the lab's one definition).
 */
import type { Participant, ResultRow } from '../app/room/protocol.ts';
import { modelKey } from '../app/run/model-key.ts';
import { cachedPrefixOf, sequencesOf } from '../app/run/run.ts';
import { runSummary } from '../app/run/summary.ts';
import type { StoredResult } from './store.ts';

export type { ResultRow } from '../app/room/protocol.ts';

/** A stored result as a board row; the participant's name comes from `names` (an id if they are unknown). */
export function resultRow(result: StoredResult, names: ReadonlyMap<string, string>): ResultRow {
  const { run } = result;
  const summary = runSummary(run);
  return {
    runId: result.runId,
    participantId: result.participantId,
    participant: names.get(result.participantId) ?? result.participantId,
    lessonId: result.lessonId,
    receivedAt: result.receivedAt,
    modelId: run.settings.modelId,
    dtype: run.settings.dtype,
    modelKey: modelKey(run),
    device: run.env.device,
    gpuVendor: run.env.adapter?.vendor || null,
    status: run.status,
    promptTokens: run.settings.promptTokens,
    genTokens: run.settings.genTokens,
    parallelSequences: sequencesOf(run.settings),
    cachedPrefixTokens: cachedPrefixOf(run.settings),
    ttftMs: summary?.ttftMs.median ?? null,
    tpotMs: summary?.tpotMs.median ?? null,
    prefillTokPerS: summary?.prefillTokPerS.median ?? null,
    decodeTokPerS: summary?.decodeTokPerS.median ?? null,
  };
}

export const namesOf = (participants: readonly Participant[]): Map<string, string> =>
  new Map(participants.map((p) => [p.id, p.name]));

const CSV_COLUMNS: readonly (keyof ResultRow)[] = [
  'participant',
  'lessonId',
  'receivedAt',
  'modelId',
  'dtype',
  'device',
  'gpuVendor',
  'status',
  'promptTokens',
  'genTokens',
  'parallelSequences',
  'cachedPrefixTokens',
  'ttftMs',
  'tpotMs',
  'prefillTokPerS',
  'decodeTokPerS',
  'modelKey',
  'runId',
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text that a spreadsheet would
 * run as a formula (starting with = + - @, tab or carriage return) gets a leading apostrophe: names are the
 * students' own text.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The room's results as CSV, one row per run, with a header line. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((key) => csvField(row[key])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
