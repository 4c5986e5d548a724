/**
 * What the room accepts from a student's browser, checked before anything is stored. Every refusal is a
 * sentence the student can act on; nothing a student sends is ever echoed back as markup.
 */

/** One rule for display names, shared with the lab (runs carry the same name: app/run/display-name.ts). */
export { checkDisplayName, DISPLAY_NAME_MAX_CHARS, type NameCheck } from '../app/run/display-name.ts';

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
