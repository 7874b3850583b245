import type { Kysely, Transaction } from 'kysely';

/** Tables seen without their schema: any table, any column, values of unknown type. */
type UntypedTables = Record<string, Record<string, unknown>>;

/**
 * The database seen without its schema, for the few queries that are generic over tables (the audit
 * reader, the audited writer) or read a table the schema does not describe (Kysely's `vigil_migration`).
 */
export type UntypedDb = Kysely<UntypedTables>;

/** A transaction seen without its schema (see UntypedDb). */
export type UntypedTransaction = Transaction<UntypedTables>;
