import { sql } from 'kysely';
import { runWrite } from '../store/audited-writer.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import {
  countSealedRows,
  derivedColumns,
  SEALED_COLUMNS,
  SEALED_TABLES,
  sealedRows,
  writeSealedRow,
  type SealedFilter,
} from './sealed-records.ts';

/** What the upgrade of v1 values did. */
export interface UpgradeOutcome {
  /** Records (people, users' second factors) whose v1 values were re-sealed as v2. */
  upgraded: number;
  /** Copies of another record's sealed value, removed from the later record. */
  copiesRemoved: Array<{ recordId: string; field: string; originalId: string }>;
  /** Values that do not open as v1 for their field (altered, or moved from another field): left as they are, never opened. */
  unreadable: Array<{ recordId: string; field: string }>;
}

const isV1 = (column: string) => sql<boolean>`${sql.ref(column)} LIKE 'v1.%'`;

/**
 * Re-seals every value of the old format v1 (bound to its field only) as v2, bound to the record
 * that holds it and to the key id. Runs in audited batches, table by table (each batch one
 * transaction, each record its own entry: `identity.reseal` for a person, a note `seal.reseal` on
 * the user whose TOTP secret it was); a killed run resumes where it stopped, since upgraded rows
 * no longer match. Nothing is decrypted but to be sealed again.
 *
 * A person's v1 value cannot tell which record it was sealed for, so one pasted into another
 * record (the flaw v2 closes) would otherwise be bound to the wrong person here. The same
 * ciphertext in two records can only be such a copy (every seal draws a fresh IV): the earliest
 * record keeps it and the copies are removed from the later ones (an audited
 * `identity.copy_removed`). A TOTP secret's v1 value was already bound to its user.
 */
export async function upgradeSealedValues(
  svc: Services,
  actor: Actor,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<UpgradeOutcome> {
  const db = svc.store.db;
  const outcome: UpgradeOutcome = { upgraded: 0, copiesRemoved: [], unreadable: [] };
  const v1: SealedFilter = { kind: 'v1' };
  let total = 0;
  for (const t of SEALED_TABLES) total += await countSealedRows(db, t, { filter: v1 });
  if (total === 0) return outcome;

  for (const { table, column, field, index, v1Field } of SEALED_COLUMNS) {
    if (table !== 'person' || v1Field) continue;
    const dups = await db
      .selectFrom('person')
      .select(column)
      .where(isV1(column))
      .groupBy(column)
      .having(sql`count(*)`, '>', 1)
      .execute();
    for (const d of dups) {
      const value = String((d as Record<string, unknown>)[column]);
      const holders = await db
        .selectFrom('person')
        .select('id')
        .where(column, '=', value)
        .orderBy('created_at')
        .orderBy('pseudonym')
        .execute();
      const [original, ...copies] = holders;
      await runWrite(
        svc.store,
        writeContext(svc, actor, `sealed ${field} copied from person ${original!.id} removed`),
        async (w) => {
          for (const c of copies) {
            await w.update(
              'person',
              c.id,
              { [column]: null, ...(index ? { [index.column]: null } : {}) },
              { action: 'identity.copy_removed' },
            );
            outcome.copiesRemoved.push({ recordId: c.id, field, originalId: original!.id });
          }
        },
      );
    }
  }

  const batchSize = opts.batchSize ?? 500;
  let done = 0;
  for (const t of SEALED_TABLES) {
    let after: string | null = null;
    for (;;) {
      const rows = await sealedRows(db, t, { filter: v1, after, limit: batchSize });
      if (rows.length === 0) break;
      await runWrite(
        svc.store,
        writeContext(svc, actor, 'sealed values bound to their record (format v2)'),
        async (w) => {
          for (const r of rows) {
            const cols: Record<string, unknown> = {};
            const plain: Record<string, string> = {};
            for (const { column, field, v1Field } of t.columns) {
              const v = r.values[column];
              if (v === null || v === undefined || !v.startsWith('v1.')) continue;
              try {
                plain[column] = svc.keyring.openV1(v, v1Field ? v1Field(r.recordId) : field);
              } catch {
                outcome.unreadable.push({ recordId: r.recordId, field });
                continue;
              }
              cols[column] = svc.keyring.seal(plain[column], { field, recordId: r.recordId });
            }
            if (Object.keys(cols).length === 0) continue;
            await writeSealedRow(
              w,
              t,
              r.recordId,
              { ...cols, ...derivedColumns(svc.keyring, t, plain) },
              t.audited ? 'identity.reseal' : 'seal.reseal',
            );
            outcome.upgraded += 1;
          }
        },
      );
      after = rows[rows.length - 1]!.recordId;
      done += rows.length;
      opts.onProgress?.(Math.min(done, total), total);
    }
  }
  return outcome;
}
