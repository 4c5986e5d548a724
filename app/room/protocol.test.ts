import { describe, expect, it } from 'vitest';
import { resultRow } from '../../server/board.ts';
import { modelKey } from '../run/model-key.ts';
import { syntheticRun } from '../run/synthetic.ts';
import {
  normalizeRoomCode,
  parseErrorReply,
  parseRoomEvent,
  parseRoomInfo,
  parseSnapshot,
  type ResultRow,
} from './protocol.ts';

const stored = (run = syntheticRun(1)) => ({
  runId: run.id,
  participantId: 'p1',
  lessonId: null,
  receivedAt: '2026-12-02T10:00:00.000Z',
  run,
});

describe('the room wire format', () => {
  it('reads a row exactly as the server writes it, with the settings lessons group by', () => {
    const run = syntheticRun(3);
    run.settings.parallelSequences = 4;
    run.settings.cachedPrefixTokens = 128;
    const row = resultRow(stored(run), new Map([['p1', 'Ada']]));
    const event = parseRoomEvent(JSON.parse(JSON.stringify({ type: 'result', result: row })));
    expect(event).toEqual({ type: 'result', result: row });
    const parsed = (event as { result: ResultRow }).result;
    expect(parsed.participant).toBe('Ada');
    expect(parsed.parallelSequences).toBe(4);
    expect(parsed.cachedPrefixTokens).toBe(128);
    expect(parsed.modelKey).toBe(modelKey(run));
    // The same file from the room's mirror and embedded: one model, one leaderboard.
    const sha = 'ab'.repeat(32);
    const mirrored = resultRow(
      stored({ ...run, weightSha256: sha, settings: { ...run.settings, modelId: 'lab/tiny' } }),
      new Map(),
    );
    const embedded = resultRow(
      stored({ ...run, weightSha256: sha, settings: { ...run.settings, modelId: 'tiny' } }),
      new Map(),
    );
    expect(mirrored.modelKey).toBe(embedded.modelKey);
  });

  it('gives a plain run one sequence and no cached prefix', () => {
    const row = resultRow(stored(), new Map());
    expect(row.parallelSequences).toBe(1);
    expect(row.cachedPrefixTokens).toBe(0);
    expect(row.participant).toBe('p1');
  });

  it('refuses malformed snapshots and events, and unknown event kinds', () => {
    expect(parseSnapshot({ lessonId: null, closed: false, participants: [], results: [] })).not.toBeNull();
    expect(parseSnapshot({ lessonId: null, closed: 'no', participants: [], results: [] })).toBeNull();
    expect(
      parseSnapshot({ lessonId: null, closed: false, participants: [{ id: 1 }], results: [] }),
    ).toBeNull();
    expect(parseRoomEvent({ type: 'explode' })).toBeNull();
    expect(parseRoomEvent({ type: 'lesson' })).toBeNull();
    expect(parseRoomEvent({ type: 'lesson', lessonId: 'quantization' })).toEqual({
      type: 'lesson',
      lessonId: 'quantization',
    });
    expect(parseRoomEvent('<script>')).toBeNull();
  });

  it('knows a room only by its marker and version', () => {
    const room = { kind: 'inference-cost-lab-room', version: 1, lessonId: null, closed: false };
    expect(parseRoomInfo(room)).toEqual({ lessonId: null, closed: false });
    expect(parseRoomInfo({ ...room, version: 2 })).toBeNull();
    expect(parseRoomInfo({ ...room, lessonId: 5 })).toBeNull();
    expect(parseRoomInfo(null)).toBeNull();
  });

  it('reads the refusal sentence and room codes as typed', () => {
    expect(parseErrorReply({ error: 'The room is closed.' })).toBe('The room is closed.');
    expect(parseErrorReply('<html>')).toBeNull();
    expect(normalizeRoomCode(' ab3k9z ')).toBe('AB3K9Z');
    expect(normalizeRoomCode('')).toBeNull();
    expect(normalizeRoomCode('AB 3K')).toBeNull();
    expect(normalizeRoomCode(null)).toBeNull();
  });
});
