import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { HeadSigner } from './audit-signature.ts';
import type { DatabaseConfig } from './config.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';
import { migrateToLatest } from './migrate.ts';
import { insertSignature } from './audited-writer.ts';
import { SIGNING_KEY_PURPOSE, headSignatureValid, signHead } from './audit-signature.ts';
import { createPrivate, makePrivate } from './private-files.ts';

export type { Store } from './store.ts';

/** Opens (creating and migrating unless told not to) the database described by `config`. */
export async function openStore(
  config: DatabaseConfig,
  opts: { migrate?: boolean; signer?: HeadSigner } = {},
): Promise<Store> {
  const sqlite = config.dialect === 'sqlite' ? openSqlite(config.file) : undefined;
  const db = sqlite
    ? new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    : openPostgres((config as { url: string }).url);
  const store: Store = { db, dialect: config.dialect, config, sqlite, signer: opts.signer, close: () => db.destroy() };
  if (opts.migrate !== false) {
    try {
      await migrateStore(store);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  return store;
}

/** The same open database, with heads signed by `signer` from now on. */
export function withSigner(store: Store, signer: HeadSigner): Store {
  return { ...store, signer };
}

/**
 * Brings the schema up to date. Migrations that re-audit rows append entries (actor `system`);
 * with a signer, the head they leave is signed, but only when the head before them was this
 * key's (or when 0011 itself ran, adopting a chain from before signed heads): a head appended
 * by someone without the key is never signed over by a later start.
 */
export async function migrateStore(store: Store): Promise<void> {
  const before = store.signer ? await signedState(store) : null;
  const applied = await migrateToLatest(store.db);
  const signer = store.signer;
  if (!signer || applied.length === 0) return;
  // Adopting happens once: a database that recorded a signing key never had an unsigned chain to adopt.
  const adopting = applied.includes('0011-audit-signatures') && !(await hasSigningRecord(store));
  await store.db.transaction().execute(async (trx) => {
    const head = await trx
      .updateTable('audit_head')
      .set({ id: 1 })
      .where('id', '=', 1)
      .returning(['seq', 'hash', 'updated_at'])
      .executeTakeFirstOrThrow();
    const seq = Number(head.seq);
    if (seq === 0 || (!adopting && seq === before?.seq)) return;
    const signed = await trx.selectFrom('audit_signature').select('seq').where('seq', '=', seq).executeTakeFirst();
    if (signed) return;
    if (!adopting && !(before?.signedBy === signer.fingerprint)) return;
    await insertSignature(trx, signHead(signer, { seq, hash: head.hash, at: head.updated_at }));
  });
}

async function hasSigningRecord(store: Store): Promise<boolean> {
  const row = await store.db
    .selectFrom('key_fingerprint')
    .select('purpose')
    .where('purpose', '=', SIGNING_KEY_PURPOSE)
    .executeTakeFirst()
    .catch(() => undefined);
  return !!row;
}

/** The head before migrations, and whose key signed it (null when unsigned or there is no signature table yet). */
async function signedState(store: Store): Promise<{ seq: number; signedBy: string | null } | null> {
  try {
    const head = await store.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (!head) return null;
    const seq = Number(head.seq);
    const sig = await store.db
      .selectFrom('audit_signature')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirst()
      .catch(() => undefined);
    const key = store.signer?.publicKey;
    const valid =
      !!sig &&
      !!key &&
      sig.hash === head.hash &&
      sig.public_key === key &&
      headSignatureValid({ instance: sig.key_fingerprint, seq, hash: sig.hash, at: sig.at }, sig.signature, key);
    return { seq, signedBy: valid ? sig.key_fingerprint : null };
  } catch {
    return null; // a database without tables yet
  }
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
      if (cache.size >= 1000) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(source, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

// Loaded when a PostgreSQL database is opened: a command on SQLite starts faster without the driver.
const loadPg = () => createRequire(import.meta.url)('pg') as typeof pg;

function openPostgres(url: string): Kysely<Database> {
  const pool = new (loadPg().Pool)({ connectionString: url, max: 10 });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
