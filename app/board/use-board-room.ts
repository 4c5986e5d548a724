import { useEffect, useState } from 'react';
import { fetchSnapshot } from '../room/client.ts';
import { normalizeRoomCode, ROOM_CODE_PARAM } from '../room/protocol.ts';
import { adoptRoomHubHost } from '../room/room-host.ts';
import { startRoom, useRoom, watchRoom } from '../room/store.ts';

/** Where the board stands with its room, before the live data takes over. */
export type BoardConnection =
  | { state: 'checking' }
  /** The page was not served by a room server (a static host, the dev server). */
  | { state: 'no-room' }
  /** The address carries no room code (`?room=CODE`). */
  | { state: 'no-code' }
  /** The room refused the code: the server's sentence. */
  | { state: 'refused'; message: string }
  | { state: 'watching'; code: string };

/**
 * Connects the board to the room that served the page: checks that it is a room (`/room.json`), that the code in
 * the address is this room's (the server's own refusal otherwise), then listens to the room's event stream through
 * the room store (`watchRoom`): the snapshot, then one event per change, reconnecting by itself. No polling.
 */
export function useBoardRoom(search: string, origin: string): BoardConnection {
  const [connection, setConnection] = useState<BoardConnection>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    const code = normalizeRoomCode(new URLSearchParams(search).get(ROOM_CODE_PARAM));
    void (async () => {
      // The lab's start (main.tsx) may have found the room already; otherwise ask, as it does.
      if (!useRoom.getState().info) {
        const info = await adoptRoomHubHost(origin);
        if (!live) return;
        if (!info) return setConnection({ state: 'no-room' });
        if (!useRoom.getState().info) startRoom(info, origin, search);
      }
      if (!code) return setConnection({ state: 'no-code' });
      const check = await fetchSnapshot(origin, code);
      if (!live) return;
      // A refusal (a wrong code) is final; a network failure is not: the stream keeps trying.
      if (!check.ok && !check.retry) return setConnection({ state: 'refused', message: check.message });
      watchRoom(code);
      setConnection({ state: 'watching', code });
    })();
    return () => {
      live = false;
    };
  }, [search, origin]);
  return connection;
}
