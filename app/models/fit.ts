import { formatBytes } from '../ui/format.ts';
/**
 * Will it fit? Memory a model needs at a context length against what the browser exposes, checked before
 * loading so the answer is a warning rather than a crashed tab.
 */

/** What the browser says about its memory. Every field may be unknown. */
export interface DeviceMemoryLimits {
  backend: 'webgpu' | 'wasm';
  /** GPUAdapter limits, bytes; null without WebGPU. */
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  /** navigator.deviceMemory in GB: rounded to a power of two and capped at 8 by Chromium; null where absent. */
  deviceMemoryGB: number | null;
}

export interface FitRequest {
  weightBytes: number;
  kvBytesPerToken: number;
  contextTokens: number;
  /** The largest single weight tensor: WebGPU must hold it in one buffer binding. */
  largestTensorBytes: number;
  /** The model's context window from config.json, when known. */
  maxContextTokens: number | null;
}

export type FitVerdict = 'fits' | 'tight' | 'wont-fit';

export interface FitCheck {
  level: 'ok' | 'warn' | 'error' | 'info';
  message: string;
}

export interface FitResult {
  verdict: FitVerdict;
  weightBytes: number;
  kvBytes: number;
  totalBytes: number;
  checks: FitCheck[];
}

const GiB = 1024 ** 3;
/** ONNX Runtime Web's WASM build is 32-bit: its heap, which holds weights and the KV cache, stops at 4 GiB. */
export const WASM_HEAP_LIMIT_BYTES = 4 * GiB;
/** Chromium never reports navigator.deviceMemory above this (GB), so 8 means "8 GB or more". */
const DEVICE_MEMORY_CAP_GB = 8;

/**
 * Weights + KV cache (KV/token × context) against the backend's limits and the device's memory.
 * verdict = the worst of the checks: a single tensor larger than a GPU buffer binding, or a total beyond the
 * WASM heap or the reported device memory, will not fit; more than half the device memory is tight (the browser,
 * the page and the download buffer need the rest: loading briefly holds the weights twice).
 */
export function willItFit(req: FitRequest, limits: DeviceMemoryLimits): FitResult {
  const checks: FitCheck[] = [];
  const valid = [req.weightBytes, req.kvBytesPerToken, req.contextTokens, req.largestTensorBytes].every(
    (v) => Number.isFinite(v) && v >= 0,
  );
  if (!valid) {
    return {
      verdict: 'wont-fit',
      weightBytes: Number.NaN,
      kvBytes: Number.NaN,
      totalBytes: Number.NaN,
      checks: [{ level: 'error', message: 'The model size or context length is not a valid number.' }],
    };
  }
  const kvBytes = req.kvBytesPerToken * req.contextTokens;
  const totalBytes = req.weightBytes + kvBytes;
  const worst: FitVerdict[] = ['fits'];
  const add = (level: FitCheck['level'], message: string, verdict: FitVerdict = 'fits') => {
    checks.push({ level, message });
    worst.push(verdict);
  };

  if (req.maxContextTokens !== null && req.contextTokens > req.maxContextTokens) {
    add(
      'warn',
      `${req.contextTokens.toLocaleString()} tokens is beyond the model's context window of ${req.maxContextTokens.toLocaleString()}: quality collapses past it.`,
      'tight',
    );
  }

  if (limits.backend === 'webgpu') {
    const binding = limits.maxStorageBufferBindingSize;
    const buffer = limits.maxBufferSize;
    if (binding === null && buffer === null) {
      add(
        'error',
        'WebGPU is not available here, so its buffer limits are unknown: use WASM or another browser.',
        'wont-fit',
      );
    } else {
      const cap = Math.min(binding ?? Number.POSITIVE_INFINITY, buffer ?? Number.POSITIVE_INFINITY);
      if (req.largestTensorBytes > cap) {
        add(
          'error',
          `The largest weight tensor (${formatBytes(req.largestTensorBytes)}) exceeds this GPU's largest buffer binding (${formatBytes(cap)}): loading would fail. Try a smaller dtype.`,
          'wont-fit',
        );
      } else {
        add(
          'ok',
          `Largest weight tensor ${formatBytes(req.largestTensorBytes)} ≤ GPU buffer binding limit ${formatBytes(cap)}.`,
        );
      }
    }
  } else if (totalBytes > WASM_HEAP_LIMIT_BYTES) {
    add(
      'error',
      `Weights + KV cache (${formatBytes(totalBytes)}) exceed the 4 GiB heap of the 32-bit WASM runtime.`,
      'wont-fit',
    );
  } else if (totalBytes > 0.75 * WASM_HEAP_LIMIT_BYTES) {
    add(
      'warn',
      `Weights + KV cache (${formatBytes(totalBytes)}) leave little of the 4 GiB WASM heap for activations.`,
      'tight',
    );
  } else {
    add('ok', `Weights + KV cache (${formatBytes(totalBytes)}) fit the 4 GiB WASM heap.`);
  }

  const mem = limits.deviceMemoryGB;
  if (mem === null || !Number.isFinite(mem) || mem <= 0) {
    add(
      'info',
      'This browser does not report the device memory (navigator.deviceMemory), so only the limits above were checked.',
    );
  } else {
    const memBytes = mem * GiB;
    const capped = mem >= DEVICE_MEMORY_CAP_GB;
    const reported = `${capped ? 'at least ' : ''}${mem} GB`;
    if (totalBytes > memBytes && !capped) {
      add(
        'error',
        `Needs ${formatBytes(totalBytes)} but the device reports ${reported} of memory: the tab would crash.`,
        'wont-fit',
      );
    } else if (totalBytes > memBytes / 2) {
      add(
        'warn',
        `Needs ${formatBytes(totalBytes)}, more than half of the ${reported} the device reports; loading briefly holds the weights twice, so the tab may run out of memory.`,
        'tight',
      );
    } else {
      add('ok', `Needs ${formatBytes(totalBytes)} of the ${reported} the device reports.`);
    }
  }

  const verdict: FitVerdict = worst.includes('wont-fit')
    ? 'wont-fit'
    : worst.includes('tight')
      ? 'tight'
      : 'fits';
  return { verdict, weightBytes: req.weightBytes, kvBytes, totalBytes, checks };
}
