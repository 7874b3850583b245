import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { HeadSigner } from './audit-signature.ts';
import type { DatabaseConfig } from './config.ts';
import type { Database } from './schema.ts';

/** An open database: the Kysely handle and what it is. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseConfig['dialect'];
  readonly config: DatabaseConfig;
  /** The SQLite handle, for what only SQLite offers (online backup); undefined on PostgreSQL. */
  readonly sqlite?: BetterSqlite3.Database;
  /** The instance key that signs the head each write transaction leaves; without one, heads stay unsigned (see audit-signature.ts). */
  readonly signer?: HeadSigner;
  close(): Promise<void>;
}
