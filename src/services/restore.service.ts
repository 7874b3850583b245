/**
 * `vigil restore FILE`: fills an empty data directory (and, on PostgreSQL, an empty database)
 * from a backup archive (store/backup-format.ts), checking everything on the way: the manifest
 * against its sum, that the archive holds exactly the files the manifest lists, every file's
 * size and SHA-256 as it is extracted, the signed head's signature, and that the restored
 * database's chain head, signed head and evidence list are the ones the manifest recorded.
 * Anything wrong refuses the restore, names the file, and leaves the target as it was.
 *
 * A restore never touches a key: the operator puts the key files back (they may be in the data
 * directory before the restore); without the identity key, Vigil then refuses to start rather
 * than make a new one (identity-key.service.ts, `key.missing`).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';
import { FsBlobStore, syncDir } from '../evidence/fs-blob-store.ts';
import { checkSignedHead } from '../store/audit-signature.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupManifest,
  MANIFEST_PATH,
  MANIFEST_SUM_PATH,
  blobOfEntryPath,
  manifestSumLine,
} from '../store/backup-format.ts';
import type { DatabaseConfig } from '../store/config.ts';
import { openStore } from '../store/database.ts';
import {
  openSqliteReadOnly,
  pgDropAll,
  pgRelations,
  pgRestore,
  readDatabaseFacts,
  type DatabaseFacts,
} from '../store/database-copy.ts';
import { MIGRATION_NAMES } from '../store/migrate.ts';

export type { BackupManifest };
/** Where to restore: the data directory (blobs go to `blobs/` in it) and the database. */
export interface RestoreTarget {
  dataDir: string;
  database: DatabaseConfig;
  /** Names that may already be in the data directory (the key files the operator put back); nothing else may. */
  mayExist: readonly string[];
}

export type RestoreProgress = (phase: 'files' | 'database', done: number, total: number) => void;

/** What was restored. */
export interface RestoreSummary {
  manifest: BackupManifest;
  /** Files extracted and checked (the database copy and the blobs), and their bytes. */
  files: number;
  bytes: number;
}

/** A directory entry that is not a file restore may find there: an empty lost+found of a freshly made file system. */
const MOUNT_LEFTOVER = 'lost+found';
const STAGING_PREFIX = '.vigil-restore-';
const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;

const damaged = (message: string) => new VigilError('backup.damaged', message, { path: 'file' });

/** The archive's entry `name`; a missing one makes the archive damaged. */
function entryOf(entries: Map<string, yauzl.Entry>, name: string): yauzl.Entry {
  const entry = entries.get(name);
  if (!entry) throw damaged(`${name} is missing from the archive; nothing was restored`);
  return entry;
}

/** Restores the archive `file` into `target` (see the file comment). */
export async function restoreBackup(
  file: string,
  target: RestoreTarget,
  onProgress?: RestoreProgress,
): Promise<RestoreSummary> {
  const archive = path.resolve(file);
  if (!fs.existsSync(archive) || !fs.statSync(archive).isFile())
    throw new VigilError('validation.invalid', `${file} does not exist`, { path: 'file' });
  const dataDir = path.resolve(target.dataDir);
  checkDataDirEmpty(dataDir, target.mayExist);

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, {
      autoClose: false,
      lazyEntries: true,
      strictFileNames: true,
      validateEntrySizes: true,
      decodeStrings: true,
    });
  } catch (err) {
    throw damaged(`${file} is not a readable backup archive (${(err as Error).message})`);
  }
  let createdDir = false;
  let staging: string | undefined;
  let pgFilled: DatabaseConfig | undefined;
  // What was moved into the target before a later step failed, to take out again.
  const placed: string[] = [];
  try {
    const entries = await readEntries(zip, file);
    const manifest = await readManifest(zip, entries);
    checkListing(manifest, entries);
    await checkDatabaseTarget(manifest, target.database);

    createdDir = !fs.existsSync(dataDir);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    staging = await mkdtemp(path.join(dataDir, STAGING_PREFIX));
    const stagedBlobs = new FsBlobStore(path.join(staging, 'blobs'));
    const stagedDatabase = path.join(staging, path.basename(manifest.database.path));

    const total = manifest.files.reduce((n, f) => n + f.size, 0);
    let done = 0;
    const count = (n: number) => {
      done += n;
      onProgress?.('files', done, total);
    };
    for (const f of manifest.files) {
      const entry = entryOf(entries, f.path);
      const hash = createHash('sha256');
      let size = 0;
      const source = await openEntry(zip, entry, f.path);
      const tap = tapper(hash, (n) => {
        size += n;
        count(n);
      });
      try {
        if (f.path === manifest.database.path) {
          await pipeline(source, tap, fs.createWriteStream(stagedDatabase, { flags: 'wx', mode: 0o600 }));
          const handle = await open(stagedDatabase, 'r+');
          await handle.sync().finally(() => handle.close());
        } else {
          // The blob store hashes again and files the bytes under the hash they have: compared below.
          source.on('error', (err) => tap.destroy(err));
          await stagedBlobs.put(source.pipe(tap));
        }
      } catch (err) {
        throw damaged(`${f.path}: cannot be read from the archive (${(err as Error).message}); nothing was restored`);
      }
      const sha256 = hash.digest('hex');
      if (size !== f.size || sha256 !== f.sha256) {
        throw damaged(
          `${f.path}: its bytes do not match the manifest (SHA-256 ${sha256}, ${size} bytes; the manifest says ${f.sha256}, ${f.size} bytes): the archive was altered or damaged; nothing was restored`,
        );
      }
    }

    let facts: DatabaseFacts;
    if (target.database.dialect === 'sqlite') {
      const copy = openSqliteReadOnly(stagedDatabase);
      try {
        facts = await readDatabaseFacts(copy);
      } finally {
        await copy.destroy();
      }
      checkFacts(manifest, facts);
    } else {
      onProgress?.('database', 0, 1);
      pgFilled = target.database;
      await pgRestore(target.database.url, stagedDatabase);
      onProgress?.('database', 1, 1);
      const store = await openStore(target.database, { migrate: false });
      try {
        facts = await readDatabaseFacts(store.db);
      } finally {
        await store.close();
      }
      checkFacts(manifest, facts);
    }

    // Everything checked: the blobs move in (one rename), then the database file.
    if (fs.existsSync(stagedBlobs.root)) {
      await rm(path.join(stagedBlobs.root, '.incoming'), { recursive: true, force: true });
      await rename(stagedBlobs.root, path.join(dataDir, 'blobs'));
      placed.push(path.join(dataDir, 'blobs'));
    }
    if (target.database.dialect === 'sqlite') {
      await placeFile(stagedDatabase, target.database.file);
      placed.push(target.database.file);
    }
    placed.length = 0;
    pgFilled = undefined;
    await rm(staging, { recursive: true, force: true });
    staging = undefined;
    await syncDir(dataDir);
    return { manifest, files: manifest.files.length, bytes: total };
  } catch (err) {
    for (const p of placed) await rm(p, { recursive: true, force: true }).catch(() => undefined);
    if (pgFilled?.dialect === 'postgres') await emptyAgain(pgFilled);
    if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (createdDir) await rmdir(dataDir).catch(() => undefined);
    throw err;
  } finally {
    zip.close();
  }
}

/** The data directory must be missing or hold only the files the operator may put back first. */
function checkDataDirEmpty(dataDir: string, mayExist: readonly string[]): void {
  if (!fs.existsSync(dataDir)) return;
  if (!fs.statSync(dataDir).isDirectory())
    throw new VigilError('restore.target_not_empty', `${dataDir} is not a directory`, { path: 'VIGIL_DATA_DIR' });
  const others = fs.readdirSync(dataDir).filter((name) => {
    if (mayExist.includes(name)) return false;
    if (name === MOUNT_LEFTOVER) return fs.readdirSync(path.join(dataDir, name)).length > 0;
    return true;
  });
  if (others.length === 0) return;
  const shown = others.sort().slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  const leftover = others.some((n) => n.startsWith(STAGING_PREFIX))
    ? ` (${STAGING_PREFIX}* is what an interrupted restore left: remove it)`
    : '';
  throw new VigilError(
    'restore.target_not_empty',
    `${dataDir} is not empty: it holds ${shown}${leftover}; restore fills only an empty data directory (the key files ${mayExist.join(' and ')} may be there) — set VIGIL_DATA_DIR to a new directory`,
    { path: 'VIGIL_DATA_DIR' },
  );
}

/** The archive's entries by name; refuses unsafe or repeated names. */
async function readEntries(zip: yauzl.ZipFile, file: string): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const e of zip.eachEntry()) {
      if (e.fileName.endsWith('/') && e.uncompressedSize === 0) continue;
      if (entries.has(e.fileName)) throw damaged(`${e.fileName} appears twice in ${file}`);
      if (e.isEncrypted() || !e.canDecodeFileData())
        throw damaged(`${e.fileName}: stored in a form this Vigil cannot read`);
      entries.set(e.fileName, e);
    }
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw damaged(`${file}: the archive's directory is damaged (${(err as Error).message})`);
  }
  for (const name of [MANIFEST_PATH, MANIFEST_SUM_PATH]) {
    if (!entries.has(name))
      throw damaged(`${name} is missing from ${file}: this is not a Vigil backup archive, or it was cut`);
  }
  return entries;
}

async function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (err) {
    throw damaged(`${name}: cannot be read from the archive (${(err as Error).message}); nothing was restored`);
  }
}

async function readWhole(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Buffer> {
  if (entry.uncompressedSize > MAX_MANIFEST_BYTES)
    throw damaged(`${name} is ${entry.uncompressedSize} bytes: too large for a manifest`);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of await openEntry(zip, entry, name)) chunks.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw damaged(`${name}: cannot be read from the archive (${(err as Error).message})`);
  }
  return Buffer.concat(chunks);
}

/** manifest.json, checked against manifest.sha256 and the format. */
async function readManifest(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>): Promise<BackupManifest> {
  const bytes = await readWhole(zip, entryOf(entries, MANIFEST_PATH), MANIFEST_PATH);
  const sum = (await readWhole(zip, entryOf(entries, MANIFEST_SUM_PATH), MANIFEST_SUM_PATH)).toString('utf8');
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (sum !== manifestSumLine(actual)) {
    throw damaged(
      `${MANIFEST_PATH}: its SHA-256 (${actual}) is not the one ${MANIFEST_SUM_PATH} records: the manifest (or its sum) was altered or damaged; nothing was restored`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw damaged(`${MANIFEST_PATH} is not JSON`);
  }
  const head = parsed as { format?: unknown; version?: unknown };
  if (head?.format !== BACKUP_FORMAT)
    throw damaged(`${MANIFEST_PATH} is not a Vigil backup manifest (format ${JSON.stringify(head?.format)})`);
  if (head.version !== BACKUP_VERSION) {
    throw damaged(
      `${MANIFEST_PATH}: format version ${JSON.stringify(head.version)}; this Vigil restores version ${BACKUP_VERSION} (a newer Vigil made this backup?)`,
    );
  }
  const r = BackupManifest.safeParse(parsed);
  if (!r.success) {
    const issue = required(r.error.issues[0], 'the first issue of a failed parse');
    throw damaged(`${MANIFEST_PATH}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const m = r.data;
  const unknown = m.migrations.filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length > 0)
    throw damaged(
      `the database in this backup ran migrations this Vigil does not know (${unknown.join(', ')}): restore it with the Vigil version that made it, or a newer one`,
    );
  if (m.signedHead && !checkSignedHead(m.signedHead)) {
    throw damaged(
      `${MANIFEST_PATH}: the signed head (entry ${m.signedHead.seq}) does not check with its key ${m.signedHead.instance}: the manifest was altered`,
    );
  }
  return m;
}

/** The archive holds exactly the manifest's files, at their sizes: the database copy once, blobs under their own hash. */
function checkListing(m: BackupManifest, entries: Map<string, yauzl.Entry>): void {
  const listed = new Set<string>();
  for (const f of m.files) {
    if (listed.has(f.path)) throw damaged(`${MANIFEST_PATH} lists ${f.path} twice`);
    listed.add(f.path);
    if (f.path !== m.database.path) {
      const sha = blobOfEntryPath(f.path);
      if (sha !== f.sha256)
        throw damaged(`${MANIFEST_PATH} lists ${f.path}, which is not where the blob ${f.sha256} belongs`);
    }
    const entry = entries.get(f.path);
    if (!entry) throw damaged(`${f.path} is listed in the manifest but missing from the archive; nothing was restored`);
    if (entry.uncompressedSize !== f.size)
      throw damaged(
        `${f.path} is ${entry.uncompressedSize} bytes in the archive, the manifest says ${f.size}; nothing was restored`,
      );
  }
  if (!listed.has(m.database.path))
    throw damaged(`${MANIFEST_PATH} does not list the database copy ${m.database.path}`);
  for (const name of entries.keys()) {
    if (name !== MANIFEST_PATH && name !== MANIFEST_SUM_PATH && !listed.has(name))
      throw damaged(`the archive holds ${name}, which its manifest does not list; nothing was restored`);
  }
  const blobs = m.files.length - 1;
  if (blobs !== m.evidence.files)
    throw damaged(`${MANIFEST_PATH} says ${m.evidence.files} evidence files but lists ${blobs}`);
}

/** The database to fill must be of the archive's kind, and empty (SQLite: no file yet). */
async function checkDatabaseTarget(m: BackupManifest, db: DatabaseConfig): Promise<void> {
  if (m.dialect !== db.dialect) {
    const want =
      m.dialect === 'postgres'
        ? 'set DATABASE_URL to an empty PostgreSQL database'
        : 'unset DATABASE_URL (or set it to sqlite:FILE)';
    throw new VigilError(
      'validation.invalid',
      `this backup holds a ${m.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} database and DATABASE_URL names a ${db.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} one: ${want} (to move between them, use vigil export and import)`,
      { path: 'DATABASE_URL' },
    );
  }
  if (db.dialect === 'sqlite') {
    for (const f of [db.file, `${db.file}-wal`, `${db.file}-shm`, `${db.file}-journal`]) {
      if (fs.existsSync(f))
        throw new VigilError(
          'restore.target_not_empty',
          `${f} exists; restore writes a new database file: move it away or choose another DATABASE_URL`,
          { path: 'DATABASE_URL' },
        );
    }
    return;
  }
  const store = await openStore(db, { migrate: false });
  try {
    const rels = await pgRelations(store.db);
    const [first] = rels;
    if (first) {
      throw new VigilError(
        'restore.target_not_empty',
        `the database in DATABASE_URL is not empty: it holds ${first.name}${rels.length > 1 ? ` and ${rels.length - 1} more` : ''}; restore fills only an empty database (createdb a new one)`,
        { path: 'DATABASE_URL' },
      );
    }
  } finally {
    await store.close();
  }
}

/** The restored database holds what the manifest recorded: migrations, chain head, signed head, evidence. */
function checkFacts(m: BackupManifest, f: DatabaseFacts): void {
  const where = m.database.path;
  const differ = (what: string, got: unknown, want: unknown) =>
    damaged(
      `${where}: the restored database's ${what} (${JSON.stringify(got)}) is not the manifest's (${JSON.stringify(want)}); nothing was restored`,
    );
  if (f.migrations.join(',') !== m.migrations.join(',')) throw differ('migrations', f.migrations, m.migrations);
  if (f.chainHead.seq !== m.chainHead.seq || f.chainHead.hash !== m.chainHead.hash)
    throw differ('audit chain head', f.chainHead, m.chainHead);
  if (JSON.stringify(f.signedHead) !== JSON.stringify(m.signedHead))
    throw differ('signed head', f.signedHead, m.signedHead);
  if (m.signedHead && f.signedEntryHash !== m.signedHead.hash) {
    throw damaged(
      `${where}: the restored chain's entry ${m.signedHead.seq} has hash ${f.signedEntryHash ?? '(none)'}, but the signed head says ${m.signedHead.hash}: the chain in this backup is not the one that was signed (run vigil verify on the original); nothing was restored`,
    );
  }
  if (f.items !== m.evidence.items) throw differ('number of evidence items', f.items, m.evidence.items);
  const archived = new Set(m.files.filter((x) => x.path !== where).map((x) => x.sha256));
  for (const [sha256, b] of f.blobs) {
    if (!archived.has(sha256))
      throw damaged(
        `evidence item ${b.itemId} names the file ${sha256}, which the archive does not hold; nothing was restored`,
      );
  }
  if (f.blobs.size !== archived.size) throw differ('number of evidence files', f.blobs.size, archived.size);
}

function tapper(hash: Hash, onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      hash.update(chunk);
      onBytes(chunk.length);
      next(null, chunk);
    },
  });
}

/** Moves a file into place without ever replacing one: a hard link (or, across file systems, a copy that refuses an existing file). */
async function placeFile(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  try {
    await link(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to, fs.constants.COPYFILE_EXCL);
    const handle = await open(to, 'r+');
    await handle.sync().finally(() => handle.close());
  }
  await unlink(from);
  await syncDir(path.dirname(to));
}

/** After a failed check on a PostgreSQL database this restore filled: empty it again (it was empty before). */
async function emptyAgain(db: DatabaseConfig): Promise<void> {
  try {
    const store = await openStore(db, { migrate: false });
    try {
      await pgDropAll(store.db);
    } finally {
      await store.close();
    }
  } catch {
    /* the original error says what went wrong; a database left filled is reported by the next restore's emptiness check */
  }
}
