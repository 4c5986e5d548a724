/**
 * A Hub host that arrived with a run (a result link, an imported file): where "run the same on my device" would
 * fetch model files from. A link is untrusted, so the host is used only when it is an https address, or http on
 * this computer's loopback (a local mirror); anything else is refused with a sentence saying why.
 */

import type { RunResult } from './run.ts';

export type LinkedHubHost = { ok: true; host: string } | { ok: false; message: string };

const LOOPBACK_HOSTNAMES = new Set(['localhost', '[::1]']);

/** 127.0.0.0/8, localhost or [::1]: a server on this computer. */
const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTNAMES.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);

/**
 * Checks a Hub host carried by a run: an https URL (or http on loopback), with no credentials, query or
 * fragment; returned without a trailing slash, as the engine expects it.
 */
export function checkLinkedHubHost(text: string): LinkedHubHost {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `The link names a Hub host that is not an address ("${shown}").` };
  }
  if (url.username || url.password || url.search || url.hash) {
    return {
      ok: false,
      message: `The link's Hub host (${shown}) carries credentials, a query or a fragment; the lab does not fetch from it.`,
    };
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!secure) {
    return {
      ok: false,
      message: `The link's Hub host (${shown}) is not an https address (plain http is accepted only on this computer); the lab does not fetch models from it.`,
    };
  }
  return { ok: true, host: url.href.replace(/\/$/, '') };
}

/**
 * The Hub hosts a report's runs loaded their models from, checked (https, or http on loopback): those the lab
 * may use for "run the same on my device", and a sentence for each it refuses.
 */
export function linkedHubHosts(runs: readonly RunResult[]): { usable: string[]; refused: string[] } {
  const usable = new Set<string>();
  const refused = new Set<string>();
  for (const run of runs) {
    if (run.settings.sourceKind !== 'hub' || !run.hubHost) continue;
    const checked = checkLinkedHubHost(run.hubHost);
    if (checked.ok) usable.add(checked.host);
    else refused.add(checked.message);
  }
  return { usable: [...usable], refused: [...refused] };
}
