/**
 * Copies text to the clipboard, and says what happened in words for the status line beside the text: the
 * clipboard can be refused (no user gesture, an insecure page, a denied permission), and the text is then
 * shown for the user to copy by hand.
 */
export async function copyForUser(text: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return 'Copied to the clipboard.';
  } catch {
    return 'Select the link below and copy it.';
  }
}
