import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** A person as anyone without need-to-know may see them: the id and the pseudonym, nothing else. */
export interface PersonRef {
  id: string;
  pseudonym: string;
}

/** The pseudonyms of these people, in pseudonym order; never reads an identity column. */
export async function findPseudonyms(db: Kysely<Database>, ids: readonly string[]): Promise<PersonRef[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('person')
    .select(['id', 'pseudonym'])
    .where('id', 'in', [...new Set(ids)])
    .orderBy('pseudonym')
    .execute();
}
