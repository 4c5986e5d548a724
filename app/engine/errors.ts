import type { ErrorCode } from './protocol.ts';

/** What the user reads when something fails: a code the UI can act on and a sentence that says what to do. */
export interface EngineError {
  code: ErrorCode;
  message: string;
}

const RULES: Array<{ test: RegExp; code: ErrorCode; explain: (raw: string) => string }> = [
  {
    // onnxruntime's WebGPU provider reports a lost device as a failed buffer mapping.
    test: /device (was )?lost|GPUDevice.*(lost|destroyed)|device is lost|Device lost|MapAsyncStatus::Success was false/i,
    code: 'device-lost',
    explain: () =>
      'The WebGPU device was lost (driver reset, another tab took the GPU, or the system slept).',
  },
  {
    test: /out of memory|OOM|Array buffer allocation failed|Invalid typed array length|Cannot allocate|memory access out of bounds|bad_alloc|Aborted\(OOM\)/i,
    code: 'out-of-memory',
    explain: () =>
      'The model did not fit in memory. Try a smaller model or a smaller dtype (q4 or q8), or close other tabs.',
  },
  {
    test: /protobuf parsing failed|failed to load model|Invalid model|INVALID_PROTOBUF|Load model from .* failed|invalid wire type|index out of range|Can't create a session/i,
    code: 'corrupt-model',
    explain: () => 'The model file could not be read as ONNX: it is corrupt, truncated or not an ONNX model.',
  },
  {
    test: /Could not locate file:? .*onnx\/|file was not found locally at ".*onnx\/|onnx\/model[^"]*\.onnx.*(404|not found)/i,
    code: 'dtype-missing',
    explain: () => 'This model has no file for the chosen dtype. Pick another dtype.',
  },
  {
    test: /Could not locate file|file was not found|404|Not Found|Unauthorized access to file|401|403/i,
    code: 'model-not-found',
    explain: () =>
      'The model was not found. Check the model id (organisation/name), the Hub host setting, and that the model has ONNX files.',
  },
  {
    test: /Failed to fetch|NetworkError|network|ERR_|Load failed|fetch failed/i,
    code: 'network',
    explain: () => 'A download failed: the network is unreachable or the host refused the request.',
  },
];

/** Turns a raw exception from transformers.js / onnxruntime into a code and a message a user can act on. */
export function classifyError(error: unknown): EngineError {
  const raw = error instanceof Error ? error.message : String(error);
  for (const rule of RULES) {
    if (rule.test.test(raw)) return { code: rule.code, message: `${rule.explain(raw)} (${shorten(raw)})` };
  }
  return { code: 'unknown', message: shorten(raw) || 'Unknown error' };
}

const shorten = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max)}…` : text);
