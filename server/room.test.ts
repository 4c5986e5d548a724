import { describe, expect, it } from 'vitest';
import { boardUrl } from './room.ts';

describe('boardUrl', () => {
  it('opens the board of the same room, and carries the instructor token when given', () => {
    const join = 'https://192.168.1.5:8443/?room=ABC234';
    expect(boardUrl(join)).toBe('https://192.168.1.5:8443/?room=ABC234&board');
    const token = 'a+b/c=_-';
    const params = new URL(boardUrl(join, token)).searchParams;
    // What the board page reads: the board flag, the room code and the token, intact.
    expect(params.has('board')).toBe(true);
    expect(params.get('room')).toBe('ABC234');
    expect(params.get('token')).toBe(token);
  });
});
