/**
 * The Hub host: a lab-wide setting every model load uses (Measure, the sweep, "run the same on my device",
 * quality scoring). Points the lab at a Hugging Face Hub compatible mirror, e.g. for a workshop room without
 * internet. Kept in localStorage so it survives a reload.
 */
import { create } from 'zustand';

export const DEFAULT_HUB_HOST = 'https://huggingface.co';

const STORAGE_KEY = 'lab.hubHost';

export type HubHostParse = { ok: true; host: string } | { ok: false; message: string };

/**
 * Reads a Hub host typed by the user: an http(s) address, normalised without a trailing slash
 * (files are fetched from `<host>/<organisation>/<name>/resolve/main/<file>`).
 */
export function parseHubHost(text: string): HubHostParse {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return { ok: true, host: url.href.replace(/\/$/, '') };
  } catch {
    return {
      ok: false,
      message:
        'The Hub host must be an http(s) address, e.g. https://huggingface.co or http://mirror.local:8080.',
    };
  }
}

function readStored(): string {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    const parsed = stored === null ? null : parseHubHost(stored);
    return parsed?.ok ? parsed.host : DEFAULT_HUB_HOST;
  } catch {
    return DEFAULT_HUB_HOST;
  }
}

export const useHubHost = create<{ host: string }>()(() => ({ host: readStored() }));

/** The host the next load will use. */
export const hubHost = (): string => useHubHost.getState().host;

/** Validates and saves the setting; returns the parse so the form can show the problem. */
export function saveHubHost(text: string): HubHostParse {
  const parsed = parseHubHost(text);
  if (!parsed.ok) return parsed;
  useHubHost.setState({ host: parsed.host });
  try {
    localStorage.setItem(STORAGE_KEY, parsed.host);
  } catch {
    // Private mode: the setting lasts for this page only.
  }
  return parsed;
}
