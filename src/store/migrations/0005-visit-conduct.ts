import type { MigrationDb } from './migration-db.ts';
import { reaudit } from './reaudit.ts';

/** A nullable text column, optionally referring to another record's id. */
type Column = readonly [name: string, references?: string];

const VISIT_COLUMNS: readonly Column[] = [
  ['started_at'],
  ['ended_at'],
  ['area_ids'], // JSON string[]
  ['registers_examined'], // JSON string[]
  ['refused_access'], // JSON string[]
  ['cancellation_reason'],
  ['reply_statement_id', 'statement.id'],
];

const RECOMMENDATION_COLUMNS: readonly Column[] = [
  ['reply_statement_id', 'statement.id'],
  ['claim_statement_id', 'statement.id'],
  ['follow_up_visit_id', 'visit.id'],
  ['evidence_source_id', 'source.id'],
  // Findings are kept per visit: the visit whose findings show the recommendation was not implemented.
  ['finding_id', 'visit.id'],
  ['commitment_statement_id', 'statement.id'],
];

async function addColumns(db: MigrationDb, table: string, columns: readonly Column[]): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const [name, references] of columns) {
    await db.schema
      .alterTable(table)
      .addColumn(name, 'text', (c) => (references ? c.references(references) : c))
      .execute();
  }
}

const MIGRATION = '0005-visit-conduct';
/**
 * What the visit and recommendation workflows (domain.md 3.3, 3.4) check and keep: how a visit was
 * conducted (times, areas inspected, registers examined, access refused), why it was cancelled,
 * the authority's reply; and the statements, visits and documents a recommendation's follow-up
 * rests on. Portable column types only, like 0001-core. Lists are JSON text, and null means "not
 * recorded", which the workflow tells apart from an empty list ("none").
 */
export async function up(db: MigrationDb): Promise<void> {
  const run = async (trx: MigrationDb) => {
    await addColumns(trx, 'visit', VISIT_COLUMNS);
    await addColumns(trx, 'recommendation', RECOMMENDATION_COLUMNS);
    await reaudit(trx, ['visit', 'recommendation'], `schema ${MIGRATION}: columns added`);
  };
  // PostgreSQL runs each migration in a transaction already; SQLite does not, so one is opened here:
  // the columns and the entries that account for them land together or not at all.
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** Dropping the columns would lose how visits were conducted and followed up; refuse. */
export async function down(): Promise<void> {
  throw new Error('the visit conduct columns cannot be rolled back');
}
