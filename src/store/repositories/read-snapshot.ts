import type { Transaction } from 'kysely';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';

/**
 * Runs several read queries against one consistent state of the database, so a total and its
 * breakdowns (or a result page and its facets) describe the same moment. PostgreSQL gets a
 * read-only REPEATABLE READ transaction; SQLite (one connection, WAL) a plain deferred
 * transaction, which reads one snapshot from its first read on.
 */
export function readSnapshot<T>(store: Store, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  let tx = store.db.transaction();
  if (store.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read').setAccessMode('read only');
  return tx.execute((trx) => fn(trx));
}
