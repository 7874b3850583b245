/**
 * The reads of an evidence bundle (docs/bundles.md): the allegation's files, the sources, people,
 * collectors and facility they name, their custody events and the audit entries of all of them,
 * each row in the shape the bundle's manifest writes it. Read in the bundle's one snapshot.
 */
import type { AuditEntry } from '../../domain/audit-format.ts';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CustodyEventTable, Database, EvidenceItemTable } from '../schema.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** Ids per query: well under the parameter limits of both engines. */
const CHUNK = 500;
function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** True when one of these people is in custody now. */
export async function anyInCustody(db: Handle, personIds: readonly string[]): Promise<boolean> {
  if (personIds.length === 0) return false;
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('id', 'in', [...personIds])
    .where('custody', '=', 'in_custody')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The evidence items filed under an allegation, and those filed under one of its sources and no
 * allegation (web captures are filed under a source), oldest first.
 */
export async function bundleItems(
  db: Handle,
  allegationId: string,
  sourceIds: readonly string[],
): Promise<Selectable<EvidenceItemTable>[]> {
  let q = db.selectFrom('evidence_item').selectAll();
  q =
    sourceIds.length > 0
      ? q.where((eb) =>
          eb.or([
            eb('allegation_id', '=', allegationId),
            eb.and([eb('source_id', 'in', [...sourceIds]), eb('allegation_id', 'is', null)]),
          ]),
        )
      : q.where('allegation_id', '=', allegationId);
  return q.orderBy('created_at').orderBy('id').execute();
}

/** A bundle's view of a source: what it is and where it was found. */
export interface BundleSource {
  id: string;
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
}

/** These sources, by id. */
export async function bundleSources(db: Handle, ids: readonly string[]): Promise<Map<string, BundleSource>> {
  const out = new Map<string, BundleSource>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('source')
      .select(['id', 'kind', 'title', 'url', 'outlet'])
      .where('id', 'in', part)
      .execute();
    for (const s of rows) out.set(s.id, s);
  }
  return out;
}

/** A bundle's view of a person: the pseudonym only (the identity columns are not read, so no name can leak). */
export interface BundlePerson {
  id: string;
  pseudonym: string;
  public_role: string | null;
  is_unit: number;
}

/** These people, by id. */
export async function bundlePeople(db: Handle, ids: readonly string[]): Promise<Map<string, BundlePerson>> {
  const out = new Map<string, BundlePerson>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'pseudonym', 'public_role', 'is_unit'])
      .where('id', 'in', part)
      .execute();
    for (const p of rows) out.set(p.id, p);
  }
  return out;
}

/** The user names of these users, by id. */
export async function userNames(db: Handle, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom('app_user').select(['id', 'username']).where('id', 'in', part).execute();
    for (const u of rows) out.set(u.id, u.username);
  }
  return out;
}

/** A facility's id and name. */
export async function facilityName(db: Handle, id: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('facility').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** The custody events of these evidence items, by time (then id). */
export async function custodyEventsOf(
  db: Handle,
  itemIds: readonly string[],
): Promise<Selectable<CustodyEventTable>[]> {
  const out: Selectable<CustodyEventTable>[] = [];
  for (const part of chunks(itemIds))
    out.push(...(await db.selectFrom('custody_event').selectAll().where('evidence_item_id', 'in', part).execute()));
  return out.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * The audit entries of an allegation, of its parts (ids `<allegation>:…`) and of the other
 * records named (files, custody events), in chain order.
 */
export async function bundleAuditEntries(
  db: Handle,
  allegationId: string,
  entityIds: readonly string[],
): Promise<AuditEntry[]> {
  const bySeq = new Map<number, AuditEntry>();
  const take = (rows: Array<Selectable<Database['audit_entry']>>) => {
    for (const e of rows) {
      const seq = Number(e.seq);
      bySeq.set(seq, {
        seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        entity_type: e.entity_type,
        entity_id: e.entity_id,
        state_hash: e.state_hash,
        reason: e.reason,
        prev_hash: e.prev_hash,
        hash: e.hash,
        changes: e.changes ?? null,
      });
    }
  };
  take(
    await db
      .selectFrom('audit_entry')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('entity_id', '=', allegationId),
          eb(sql<string>`substr(entity_id, 1, ${allegationId.length + 1})`, '=', `${allegationId}:`),
        ]),
      )
      .execute(),
  );
  for (const part of chunks(entityIds))
    take(await db.selectFrom('audit_entry').selectAll().where('entity_id', 'in', part).execute());
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}
