import { z } from 'zod';
import { visibleRecordId, type KeyedTable } from '../../../services/access.service.ts';
import type { Actor, Services } from '../../../services/context.ts';

/** What a create answers: the record's id, and false for `created` when its external id already existed. */
export const CreatedBody = z.object({ id: z.string(), created: z.boolean() });

/** What an update answers: the record's id and its new version (send it with the next change). */
export const UpdatedBody = z.object({ id: z.string(), version: z.number().int() });

/** The signed-in actor (one helper for every route, from the auth layer). */
export { actorOf } from '../../auth/access.ts';

/**
 * A record's id from the `:id` of a URL (an id or an external id), for an actor who may see it:
 * unknown → 404, and a record hidden by need-to-know (src/domain/policy.ts) answers exactly the
 * same, never 403, which would confirm it exists.
 */
export async function idOf(svc: Services, actor: Actor, table: KeyedTable, key: string): Promise<string> {
  return visibleRecordId(svc, actor, table, key);
}

/**
 * An allegation's id from the URL, for someone who may see it: a confidential or restricted
 * allegation outside the actor's case team is `record.not_found` (404), never 403, which would
 * confirm it exists.
 */
export async function visibleAllegationId(svc: Services, actor: Actor, key: string): Promise<string> {
  return idOf(svc, actor, 'allegation', key);
}
