import type { z } from 'zod';
import { IdentityInput, PersonFields, PersonImport, PersonInput, type Identity } from '../domain/entities/person.ts';
import { VigilError } from '../domain/errors.ts';
import { normalizeNameKey } from '../domain/text/index.ts';
import { runWrite, type AuditedWriter } from '../store/audited-writer.ts';
import { nextCounter } from '../store/counter.ts';
import type { Keyring } from '../store/keyring.ts';
import { orNull } from '../store/repositories/json-column.ts';
import {
  findPeopleByNameIndex,
  findPersonRoles,
  findSealedIdentity,
  insertPerson as insertPersonRow,
  updatePersonFields,
  type PersonChange,
  type SealedIdentity,
} from '../store/repositories/person.repository.ts';
import { IDENTITY_FIELDS } from '../store/repositories/sealed-value.repository.ts';
import { may } from './policy.ts';
import type { Actor, Services } from './context.ts';
import { createRecord, updateSchema, writeContext, type Created } from './record-write.ts';
import { parseInput } from './validate.ts';
import { resolveOptionalRef } from './references.ts';

/** Formats a pseudonym: V-0007. */
function pseudonymFor(n: number): string {
  return `V-${String(n).padStart(4, '0')}`;
}

/** The blind index of a name: equal for `Нурдилда Ораз` and `Nurdilda Oraz`, unreadable without the key. */
export function nameIndexOf(keyring: Keyring, name: string): string | null {
  const key = normalizeNameKey(name);
  return key ? keyring.blindIndex(key) : null;
}

/**
 * Records a person. Identity fields are sealed (AES-256-GCM) for this record before they reach the
 * database and the name gets a blind index. The person is known everywhere else by a pseudonym.
 */
export function createPerson(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'person',
    PersonInput,
    input,
    async (w, d, id) => {
      const sealed: SealedIdentity = { name: null, birthDate: null, contacts: null, notes: null };
      for (const [field, , context] of IDENTITY_FIELDS) {
        const plain = d.identity?.[field];
        if (plain !== undefined) sealed[field] = svc.keyring.seal(plain, { field: context, recordId: id });
      }
      await insertPerson(svc, actor, w, d, id, sealed, d.identity?.name);
    },
    { writer },
  );
}

/**
 * Records a person from a line of a full export (`vigil import`). A sealed identity is accepted only
 * if every value opens, under this instance's key, for this very record id and field: a value of
 * another record or of another instance is refused with its field path, and nothing is written.
 */
export function importPerson(svc: Services, actor: Actor, input: unknown, writer?: AuditedWriter): Promise<Created> {
  return createRecord(
    svc,
    actor,
    'person',
    PersonImport,
    input,
    async (w, d, id) => {
      const sealed: SealedIdentity = { name: null, birthDate: null, contacts: null, notes: null };
      let name = d.identity?.name;
      for (const [field, , context] of IDENTITY_FIELDS) {
        const plain = d.identity?.[field];
        const given = d.sealedIdentity?.[field];
        if (plain !== undefined) sealed[field] = svc.keyring.seal(plain, { field: context, recordId: id });
        else if (given !== undefined) {
          let opened: string;
          try {
            opened = svc.keyring.open(given, { field: context, recordId: id });
          } catch (err) {
            if (err instanceof VigilError)
              throw new VigilError('crypto.decrypt_failed', err.message, { path: `sealedIdentity.${field}` });
            throw err;
          }
          sealed[field] = given;
          if (field === 'name') name = opened;
        }
      }
      await insertPerson(svc, actor, w, d, id, sealed, name);
    },
    { writer },
  );
}

async function insertPerson(
  svc: Services,
  actor: Actor,
  w: AuditedWriter,
  d: z.output<typeof PersonFields>,
  id: string,
  sealed: SealedIdentity,
  name: string | undefined,
): Promise<void> {
  const pseudonym = pseudonymFor(await nextCounter(w.trx, 'person.pseudonym'));
  await insertPersonRow(w, {
    id,
    externalId: d.externalId ?? null,
    pseudonym,
    roles: d.roles,
    publicName: orNull(d.publicName),
    publicRole: orNull(d.publicRole),
    organizationId: await resolveOptionalRef(w.trx, 'organization', d.organizationId, 'organizationId', actor),
    perpetratorKind: orNull(d.perpetratorKind),
    isUnit: Boolean(d.isUnit),
    custody: d.custody,
    risk: d.risk,
    nameIndex: name === undefined ? null : nameIndexOf(svc.keyring, name),
    sealed,
  });
}

/** Ids of people recorded under this name, in any script or word order, without decrypting anyone. */
export async function findPeopleByName(svc: Services, name: string): Promise<string[]> {
  const index = nameIndexOf(svc.keyring, name);
  return index ? findPeopleByNameIndex(svc.store.db, index) : [];
}

/**
 * Decrypts a person's identity for someone allowed to see it (role, and need-to-know on the
 * person's confidential and restricted cases). Seeing a name is itself an audited act: the
 * entry says who saw whose identity, when, and why.
 */
export async function revealIdentity(svc: Services, actor: Actor, personId: string, reason: string): Promise<Identity> {
  if (!reason.trim())
    throw new VigilError('validation.invalid', 'a reason is required to see an identity', { path: 'reason' });
  return runWrite(svc.store, writeContext(svc, actor, reason), async (w) => {
    const r = await findSealedIdentity(w.trx, personId);
    // Outside the case team the person is as hidden as the case: 404, like an unknown id.
    if (!r || !(await may(w.trx, actor, 'reveal', 'person', personId)))
      throw new VigilError('record.not_found', `no person ${personId}`, { path: 'id' });
    w.note('identity.view', 'person', personId);
    const open = (v: string | null, field: string) =>
      v === null ? null : svc.keyring.open(v, { field, recordId: personId });
    return {
      name: open(r.name, 'person.name'),
      birthDate: open(r.birthDate, 'person.birth_date'),
      contacts: open(r.contacts, 'person.contacts'),
      notes: open(r.notes, 'person.notes'),
    };
  });
}

const PersonUpdate = updateSchema({ ...PersonFields.shape, identity: IdentityInput });

/**
 * Changes a person's roles, custody, risk or identity. Identity fields given are sealed anew (the
 * name's blind index follows); the ones left out keep their ciphertext. Victims never get a public name.
 */
export async function updatePerson(
  svc: Services,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ version: number }> {
  const d = parseInput(PersonUpdate, input);
  return runWrite(svc.store, writeContext(svc, actor), async (w) => {
    const current = await findPersonRoles(w.trx, id);
    if (!current || !(await may(w.trx, actor, 'change', 'person', id)))
      throw new VigilError('record.not_found', `no person ${id}`, { path: 'id' });
    const roles = d.roles ?? current.roles;
    const publicName = d.publicName ?? current.publicName;
    if (publicName !== null && !roles.every((r) => r === 'official')) {
      throw new VigilError('validation.invalid', 'only officials may have a public name; use identity.name', {
        path: 'publicName',
      });
    }
    const change: PersonChange = {
      roles: d.roles,
      publicName: d.publicName,
      publicRole: d.publicRole,
      perpetratorKind: d.perpetratorKind,
      isUnit: d.isUnit,
      custody: d.custody,
      risk: d.risk,
    };
    if (d.organizationId !== undefined)
      change.organizationId = await resolveOptionalRef(
        w.trx,
        'organization',
        d.organizationId,
        'organizationId',
        actor,
      );
    const sealed: Partial<SealedIdentity> = {};
    for (const [field, , context] of IDENTITY_FIELDS) {
      const plain = d.identity?.[field];
      if (plain === undefined) continue;
      sealed[field] = svc.keyring.seal(plain, { field: context, recordId: id });
      if (field === 'name') change.nameIndex = nameIndexOf(svc.keyring, plain);
    }
    change.sealed = sealed;
    return { version: await updatePersonFields(w, id, change, d.version) };
  });
}
