/**
 * Staff reads of people (pseudonyms only), sources, proceedings and visits. People, sources and
 * proceedings of a case outside the actor's teams are hidden with it (left out of lists, undefined
 * by id), by the repositories: src/domain/policy.ts.
 */
import type { Person } from '../domain/entities/person.ts';
import type { Proceeding } from '../domain/entities/proceeding.ts';
import type { Source } from '../domain/entities/source.ts';
import {
  findPerson,
  findProceeding,
  findSource,
  findVisit,
  listPeople,
  listProceedings,
  listSources,
  listVisits,
  type VisitWithRecommendations,
} from '../store/repositories/case-read.repository.ts';
import type { Actor, Services } from './context.ts';
import { limitedViewer } from './policy.ts';

export type { VisitWithRecommendations } from '../store/repositories/case-read.repository.ts';

/** A page of a list read: at most `limit` records after the cursor value `after`. */
interface Page {
  limit: number;
  after?: string;
}

/** People by pseudonym, optionally of one role, without identity. */
export function peopleFor(svc: Services, actor: Actor, o: Page & { role?: string }): Promise<Person[]> {
  return listPeople(svc.store.db, { ...o, visibleTo: limitedViewer(actor) });
}

/** One person by id or external id, without identity; undefined when none or hidden. */
export function personFor(svc: Services, actor: Actor, key: string): Promise<Person | undefined> {
  return findPerson(svc.store.db, key, limitedViewer(actor));
}

/** Sources by id, optionally of one kind. */
export function sourcesFor(svc: Services, actor: Actor, o: Page & { kind?: string }): Promise<Source[]> {
  return listSources(svc.store.db, { ...o, visibleTo: limitedViewer(actor) });
}

/** One source by id or external id; undefined when none or hidden. */
export function sourceFor(svc: Services, actor: Actor, key: string): Promise<Source | undefined> {
  return findSource(svc.store.db, key, limitedViewer(actor));
}

/** Proceedings with their stages, by id, optionally of one allegation, kind or stage. */
export function proceedingsFor(
  svc: Services,
  actor: Actor,
  o: Page & { allegationId?: string; kind?: string; stage?: string },
): Promise<Proceeding[]> {
  return listProceedings(svc.store.db, { ...o, visibleTo: limitedViewer(actor) });
}

/** One proceeding with its stages by id or external id; undefined when none or hidden. */
export function proceedingFor(svc: Services, actor: Actor, key: string): Promise<Proceeding | undefined> {
  return findProceeding(svc.store.db, key, limitedViewer(actor));
}

/** Visits with their recommendations, by id, optionally of one facility. */
export function visitsOf(svc: Services, o: Page & { facilityId?: string }): Promise<VisitWithRecommendations[]> {
  return listVisits(svc.store.db, o);
}

/** One visit with its recommendations by id or external id; undefined when none. */
export function visitOf(svc: Services, key: string): Promise<VisitWithRecommendations | undefined> {
  return findVisit(svc.store.db, key);
}
