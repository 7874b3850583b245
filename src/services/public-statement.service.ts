/**
 * Reviewed statements for the public: what officials (and others speaking in public) said, with
 * an analyst's rating of it against the evidence. Which statements are public, and why, is
 * decided in public-statement.repository.ts; the ClaimReview form is made by the API presenter.
 *
 * Every public route calls one public service. The allow-list is applied in the public
 * repositories' SQL (a row that is not public is never read), suppression in the services whose
 * answers carry counts (public-counts.ts); statements carry no counts, so this service is only the
 * route's way to them: routes never import the store.
 */
import {
  findPublicStatement,
  listPublicStatements,
  type PublicStatementRow,
} from '../store/repositories/public-statement.repository.ts';
import type { Services } from './context.ts';

export type { PublicStatementRow as PublicStatement };

/** Public statements in the order they were made: `limit` rows after the (date, id) key `after`. */
export function publicStatements(
  svc: Services,
  q: { limit: number; after?: { date: string; id: string }; facilityId?: string },
): Promise<PublicStatementRow[]> {
  return listPublicStatements(svc.store.db, q);
}

/** One public statement by id or external id; undefined when there is none or it is not public. */
export function publicStatement(svc: Services, key: string): Promise<PublicStatementRow | undefined> {
  return findPublicStatement(svc.store.db, key);
}
