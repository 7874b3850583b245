import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { HeadSigner } from './audit-signature.ts';
import type { DatabaseConfig } from './config.ts';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrate.ts';
import { createPrivate, makePrivate } from './private-files.ts';

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

/** Opens (creating and migrating unless told not to) the database described by `config`. */
export async function openStore(config: DatabaseConfig, opts: { migrate?: boolean; signer?: HeadSigner } = {}): Promise<Store> {
  const sqlite = config.dialect === 'sqlite' ? openSqlite(config.file) : undefined;
  const db = sqlite ? new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) : openPostgres((config as { url: string }).url);
  const store: Store = { db, dialect: config.dialect, config, sqlite, signer: opts.signer, close: () => db.destroy() };
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  return store;
}

function openSqlite(file: string): BetterSqlite3.Database {
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // SQLite makes its -wal and -shm files with the database file's mode: a 0600 database keeps them 0600 too.
    createPrivate(file);
  }
  const sqlite = new BetterSqlite3(file);
  // WAL lets readers proceed during a write; NORMAL sync in WAL mode survives a killed process
  // (only an OS crash can lose the last commits). Foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // A database (and WAL) from before Vigil set modes may still be readable by others.
  if (onDisk) for (const f of [file, `${file}-wal`, `${file}-shm`]) makePrivate(f);
  return withStatementCache(sqlite);
}

/**
 * Kysely prepares every query anew; preparing costs more than running most of Vigil's small
 * statements. Reuse a prepared statement for the same SQL unless it is busy (an open iterator).
 * Bounded, so ad-hoc SQL cannot grow it without limit.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) return hit;
    const stmt = prepare(source);
    if (!hit) {
      if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
      cache.set(source, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
