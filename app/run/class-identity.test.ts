/**
 * Schema 4: who measured a run (participant), the weight file's SHA-256 and the Hub host, through history
 * records, result links and the model identity that groups a class's runs.
 */
import { describe, expect, it } from 'vitest';
import { checkLinkedHubHost, linkedHubHosts } from './hub-link.ts';
import { decodeReport, encodeReport } from './link.ts';
import { modelKey, modelKeyName } from './model-key.ts';
import { RUN_SCHEMA_VERSION, restoreRun, toStored, tryRestoreRun } from './restore.ts';
import type { RunResult } from './run.ts';
import { syntheticRun } from './synthetic.ts';

const SHA = 'ab'.repeat(32);
const OTHER_SHA = 'cd'.repeat(32);

const withModel = (run: RunResult, modelId: string, extra: Partial<RunResult> = {}): RunResult => ({
  ...run,
  settings: { ...run.settings, modelId, dtype: 'q4' },
  ...extra,
});

function decoded(runs: RunResult[], perToken = false): RunResult[] {
  const result = decodeReport(encodeReport(runs, { perToken }));
  if (!result.ok) throw new Error(result.error);
  return result.report.runs;
}

describe('schema 4', () => {
  it('is the version this lab writes', () => {
    expect(RUN_SCHEMA_VERSION).toBe(4);
    expect(toStored(syntheticRun(1)).schemaVersion).toBe(4);
  });

  it('keeps the participant, hash and host through a history record', () => {
    const run = { ...syntheticRun(2), participant: 'Ana', weightSha256: SHA, hubHost: 'https://room.local' };
    const back = restoreRun(toStored(run));
    expect(back.participant).toBe('Ana');
    expect(back.weightSha256).toBe(SHA);
    expect(back.hubHost).toBe('https://room.local');
  });

  it('opens a schema-3 record as a run with no participant, hash or host', () => {
    const { participant: _p, weightSha256: _w, hubHost: _h, ...v3 } = syntheticRun(3);
    const back = restoreRun({ id: v3.id, createdAt: v3.createdAt, schemaVersion: 3, run: v3 });
    expect(back.id).toBe(v3.id);
    expect(back.participant).toBeUndefined();
    expect(back.weightSha256).toBeUndefined();
  });

  it('does not trust schema-4 fields found in a schema-3 record (no v3 writer set them)', () => {
    const v3 = { ...syntheticRun(4), participant: 'Mallory', hubHost: 'https://elsewhere.example' };
    const back = restoreRun({ id: v3.id, createdAt: v3.createdAt, schemaVersion: 3, run: v3 });
    expect(back.participant).toBeUndefined();
    expect(back.hubHost).toBeUndefined();
  });

  it('refuses a participant name with markup or invisible characters, and a malformed hash', () => {
    const stored = (extra: Partial<RunResult>) => toStored({ ...syntheticRun(5), ...extra });
    expect(tryRestoreRun(stored({ participant: '<b>Ana</b>' })).ok).toBe(false);
    expect(tryRestoreRun(stored({ participant: 'A\u202ena' })).ok).toBe(false);
    expect(tryRestoreRun(stored({ participant: ' Ana ' })).ok).toBe(false);
    expect(tryRestoreRun(stored({ weightSha256: 'XYZ' })).ok).toBe(false);
    expect(tryRestoreRun(stored({ participant: 'Seat 12' })).ok).toBe(true);
  });
});

describe('result links carry who measured a run, its hash and its Hub host', () => {
  const run = {
    ...syntheticRun(6),
    participant: 'Seat 12',
    weightSha256: SHA,
    hubHost: 'https://192.168.1.20:8443',
  };

  it.each([false, true])('in %s per-token form', (perToken) => {
    const [back] = decoded([run], perToken);
    expect(back?.participant).toBe('Seat 12');
    expect(back?.weightSha256).toBe(SHA);
    expect(back?.hubHost).toBe('https://192.168.1.20:8443');
  });

  it('leaves them out of a run that has none (older links and runs stay as they were)', () => {
    const [back] = decoded([syntheticRun(7)]);
    expect(back && 'participant' in back).toBe(false);
    expect(back && 'hubHost' in back).toBe(false);
  });

  it('opens a link whose run names a participant with markup as an error, never as text to render', () => {
    const bad = { ...run, participant: '<img src=x onerror=alert(1)>' };
    const result = decodeReport(encodeReport([bad]));
    expect(result.ok).toBe(false);
  });
});

describe('checkLinkedHubHost', () => {
  it('accepts https, and http only on this computer', () => {
    expect(checkLinkedHubHost('https://room.local:8443/')).toEqual({
      ok: true,
      host: 'https://room.local:8443',
    });
    expect(checkLinkedHubHost('http://127.0.0.1:8080')).toEqual({ ok: true, host: 'http://127.0.0.1:8080' });
    expect(checkLinkedHubHost('http://localhost:5173').ok).toBe(true);
  });

  it.each([
    ['http://192.168.1.20:8080', /not an https address/],
    ['javascript:alert(1)', /not an https address/],
    ['file:///etc/passwd', /not an https address/],
    ['https://user:pw@mirror.example', /credentials/],
    ['https://mirror.example/?x=1', /query/],
    ['not a url', /not an address/],
  ])('refuses %s with a sentence', (host, message) => {
    const checked = checkLinkedHubHost(host);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });
});

describe('modelKey', () => {
  const base = syntheticRun(8);

  it('is one model for the same file embedded and on a mirror under an organisation', () => {
    const embedded = withModel(base, 'tiny-random-llama', { weightSha256: SHA });
    const mirrored = withModel(base, 'lab/tiny-random-llama', { weightSha256: SHA });
    expect(modelKey(mirrored)).toBe(modelKey(embedded));
    expect(modelKeyName(mirrored)).toBe('tiny-random-llama');
  });

  it('tells apart two files of the same name, and two dtypes of one model', () => {
    const a = withModel(base, 'tiny-random-llama', { weightSha256: SHA });
    const b = withModel(base, 'tiny-random-llama', { weightSha256: OTHER_SHA });
    expect(modelKey(a)).not.toBe(modelKey(b));
    const q8 = { ...a, settings: { ...a.settings, dtype: 'q8' as const } };
    expect(modelKey(q8)).not.toBe(modelKey(a));
  });

  it('without a hash keeps the organisation: same-named models of two organisations stay apart', () => {
    const one = withModel(base, 'org-a/model');
    const two = withModel(base, 'org-b/model');
    expect(modelKey(one)).not.toBe(modelKey(two));
    expect(modelKey(one)).toBe('org-a/model|q4');
  });
});

describe('linkedHubHosts', () => {
  const hubRun = (seed: number, hubHost?: string): RunResult => {
    const run = syntheticRun(seed);
    return { ...run, settings: { ...run.settings, sourceKind: 'hub' }, ...(hubHost ? { hubHost } : {}) };
  };

  it('offers the https hosts a report used, once each, and explains each one it refuses', () => {
    const { usable, refused } = linkedHubHosts([
      hubRun(1, 'https://room.local:8443/'),
      hubRun(2, 'https://room.local:8443'),
      hubRun(3, 'http://10.0.0.5:8080'),
      hubRun(4),
      { ...syntheticRun(5), hubHost: 'https://ignored-for-embedded.example' },
    ]);
    expect(usable).toEqual(['https://room.local:8443']);
    expect(refused).toEqual([expect.stringContaining('not an https address')]);
  });
});
