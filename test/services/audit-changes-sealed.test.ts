/**
 * The audit log never carries a sealed value: every column the services seal (SEALED_COLUMNS) is a
 * sensitive column of store/audit-changes.ts, whose changes are recorded only as "changed".
 */
import { describe, expect, it } from 'vitest';
import { SEALED_COLUMNS } from '../../src/services/sealed-records.ts';
import { isSensitiveColumn } from '../../src/store/audit-changes.ts';
import { AUDITED_TABLES } from '../../src/store/schema.ts';

describe('audit changes of sealed columns', () => {
  it('covers every sealed column of SEALED_COLUMNS, so a new one cannot leak its value into the log', () => {
    for (const c of SEALED_COLUMNS) expect(isSensitiveColumn(c.table, c.column), `${c.table}.${c.column}`).toBe(true);
    // And a sensitive column stays sensitive in any audited table that might gain one.
    for (const t of AUDITED_TABLES)
      for (const col of ['x_enc', 'totp_secret', 'token_hash', 'password_hash'])
        expect(isSensitiveColumn(t, col)).toBe(true);
    expect(isSensitiveColumn('evidence_item', 'sha256')).toBe(false);
  });
});
