import type { MigrationDb } from './migration-db.ts';

/**
 * RFC 3161 time-stamp tokens (issue: tamper evidence). `evidence_timestamp` holds one token per
 * evidence hash: a TSA's signed statement that the file with that SHA-256 existed at `gen_time`.
 * `audit_timestamp` holds tokens on signed heads of the audit chain (the TSA as a witness): the
 * head's statement (instance, seq, hash, at) is what the token's imprint covers.
 *
 * Neither table is audited. A token is self-verifying (the TSA's signature over the digest), so a
 * changed or forged row fails its check; deleting a row only removes a proof, which verify reports
 * for heads (entries without a timely token). Auditing them would also be circular: a token on a
 * head would append an entry, and so a new head to stamp. Schema only.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('evidence_timestamp')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('gen_time', 'text', (c) => c.notNull())
    .addColumn('tsa', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_timestamp')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('gen_time', 'text', (c) => c.notNull())
    .addColumn('tsa', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('audit_timestamp').execute();
  await db.schema.dropTable('evidence_timestamp').execute();
}
