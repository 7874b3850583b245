import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The sequence number of the last audit entry: it moves with every committed change. */
export async function auditHeadSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** The head of the chain: the last entry's sequence and hash, and when it was written; undefined before the head row exists. */
export async function findAuditHead(
  db: Kysely<Database>,
): Promise<{ seq: number; hash: string; at: string } | undefined> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash', 'updated_at'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return head && { seq: Number(head.seq), hash: head.hash, at: head.updated_at };
}

/** Up to `limit` audit entries after `afterSeq`, in order: their sequence, hash and time. */
export async function auditEntriesAfter(
  db: Kysely<Database>,
  afterSeq: number,
  limit: number,
): Promise<{ seq: number; hash: string; at: string }[]> {
  const rows = await db
    .selectFrom('audit_entry')
    .select(['seq', 'hash', 'at'])
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, at: r.at }));
}

/** The hashes of the audit entries with these sequence numbers (the ones that exist). */
export async function auditEntryHashes(db: Kysely<Database>, seqs: readonly number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.selectFrom('audit_entry').select(['seq', 'hash']).where('seq', 'in', seqs).execute();
  return new Map(rows.map((r) => [Number(r.seq), r.hash]));
}
