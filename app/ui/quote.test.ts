import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipForMessage, MAX_QUOTED_CHARS } from './quote.ts';

describe('clipForMessage', () => {
  it('leaves short input as it is', () => {
    expect(clipForMessage('fp17')).toBe('fp17');
    expect(clipForMessage(42)).toBe('42');
  });

  it('cuts a million-character key to a readable length and says how much was left out', () => {
    const clipped = clipForMessage('k'.repeat(1_000_000));
    expect(clipped).toBe(`${'k'.repeat(MAX_QUOTED_CHARS)}… (999,920 more characters)`);
  });

  it('never splits an emoji in two', () => {
    expect(clipForMessage(`${'a'.repeat(9)}😀😀`, 10)).toBe(`${'a'.repeat(9)}… (4 more characters)`);
  });

  it('is never much longer than the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2_000 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        expect(clipForMessage(text, max).length).toBeLessThanOrEqual(max + 40);
      }),
    );
  });
});
