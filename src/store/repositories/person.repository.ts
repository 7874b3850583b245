import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Person } from '../../domain/entities/person.ts';
import type { AuditedWriter } from '../audited-writer.ts';
import type { Database, PersonTable } from '../schema.ts';
import { parseJson, toJson } from './json-column.ts';

type Handle = Kysely<Database> | Transaction<Database>;

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

/** The people who carry a public name (officials acting in public), with it. */
export async function listPublicNames(db: Handle): Promise<Array<{ id: string; publicName: string }>> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'public_name'])
    .where('public_name', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.public_name ? [{ id: r.id, publicName: r.public_name }] : []));
}

/** A person's identity as sealed values (each bound to its record and field), null where none is recorded. */
export interface SealedIdentity {
  name: string | null;
  birthDate: string | null;
  contacts: string | null;
  notes: string | null;
}

/** A new person: their pseudonym, what may be shown of them, and their sealed identity with the name's blind index. */
export interface NewPerson {
  id: string;
  externalId: string | null;
  pseudonym: string;
  roles: readonly string[];
  publicName: string | null;
  publicRole: string | null;
  organizationId: string | null;
  perpetratorKind: string | null;
  isUnit: boolean;
  custody: string;
  risk: string;
  nameIndex: string | null;
  sealed: SealedIdentity;
}

/** Stores a new person (audited). */
export async function insertPerson(w: AuditedWriter, p: NewPerson): Promise<void> {
  await w.insert('person', {
    id: p.id,
    external_id: p.externalId,
    pseudonym: p.pseudonym,
    roles: toJson(p.roles),
    public_name: p.publicName,
    public_role: p.publicRole,
    organization_id: p.organizationId,
    perpetrator_kind: p.perpetratorKind,
    is_unit: p.isUnit ? 1 : 0,
    custody: p.custody,
    risk: p.risk,
    name_index: p.nameIndex,
    name_enc: p.sealed.name,
    birth_date_enc: p.sealed.birthDate,
    contacts_enc: p.sealed.contacts,
    notes_enc: p.sealed.notes,
  });
}

/** A person's sealed identity, by id; undefined when the person does not exist. */
export async function findSealedIdentity(db: Handle, id: string): Promise<SealedIdentity | undefined> {
  const r = await db
    .selectFrom('person')
    .select(['name_enc', 'birth_date_enc', 'contacts_enc', 'notes_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { name: r.name_enc, birthDate: r.birth_date_enc, contacts: r.contacts_enc, notes: r.notes_enc };
}

/** A person's roles and public name, by id; undefined when the person does not exist. */
export async function findPersonRoles(
  db: Handle,
  id: string,
): Promise<{ roles: string[]; publicName: string | null } | undefined> {
  const r = await db.selectFrom('person').select(['roles', 'public_name']).where('id', '=', id).executeTakeFirst();
  return r && { roles: JSON.parse(r.roles) as string[], publicName: r.public_name };
}

/** A change of a person: the fields given change, the others keep their values. */
export interface PersonChange {
  roles?: readonly string[];
  publicName?: string | null;
  publicRole?: string | null;
  perpetratorKind?: string | null;
  isUnit?: boolean;
  custody?: string;
  risk?: string;
  organizationId?: string | null;
  sealed?: Partial<SealedIdentity>;
  nameIndex?: string | null;
}

/** Keeps the fields given: a field left out keeps its value. */
function given<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Stores a change of a person (audited, with the expected version when given); the new version. */
export async function updatePersonFields(
  w: AuditedWriter,
  id: string,
  c: PersonChange,
  expectedVersion: number | undefined,
): Promise<number> {
  const cols = given({
    roles: c.roles === undefined ? undefined : toJson(c.roles),
    public_name: c.publicName,
    public_role: c.publicRole,
    perpetrator_kind: c.perpetratorKind,
    is_unit: c.isUnit === undefined ? undefined : c.isUnit ? 1 : 0,
    custody: c.custody,
    risk: c.risk,
    organization_id: c.organizationId,
    name_enc: c.sealed?.name,
    birth_date_enc: c.sealed?.birthDate,
    contacts_enc: c.sealed?.contacts,
    notes_enc: c.sealed?.notes,
    name_index: c.nameIndex,
  });
  return (await w.update('person', id, cols, { expectedVersion })).version;
}
