import type { MigrationDb } from './migration-db.ts';
import { reaudit } from './reaudit.ts';

const MIGRATION = '0008-proposals';

/**
 * Two things an analyst's word needs to be trusted:
 *
 * - `allegation_proposal`: a step of the verification workflow that needs two analysts is first
 *   proposed by one signed-in analyst and then approved by another (domain.md 3.1). Each proposal
 *   is an audited record: what it proposes (`from_status` → `to_status`, `reason`), who proposed it
 *   and until when it may be approved (`expires_at`), and how it ended (`status`
 *   open | approved | withdrawn | expired | superseded, `decided_by`, `decided_at`, `decision_reason`).
 * - `statement.review_public`: the text of a statement's review that is published with it, written
 *   knowing that it is; `review_rationale` stays internal. Existing reviews get none, so nothing an
 *   analyst wrote as internal is published after this migration.
 *
 * Portable column types only, like 0001-core.
 */
export async function up(db: MigrationDb): Promise<void> {
  const run = async (trx: MigrationDb) => {
    await trx.schema
      .createTable('allegation_proposal')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('external_id', 'text', (c) => c.unique())
      .addColumn('allegation_id', 'text', (c) => c.notNull().references('allegation.id'))
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('proposed_by', 'text', (c) => c.notNull().references('app_user.id'))
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decision_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await trx.schema
      .createIndex('allegation_proposal_allegation')
      .on('allegation_proposal')
      .columns(['allegation_id', 'status'])
      .execute();
    await trx.schema.alterTable('statement').addColumn('review_public', 'text').execute();
    await reaudit(trx, ['statement'], `schema ${MIGRATION}: columns added`);
  };
  // As in 0005: PostgreSQL runs each migration in a transaction already, SQLite does not.
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** Dropping proposals would lose who proposed which finding; refuse. */
export async function down(): Promise<void> {
  throw new Error('the proposals and public review text cannot be rolled back');
}
