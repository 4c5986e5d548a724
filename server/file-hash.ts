/**
 * SHA-256 of the Hub mirror's files, as the Hub states it for LFS files (`X-Linked-Etag`): the lab records it on
 * each run to know a model by its file (app/run/model-key.ts), so the same file served here and embedded in the
 * lab lands on one leaderboard. Hashed once per file version (path, size, modification time), streaming.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const hashes = new Map<string, Promise<string>>();

/** The file's SHA-256 in lowercase hex; computed on first request and kept while the file is unchanged. */
export async function fileSha256(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  const key = `${path}|${size}|${mtimeMs}`;
  let hash = hashes.get(key);
  if (!hash) {
    hash = new Promise<string>((resolve, reject) => {
      const digest = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => digest.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(digest.digest('hex')));
    });
    hashes.set(key, hash);
    // A failed read is not remembered: the next request tries again.
    hash.catch(() => hashes.delete(key));
  }
  return hash;
}
