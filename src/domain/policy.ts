/**
 * Need-to-know, decided in one place (domain.md PR2, PR3). Roles say what kind of work a user
 * does; need-to-know says which cases they may touch. An allegation marked `confidential` or
 * `restricted` belongs to its case team (the users assigned to it), and so does everything linked
 * to it: its people, sources, evidence items and their custody, proceedings, extractions. To
 * everyone else such a record does not exist: it is left out of lists, counts and search, a read
 * by id answers as for an id never used, and it cannot be referenced from a write.
 *
 * Admins are no exception: an admin who needs a case joins its team, and that assignment is an
 * audit entry. Vigil's own work (`system`: import, export, the console) is not limited.
 *
 * This module is pure: the store answers the two questions a decision needs ({@link Guard}) for
 * one record (`src/store/repositories/need-to-know.repository.ts`) or as a condition in SQL
 * for lists, and both apply the rule below.
 */
import type { UserRole } from './vocabularies.ts';

/** Who asks. */
export interface Viewer {
  readonly id: string;
  readonly role: UserRole | 'system';
}

/** What a viewer wants to do with a record. */
export type PolicyAction =
  /** see it, in a list, a count, a search hit, a history or by id */
  | 'read'
  /** change it, or act on it (a custody step, a transition) */
  | 'change'
  /** name it from another record (a victim, a duplicate-of, a proceeding's allegation, a source) */
  | 'reference'
  /** open a person's sealed identity */
  | 'reveal';

/** Kinds of records whose visibility follows the allegations they are linked to. */
export const GUARDED_KINDS = [
  'allegation',
  'person',
  'source',
  'evidence_item',
  'custody_event',
  'proceeding',
  'extraction',
  'proposed_fact',
] as const;
export type GuardedKind = (typeof GUARDED_KINDS)[number];

/** Sensitivities whose allegations only their case team may see. */
export const NEED_TO_KNOW_SENSITIVITIES: readonly string[] = ['confidential', 'restricted'];

/** What the store knows about one record's links, and all a decision needs. */
export interface Guard {
  /** Whether the record is, or is linked to, at least one confidential or restricted allegation. */
  readonly needToKnow: boolean;
  /** Whether the viewer is on the case team of at least one of those allegations. */
  readonly onTeam: boolean;
}

/** Roles that may open an identity (on top of need-to-know). */
const MAY_REVEAL: readonly (UserRole | 'system')[] = ['admin', 'analyst', 'documenter', 'system'];

/** Whether `sensitivity` alone hides an allegation from users outside its case team. */
export function needsToKnow(sensitivity: string): boolean {
  return NEED_TO_KNOW_SENSITIVITIES.includes(sensitivity);
}

/** Whether need-to-know limits `viewer` at all (Vigil's own work is not limited). */
export function isLimited(viewer: Viewer): boolean {
  return viewer.role !== 'system';
}

/**
 * The decision. A record is visible when nothing hides it (not linked to a need-to-know case) or
 * the viewer is on the team of a case that hides it. Changing and referencing need the same
 * visibility (what you cannot see you cannot name or change, so a write never grants access);
 * revealing an identity needs it too, and a role that works with identities.
 *
 * A record linked to several cases is visible to the team of any of them: since naming a record
 * needs read access, every such link was made by someone who could already see it.
 */
export function may(viewer: Viewer, action: PolicyAction, kind: GuardedKind, guard: Guard): boolean {
  if (!isLimited(viewer)) return true;
  const visible = !guard.needToKnow || guard.onTeam;
  if (!visible) return false;
  if (action === 'reveal') return kind === 'person' && MAY_REVEAL.includes(viewer.role);
  return true;
}
