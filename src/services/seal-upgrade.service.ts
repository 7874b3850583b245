import { runWrite } from '../store/audited-writer.ts';
import {
  countSealedRows,
  removeSealedValue,
  SEALED_COLUMNS,
  SEALED_TABLES,
  sealedRows,
  sharedV1Values,
  writeSealedRow,
  type SealedFilter,
  type SealedValues,
} from '../store/repositories/sealed-value.repository.ts';
import type { Actor, Services } from './context.ts';
import { writeContext } from './record-write.ts';
import { derivedColumns, v1FieldOf } from './sealed-records.ts';

/** What the upgrade of v1 values did. */
export interface UpgradeOutcome {
  /** Records (people, users' second factors) whose v1 values were re-sealed as v2. */
  upgraded: number;
  /** Copies of another record's sealed value, removed from the later record. */
  copiesRemoved: Array<{ recordId: string; field: string; originalId: string }>;
  /** Values that do not open as v1 for their field (altered, or moved from another field): left as they are, never opened. */
  unreadable: Array<{ recordId: string; field: string }>;
}

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

  for (const c of SEALED_COLUMNS) {
    if (c.table !== 'person') continue;
    for (const { holders } of await sharedV1Values(db, c)) {
      const [original, ...copies] = holders;
      if (original === undefined) continue;
      await runWrite(
        svc.store,
        writeContext(svc, actor, `sealed ${c.field} copied from person ${original} removed`),
        async (w) => {
          for (const copy of copies) {
            await removeSealedValue(w, c, copy, 'identity.copy_removed');
            outcome.copiesRemoved.push({ recordId: copy, field: c.field, originalId: original });
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
      const last = rows.at(-1);
      if (last === undefined) break;
      await runWrite(
        svc.store,
        writeContext(svc, actor, 'sealed values bound to their record (format v2)'),
        async (w) => {
          for (const r of rows) {
            const cols: SealedValues = {};
            const plain: Record<string, string> = {};
            for (const c of t.columns) {
              const v = r.values[c.column];
              if (v === null || v === undefined || !v.startsWith('v1.')) continue;
              let opened: string;
              try {
                opened = svc.keyring.openV1(v, v1FieldOf(c, r.recordId));
              } catch {
                outcome.unreadable.push({ recordId: r.recordId, field: c.field });
                continue;
              }
              plain[c.column] = opened;
              cols[c.column] = svc.keyring.seal(opened, { field: c.field, recordId: r.recordId });
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
      after = last.recordId;
      done += rows.length;
      opts.onProgress?.(Math.min(done, total), total);
    }
  }
  return outcome;
}
