/**
 * What the class board says, computed from the room's rows: who joined and who finished the current lesson,
 * a leaderboard per model (best decode speed per participant), the spread across the room's devices, and the
 * class's cost conclusion in one sentence. Pure: the board view only lays these out.
 *
 * One participant is one device here (a student joins from the laptop they measure on), so "per device" figures
 * take each participant's best run.
 */
import type { Lesson } from '../lessons/lesson.ts';
import { matchesStep, rowSample } from '../lessons/points.ts';
import type { Participant, ResultRow } from '../room/protocol.ts';
import {
  electricityUsdPerHour,
  HOME_ELECTRICITY_USD_PER_KWH,
  LAPTOP_POWER_W,
  usdPer1MTokens,
} from '../run/hourly-cost.ts';
import { type Spread, spread } from '../run/stats.ts';
import { fmtUsd, formatSignificant } from '../ui/format.ts';

/** The fields of a lesson the board needs: which results belong to it and which steps finish it. */
export type LessonGoal = Pick<Lesson, 'id' | 'steps'>;

/** A run that finished its repetitions (a partial run's valid repetitions count too). */
const finished = (row: ResultRow): boolean => row.status === 'complete' || row.status === 'partial';

/** A run that ranks: finished, one sequence at a time (a batched run's per-sequence speed is another race), with a decode speed. */
const ranks = (row: ResultRow): boolean =>
  finished(row) &&
  row.parallelSequences === 1 &&
  row.decodeTokPerS !== null &&
  Number.isFinite(row.decodeTokPerS) &&
  row.decodeTokPerS > 0;

export interface Seat {
  participant: Participant;
  /** Results this participant sent (any status). */
  results: number;
  /** Steps of the current lesson this participant has a complete run for; 0 without a lesson. */
  lessonStepsDone: number;
  /** Every step of the current lesson is done (a lesson without steps: any complete run for it). */
  finishedLesson: boolean;
}

/**
 * Everyone who joined, in the order they joined, with how far they are in the current lesson. A step is done when
 * the participant sent a complete run for this lesson with the step's settings.
 */
export function seats(
  participants: readonly Participant[],
  rows: readonly ResultRow[],
  lesson: LessonGoal | null,
): Seat[] {
  const byParticipant = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const list = byParticipant.get(row.participantId);
    if (list) list.push(row);
    else byParticipant.set(row.participantId, [row]);
  }
  return participants.map((participant) => {
    const own = byParticipant.get(participant.id) ?? [];
    // What the lesson page counts as done: a complete run with the step's settings (lessons/points.ts).
    const forLesson = lesson
      ? own
          .filter((row) => row.lessonId === lesson.id)
          .map(rowSample)
          .filter((sample) => sample !== null)
      : [];
    const lessonStepsDone = lesson
      ? lesson.steps.filter((step) => forLesson.some((sample) => matchesStep(step, sample))).length
      : 0;
    const finishedLesson =
      lesson !== null &&
      (lesson.steps.length === 0 ? forLesson.length > 0 : lessonStepsDone === lesson.steps.length);
    return { participant, results: own.length, lessonStepsDone, finishedLesson };
  });
}

export interface LeaderEntry {
  /** 1 for the fastest; equal speeds share a rank (1, 1, 3). */
  rank: number;
  participantId: string;
  participant: string;
  /** The participant's best single-sequence decode speed on this model. */
  decodeTokPerS: number;
  /** The backend of that best run (webgpu or wasm). */
  device: string;
  gpuVendor: string | null;
  runId: string;
}

export interface Leaderboard {
  modelKey: string;
  /** "medium-random-llama q4": what the board titles it. */
  label: string;
  entries: LeaderEntry[];
}

const labelOf = (row: Pick<ResultRow, 'modelId' | 'dtype'>): string => `${row.modelId} ${row.dtype}`;

/** The best ranking row of each participant among `rows`. */
function bestPerParticipant(rows: readonly ResultRow[]): ResultRow[] {
  const best = new Map<string, ResultRow>();
  for (const row of rows) {
    if (!ranks(row)) continue;
    const held = best.get(row.participantId);
    if (!held || (row.decodeTokPerS ?? 0) > (held.decodeTokPerS ?? 0)) best.set(row.participantId, row);
  }
  return [...best.values()];
}

/** Rows grouped by a key, in the order keys first appear. */
function groupBy<K>(rows: readonly ResultRow[], key: (row: ResultRow) => K): Map<K, ResultRow[]> {
  const groups = new Map<K, ResultRow[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * One leaderboard per model (its identity, `modelKey`: the same model from the mirror or embedded races once):
 * each participant's best single-sequence decode tok/s, fastest first (ties by name). Runs that failed, ran
 * batched, or have no valid repetition do not rank. Boards with more participants come first.
 */
export function leaderboards(rows: readonly ResultRow[]): Leaderboard[] {
  const boards: Leaderboard[] = [];
  for (const [modelKey, group] of groupBy(rows, (row) => row.modelKey)) {
    const best = bestPerParticipant(group).sort(
      (a, b) => (b.decodeTokPerS ?? 0) - (a.decodeTokPerS ?? 0) || a.participant.localeCompare(b.participant),
    );
    const first = group[0];
    if (best.length === 0 || !first) continue;
    const entries: LeaderEntry[] = [];
    best.forEach((row, i) => {
      const previous = entries[i - 1];
      const speed = row.decodeTokPerS ?? 0;
      entries.push({
        rank: previous && previous.decodeTokPerS === speed ? previous.rank : i + 1,
        participantId: row.participantId,
        participant: row.participant,
        decodeTokPerS: speed,
        device: row.device,
        gpuVendor: row.gpuVendor,
        runId: row.runId,
      });
    });
    boards.push({ modelKey, label: labelOf(first), entries });
  }
  return boards.sort((a, b) => b.entries.length - a.entries.length || a.label.localeCompare(b.label));
}

export interface SpreadGroup {
  /** "WebGPU", "WASM", "NVIDIA", "CPU (WASM)"… */
  label: string;
  /** Decode tok/s over the devices in this group (each participant's best in it). */
  spread: Spread;
}

export interface DeviceSpread {
  modelKey: string;
  label: string;
  /** Over every device (each participant's best run on this model). */
  all: Spread;
  byBackend: SpreadGroup[];
  /** WebGPU runs by the GPU's vendor (WASM runs are in `byBackend`). */
  byVendor: SpreadGroup[];
}

const BACKEND_LABEL: Readonly<Record<string, string>> = { webgpu: 'WebGPU', wasm: 'WASM' };

/** A GPU vendor as people say it ("NVIDIA", "Apple"…). */
function vendorLabel(row: ResultRow): string {
  const vendor = (row.gpuVendor ?? '').trim();
  if (!vendor) return 'GPU (vendor unknown)';
  const known: Readonly<Record<string, string>> = {
    nvidia: 'NVIDIA',
    amd: 'AMD',
    intel: 'Intel',
    apple: 'Apple',
    qualcomm: 'Qualcomm',
    arm: 'Arm',
    google: 'Google',
  };
  return known[vendor.toLowerCase()] ?? vendor;
}

/** Decode spreads of the groups `key` sorts rows into: each participant's best run within a group. */
function spreadsBy(rows: readonly ResultRow[], key: (row: ResultRow) => string): SpreadGroup[] {
  return [...groupBy(rows.filter(ranks), key)]
    .map(([label, group]) => ({
      label,
      spread: spread(bestPerParticipant(group).map((row) => row.decodeTokPerS ?? 0)),
    }))
    .sort((a, b) => b.spread.n - a.spread.n || a.label.localeCompare(b.label));
}

/**
 * How far apart the room's devices are on each model: median and min–max of decode tok/s over devices (each
 * participant's best run), overall, by backend, and by GPU vendor for the WebGPU runs. In the order of
 * `leaderboards`.
 */
export function deviceSpreads(rows: readonly ResultRow[]): DeviceSpread[] {
  const byModel = groupBy(rows, (row) => row.modelKey);
  return leaderboards(rows).map((board) => {
    const group = byModel.get(board.modelKey) ?? [];
    return {
      modelKey: board.modelKey,
      label: board.label,
      all: spread(board.entries.map((e) => e.decodeTokPerS)),
      byBackend: spreadsBy(group, (row) => BACKEND_LABEL[row.device] ?? row.device),
      byVendor: spreadsBy(
        group.filter((row) => row.device === 'webgpu'),
        vendorLabel,
      ),
    };
  });
}

/** The price of a device-hour the conclusion assumes, and where it comes from. */
export interface HourlyPrice {
  usdPerHour: number;
  /** One sentence: what the hour is and why this figure. */
  source: string;
}

/**
 * The laptop's own hour: its electricity while generating, as the Cost page's in-browser option prices it
 * (`$/h = W / 1000 × $/kWh` with that page's defaults, 30 W and $0.20/kWh: $0.006 an hour).
 */
export const LAPTOP_HOUR: HourlyPrice = {
  usdPerHour: electricityUsdPerHour(LAPTOP_POWER_W, HOME_ELECTRICITY_USD_PER_KWH),
  source:
    `The hour priced is the laptop's electricity: ${LAPTOP_POWER_W} W while generating at ` +
    `${fmtUsd(HOME_ELECTRICITY_USD_PER_KWH)}/kWh, the Cost page's in-browser defaults ` +
    '(the laptop itself is already paid for; the Cost page compares this with an API and a rented GPU).',
};

export interface CostConclusion {
  label: string;
  /** Devices (participants) behind the median. */
  devices: number;
  medianDecodeTokPerS: number;
  usdPerHour: number;
  usdPer1MOutputTokens: number;
  /** The conclusion in one sentence, for the projector. */
  sentence: string;
}

/**
 * The class's cost conclusion on the model most of the room ran: the median device's decode speed (over each
 * participant's best run), priced by the hour: `$/1M output tokens = ($/h) / (tok/s × 3600) × 1e6` (full
 * utilisation: the laptop generates the whole hour). Null while no run ranks.
 */
export function costConclusion(
  rows: readonly ResultRow[],
  hour: HourlyPrice = LAPTOP_HOUR,
): CostConclusion | null {
  const board = leaderboards(rows)[0];
  if (!board) return null;
  const medianDecodeTokPerS = spread(board.entries.map((e) => e.decodeTokPerS)).median;
  const usdPer1MOutputTokens = usdPer1MTokens(hour.usdPerHour, medianDecodeTokPerS, 1);
  const devices = board.entries.length;
  const where =
    devices === 1
      ? 'On the one laptop in this room so far'
      : `On the median laptop in this room (of ${devices})`;
  return {
    label: board.label,
    devices,
    medianDecodeTokPerS,
    usdPerHour: hour.usdPerHour,
    usdPer1MOutputTokens,
    sentence:
      `${where}, ${board.label} generates at ${formatSignificant(medianDecodeTokPerS)} tok/s: ` +
      `${fmtUsd(usdPer1MOutputTokens)} per 1M output tokens at ${fmtUsd(hour.usdPerHour)}/hour.`,
  };
}
