/**
 * Display names, as runs, links and the room carry them: one rule for the lab and the room server (which
 * re-exports it), so a name the lab accepts is one the board shows, and never markup.
 */

/** The longest display name, in characters (code points): what a board row or a leaderboard cell can show. */
export const DISPLAY_NAME_MAX_CHARS = 40;

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * Control characters, and the bidirectional overrides and isolates that can make a name read backwards on
 * the board (U+202A–U+202E, U+2066–U+2069), and zero-width characters that make two names look the same.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/**
 * A display name as the board will show it: trimmed, inner runs of spaces collapsed, NFC-normalised, 1 to 40
 * characters (code points), no markup characters (< >), no control, bidi-override or zero-width characters.
 */
export function checkDisplayName(value: unknown): NameCheck {
  if (typeof value !== 'string') return { ok: false, message: 'Send a display name (text).' };
  const name = value.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const length = [...name].length;
  if (length === 0)
    return { ok: false, message: 'Pick a display name: a first name or a seat number will do.' };
  if (length > DISPLAY_NAME_MAX_CHARS)
    return {
      ok: false,
      message: `A display name has at most ${DISPLAY_NAME_MAX_CHARS} characters (this has ${length}).`,
    };
  if (/[<>]/u.test(name)) return { ok: false, message: 'A display name cannot contain < or >.' };
  if (FORBIDDEN.test(name))
    return { ok: false, message: 'A display name cannot contain invisible or control characters.' };
  return { ok: true, name };
}

/** Whether a value is a display name exactly as checkDisplayName would keep it (what a saved run may carry). */
export const isDisplayName = (value: string): boolean => {
  const check = checkDisplayName(value);
  return check.ok && check.name === value;
};
