/**
 * Generates the embedded random-weight LLaMA family and its index.json.
 *
 *   npx tsx scripts/make-models.ts public/models [--seed 1] [--force] [--only tiny-random-llama]
 *
 * Runs before every dev/build; models whose `.stamp` is current are skipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, FAMILY } from './models/family.ts';
import { writeManifest, writeModelFolder } from './models/folder.ts';
import {
  EMBEDDED_DTYPES,
  type EmbeddedDtype,
  type ModelFileEntry,
  type ModelManifestEntry,
} from './models/manifest.ts';

const usage = 'usage: tsx scripts/make-models.ts <outDir> [--seed N] [--force] [--only <id>]';

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function summary(entry: ModelManifestEntry): string {
  const params = `${(entry.parameters / 1e6).toFixed(2)}M params`;
  const files = EMBEDDED_DTYPES.map((dtype) => `${dtype} ${formatBytes(entry.dtypes[dtype].bytes)}`).join(
    ', ',
  );
  return `${entry.id.padEnd(20)} ${params.padStart(14)}  ${files}`;
}

/** A manifest entry whose files carry their SHA-256 (lowercase hex), which the lab records on each run. */
type HashedEntry = ModelManifestEntry & {
  dtypes: Record<EmbeddedDtype, ModelFileEntry & { sha256: string }>;
};

/**
 * Adds each ONNX file's SHA-256 to its manifest entry: the lab identifies a model by its file (app/run/model-key.ts),
 * so the same file served by a room's Hub mirror and by the lab itself is one model. Done here, outside the
 * generator's stamped sources, so adding it did not regenerate the models; a few hundred MB hash in about a second.
 */
function withFileHashes(outDir: string, entry: ModelManifestEntry): HashedEntry {
  const hashed = (dtype: EmbeddedDtype) => {
    const file = entry.dtypes[dtype];
    const sha256 = createHash('sha256')
      .update(readFileSync(join(outDir, entry.id, file.file)))
      .digest('hex');
    return { ...file, sha256 };
  };
  return {
    ...entry,
    dtypes: { fp32: hashed('fp32'), fp16: hashed('fp16'), q8: hashed('q8'), q4: hashed('q4') },
  };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const [outDir] = positionals;
  if (outDir === undefined || positionals.length > 1) throw new Error(usage);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer\n${usage}`);
  const specs = values.only === undefined ? FAMILY : FAMILY.filter((spec) => spec.id === values.only);
  if (specs.length === 0)
    throw new Error(`--only ${values.only}: no such model (${FAMILY.map((s) => s.id).join(', ')})`);

  const entries: ModelManifestEntry[] = [];
  for (const spec of specs) {
    const result = writeModelFolder(outDir, spec, { seed, force: values.force });
    const status = result.upToDate ? 'up to date' : `generated in ${(result.elapsedMs / 1000).toFixed(2)} s`;
    console.log(`${summary(result.entry)}  (${status})`);
    entries.push(withFileHashes(outDir, result.entry));
  }
  // --only is a development shortcut: index.json always lists the whole family, so leave it alone.
  if (values.only === undefined) writeManifest(outDir, { models: entries });
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
