import type { Kysely, Selectable } from 'kysely';
import type { Person } from '../../domain/entities/person.ts';
import type { Database, PersonTable } from '../schema.ts';
import { parseJson } from './json-column.ts';

/** A person as the domain sees them without need-to-know: no identity, only whether one exists. */
export function toPerson(r: Selectable<PersonTable>): Person {
  return {
    id: r.id,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    pseudonym: r.pseudonym,
    roles: parseJson<string[]>(r.roles, []),
    publicName: r.public_name,
    publicRole: r.public_role,
    organizationId: r.organization_id,
    perpetratorKind: r.perpetrator_kind,
    isUnit: r.is_unit === 1,
    custody: r.custody,
    risk: r.risk,
    hasIdentity: r.name_enc !== null || r.birth_date_enc !== null || r.contacts_enc !== null || r.notes_enc !== null,
  };
}

/** Ids of the people whose name has this blind index. */
export async function findPeopleByNameIndex(db: Kysely<Database>, nameIndex: string): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('name_index', '=', nameIndex)
    .orderBy('pseudonym')
    .execute();
  return rows.map((r) => r.id);
}
