/**
 * What the room accepts from a student's browser, checked before anything is stored. Every refusal is a
 * sentence the student can act on; nothing a student sends is ever echoed back as markup.
 */

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

/** A lesson id: lowercase words joined by dashes, at most 60 characters (lessons are data, named like files). */
export const isLessonId = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) && value.length <= 60;

/** An organisation or repository name on the Hub: letters, digits, `.`, `_`, `-`; not starting with a dot. */
const HUB_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
/** One folder or file name inside a repository: the same characters, never `.` or `..` (no leading dot). */
const HUB_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

/**
 * The parts of a Hub file request, each already percent-decoded by the router: the organisation, the
 * repository and the file path. Returns the file's path segments, or null when any part could name something
 * outside the models folder (`..`, a leading dot, a slash or backslash inside a segment, NUL, anything but
 * plain names).
 */
export function hubFileSegments(org: string, name: string, file: string): string[] | null {
  if (!HUB_NAME.test(org) || !HUB_NAME.test(name) || org.includes('..') || name.includes('..')) return null;
  const segments = file.split('/');
  if (segments.length === 0 || segments.length > 8) return null;
  if (!segments.every((segment) => HUB_SEGMENT.test(segment) && !segment.includes('..'))) return null;
  return [org, name, ...segments];
}
