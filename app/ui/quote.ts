/** The most characters of outside input (a key, a value, a name) that a message shows. */
export const MAX_QUOTED_CHARS = 80;

/**
 * Outside input as a message may show it: at most `maxChars` characters, then "…" and how many were
 * left out, so a hostile file or link cannot make a message as long as itself. Never splits a
 * surrogate pair; any value is turned into text first.
 */
export function clipForMessage(value: unknown, maxChars = MAX_QUOTED_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${(text.length - end).toLocaleString('en')} more characters)`;
}
