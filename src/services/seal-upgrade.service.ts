import { sql } from 'kysely';
import { runWrite } from '../store/audited-writer.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import { derivedColumns, SEALED_COLUMNS } from './sealed-records.ts';

/** What the upgrade of v1 values did. */
export interface UpgradeOutcome {
  /** Records whose v1 values were re-sealed as v2. */
  upgraded: number;
  /** Copies of another record's sealed value, removed from the later record. */
  copiesRemoved: Array<{ recordId: string; field: string; originalId: string }>;
  /** Values that do not open as v1 for their field (altered, or moved from another field): left as they are, never opened. */
  unreadable: Array<{ recordId: string; field: string }>;
}

const isV1 = (column: string) => sql<boolean>`${sql.ref(column)} LIKE 'v1.%'`;

/**
 * Re-seals every value of the old format v1 (bound to its field only) as v2, bound to the record
 * that holds it and to the key id. Runs in audited batches (each one transaction, each record its
 * own `identity.reseal` entry); a killed run resumes where it stopped, since upgraded rows no
 * longer match. Nothing is decrypted but to be sealed again.
 *
 * A v1 value cannot tell which record it was sealed for, so one pasted into another record (the
 * flaw v2 closes) would otherwise be bound to the wrong person here. The same ciphertext in two
 * records can only be such a copy (every seal draws a fresh IV): the earliest record keeps it and
 * the copies are removed from the later ones (an audited `identity.copy_removed`).
 */
export async function upgradeSealedValues(
  svc: Services,
  actor: Actor,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<UpgradeOutcome> {
  const db = svc.store.db;
  const outcome: UpgradeOutcome = { upgraded: 0, copiesRemoved: [], unreadable: [] };
  const anyV1 = sql<boolean>`(${sql.join(SEALED_COLUMNS.map((c) => isV1(c.column)), sql` OR `)})`;
  const total = Number((await db.selectFrom('person').select(sql<number>`count(*)`.as('n')).where(anyV1).executeTakeFirstOrThrow()).n);
  if (total === 0) return outcome;

  for (const { column, field } of SEALED_COLUMNS) {
    const dups = await db.selectFrom('person').select(column).where(isV1(column)).groupBy(column).having(sql`count(*)`, '>', 1).execute();
    for (const d of dups) {
      const value = (d as Record<string, string>)[column]!;
      const holders = await db.selectFrom('person').select('id').where(column, '=', value).orderBy('created_at').orderBy('pseudonym').execute();
      const [original, ...copies] = holders;
      await runWrite(svc.store, writeContext(svc, actor, `sealed ${field} copied from person ${original!.id} removed`), async (w) => {
        for (const c of copies) {
          await w.update('person', c.id, { [column]: null, ...(column === 'name_enc' ? { name_index: null } : {}) }, { action: 'identity.copy_removed' });
          outcome.copiesRemoved.push({ recordId: c.id, field, originalId: original!.id });
        }
      });
    }
  }

  const batchSize = opts.batchSize ?? 500;
  let after = '';
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('person')
      .select(['id', ...SEALED_COLUMNS.map((c) => c.column)])
      .where(anyV1)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    await runWrite(svc.store, writeContext(svc, actor, 'sealed values bound to their record (format v2)'), async (w) => {
      for (const r of rows) {
        const cols: Record<string, unknown> = {};
        let name: string | null | undefined;
        for (const { column, field } of SEALED_COLUMNS) {
          const v = r[column];
          if (v === null || !v.startsWith('v1.')) continue;
          let plain: string;
          try {
            plain = svc.keyring.openV1(v, field);
          } catch {
            outcome.unreadable.push({ recordId: r.id, field });
            continue;
          }
          cols[column] = svc.keyring.seal(plain, { field, recordId: r.id });
          if (column === 'name_enc') name = plain;
        }
        if (Object.keys(cols).length === 0) continue;
        await w.update('person', r.id, { ...cols, ...derivedColumns(svc.keyring, name) }, { action: 'identity.reseal' });
        outcome.upgraded += 1;
      }
    });
    after = rows[rows.length - 1]!.id;
    done += rows.length;
    opts.onProgress?.(Math.min(done, total), total);
  }
  return outcome;
}
