/**
 * BENCHMARK REFERENCE ONLY — not app code. The app's one importer of @huggingface/transformers is
 * app/engine/inference.worker.ts; this second one exists solely so `npm run bench:compare` can measure the lab's
 * engine against transformers.js used the plain, idiomatic way (as in transformers.js-examples'
 * llama-3.2-webgpu worker: AutoTokenizer + AutoModelForCausalLM + generate with a TextStreamer whose
 * token_callback_function timestamps each token). Keep it minimal: every line added here is overhead the
 * comparison would wrongly credit to the lab.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import ortWasmFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { PROMPT_SEED_TEXT, promptOfLength } from '../engine/prompt.ts';
import { pinnedWasmPaths } from '../engine/wasm-paths.ts';
import type { BareRepetition, BareRequest, BareResult } from './bare-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

// Same runtime files as the lab's worker, served by the app itself (never a CDN), and the same embedded models.
if (env.backends.onnx.wasm) env.backends.onnx.wasm.wasmPaths = pinnedWasmPaths(ortWasmFactoryUrl, ortWasmUrl);
env.allowLocalModels = true;
env.allowRemoteModels = false;
env.localModelPath = `${import.meta.env.BASE_URL}models/`;
env.useBrowserCache = false;

let loaded: { key: string; tokenizer: PreTrainedTokenizer; model: PreTrainedModel } | null = null;

async function generate(
  tokenizer: PreTrainedTokenizer,
  model: PreTrainedModel,
  ids: number[],
  genTokens: number,
): Promise<BareRepetition> {
  const tokenTimesMs: number[] = [];
  let startedAt = 0;
  const streamer = new TextStreamer(tokenizer, {
    skip_prompt: true,
    callback_function: () => {},
    token_callback_function: () => tokenTimesMs.push(performance.now() - startedAt),
  });
  startedAt = performance.now();
  const output = (await model.generate({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    max_new_tokens: genTokens,
    min_new_tokens: genTokens,
    do_sample: false,
    streamer,
  })) as Tensor;
  const generated = Array.from(output.data as BigInt64Array, Number).slice(ids.length);
  return {
    ttftMs: tokenTimesMs[0] ?? 0,
    e2eMs: tokenTimesMs.at(-1) ?? 0,
    tokenTimesMs,
    text: tokenizer.decode(generated, { skip_special_tokens: true }),
  };
}

async function run({
  modelId,
  dtype,
  device,
  promptTokens,
  genTokens,
  reps,
}: BareRequest): Promise<BareResult> {
  const started = performance.now();
  const key = `${modelId}:${dtype}:${device}`;
  if (loaded?.key !== key) {
    await loaded?.model.dispose();
    loaded = null;
    const tokenizer = await AutoTokenizer.from_pretrained(modelId);
    const model = await AutoModelForCausalLM.from_pretrained(modelId, { dtype, device });
    loaded = { key, tokenizer, model };
  }
  const loadMs = performance.now() - started;
  const { tokenizer, model } = loaded;
  // The lab's prompt: the same seed text cut to exactly P token ids (BOS included), so both sides prefill the same ids.
  const ids = promptOfLength(
    tokenizer.encode(PROMPT_SEED_TEXT, { add_special_tokens: false }),
    promptTokens,
    tokenizer.encode('', { add_special_tokens: true }),
  );
  const warm = await generate(tokenizer, model, ids, Math.min(genTokens, 4));
  const out: BareRepetition[] = [];
  for (let rep = 0; rep < reps; rep++) out.push(await generate(tokenizer, model, ids, genTokens));
  return { ok: true, loadMs, warmupMs: warm.e2eMs, promptIds: ids, reps: out };
}

self.addEventListener('message', (event: MessageEvent<BareRequest>) => {
  run(event.data).then(
    (result) => self.postMessage(result),
    (error: unknown) => self.postMessage({ ok: false, message: String(error) } satisfies BareResult),
  );
});
