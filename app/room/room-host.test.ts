import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HUB_HOST, hubHost, useHubHost } from '../engine/hub-host.ts';
import { adoptRoomHubHost } from './room-host.ts';

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('a lab opened from a room', () => {
  beforeEach(() => useHubHost.setState({ host: DEFAULT_HUB_HOST }));

  it('uses the room as its Hub host', async () => {
    const room = await adoptRoomHubHost('https://10.0.0.5:8443', () =>
      json({ kind: 'inference-cost-lab-room', version: 1, lessonId: 'quantization', closed: false }),
    );
    expect(room).toEqual({ lessonId: 'quantization', closed: false });
    expect(hubHost()).toBe('https://10.0.0.5:8443');
  });

  it('keeps the Hub host when there is no room: 404, an HTML fallback, another JSON, a network error', async () => {
    const answers = [
      () => json({ error: 'Not found' }, 404),
      () => Promise.resolve(new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })),
      () => json({ kind: 'something-else', version: 1, lessonId: null, closed: false }),
      () => Promise.reject(new TypeError('Failed to fetch')),
    ];
    for (const answer of answers) {
      expect(await adoptRoomHubHost('https://static.example', answer)).toBeNull();
      expect(hubHost()).toBe(DEFAULT_HUB_HOST);
    }
  });

  it('asks under the app’s base path, never at the root of a host that serves the lab from a sub-path', async () => {
    const asked: string[] = [];
    await adoptRoomHubHost(
      'https://user.github.io',
      (url) => {
        asked.push(url);
        return json({ error: 'Not found' }, 404);
      },
      '/inference-cost-lab/',
    );
    expect(asked).toEqual(['https://user.github.io/inference-cost-lab/room.json']);
  });
});
