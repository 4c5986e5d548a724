/**
 * Times prefill and per-token decode of a generated model with onnxruntime-node on the CPU: a quick
 * proxy for WASM speed in the browser, with no browser involved.
 *
 *   npx tsx scripts/models/time-decode.ts public/models/medium-random-llama [--dtype q4] [--threads 2]
 *     [--prompt 128] [--tokens 32]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ONNX_FILES, readLlamaDims } from './folder.ts';
import { EMBEDDED_DTYPES, type EmbeddedDtype } from './manifest.ts';
import { greedyDecode, openSession } from './ort-run.ts';

const isDtype = (value: string): value is EmbeddedDtype => EMBEDDED_DTYPES.some((dtype) => dtype === value);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dtype: { type: 'string', default: 'fp32' },
      threads: { type: 'string', default: '2' },
      prompt: { type: 'string', default: '128' },
      tokens: { type: 'string', default: '32' },
    },
  });
  const [folder] = positionals;
  if (folder === undefined || !isDtype(values.dtype)) {
    throw new Error(`usage: time-decode.ts <modelDir> [--dtype ${EMBEDDED_DTYPES.join('|')}] [--threads N]`);
  }
  const dims = readLlamaDims(folder);
  const session = await openSession(join(folder, ONNX_FILES[values.dtype]), Number(values.threads));
  // Lowercase letters: tokens every model's vocabulary has.
  const prompt = Array.from({ length: Number(values.prompt) }, (_, i) => 97 + ((i * 7) % 26));
  await greedyDecode(session, dims, prompt.slice(0, 8), 4); // warm-up: first runs allocate
  const run = await greedyDecode(session, dims, prompt, Number(values.tokens));
  const decodeMs = median(run.decodeMs);
  console.log(
    JSON.stringify({
      folder,
      dtype: values.dtype,
      threads: Number(values.threads),
      promptTokens: prompt.length,
      newTokens: run.tokens.length,
      prefillMs: Number(run.prefillMs.toFixed(1)),
      decodeMsPerTokenMedian: Number(decodeMs.toFixed(2)),
      decodeTokPerS: Number((1000 / decodeMs).toFixed(1)),
    }),
  );
  await session.release();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
