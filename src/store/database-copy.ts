/**
 * Consistent copies of the database, and putting one back: SQLite's online backup API, and
 * PostgreSQL's pg_dump (of an exported snapshot) and pg_restore. Used by `vigil backup` and
 * `vigil restore` (services/backup.service.ts, services/restore.service.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';
import { GENESIS_HASH } from '../domain/audit-format.ts';
import { readSignedHead, type SignedHead } from './audit-signature.ts';
import { createPrivate, makePrivate } from './private-files.ts';
import type { Database } from './schema.ts';
import type { UntypedDb } from './untyped-db.ts';

/** What a database copy holds that a backup's manifest records and a restore checks again. */
export interface DatabaseFacts {
  /** The migrations the database ran, in order. */
  migrations: string[];
  chainHead: { seq: number; hash: string };
  signedHead: SignedHead | null;
  /** The hash of the entry at the signed head's sequence (null when there is no such entry, or no signed head). */
  signedEntryHash: string | null;
  /** The identity key's fingerprint as the database recorded it (table key_fingerprint), if it has one. */
  identityFingerprint: string | null;
  /** Evidence items. */
  items: number;
  /** The distinct files the items name: SHA-256 → size and the first item (oldest) that names it. */
  blobs: Map<string, { size: number; itemId: string }>;
}

/** Reads the facts of a database (or of one snapshot of it, given a transaction). */
export async function readDatabaseFacts(db: Kysely<Database> | Transaction<Database>): Promise<DatabaseFacts> {
  const raw = db as unknown as UntypedDb;
  const migrations = (await raw.selectFrom('vigil_migration').select('name').orderBy('name').execute()).map((r) =>
    String(r.name),
  );
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  // A database from before a table existed has nothing of it (an older backup restored by a newer Vigil).
  const signedHead = migrations.includes('0011-audit-signatures') ? await readSignedHead(db) : null;
  const signedEntry = signedHead
    ? await db.selectFrom('audit_entry').select('hash').where('seq', '=', signedHead.seq).executeTakeFirst()
    : undefined;
  const key = migrations.includes('0009-key-fingerprint')
    ? await db.selectFrom('key_fingerprint').select('fingerprint').where('purpose', '=', 'identity').executeTakeFirst()
    : undefined;
  const rows = await db
    .selectFrom('evidence_item')
    .select(['id', 'sha256', 'size'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const blobs = new Map<string, { size: number; itemId: string }>();
  for (const r of rows) if (!blobs.has(r.sha256)) blobs.set(r.sha256, { size: Number(r.size), itemId: r.id });
  return {
    migrations,
    chainHead: head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH },
    signedHead,
    signedEntryHash: signedEntry?.hash ?? null,
    identityFingerprint: key?.fingerprint ?? null,
    items: rows.length,
    blobs,
  };
}

/**
 * Copies an open SQLite database into `file` (made 0600 before the first page) with the online
 * backup API: pages are copied under a read snapshot while Vigil keeps writing. The copy is then
 * switched from WAL to a rollback journal, so it is one self-contained file.
 */
export async function copySqlite(
  source: BetterSqlite3.Database,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  createPrivate(file);
  const { totalPages } = await source.backup(file, {
    progress: ({ totalPages: total, remainingPages }) => {
      onProgress?.(total - remainingPages, total);
      return 1000;
    },
  });
  onProgress?.(totalPages, totalPages);
  const copy = new BetterSqlite3(file);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  makePrivate(file);
}

/** A SQLite file opened read-only (a backup's copy, before it is put in place). */
export function openSqliteReadOnly(file: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: new BetterSqlite3(file, { readonly: true, fileMustExist: true }) }),
  });
}

/**
 * Runs `fn` inside a repeatable-read, read-only transaction whose snapshot is exported, so that
 * pg_dump (given the snapshot's id) sees exactly what `fn` reads.
 */
export async function withPgSnapshot<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, snapshot: string) => Promise<T>,
): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const r = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(trx);
      return fn(trx, required(r.rows[0], 'the row of pg_export_snapshot()').id);
    });
}

/** `pg_dump --format=custom` of the database at `url` into `file` (0600), of the given snapshot. */
export async function pgDump(url: string, file: string, snapshot?: string): Promise<void> {
  createPrivate(file);
  const { dbname, env } = pgConnection(url);
  await runPgTool(
    'pg_dump',
    [
      '--format=custom',
      '--no-sync',
      `--file=${file}`,
      ...(snapshot ? [`--snapshot=${snapshot}`] : []),
      `--dbname=${dbname}`,
    ],
    env,
  );
  makePrivate(file);
}

/**
 * `pg_restore` of a custom-format dump into the (empty) database at `url`, in one transaction:
 * it restores everything or nothing. Objects are owned by the connecting user, with no grants
 * of the old server's roles.
 */
export async function pgRestore(url: string, file: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  await runPgTool(
    'pg_restore',
    ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`, file],
    env,
  );
}

/** Tables, views and sequences outside PostgreSQL's own schemas (an empty database has none), by qualified name. */
export async function pgRelations(db: Kysely<Database>): Promise<Array<{ name: string; kind: string }>> {
  const r = await sql<{ name: string; kind: string }>`
    SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     ORDER BY 1`.execute(db);
  return r.rows;
}

/**
 * Drops every table, view and sequence of a database that a restore filled and then found wrong,
 * so it is empty again. Only ever called on a database that `pgRelations` found empty before.
 */
export async function pgDropAll(db: Kysely<Database>): Promise<void> {
  const kinds: Record<string, string> = {
    r: 'TABLE',
    p: 'TABLE',
    v: 'VIEW',
    m: 'MATERIALIZED VIEW',
    S: 'SEQUENCE',
    f: 'FOREIGN TABLE',
  };
  await db.transaction().execute(async (trx) => {
    for (const rel of await pgRelations(trx))
      await sql.raw(`DROP ${kinds[rel.kind] ?? 'TABLE'} IF EXISTS ${rel.name} CASCADE`).execute(trx);
  });
}

/** The URL without its password (so it never shows in the process list) and the password in PGPASSWORD. */
function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  try {
    const u = new URL(url);
    if (!u.password) return { dbname: url, env: process.env };
    const password = decodeURIComponent(u.password);
    u.password = '';
    return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password } };
  } catch {
    return { dbname: url, env: process.env };
  }
}

/**
 * Where a PostgreSQL client program is: VIGIL_PG_BIN (a directory), else the PATH, else the
 * newest /usr/lib/postgresql/N/bin (Debian keeps each version's programs there).
 */
function pgToolPath(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_PG_BIN) return path.join(env.VIGIL_PG_BIN, name);
  for (const dir of (env.PATH ?? '').split(path.delimiter))
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) if (isExecutable(path.join(root, v, 'bin', name))) return path.join(root, v, 'bin', name);
  return name;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function runPgTool(name: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = pgToolPath(name, env);
  await new Promise<void>((resolve, reject) => {
    execFile(bin, args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new VigilError(
            'config.invalid',
            `${name} was not found: install the PostgreSQL client programs (postgresql-client), or set VIGIL_PG_BIN to their directory`,
            { path: 'VIGIL_PG_BIN' },
          ),
        );
      }
      const first =
        String(stderr)
          .split('\n')
          .find((l) => l.trim() !== '') ?? err.message.split('\n')[0];
      reject(new VigilError('config.invalid', `${name} failed: ${first}`, { path: 'DATABASE_URL' }));
    });
  });
}
