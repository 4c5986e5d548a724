/**
 * A lab opened from a workshop room (`npm run room`) uses the room as its Hub host: the room serves the Hub's
 * file layout from its models folder, so Hub models load without internet. The room says it is one by serving
 * `/room.json` (a file, not an inline script: the lab's Content-Security-Policy allows none).
 */
import { useHubHost } from '../engine/hub-host.ts';
import { parseRoomInfo, type RoomInfo } from './protocol.ts';

/**
 * Asks the page's own origin whether it is a room (`<base>room.json`: under the app's base path, so a lab served
 * from a sub-path asks nothing at the host's root); if so, makes it the Hub host for this page (not saved: the
 * student's own setting is back once they leave the room). Never throws: without a room the lab is unchanged.
 */
export async function adoptRoomHubHost(
  origin: string,
  fetchRoom: (url: string) => Promise<Response> = (url) => fetch(url, { cache: 'no-store' }),
  base = '/',
): Promise<RoomInfo | null> {
  try {
    const response = await fetchRoom(`${origin}${base}room.json`);
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return null;
    const room = parseRoomInfo(await response.json());
    if (room) useHubHost.setState({ host: origin });
    return room;
  } catch {
    return null;
  }
}
