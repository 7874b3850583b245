/**
 * `vigil backup FILE`: one archive (store/backup-format.ts) holding a consistent copy of the
 * database, every evidence file that copy names, and a manifest with every file's SHA-256, the
 * audit chain's head and its signed head. Never the keys: the manifest says so and records their
 * fingerprints. A restore (restore.service.ts) checks all of it again.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import yazl from 'yazl';
import { VigilError, isVigilError } from '../domain/errors.ts';
import { FsBlobStore, syncDir } from '../evidence/fs-blob-store.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  KEYS_NOTE,
  MANIFEST_PATH,
  MANIFEST_SUM_PATH,
  PG_DUMP_PATH,
  SQLITE_COPY_PATH,
  blobEntryPath,
  manifestSumLine,
  type BackupFile,
  type BackupManifest,
} from '../store/backup-format.ts';
import {
  copySqlite,
  openSqliteReadOnly,
  pgDump,
  readDatabaseFacts,
  withPgSnapshot,
  type DatabaseFacts,
} from '../store/database-copy.ts';
import type { Services } from './context.ts';

/** The keys as the operator has them, to name in the manifest when the database does not (never the keys themselves). */
export interface BackupKeys {
  identity: { file: string; fingerprint: string | null };
  signing: { file: string; fingerprint: string | null; publicKey: string | null };
}

export type BackupProgress = (phase: 'database' | 'archive', done: number, total: number) => void;

/** What was written. */
export interface BackupSummary {
  file: string;
  /** The archive's size and SHA-256 (to note beside it). */
  size: number;
  sha256: string;
  manifest: BackupManifest;
  manifestSha256: string;
}

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Writes the backup archive to `out` (never replacing a file): the database is copied first (SQLite:
 * the online backup API into a temporary file; PostgreSQL: pg_dump of an exported snapshot), the
 * list of evidence files is read from that same copy, every file is checked to be there before a
 * byte is written, and each file is hashed again on its way into the archive. The archive is
 * written to a temporary name beside `out` (mode 0600), flushed, and linked into place only when
 * complete: a missing or altered evidence file fails the backup, naming it, and leaves nothing.
 */
export async function writeBackup(
  svc: Services,
  out: string,
  keys: BackupKeys,
  onProgress?: BackupProgress,
): Promise<BackupSummary> {
  const target = path.resolve(out);
  if (fs.existsSync(target))
    throw new VigilError('validation.invalid', `${out} exists; choose a new file name`, { path: 'file' });
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tag = randomBytes(6).toString('hex');
  const tmpArchive = path.join(dir, `.${path.basename(target)}.${tag}.part`);
  const tmpDatabase = path.join(dir, `.${path.basename(target)}.${tag}.database.part`);
  const { store } = svc;
  try {
    let facts: DatabaseFacts;
    if (store.sqlite) {
      await copySqlite(store.sqlite, tmpDatabase, (done, total) => onProgress?.('database', done, total));
      const copy = openSqliteReadOnly(tmpDatabase);
      try {
        facts = await readDatabaseFacts(copy);
      } finally {
        await copy.destroy();
      }
    } else {
      const url = (store.config as { url: string }).url;
      facts = await withPgSnapshot(store.db, async (trx, snapshot) => {
        const f = await readDatabaseFacts(trx);
        await pgDump(url, tmpDatabase, snapshot);
        return f;
      });
    }
    // Restore checks the chain against its signed head; an archive it would refuse is not written.
    const signed = facts.signedHead;
    if (signed && facts.signedEntryHash !== signed.hash) {
      throw new VigilError(
        'audit.chain_broken',
        `the chain's entry ${signed.seq} has hash ${facts.signedEntryHash ?? '(none)'}, but its signed head says ${signed.hash}: the chain was changed without the key; run vigil verify; no backup was written`,
      );
    }
    await checkBlobsPresent(svc, facts);

    const databasePath = store.sqlite ? SQLITE_COPY_PATH : PG_DUMP_PATH;
    const database = { path: databasePath, ...(await hashFile(tmpDatabase)) };
    const blobFiles: BackupFile[] = [...facts.blobs].map(([sha256, b]) => ({
      path: blobEntryPath(sha256),
      size: b.size,
      sha256,
    }));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: svc.clock().toISOString(),
      dialect: store.dialect,
      database: { path: databasePath, format: store.sqlite ? 'sqlite' : 'pg_dump-custom' },
      migrations: facts.migrations,
      evidence: { items: facts.items, files: blobFiles.length, bytes: blobFiles.reduce((n, f) => n + f.size, 0) },
      chainHead: facts.chainHead,
      signedHead: facts.signedHead,
      keys: {
        included: false,
        note: KEYS_NOTE,
        identity: { file: keys.identity.file, fingerprint: facts.identityFingerprint ?? keys.identity.fingerprint },
        // The key that signed the heads in the database is the one to keep; the file's, when nothing is signed yet.
        signing: facts.signedHead
          ? { file: keys.signing.file, fingerprint: facts.signedHead.instance, publicKey: facts.signedHead.key }
          : { file: keys.signing.file, fingerprint: keys.signing.fingerprint, publicKey: keys.signing.publicKey },
      },
      files: [database, ...blobFiles],
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    const manifestSha256 = sha256Of(manifestBytes);

    const total = manifest.files.reduce((n, f) => n + f.size, 0);
    const written = await writeArchive(tmpArchive, svc, facts, {
      manifest: manifestBytes,
      sum: Buffer.from(manifestSumLine(manifestSha256), 'utf8'),
      database: { path: database.path, size: database.size, file: tmpDatabase },
      blobs: blobFiles,
      mtime: new Date(manifest.createdAt),
      onBytes: (done) => onProgress?.('archive', done, total),
    });
    // A link refuses to replace a file that appeared meanwhile; rename would overwrite it.
    await link(tmpArchive, target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST')
        throw new VigilError('validation.invalid', `${out} exists; choose a new file name`, { path: 'file' });
      throw err;
    });
    await syncDir(dir);
    return { file: target, size: written.size, sha256: written.sha256, manifest, manifestSha256 };
  } finally {
    await unlink(tmpArchive).catch(() => undefined);
    await unlink(tmpDatabase).catch(() => undefined);
  }
}

/** Before anything is written: every file the copy names must be in the blob store, at its recorded size. */
async function checkBlobsPresent(svc: Services, facts: DatabaseFacts): Promise<void> {
  for (const [sha256, { size, itemId }] of facts.blobs) {
    const st = await svc.blobs.stat(sha256);
    if (!st) {
      throw new VigilError(
        'evidence.blob_missing',
        `evidence item ${itemId}: its file ${sha256} is missing from the blob store${where(svc, sha256)}; no backup was written (vigil verify names every such item)`,
        { path: 'blobs' },
      );
    }
    if (st.size !== size) {
      throw new VigilError(
        'evidence.hash_mismatch',
        `evidence item ${itemId}: its file ${sha256}${where(svc, sha256)} holds ${st.size} bytes, the item says ${size}: it was altered; no backup was written`,
        { path: 'blobs' },
      );
    }
  }
}

/** Where a blob should be, for the message (the file-system store knows; another store names only the hash). */
function where(svc: Services, sha256: string): string {
  return svc.blobs instanceof FsBlobStore ? ` (${svc.blobs.pathOf(sha256)})` : '';
}

async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

interface ArchiveContent {
  manifest: Buffer;
  sum: Buffer;
  database: { path: string; size: number; file: string };
  blobs: BackupFile[];
  mtime: Date;
  onBytes: (done: number) => void;
}

/**
 * Streams the zip into `tmp`: manifest and sum first, then the database copy, then the blobs,
 * each opened only when the zip reaches it, all stored (no compression). A blob whose bytes no
 * longer match its hash (the blob store checks as it reads) stops the whole archive.
 */
async function writeArchive(
  tmp: string,
  svc: Services,
  facts: DatabaseFacts,
  c: ArchiveContent,
): Promise<{ size: number; sha256: string }> {
  const archiveHash = createHash('sha256');
  let size = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const zip = new yazl.ZipFile();
    const sink = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, next) {
        archiveHash.update(chunk);
        size += chunk.length;
        next(null, chunk);
      },
    });
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      zip.outputStream.unpipe(hasher);
      hasher.destroy();
      sink.destroy();
      reject(err);
    };
    zip.on('error', fail);
    hasher.on('error', fail);
    sink.on('error', fail);
    sink.on('close', () => {
      if (!failed) resolve();
    });
    const counted = (stream: Readable, onError: (err: unknown) => unknown): Readable => {
      const counter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          done += chunk.length;
          c.onBytes(done);
          next(null, chunk);
        },
      });
      // An error in the source (a hash mismatch at its end) must stop the whole archive, not just this entry.
      pipeline(stream, counter, (err) => {
        if (err) fail(onError(err));
      });
      return counter;
    };
    const opts = { compress: false, mtime: c.mtime, mode: 0o100600 };
    zip.addBuffer(c.manifest, MANIFEST_PATH, opts);
    zip.addBuffer(c.sum, MANIFEST_SUM_PATH, opts);
    zip.addReadStreamLazy(c.database.path, { ...opts, size: c.database.size }, (cb) => {
      if (!failed)
        cb(
          null,
          counted(fs.createReadStream(c.database.file, { highWaterMark: 1024 * 1024 }), (err) => err),
        );
    });
    for (const blob of c.blobs) {
      zip.addReadStreamLazy(blob.path, { ...opts, size: blob.size }, (cb) => {
        if (failed) return;
        svc.blobs.read(blob.sha256).then(
          (stream) =>
            cb(
              null,
              counted(stream, (err) => blobError(svc, facts, blob.sha256, err)),
            ),
          (err) => fail(blobError(svc, facts, blob.sha256, err)),
        );
      });
    }
    zip.end();
    zip.outputStream.pipe(hasher).pipe(sink);
  });
  const handle = await open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { size, sha256: archiveHash.digest('hex') };
}

/** A blob that failed on its way into the archive, named by its item and hash. */
function blobError(svc: Services, facts: DatabaseFacts, sha256: string, err: unknown): unknown {
  const itemId = facts.blobs.get(sha256)?.itemId ?? '?';
  if (
    isVigilError(err, 'evidence.hash_mismatch') ||
    /unexpected number of bytes/.test(String((err as Error)?.message))
  ) {
    return new VigilError(
      'evidence.hash_mismatch',
      `evidence item ${itemId}: its file ${sha256}${where(svc, sha256)} was altered: its bytes no longer match their SHA-256; no backup was written`,
      { path: 'blobs' },
    );
  }
  if (isVigilError(err, 'evidence.blob_missing')) {
    return new VigilError(
      'evidence.blob_missing',
      `evidence item ${itemId}: its file ${sha256} is missing from the blob store${where(svc, sha256)}; no backup was written`,
      { path: 'blobs' },
    );
  }
  return err;
}
