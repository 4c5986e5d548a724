import { describe, expect, it } from 'vitest';
import { autoDevice } from './adapter.ts';
import type { AdapterReport } from './protocol.ts';

const adapter = (overrides: Partial<AdapterReport>): AdapterReport => ({
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: 'SwiftShader Device (Subzero)',
  isFallbackAdapter: false,
  features: [],
  limits: {},
  ...overrides,
});

describe('autoDevice', () => {
  it('runs on a hardware GPU when there is one', () => {
    expect(autoDevice({ webgpu: adapter({ vendor: 'apple', description: 'Apple M2' }) })).toEqual({
      device: 'webgpu',
      reason: null,
    });
  });

  it('chooses WASM over a software fallback adapter, and says why', () => {
    const choice = autoDevice({ webgpu: adapter({ isFallbackAdapter: true }) });
    expect(choice.device).toBe('wasm');
    expect(choice.reason).toMatch(/software fallback \(SwiftShader Device \(Subzero\)\).*Choose WebGPU/);
  });

  it('chooses WASM without a word when there is no adapter or no report yet', () => {
    expect(autoDevice({ webgpu: null })).toEqual({ device: 'wasm', reason: null });
    expect(autoDevice(null)).toEqual({ device: 'wasm', reason: null });
  });
});
