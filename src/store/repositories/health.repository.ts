import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Runs a trivial query: resolves when the database answers, rejects with its error when it does not. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
