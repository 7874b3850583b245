import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { MigrationDb } from './migrations/migration-db.ts';
import * as core from './migrations/0001-core.ts';
import * as search from './migrations/0002-search.ts';
import * as auth from './migrations/0003-auth.ts';
import * as evidence from './migrations/0004-evidence.ts';
import * as visitConduct from './migrations/0005-visit-conduct.ts';
import * as extractionReview from './migrations/0006-extraction-review.ts';
import * as secondFactor from './migrations/0007-second-factor.ts';
import * as proposals from './migrations/0008-proposals.ts';
import * as keyFingerprint from './migrations/0009-key-fingerprint.ts';
import * as needToKnowLinks from './migrations/0010-need-to-know-links.ts';
import * as auditSignatures from './migrations/0011-audit-signatures.ts';
import * as auditChanges from './migrations/0012-audit-changes.ts';
import * as witnessQueue from './migrations/0013-witness-queue.ts';
import * as timestamps from './migrations/0014-timestamps.ts';

/** Migrations are listed here, in order, so bundling and tsx need no directory scan. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-core': core,
  '0002-search': search,
  '0003-auth': auth,
  '0004-evidence': evidence,
  '0005-visit-conduct': visitConduct,
  '0006-extraction-review': extractionReview,
  '0007-second-factor': secondFactor,
  '0008-proposals': proposals,
  '0009-key-fingerprint': keyFingerprint,
  '0010-need-to-know-links': needToKnowLinks,
  '0011-audit-signatures': auditSignatures,
  '0012-audit-changes': auditChanges,
  '0013-witness-queue': witnessQueue,
  '0014-timestamps': timestamps,
};

/** The names of every migration this version knows, in order (a backup records those its database ran). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date and returns the names of the migrations it ran; throws with the failing migration's name on error. */
export async function migrateToLatest(db: MigrationDb): Promise<string[]> {
  return run(db, (m) => m.migrateToLatest());
}

/** Brings the schema to the migration `name` (e.g. `0011-audit-signatures`): for tests of upgrades from an older release. */
export async function migrateTo(db: MigrationDb, name: string): Promise<void> {
  if (!(name in MIGRATIONS)) throw new Error(`no migration ${name}`);
  await run(db, (m) => m.migrateTo(name));
}

async function run(db: MigrationDb, step: (m: Migrator) => ReturnType<Migrator['migrateToLatest']>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'vigil_migration',
    migrationLockTableName: 'vigil_migration_lock',
  });
  const { error, results } = await step(migrator);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
