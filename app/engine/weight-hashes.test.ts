import { describe, expect, it } from 'vitest';
import { parseRemembered, weightSha256For } from './weight-hashes.ts';

const SHA = 'ab'.repeat(32);
const NEW_SHA = 'cd'.repeat(32);

/** localStorage's two methods over a Map. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('weightSha256For', () => {
  const load = { host: 'https://room.local', modelId: 'lab/tiny', dtype: 'q4' };

  it('gives a load from the browser cache the hash learnt when the file was downloaded', () => {
    const storage = memoryStorage();
    expect(weightSha256For(load, storage)).toBeNull();
    expect(weightSha256For({ ...load, weightSha256: SHA }, storage)).toBe(SHA);
    expect(weightSha256For(load, storage)).toBe(SHA);
  });

  it('never lends a hash to another host, model or dtype', () => {
    const storage = memoryStorage();
    weightSha256For({ ...load, weightSha256: SHA }, storage);
    expect(weightSha256For({ ...load, host: 'https://huggingface.co' }, storage)).toBeNull();
    expect(weightSha256For({ ...load, dtype: 'q8' }, storage)).toBeNull();
    expect(weightSha256For({ ...load, modelId: 'lab/small' }, storage)).toBeNull();
  });

  it('follows a file that changed on the host', () => {
    const storage = memoryStorage();
    weightSha256For({ ...load, weightSha256: SHA }, storage);
    weightSha256For({ ...load, weightSha256: NEW_SHA }, storage);
    expect(weightSha256For(load, storage)).toBe(NEW_SHA);
  });

  it('survives a storage that throws or holds garbage', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(weightSha256For({ ...load, weightSha256: SHA }, throwing)).toBe(SHA);
    expect(weightSha256For(load, throwing)).toBeNull();
    expect(parseRemembered('{not json')).toEqual([]);
    expect(parseRemembered(JSON.stringify([['k', 'not-a-hash'], ['k2', SHA], 'x']))).toEqual([['k2', SHA]]);
  });
});
