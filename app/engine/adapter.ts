import type { AdapterReport, CapabilityReport, Device } from './protocol.ts';

/** The GPU adapter limits worth recording next to a result: the ones a model's size runs into. */
const REPORTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
] as const;

export type AdapterRequest = { adapter: GPUAdapter; reason: null } | { adapter: null; reason: string };

/**
 * Asks for the high-performance WebGPU adapter, in a page or a worker. Never throws: without an adapter the
 * answer says why, in words a user understands.
 */
export async function requestAdapter(gpu: GPU | undefined): Promise<AdapterRequest> {
  if (!gpu)
    return { adapter: null, reason: 'This browser does not expose WebGPU (navigator.gpu is missing).' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) return { adapter, reason: null };
    return {
      adapter: null,
      reason: 'WebGPU is present but no GPU adapter is available (blocklisted driver or disabled GPU).',
    };
  } catch (e) {
    return {
      adapter: null,
      reason: `Asking for a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/**
 * What the lab records of an adapter. A software rasteriser is flagged whether the browser says so
 * (`isFallbackAdapter`, on GPUAdapterInfo now, on GPUAdapter before) or only its name does (SwiftShader, llvmpipe).
 */
export function describeAdapter(adapter: GPUAdapter): AdapterReport {
  const info = adapter.info;
  const flagged =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const software = /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(
    `${info.architecture} ${info.description} ${info.device}`,
  );
  const limits: Record<string, number> = {};
  for (const key of REPORTED_LIMITS) limits[key] = Number(adapter.limits[key]);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(flagged) || software,
    features: [...adapter.features].sort(),
    limits,
  };
}

/** What "auto" runs on, and why, in words, when the answer is not the obvious one. */
export interface AutoDevice {
  device: Device;
  /** One sentence when auto passed over an adapter the browser offered; null otherwise. */
  reason: string | null;
}

/**
 * The device "auto" picks: WebGPU when a hardware adapter exists; WASM without an adapter, and WASM when the only
 * adapter is a software fallback (SwiftShader, llvmpipe), which emulates the GPU on the CPU and is typically far
 * slower than WASM (14.9 against ~420 tok/s on one laptop). Forcing WebGPU still runs on it.
 */
export function autoDevice(capabilities: Pick<CapabilityReport, 'webgpu'> | null): AutoDevice {
  const adapter = capabilities?.webgpu ?? null;
  if (!adapter) return { device: 'wasm', reason: null };
  if (adapter.isFallbackAdapter)
    return {
      device: 'wasm',
      reason: `Auto chose WASM: the only WebGPU adapter here is a software fallback (${adapter.description || adapter.architecture || adapter.vendor || 'unnamed'}), which emulates a GPU on the CPU and is slower than WASM. Choose WebGPU to measure it anyway.`,
    };
  return { device: 'webgpu', reason: null };
}
