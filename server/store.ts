/**
 * What a room remembers: who joined, the results they sent, and the room's state (its code, the instructor token,
 * the current lesson, whether it is closed). Every write is one statement, acknowledged only once the database
 * has it, so a result the server answered 2xx for survives a crash or a restart.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Participant } from '../app/room/protocol.ts';
import type { RunResult } from '../app/run/run.ts';
import { parseRunResult } from '../app/run/schema.ts';
import { migrate, type SqlClient } from './sql.ts';

export type { Participant } from '../app/room/protocol.ts';

export interface StoredResult {
  runId: string;
  participantId: string;
  lessonId: string | null;
  /** ISO 8601, when the room stored it. */
  receivedAt: string;
  run: RunResult;
}

export type AddOutcome =
  /** Stored now. */
  | { kind: 'stored'; result: StoredResult }
  /** This participant sent this run before: nothing changed (a resend is not a duplicate). */
  | { kind: 'again'; result: StoredResult }
  /** Another participant already sent a run with this id. */
  | { kind: 'taken' };

export interface RoomState {
  code: string;
  instructorToken: string;
  lessonId: string | null;
  closed: boolean;
}

/** Letters and digits that cannot be misread on a projector (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A fresh room code: `length` characters from an unambiguous alphabet. */
export function newRoomCode(length = 6): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** A secret for a bearer: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Compares two secrets in constant time (by their hashes, so lengths need not match). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(expected), 'hex'));
}

type ResultRow = {
  run_id: string;
  participant_id: string;
  lesson_id: string | null;
  received_at: string;
  run: string;
};

function toResult(row: ResultRow): StoredResult {
  // What the room stored was validated on the way in; parsing again keeps a hand-edited row from crashing a view.
  const parsed = parseRunResult(JSON.parse(row.run));
  if (!parsed.ok) throw new Error(`stored run ${row.run_id} no longer parses: ${parsed.error}`);
  return {
    runId: row.run_id,
    participantId: row.participant_id,
    lessonId: row.lesson_id,
    receivedAt: row.received_at,
    run: parsed.run,
  };
}

const RESULT_COLUMNS = 'run_id, participant_id, lesson_id, received_at, run::text AS run';

export class RoomStore {
  /** This server is the room's only writer, so its state and who holds which pass are kept in memory too. */
  private cachedState: RoomState | null = null;
  private readonly bySecretHash = new Map<string, Participant>();

  private constructor(private readonly db: SqlClient) {}

  /** Opens a store on a database, applying any migration it lacks. */
  static async open(db: SqlClient): Promise<RoomStore> {
    await migrate(db);
    return new RoomStore(db);
  }

  get description(): string {
    return this.db.description;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** The room's state; the code and the instructor token are made on first use and kept from then on. */
  async state(): Promise<RoomState> {
    if (this.cachedState) return this.cachedState;
    const rows = await this.db.query<{ key: string; value: string }>(`SELECT key, value FROM room_state`);
    const map = new Map(rows.map((row) => [row.key, row.value]));
    let code = map.get('code');
    let instructorToken = map.get('instructor_token');
    if (code === undefined) code = await this.setIfMissing('code', newRoomCode());
    if (instructorToken === undefined)
      instructorToken = await this.setIfMissing('instructor_token', newSecret());
    this.cachedState = {
      code,
      instructorToken,
      lessonId: map.get('lesson_id') || null,
      closed: map.get('closed') === 'true',
    };
    return this.cachedState;
  }

  private async setIfMissing(key: string, value: string): Promise<string> {
    await this.db.query(`INSERT INTO room_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      key,
      value,
    ]);
    const rows = await this.db.query<{ value: string }>(`SELECT value FROM room_state WHERE key = $1`, [key]);
    return rows[0]?.value ?? value;
  }

  private async set(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO room_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, value],
    );
    this.cachedState = null;
  }

  setLesson = (lessonId: string | null): Promise<void> => this.set('lesson_id', lessonId ?? '');
  setClosed = (closed: boolean): Promise<void> => this.set('closed', String(closed));

  /** Adds a participant; the secret (kept by the student's browser) is stored only as a hash. */
  async join(name: string, secret: string): Promise<Participant> {
    const participant: Participant = {
      id: newSecret().slice(0, 16),
      name,
      joinedAt: new Date().toISOString(),
    };
    await this.db.query(
      `INSERT INTO room_participants (id, name, secret_hash, joined_at) VALUES ($1, $2, $3, $4)`,
      [participant.id, participant.name, sha256(secret), participant.joinedAt],
    );
    return participant;
  }

  /** The participant a secret belongs to, or null. */
  async participantBySecret(secret: string): Promise<Participant | null> {
    const hash = sha256(secret);
    const known = this.bySecretHash.get(hash);
    if (known) return known;
    const rows = await this.db.query<{ id: string; name: string; joined_at: string }>(
      `SELECT id, name, joined_at FROM room_participants WHERE secret_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    const participant = { id: row.id, name: row.name, joinedAt: row.joined_at };
    this.bySecretHash.set(hash, participant);
    return participant;
  }

  /** Everyone who joined, in the order they joined. */
  async participants(): Promise<Participant[]> {
    const rows = await this.db.query<{ id: string; name: string; joined_at: string }>(
      `SELECT id, name, joined_at FROM room_participants ORDER BY seq`,
    );
    return rows.map((row) => ({ id: row.id, name: row.name, joinedAt: row.joined_at }));
  }

  /** Stores a validated run for a participant; idempotent by run id. */
  async addResult(participantId: string, run: RunResult, lessonId: string | null): Promise<AddOutcome> {
    const receivedAt = new Date().toISOString();
    const inserted = await this.db.query<{ run_id: string }>(
      `INSERT INTO room_results (run_id, participant_id, lesson_id, run, received_at)
       VALUES ($1, $2, $3, $4::text::jsonb, $5)
       ON CONFLICT (run_id) DO NOTHING
       RETURNING run_id`,
      [run.id, participantId, lessonId, JSON.stringify(run), receivedAt],
    );
    if (inserted[0])
      return { kind: 'stored', result: { runId: run.id, participantId, lessonId, receivedAt, run } };
    const existing = await this.db.query<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM room_results WHERE run_id = $1`,
      [run.id],
    );
    const row = existing[0];
    if (!row || row.participant_id !== participantId) return { kind: 'taken' };
    return { kind: 'again', result: toResult(row) };
  }

  /** Every result, in the order the room received them. */
  async results(): Promise<StoredResult[]> {
    const rows = await this.db.query<ResultRow>(`SELECT ${RESULT_COLUMNS} FROM room_results ORDER BY seq`);
    return rows.map(toResult);
  }

  async resultCount(): Promise<number> {
    const rows = await this.db.query<{ n: number | string }>(
      `SELECT count(*)::integer AS n FROM room_results`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Clears the results (participants stay joined). */
  async clearResults(): Promise<void> {
    await this.db.query(`DELETE FROM room_results`);
  }
}
