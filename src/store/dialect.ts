import { PostgresAdapter, type Kysely } from 'kysely';

/** True when the Kysely instance talks to PostgreSQL (the only other dialect is SQLite). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
