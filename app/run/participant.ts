/**
 * Who measured a run, in a class: a display name or a seat ("Ana", "Seat 12"). It travels with every run made
 * while it is set (history, links, the room), so the class view and the room's board can tell two students with
 * identical laptops apart. Kept in localStorage so a reload keeps it; the room's join form sets the same value.
 */
import { create } from 'zustand';

import { checkDisplayName, isDisplayName, type NameCheck } from './display-name.ts';

const STORAGE_KEY = 'lab.participant';

function readStored(): string | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored !== null && isDisplayName(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** The participant name new runs carry; null when none is set (runs then carry none). */
export const useParticipant = create<{ name: string | null }>()(() => ({ name: readStored() }));

/** The name the next run will carry, or null. */
export const participantName = (): string | null => useParticipant.getState().name;

/**
 * Sets (or, with '' or null, clears) the participant name and saves it. Returns the check, so a form can show
 * why a name was refused; a refused name changes nothing.
 */
export function setParticipant(text: string | null): NameCheck | { ok: true; name: null } {
  if (text === null || text.trim() === '') {
    useParticipant.setState({ name: null });
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Private mode: the setting lasts for this page only.
    }
    return { ok: true, name: null };
  }
  const check = checkDisplayName(text);
  if (!check.ok) return check;
  useParticipant.setState({ name: check.name });
  try {
    localStorage.setItem(STORAGE_KEY, check.name);
  } catch {
    // Private mode: the setting lasts for this page only.
  }
  return check;
}
