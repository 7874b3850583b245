import type { MigrationDb } from './migration-db.ts';

/**
 * Signed heads of the audit chain (issue: tamper evidence). Every write transaction signs the head
 * it leaves (sequence, hash, time) with the instance's Ed25519 key, which lives in a file beside
 * the identity key and never in the database; the row keeps the signature and the public key
 * with its fingerprint (public: verify trusts the key file, never this column). An entry appended, or a chain rewritten, by someone without the key leaves a head
 * that no signature covers. Schema only.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('audit_signature')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('key_fingerprint', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('audit_signature').execute();
}
