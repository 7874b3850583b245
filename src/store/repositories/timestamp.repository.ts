/**
 * The stored RFC 3161 tokens (0014): on evidence hashes and on signed heads of the audit chain.
 * Plain rows outside the audit chain (see the migration for why that is safe): a token is
 * written once and never changed; a second token for the same hash or head is not kept, since
 * the first one is the earlier proof.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditTimestampTable, Database, EvidenceTimestampTable } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Stores the token of an evidence hash unless one is already stored; true when this one was kept. */
export async function insertEvidenceTimestamp(db: Db, row: EvidenceTimestampTable): Promise<boolean> {
  const r = await db
    .insertInto('evidence_timestamp')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The stored tokens of these hashes, by hash. */
export async function evidenceTimestamps(
  db: Db,
  sha256s: readonly string[],
): Promise<Map<string, EvidenceTimestampTable>> {
  const out = new Map<string, EvidenceTimestampTable>();
  const unique = [...new Set(sha256s)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('evidence_timestamp')
      .selectAll()
      .where('sha256', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.sha256, r);
  }
  return out;
}

/** Evidence hashes that have no token yet, oldest filing first (at most `limit`), and how many there are. */
export async function unstampedEvidence(db: Db, limit: number): Promise<{ sha256s: string[]; total: number }> {
  const base = db
    .selectFrom('evidence_item as e')
    .leftJoin('evidence_timestamp as t', 't.sha256', 'e.sha256')
    .where('t.sha256', 'is', null);
  const rows = await base
    .select('e.sha256')
    .select(sql<string>`min(e.created_at)`.as('first'))
    .groupBy('e.sha256')
    .orderBy('first')
    .orderBy('e.sha256')
    .limit(limit)
    .execute();
  const count = await base.select(sql<number | string>`count(distinct e.sha256)`.as('n')).executeTakeFirstOrThrow();
  return { sha256s: rows.map((r) => r.sha256), total: Number(count.n) };
}

/** Stores the token of a head unless its sequence already has one; true when this one was kept. */
export async function insertAuditTimestamp(db: Db, row: AuditTimestampTable): Promise<boolean> {
  const r = await db
    .insertInto('audit_timestamp')
    .values(row)
    .onConflict((oc) => oc.column('seq').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Every token on a head, by sequence. */
export async function auditTimestamps(db: Db): Promise<AuditTimestampTable[]> {
  const rows = await db.selectFrom('audit_timestamp').selectAll().orderBy('seq').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The first token on entry `seq` or a later one: its entry and the TSA's time; undefined when none. */
export async function firstAuditTimestampFrom(
  db: Db,
  seq: number,
): Promise<{ seq: number; genTime: string } | undefined> {
  const r = await db
    .selectFrom('audit_timestamp')
    .select(['seq', 'gen_time'])
    .where('seq', '>=', seq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return r && { seq: Number(r.seq), genTime: r.gen_time };
}
