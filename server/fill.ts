/**
 * `npm run room:fill -- <org/name> --dtype q4,q8 [--hub https://huggingface.co] [--models .room/models]`:
 * before the workshop, while online, copies a model's files from the Hub into the room's models folder, in the
 * layout the room's Hub mirror serves. Files already there are kept; a file arrives under a temporary name and
 * is renamed when complete, so an interrupted fill never leaves a truncated model behind.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_HUB_HOST } from '../app/engine/hub-host.ts';
import { DTYPE_FILE, type Dtype, isDtype } from '../app/engine/protocol.ts';
import { hubFileSegments } from './validate.ts';

/** What transformers.js fetches for a text-generation model, besides the weights of each dtype. */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
const OPTIONAL = ['generation_config.json', 'special_tokens_map.json'] as const;

export interface FillOptions {
  hubHost: string;
  modelId: string;
  dtypes: readonly Dtype[];
  modelsDir: string;
  /** Progress lines (a file started, its bytes so far, done). */
  log?: (line: string) => void;
}

export interface FillReport {
  /** Files written now, with their sizes. */
  fetched: { file: string; bytes: number }[];
  /** Files already in the folder. */
  kept: string[];
  /** Optional files the Hub does not have. */
  absent: string[];
  totalBytes: number;
}

/** The files to fetch for `dtypes`: required, then optional (a 404 is fine), weights' external data optional. */
export function filesFor(dtypes: readonly Dtype[]): { file: string; required: boolean }[] {
  return [
    ...REQUIRED.map((file) => ({ file, required: true })),
    ...OPTIONAL.map((file) => ({ file, required: false })),
    ...dtypes.flatMap((d) => [
      { file: DTYPE_FILE[d], required: true },
      { file: `${DTYPE_FILE[d]}_data`, required: false },
    ]),
  ];
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Copies a model's files from a Hub host into `<modelsDir>/<org>/<name>/`. */
export async function fillModel(options: FillOptions): Promise<FillReport> {
  const { hubHost, modelId, dtypes, modelsDir, log = () => {} } = options;
  const [org = '', name = '', ...rest] = modelId.split('/');
  if (rest.length > 0 || !hubFileSegments(org, name, 'config.json'))
    throw new Error(`"${modelId}" is not a Hub model id (organisation/name)`);
  const report: FillReport = { fetched: [], kept: [], absent: [], totalBytes: 0 };
  for (const { file, required } of filesFor(dtypes)) {
    const target = join(modelsDir, org, name, ...file.split('/'));
    if (existsSync(target)) {
      report.kept.push(file);
      report.totalBytes += statSync(target).size;
      continue;
    }
    const url = `${hubHost.replace(/\/$/, '')}/${org}/${name}/resolve/main/${file}`;
    const response = await fetch(url);
    if (response.status === 404 && !required) {
      report.absent.push(file);
      continue;
    }
    if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
    const expected = Number(response.headers.get('content-length') ?? Number.NaN);
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.part`;
    let bytes = 0;
    let lastLogMs = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (Date.now() - lastLogMs > 1000) {
        lastLogMs = Date.now();
        const of = Number.isFinite(expected)
          ? ` of ${mib(expected)} (${Math.round((bytes / expected) * 100)} %)`
          : '';
        log(`  ${file}: ${mib(bytes)}${of}`);
      }
    });
    try {
      await pipeline(body, createWriteStream(partial));
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    if (Number.isFinite(expected) && bytes !== expected) {
      rmSync(partial, { force: true });
      throw new Error(`${url}: got ${bytes} bytes of ${expected}`);
    }
    renameSync(partial, target);
    log(`  ${file}: ${mib(bytes)} done`);
    report.fetched.push({ file, bytes });
    report.totalBytes += bytes;
  }
  return report;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dtype: { type: 'string', default: 'q4' },
      hub: { type: 'string', default: DEFAULT_HUB_HOST },
      models: { type: 'string', default: join(import.meta.dirname, '..', '.room', 'models') },
    },
  });
  const dtypes = values.dtype.split(',').map((d) => d.trim());
  const bad = dtypes.filter((d) => !isDtype(d));
  if (bad.length > 0 || positionals.length === 0)
    throw new Error(
      `usage: npm run room:fill -- <org/name> [more ids] --dtype q4,q8 (dtypes: ${Object.keys(DTYPE_FILE).join(', ')})`,
    );
  const modelsDir = resolve(values.models);
  let total = 0;
  for (const modelId of positionals) {
    console.log(`${modelId} (${dtypes.join(', ')}) from ${values.hub} into ${modelsDir}`);
    const report = await fillModel({
      hubHost: values.hub,
      modelId,
      dtypes: dtypes.filter(isDtype),
      modelsDir,
      log: console.log,
    });
    console.log(
      `${modelId}: ${report.fetched.length} files fetched, ${report.kept.length} already there, ${mib(report.totalBytes)} in all`,
    );
    total += report.totalBytes;
  }
  console.log(`Models folder holds ${mib(total)} for these models.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`room:fill: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
