import type { MigrationDb } from './migration-db.ts';

/**
 * Witnesses (issue: tamper evidence). Schema only.
 *
 * - `api_token.scope`: `full` (the token acts with its user's role, as before) or `witness` (a
 *   partner instance's token: it may only deliver and read signed heads).
 * - `witness_push`: the durable queue of pushes, one row per configured witness: the head waiting
 *   to be delivered, attempts, when to try again, the last error, and the last head delivered.
 * - `witness_pin`: the instance key a partner's token was first seen with.
 * - `witness_head`: the signed heads partners delivered here, at most one per instance and sequence.
 * - `witness_alarm`: heads refused because they contradict what is held (another key, another hash
 *   at a held sequence, a lower sequence): evidence of a rewrite, kept, never overwritten.
 *
 * None of these are records of the audit chain: they are operational (how far pushes got) or
 * self-proving (a partner's heads carry their own signatures), and writing them never appends an
 * entry, so receiving a head never makes a new head to push back (docs/witnesses.md).
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();

  await db.schema
    .createTable('witness_push')
    .addColumn('witness_id', 'text', (c) => c.primaryKey())
    .addColumn('pending_seq', 'integer')
    .addColumn('pending_head', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_seq', 'integer')
    .addColumn('delivered_hash', 'text')
    .addColumn('delivered_at', 'text')
    .execute();

  await db.schema
    .createTable('witness_pin')
    .addColumn('token_id', 'text', (c) => c.primaryKey().references('api_token.id'))
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('pinned_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('witness_head')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_token.id'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('witness_head_pk', ['instance', 'seq'])
    .execute();

  await db.schema
    .createTable('witness_alarm')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_token.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('witness_alarm_token').on('witness_alarm').column('token_id').execute();
  await db.schema.createIndex('witness_alarm_instance').on('witness_alarm').column('instance').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const t of ['witness_alarm', 'witness_head', 'witness_pin', 'witness_push'])
    await db.schema.dropTable(t).ifExists().execute();
  await db.schema.alterTable('api_token').dropColumn('scope').execute();
}
