import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from './database.ts';
import type { AuditSignatureTable, Database } from './schema.ts';
import type { UntypedDb } from './untyped-db.ts';

/** A consistent, read-only view of the store for verification: counts and ordered pages of rows. */
export interface SnapshotReader {
  count(table: string): Promise<number>;
  /** Rows of `table` ordered by `key` (a unique column), a page at a time. */
  pages(table: string, key: 'seq' | 'id'): AsyncIterable<Array<Record<string, unknown>>>;
  /** The entries that set or delete a record's state, in chain order (SQLite only: used after a parallel chain check). */
  stateChanges?(): Iterable<{ entity_type: string; entity_id: string; state_hash: string | null }>;
  /** Signed heads in order, each with the hash and time of the entry at its sequence (null when there is none). */
  signatures(): AsyncIterable<SignatureRow[]>;
  /** Every entry's actor and entity, in chain order (SQLite only: the actor check after a parallel chain check). */
  actorsAndUsers?(): Iterable<{ seq: number; actor: string; entity_type: string; entity_id: string }>;
  /** The SQLite file, when the chain may be checked by worker threads on their own connections. */
  readonly sqliteFile?: string;
}

/** A signed head joined with its entry. */
export interface SignatureRow extends AuditSignatureTable {
  entry_hash: string | null;
  entry_at: string | null;
}

const PAGE = 5000;

const SIGNATURES_SQL =
  'SELECT s.seq, s.hash, s.at, s.key_fingerprint, s.public_key, s.signature, e.hash AS entry_hash, e.at AS entry_at FROM audit_signature s LEFT JOIN audit_entry e ON e.seq = s.seq';

/**
 * Runs `fn` with a reader over one snapshot of the store, so a write committed while verify runs
 * cannot look like a break. SQLite: one read transaction on the raw connection, statements
 * iterated without the query builder (verify reads every row once; the builder's cost per row
 * dominated). PostgreSQL: a repeatable-read, read-only transaction, paged by key.
 */
export async function withSnapshot<T>(store: Store, fn: (r: SnapshotReader) => Promise<T>): Promise<T> {
  const raw = store.sqlite;
  if (raw) {
    raw.exec('BEGIN');
    try {
      const file =
        store.config.dialect === 'sqlite' && store.config.file !== ':memory:' ? store.config.file : undefined;
      return await fn({
        sqliteFile: file,
        stateChanges() {
          return raw
            .prepare(
              "SELECT entity_type, entity_id, state_hash FROM audit_entry WHERE state_hash IS NOT NULL OR action = 'delete' ORDER BY seq",
            )
            .iterate() as Iterable<{ entity_type: string; entity_id: string; state_hash: string | null }>;
        },
        actorsAndUsers() {
          return raw
            .prepare('SELECT seq, actor, entity_type, entity_id FROM audit_entry ORDER BY seq')
            .iterate() as Iterable<{ seq: number; actor: string; entity_type: string; entity_id: string }>;
        },
        async *signatures() {
          let page: SignatureRow[] = [];
          for (const row of raw.prepare(`${SIGNATURES_SQL} ORDER BY s.seq`).iterate() as Iterable<SignatureRow>) {
            page.push(row);
            if (page.length === PAGE) {
              yield page;
              page = [];
            }
          }
          if (page.length > 0) yield page;
        },
        async count(table) {
          return Number((raw.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
        },
        async *pages(table, key) {
          let page: Array<Record<string, unknown>> = [];
          for (const row of raw.prepare(`SELECT * FROM "${table}" ORDER BY "${key}"`).iterate() as Iterable<
            Record<string, unknown>
          >) {
            page.push(row);
            if (page.length === PAGE) {
              yield page;
              page = [];
            }
          }
          if (page.length > 0) yield page;
        },
      });
    } finally {
      raw.exec('COMMIT');
    }
  }
  return store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      return fn(kyselyReader(trx));
    });
}

function kyselyReader(db: Kysely<Database> | Transaction<Database>): SnapshotReader {
  const t = db as unknown as UntypedDb;
  return {
    async count(table) {
      return Number((await t.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    },
    async *signatures() {
      let after = -1;
      for (;;) {
        const { rows } =
          await sql<SignatureRow>`${sql.raw(SIGNATURES_SQL)} WHERE s.seq > ${after} ORDER BY s.seq LIMIT ${PAGE}`.execute(
            t,
          );
        const last = rows.at(-1);
        if (!last) return;
        yield rows.map((r) => ({ ...r, seq: Number(r.seq) }));
        after = Number(last.seq);
      }
    },
    async *pages(table, key) {
      let after: unknown = null;
      for (;;) {
        let q = t.selectFrom(table).selectAll().orderBy(key).limit(PAGE);
        if (after !== null) q = q.where(key, '>', after);
        const rows = (await q.execute()) as Array<Record<string, unknown>>;
        const last = rows.at(-1);
        if (!last) return;
        yield rows;
        after = last[key];
      }
    },
  };
}
