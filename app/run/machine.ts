/**
 * Which machine ran a run, in one place. One word per meaning:
 * - backend: what ran the model, `wasm` or `webgpu` (the `Device` type, named before this rule);
 * - adapter: the GPU that WebGPU used, by its vendor, architecture and description;
 * - machine: the browser build, its operating system and the CPU cores it reports, plus the adapter when
 *   the run used one.
 */
import type { AdapterReport, Device } from '../engine/protocol.ts';
import type { EnvironmentStamp } from './run.ts';

/** The fields that tell two adapters apart. */
export type AdapterIdentity = Pick<AdapterReport, 'vendor' | 'architecture' | 'device' | 'description'>;

/** The fields of a run's environment that say which machine ran it. */
export type MachineEnv = Pick<EnvironmentStamp, 'userAgent' | 'adapter' | 'hardwareConcurrency'>;

/** A backend as the UI writes it: 'WebGPU' or 'WASM'. */
export const backendName = (backend: Device): string => (backend === 'webgpu' ? 'WebGPU' : 'WASM');

/**
 * One adapter on one browser build: adapterStamp = vendor | architecture | device | description | userAgent,
 * with 'no-webgpu' for the adapter part when there is none. Saved microbenchmark suites are stored under it, so
 * its form must not change: a different string would orphan every saved suite.
 */
export function adapterStamp(adapter: AdapterIdentity | null, userAgent: string): string {
  const gpu = adapter
    ? [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join('|')
    : 'no-webgpu';
  return `${gpu}|${userAgent}`;
}

/**
 * Runs from the same machine share this key: machineKey = adapterStamp | cores. Runs record the adapter only
 * when they used WebGPU, so a WebGPU run's key also names its GPU.
 */
export const machineKey = (env: MachineEnv): string =>
  `${adapterStamp(env.adapter, env.userAgent)}|${env.hardwareConcurrency}`;

/** Runs with the same key ran on the same machine with the same backend. */
export const machineBackendKey = (env: MachineEnv & { device: Device }): string =>
  `${env.device}|${machineKey(env)}`;

/** Browser and OS in a few words, from a user agent string: 'Chrome 131 on Linux'. */
export function describeUserAgent(userAgent: string): string {
  const version = (re: RegExp): string | undefined => re.exec(userAgent)?.[1];
  const edge = version(/Edg\/(\d+)/);
  const firefox = version(/Firefox\/(\d+)/);
  const chrome = version(/Chrom(?:e|ium)\/(\d+)/);
  const safari = /Safari/.test(userAgent) ? version(/Version\/(\d+)/) : undefined;
  const browser = edge
    ? `Edge ${edge}`
    : firefox
      ? `Firefox ${firefox}`
      : chrome
        ? `Chrome ${chrome}`
        : safari
          ? `Safari ${safari}`
          : null;
  const systems: Array<[RegExp, string]> = [
    [/Android/, 'Android'],
    [/iPhone|iPad/, 'iOS'],
    [/Mac OS X/, 'macOS'],
    [/Windows/, 'Windows'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ];
  const os = systems.find(([re]) => re.test(userAgent))?.[1] ?? null;
  if (!browser && !os) return userAgent.slice(0, 60) || 'unknown browser';
  return [browser, os].filter(Boolean).join(' on ');
}

/** The adapter in words: its description, else vendor and architecture; '' without one. */
export const adapterName = (adapter: AdapterIdentity | null): string =>
  adapter ? adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') : '';

/** The machine a run was measured on, in words: adapter (WebGPU runs), browser, OS and cores. */
export function machineName(env: MachineEnv): string {
  const cores = env.hardwareConcurrency > 0 ? `${env.hardwareConcurrency} cores` : '';
  return [adapterName(env.adapter), describeUserAgent(env.userAgent), cores].filter(Boolean).join(' · ');
}

/**
 * Whether a run ran where an adapter stamp was taken (a saved microbenchmark suite): the same browser build, and
 * for a WebGPU run the same adapter. A WASM run needs only the browser: CPU figures do not depend on the GPU.
 */
export function ranAtStamp(
  env: Pick<EnvironmentStamp, 'userAgent' | 'adapter' | 'device'>,
  stamp: string,
): boolean {
  if (env.device === 'wasm') return stamp.endsWith(`|${env.userAgent}`);
  return adapterStamp(env.adapter, env.userAgent) === stamp;
}

/**
 * Whether a run's WebGPU figures came from a software rasteriser (SwiftShader, llvmpipe): such figures say
 * nothing about a real GPU, and are usually slower than WASM on the same machine.
 */
export const ranOnSoftwareAdapter = (env: Pick<EnvironmentStamp, 'device' | 'adapter'>): boolean =>
  env.device === 'webgpu' && env.adapter?.isFallbackAdapter === true;

/**
 * The browser and CPU a run ran on, whatever its backend: browserKey = userAgent | cores. Unlike machineKey it
 * does not name the adapter, so a machine's WASM and WebGPU runs share it.
 */
export const browserKey = (env: Pick<EnvironmentStamp, 'userAgent' | 'hardwareConcurrency'>): string =>
  `${env.userAgent}|${env.hardwareConcurrency}`;

/** browserKey in words: 'Chrome 131 on Linux · 8 cores'. */
export const browserName = (env: Pick<EnvironmentStamp, 'userAgent' | 'hardwareConcurrency'>): string =>
  machineName({ ...env, adapter: null });
