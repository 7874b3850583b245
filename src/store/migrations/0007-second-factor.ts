import type { MigrationDb } from './migration-db.ts';

/**
 * The second factor (TOTP, RFC 6238) and the rule of which roles must have one. Portable column
 * types only (text, integer), like 0003-auth.
 *
 * - `user_second_factor`: one row per user who started or finished enrolment. The TOTP secret is
 *   sealed with the instance keyring, bound to the user (`app_user.totp_secret:<userId>`), so a
 *   copy of the database shows no secret and a sealed value pasted onto another user does not
 *   open. `confirmed_at` is null while enrolment waits for its first code; `last_step` is the
 *   TOTP time step of the last accepted code, so a code is accepted once.
 * - `recovery_code`: the SHA-256 of each one-time recovery code, and when it was used.
 * - `second_factor_policy`: one row per role whose users must sign in with a second factor.
 *
 * None of these rows is an audited record: every change is an audit note on the user (or, for
 * the policy, on the role), written in the same transaction.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('user_second_factor')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('totp_secret', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('last_step', 'integer')
    .execute();

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_code_user').on('recovery_code').column('user_id').execute();

  await db.schema
    .createTable('second_factor_policy')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('required_since', 'text', (c) => c.notNull())
    .execute();
}

/** Dropping these would switch every second factor off silently; refuse. */
export async function down(): Promise<void> {
  throw new Error('the second-factor schema cannot be rolled back');
}
