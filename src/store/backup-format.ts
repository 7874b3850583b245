/**
 * The layout of a backup archive (docs/backup.md), shared by `vigil backup` and `vigil restore`.
 * A zip file whose entries are all stored without compression, so that every byte of a file sits
 * in the archive as it was and any zip tool can list or carve it:
 *
 *   manifest.json                what is in the archive: every file's path, size and SHA-256, the
 *                                dialect, the migrations, the evidence count, the audit chain's head
 *                                and its signed head, and the fingerprints of the keys (never the keys)
 *   manifest.sha256              SHA-256 of manifest.json's exact bytes, in `sha256sum` form
 *   database/vigil.db            SQLite: a consistent copy made with the online backup API
 *   database/vigil.pgdump        PostgreSQL: `pg_dump --format=custom` of one snapshot
 *   blobs/ab/cd/abcd…            every evidence file the database copy names, by SHA-256
 */
import { z } from 'zod';

/** The format this code writes; `version` grows when the layout changes, and restore refuses versions it does not know. */
export const BACKUP_FORMAT = 'vigil-backup';
export const BACKUP_VERSION = 1;

export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_SUM_PATH = 'manifest.sha256';
export const SQLITE_COPY_PATH = 'database/vigil.db';
export const PG_DUMP_PATH = 'database/vigil.pgdump';
const BLOBS_DIR = 'blobs/';

/** Where a blob sits in the archive: the blob store's own layout under `blobs/`. */
export function blobEntryPath(sha256: string): string {
  return `${BLOBS_DIR}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The SHA-256 a blob entry's path names, or null when the path is not a blob's. */
export function blobOfEntryPath(entry: string): string | null {
  const m = /^blobs\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(entry);
  if (!m) return null;
  const [, a = '', b = '', sha256 = ''] = m;
  return sha256.startsWith(a + b) ? sha256 : null;
}

/** The line manifest.sha256 holds (`sha256sum -c manifest.sha256` checks it). */
export function manifestSumLine(sha256: string): string {
  return `${sha256}  ${MANIFEST_PATH}\n`;
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

const ListedFile = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: Sha256,
});
export type BackupFile = z.infer<typeof ListedFile>;

const SignedHeadShape = z.object({
  instance: z.string(),
  seq: z.number().int().nonnegative(),
  hash: Sha256,
  at: z.string(),
  key: z.string(),
  signature: z.string(),
});

/** manifest.json. */
export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  database: z.object({ path: z.enum([SQLITE_COPY_PATH, PG_DUMP_PATH]), format: z.enum(['sqlite', 'pg_dump-custom']) }),
  /** The migrations the database had run, in order: restore refuses a database from a newer Vigil. */
  migrations: z.array(z.string()),
  /** Evidence items in the database copy, the distinct files they name, and those files' bytes. */
  evidence: z.object({
    items: z.number().int().nonnegative(),
    files: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  /** The audit chain's head in the database copy. */
  chainHead: z.object({ seq: z.number().int().nonnegative(), hash: Sha256 }),
  /** The latest signed head in the copy (audit-signature.ts), or null when no head was signed yet. */
  signedHead: SignedHeadShape.nullable(),
  /** Always `included: false`: the keys travel apart from the archive, and these fingerprints say which keys belong to it. */
  keys: z.object({
    included: z.literal(false),
    note: z.string(),
    identity: z.object({ file: z.string(), fingerprint: Sha256.nullable() }),
    signing: z.object({ file: z.string(), fingerprint: z.string().nullable(), publicKey: z.string().nullable() }),
  }),
  /** Every file of the archive but the manifest and its sum: the database copy first, then the blobs. */
  files: z.array(ListedFile),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** What the manifest says about the keys, in every archive. */
export const KEYS_NOTE =
  'The keys are not in this archive. Keep the identity key (vigil.key) and the signing key (vigil-signing.key) apart from it, and put them back in the data directory before vigil verify or vigil serve runs on a restore: without the identity key, sealed identities cannot be opened and Vigil refuses to start (key.missing).';
