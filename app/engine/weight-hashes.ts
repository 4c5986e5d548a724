/**
 * The weight-file SHA-256s the lab has learnt, kept in localStorage. A Hub host states a file's hash only when
 * the file is downloaded; a later load from the browser cache learns nothing, yet it is the same file. The
 * hash learnt on download is remembered per host, model and dtype and given to the loads that did not see it,
 * so a model's runs keep one identity (run/model-key.ts) whether or not its files came from the cache.
 */

const STORAGE_KEY = 'lab.weightSha256';
/** Enough for every model a class or a long benchmark session touches; the oldest are forgotten first. */
const MAX_ENTRIES = 200;

const SHA256 = /^[0-9a-f]{64}$/;

/** What a load tells: where the model came from, and the hash when one was stated. */
export interface WeightLoad {
  host: string;
  modelId: string;
  dtype: string;
  weightSha256?: string;
}

const keyOf = (load: WeightLoad) => `${load.host}|${load.modelId}|${load.dtype}`;

/** Reads the remembered hashes; anything that is not a list of [key, sha256] pairs is ignored. */
export function parseRemembered(text: string | null): Array<[string, string]> {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (pair): pair is [string, string] =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === 'string' &&
        typeof pair[1] === 'string' &&
        SHA256.test(pair[1]),
    );
  } catch {
    return [];
  }
}

/**
 * The hash for a load: the one it stated (which is then remembered, newest last), else the one remembered for
 * the same host, model and dtype; null when neither is known.
 */
export function weightSha256For(
  load: WeightLoad,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
): string | null {
  let entries: Array<[string, string]>;
  try {
    entries = parseRemembered(storage.getItem(STORAGE_KEY));
  } catch {
    entries = [];
  }
  const key = keyOf(load);
  if (!load.weightSha256) return entries.find(([k]) => k === key)?.[1] ?? null;
  const kept = entries.filter(([k]) => k !== key);
  kept.push([key, load.weightSha256]);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(kept.slice(-MAX_ENTRIES)));
  } catch {
    // Private mode or a full quota: this load still has its hash.
  }
  return load.weightSha256;
}
