/**
 * Where unsaved drafts live in localStorage, and how to forget them all. Kept apart from the
 * intake form so the session can clear drafts without loading the work pages.
 */

/** Every draft key starts with this, followed by the user id. */
export const DRAFT_PREFIX = 'vigil.intake.draft.';

/** Forgets every user's draft in this browser (at sign-out, and when the session has ended). */
export function clearAllDrafts(): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(DRAFT_PREFIX)) keys.push(k);
    }
    for (const k of keys) localStorage.removeItem(k);
  } catch {
    /* storage blocked: nothing was kept */
  }
}
