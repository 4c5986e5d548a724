import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adapterStamp,
  backendName,
  describeUserAgent,
  machineBackendKey,
  machineKey,
  machineName,
  ranAtStamp,
} from './machine.ts';
import { syntheticRun } from './synthetic.ts';

const LINUX_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const gpu = { vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA RTX 4060' };

describe('machine identity', () => {
  it('names the backend as the UI writes it', () => {
    expect([backendName('wasm'), backendName('webgpu')]).toEqual(['WASM', 'WebGPU']);
  });

  it('keeps the stamp saved microbenchmark suites are stored under', () => {
    // The form is persisted in localStorage: changing it would orphan every saved suite.
    expect(adapterStamp(gpu, 'UA')).toBe('nvidia|ada||NVIDIA RTX 4060|UA');
    expect(adapterStamp(null, 'UA')).toBe('no-webgpu|UA');
  });

  it('gives runs of one machine one key, and tells machines apart by browser, adapter and cores', () => {
    const a = syntheticRun(1, { device: 'webgpu', adapterDescription: 'NVIDIA RTX 4060' });
    const again = syntheticRun(2, { device: 'webgpu', adapterDescription: 'NVIDIA RTX 4060' });
    expect(machineKey(again.env)).toBe(machineKey(a.env));
    const otherGpu = syntheticRun(3, { device: 'webgpu', adapterDescription: 'Intel Arc' });
    const otherBrowser = syntheticRun(4, {
      device: 'webgpu',
      adapterDescription: 'NVIDIA RTX 4060',
      userAgent: LINUX_CHROME.replace('140', '141'),
    });
    const moreCores = { ...a.env, hardwareConcurrency: 16 };
    const keys = [a.env, otherGpu.env, otherBrowser.env, moreCores].map(machineKey);
    expect(new Set(keys).size).toBe(4);
  });

  it('separates the backends of one machine when asked to', () => {
    const env = syntheticRun(1).env;
    expect(machineBackendKey(env)).not.toBe(machineBackendKey({ ...env, device: 'webgpu' }));
    expect(machineBackendKey(env)).toContain(machineKey(env));
  });

  it('matches a WASM run to a stamp by browser, a WebGPU run by adapter too', () => {
    const wasm = syntheticRun(1, { device: 'wasm', userAgent: 'UA1' });
    const stamp = adapterStamp({ vendor: 'v', architecture: 'a', device: 'd', description: 'x' }, 'UA1');
    expect(ranAtStamp(wasm.env, stamp)).toBe(true);
    expect(ranAtStamp(syntheticRun(1, { device: 'wasm', userAgent: 'UA2' }).env, stamp)).toBe(false);
    const webgpu = syntheticRun(1, { device: 'webgpu', userAgent: 'UA1' });
    expect(ranAtStamp(webgpu.env, adapterStamp(webgpu.env.adapter, 'UA1'))).toBe(true);
    expect(ranAtStamp(webgpu.env, stamp)).toBe(false);
  });

  it('names a machine in words: adapter, browser and OS, cores', () => {
    const webgpu = syntheticRun(1, { device: 'webgpu', adapterDescription: 'NVIDIA RTX 4060' });
    expect(machineName(webgpu.env)).toBe('NVIDIA RTX 4060 · Chrome 140 on Linux · 2 cores');
    expect(machineName({ ...syntheticRun(2).env, hardwareConcurrency: 0 })).toBe('Chrome 140 on Linux');
    const unnamed = { ...gpu, description: '', isFallbackAdapter: false, features: [], limits: {} };
    expect(machineName({ userAgent: LINUX_CHROME, adapter: unnamed, hardwareConcurrency: 8 })).toBe(
      'nvidia ada · Chrome 140 on Linux · 8 cores',
    );
  });

  it('names browsers in a few words', () => {
    expect(describeUserAgent(`${LINUX_CHROME} Edg/140.0`)).toBe('Edge 140 on Linux');
    expect(describeUserAgent('Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0')).toBe(
      'Firefox 128 on Android',
    );
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      ),
    ).toBe('Safari 17 on macOS');
    expect(describeUserAgent('')).toBe('unknown browser');
  });

  it('keeps a name short whatever the user agent says', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2_000 }), (ua) => describeUserAgent(ua).length <= 60));
  });
});
