import type { MigrationDb } from './migration-db.ts';

/**
 * Sign-in and need-to-know: browser sessions, API tokens, and who is assigned to which
 * allegation. Portable column types only (text, integer), like 0001-core.
 *
 * Sessions and tokens hold only SHA-256 hashes of their secrets and no client address: a copy
 * of the database lets no one act as a user, nor tells where a monitor signed in from.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('csrf_token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('session_user').on('session').column('user_id').execute();
  await db.schema.createIndex('session_expires').on('session').column('expires_at').execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_token_user').on('api_token').column('user_id').execute();

  // An audited, versioned record like the others, so `vigil verify` covers who was given access.
  await db.schema
    .createTable('allegation_assignment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('allegation_id', 'text', (c) => c.notNull().references('allegation.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addUniqueConstraint('allegation_assignment_unique', ['allegation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('allegation_assignment_user').on('allegation_assignment').column('user_id').execute();
}

/** Drops the sign-in tables; assignments are audited records and go only with the audit log's consent (never). */
export async function down(): Promise<void> {
  throw new Error('the auth schema cannot be rolled back: allegation assignments are audited records');
}
