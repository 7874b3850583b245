import type { Kysely } from 'kysely';
import { entryHash } from '../audit-chain.ts';
import { stateHash } from '../canonical.ts';

const PAGE = 500;

/**
 * A record's state hash covers every column, so rows that exist when a migration adds columns no
 * longer match their last audited state. Each such row gets an entry with its new state (actor
 * `system`, action `migrate`, `reason` saying which migration), chained like any other, so
 * `vigil verify` still passes and the log says why. Run it in the migration's transaction.
 */
export async function reaudit(db: Kysely<any>, tables: readonly string[], reason: string): Promise<void> {
  const head = (await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow()) as { seq: number | string; hash: string };
  let seq = Number(head.seq);
  let prev = head.hash;
  const at = new Date().toISOString();
  for (const table of tables) {
    let after = '';
    for (;;) {
      const rows = (await db.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute()) as Array<Record<string, unknown> & { id: string }>;
      if (rows.length === 0) break;
      const entries = rows.map((row) => {
        seq += 1;
        const base = {
          seq, at, actor: 'system', action: 'migrate', entity_type: table, entity_id: row.id,
          state_hash: stateHash(table, row), reason, prev_hash: prev,
        };
        prev = entryHash(base);
        return { ...base, hash: prev };
      });
      await db.insertInto('audit_entry').values(entries).execute();
      after = rows[rows.length - 1]!.id;
    }
  }
  if (seq !== Number(head.seq)) await db.updateTable('audit_head').set({ seq, hash: prev, updated_at: at }).where('id', '=', 1).execute();
}
