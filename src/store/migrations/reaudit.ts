import { hash } from 'node:crypto';
import type { MigrationDb } from './migration-db.ts';

/*
 * Frozen: migrations 0005 and 0008 run this code, and an old migration must do the same thing
 * forever, whatever the live audit code becomes. So the hashing it needs is copied here, as it
 * was when those migrations were written (entry format 1: nine fields, RFC 8785 JSON; a record's
 * state: its flat row with "@table", RFC 8785 JSON), and never imported from ../audit-chain.ts or
 * ../canonical.ts. A test checks these copies against the live code for the rows they cover.
 */

const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** RFC 8785 JSON of a flat object of strings, numbers and nulls: sorted keys, JSON-encoded values. */
function flatCanonical(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k])}`).join(',')}}`;
}

/** The state hash of a row, format 1. */
export function stateHashV1(table: string, row: Record<string, unknown>): string {
  return sha256(flatCanonical({ ...row, '@table': table }));
}

interface EntryV1 {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  state_hash: string | null;
  reason: string | null;
  prev_hash: string;
}

/** The hash of an entry, format 1. */
export function entryHashV1(e: EntryV1): string {
  const { seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash } = e;
  return sha256(flatCanonical({ seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash }));
}

const PAGE = 500;

/**
 * A record's state hash covers every column, so rows that exist when a migration adds columns no
 * longer match their last audited state. Each such row gets an entry with its new state (actor
 * `system`, action `migrate`, `reason` saying which migration), chained like any other, so
 * `vigil verify` still passes and the log says why. Run it in the migration's transaction.
 */
export async function reaudit(db: MigrationDb, tables: readonly string[], reason: string): Promise<void> {
  const head = (await db
    .selectFrom('audit_head')
    .select(['seq', 'hash', 'updated_at'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()) as { seq: number | string; hash: string; updated_at: string };
  let seq = Number(head.seq);
  let prev = head.hash;
  // Never before the last entry: time only moves forward in the chain.
  const now = new Date();
  const at = Date.parse(head.updated_at) > now.getTime() ? head.updated_at : now.toISOString();
  for (const table of tables) {
    let after = '';
    for (;;) {
      const rows = (await db
        .selectFrom(table)
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute()) as Array<Record<string, unknown> & { id: string }>;
      const last = rows.at(-1);
      if (!last) break;
      const entries = rows.map((row) => {
        seq += 1;
        const base = {
          seq,
          at,
          actor: 'system',
          action: 'migrate',
          entity_type: table,
          entity_id: row.id,
          state_hash: stateHashV1(table, row),
          reason,
          prev_hash: prev,
        };
        prev = entryHashV1(base);
        return { ...base, hash: prev };
      });
      await db.insertInto('audit_entry').values(entries).execute();
      after = last.id;
    }
  }
  if (seq !== Number(head.seq))
    await db.updateTable('audit_head').set({ seq, hash: prev, updated_at: at }).where('id', '=', 1).execute();
}
