/**
 * The push queue of witnesses (`witness_push`, 0013): one row per witness id. Operational, not
 * a record: no audit entry, and `vigil verify` never reads it.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WitnessPushTable } from '../schema.ts';

export type WitnessPushRow = Selectable<WitnessPushTable>;

/** The queue rows of the given witnesses, by witness id (absent: never pushed). */
export async function readPushRows(
  db: Kysely<Database>,
  witnessIds: readonly string[],
): Promise<Map<string, WitnessPushRow>> {
  if (witnessIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('witness_push')
    .selectAll()
    .where('witness_id', 'in', [...witnessIds])
    .execute();
  return new Map(rows.map((r) => [r.witness_id, normalise(r)]));
}

/** Writes a witness's queue row whole (insert or replace). */
export async function writePushRow(db: Kysely<Database>, row: WitnessPushRow): Promise<void> {
  const { witness_id: _id, ...rest } = row;
  await db
    .insertInto('witness_push')
    .values(row)
    .onConflict((oc) => oc.column('witness_id').doUpdateSet(rest))
    .execute();
}

/** An empty row for a witness never pushed to. */
export function emptyPushRow(witnessId: string): WitnessPushRow {
  return {
    witness_id: witnessId,
    pending_seq: null,
    pending_head: null,
    attempts: 0,
    next_attempt_at: null,
    last_attempt_at: null,
    last_error: null,
    refused: 0,
    delivered_seq: null,
    delivered_hash: null,
    delivered_at: null,
  };
}

// PostgreSQL's driver returns integers as numbers, but be strict: sequences are compared.
function normalise(r: WitnessPushRow): WitnessPushRow {
  return {
    ...r,
    pending_seq: r.pending_seq === null ? null : Number(r.pending_seq),
    delivered_seq: r.delivered_seq === null ? null : Number(r.delivered_seq),
    attempts: Number(r.attempts),
    refused: Number(r.refused),
  };
}
