import type { MigrationDb } from './migration-db.ts';

/**
 * What the database knows of its identity key (docs/keys.md): the fingerprint of the key its
 * sealed values open with (SHA-256 of a value derived from the master key, never the key itself),
 * written on first use, and while `vigil key rotate` runs, the new key's fingerprint and how far
 * the re-sealing got (`rotation_cursor`, moved in the same transaction as each batch). Schema
 * only: the row is written by code on first use.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('key_fingerprint')
    .addColumn('purpose', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('next_fingerprint', 'text')
    .addColumn('rotation_started_at', 'text')
    .addColumn('rotation_cursor', 'text')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('key_fingerprint').execute();
}
