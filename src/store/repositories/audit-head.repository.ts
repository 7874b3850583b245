import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The sequence number of the last audit entry: it moves with every committed change. */
export async function auditHeadSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}
