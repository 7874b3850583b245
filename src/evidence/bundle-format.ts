/**
 * The layout of an evidence bundle (docs/bundles.md), shared by the writer and the offline
 * verifier. No database, no network: the verifier imports this file.
 *
 *   files/<sha256>/<name>   the preserved files (originals for a court, working copies otherwise)
 *   custody.jsonl           the custody events of those files, one stored row a line
 *   audit.jsonl             the audit entries about the allegation, its parts, files and custody events
 *   timestamps/<sha256>.tst the RFC 3161 token of a file's SHA-256, when it has one (DER TimeStampToken)
 *   manifest.json           what is in the bundle and why; lists the size and SHA-256 of all the above
 *   signature.json          Ed25519 over the SHA-256 of manifest.json's exact bytes
 */
import { z } from 'zod';

/**
 * The format this code writes. `vigil-bundle/2` (0012) adds `changes` to audit entries (and
 * `withheld` where a redacted audience does not get them); an older verifier, which would strip
 * them and call every such entry altered, refuses the format instead. Both are read.
 */
export const BUNDLE_FORMAT = 'vigil-bundle/2';
/** Every format this verifier reads. */
const BUNDLE_FORMATS = ['vigil-bundle/1', BUNDLE_FORMAT] as const;
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'signature.json';
export const CUSTODY_PATH = 'custody.jsonl';
export const AUDIT_PATH = 'audit.jsonl';
/** Where preserved files go. */
export const FILES_DIR = 'files/';
/** Where the files' RFC 3161 tokens go, one per hash. */
export const TIMESTAMPS_DIR = 'timestamps/';

/** Where the token of the file with this SHA-256 goes. */
export function timestampPathFor(sha256: string): string {
  return `${TIMESTAMPS_DIR}${sha256}.tst`;
}

/** Who a bundle is made for; decides what is redacted. */
export const BUNDLE_AUDIENCES = ['court', 'partner', 'public'] as const;
export type BundleAudience = (typeof BUNDLE_AUDIENCES)[number];

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

/** A file's RFC 3161 token as the manifest lists it: where it is, its own SHA-256, and what the instance recorded of it. */
const ListedTimestamp = z.looseObject({
  path: z.string().min(1),
  sha256: Sha256,
  genTime: z.string(),
  tsa: z.string(),
});

/** A file of the bundle as the manifest lists it (the fields the verifier relies on; the rest is description). */
const ListedFile = z.looseObject({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: Sha256,
  timestamp: ListedTimestamp.optional(),
});

/** What the verifier reads from manifest.json; other fields are described in docs/bundles.md and covered by the signature. */
export const ManifestShape = z.looseObject({
  format: z.enum(BUNDLE_FORMATS),
  bundleId: z.string(),
  createdAt: z.string(),
  audience: z.enum(BUNDLE_AUDIENCES),
  instance: z.looseObject({ algorithm: z.literal('Ed25519'), publicKey: z.string(), fingerprint: z.string() }),
  files: z.array(ListedFile),
  logs: z.object({
    custody: ListedFile.extend({ lines: z.number().int().nonnegative() }),
    audit: ListedFile.extend({ lines: z.number().int().nonnegative() }),
  }),
});
export type ManifestShape = z.infer<typeof ManifestShape>;

/** signature.json. */
export const SignatureShape = z.looseObject({
  format: z.enum(BUNDLE_FORMATS),
  algorithm: z.literal('Ed25519'),
  /** What was signed: the 32 bytes of SHA-256 over manifest.json exactly as stored. */
  signed: z.literal('sha256(manifest.json)'),
  manifestSha256: Sha256,
  keyFingerprint: z.string(),
  signature: z.string(),
});
export type SignatureShape = z.infer<typeof SignatureShape>;

/**
 * One audit entry as audit.jsonl holds it: every field of the instance's entry, so its hash can be
 * recomputed. `changes` is present when the entry has them (parsed: the hash covers their canonical
 * JSON); for a partner or public audience, changes that carry free text are left out and named in
 * `withheld`, and that entry's own hash can no longer be recomputed (the links around it still are).
 */
export const BundleAuditEntry = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  state_hash: z.string().nullable(),
  reason: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
  // Each change kept whole (every key, any value): the entry's hash covers all of it.
  changes: z.array(z.record(z.string(), z.unknown())).optional(),
  withheld: z.array(z.literal('changes')).optional(),
});
export type BundleAuditEntry = z.infer<typeof BundleAuditEntry>;

/**
 * One custody event as custody.jsonl holds it: the stored row, so its state hash can be matched
 * against its audit entry. For a partner or public audience `detail` is withheld (set to null and
 * named in `redacted`), and that row can no longer be matched.
 */
export const BundleCustodyRow = z.object({
  id: z.string(),
  evidence_item_id: z.string(),
  action: z.string(),
  actor: z.string(),
  at: z.string(),
  purpose: z.string().nullable(),
  recipient: z.string().nullable(),
  detail: z.string().nullable(),
  redacted: z.array(z.string()).optional(),
});
export type BundleCustodyRow = z.infer<typeof BundleCustodyRow>;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'image/tiff': '.tif',
  'application/pdf': '.pdf',
  'text/html': '.html',
  'text/plain': '.txt',
  'application/json': '.json',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/mp4': '.m4a',
  'application/zip': '.zip',
};

/** A file extension for a media type ('.bin' when unknown). */
export function extensionFor(mediaType: string): string {
  return EXTENSIONS[(mediaType.split(';')[0] ?? '').trim().toLowerCase()] ?? '.bin';
}

/**
 * A file name safe in any zip tool and on any filesystem: no directories, no control or reserved
 * characters, no leading dots, at most 120 characters (the extension kept). Empty → `fallback`.
 */
export function sanitizeName(name: string | null | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  let clean = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a safe file name must not hold
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 120 - ext.length) + ext;
  }
  return clean.length > 0 ? clean : fallback;
}

/** Whether a zip entry name is a plain relative path (no absolute path, no `..`, no backslash). */
export function isSafeEntryName(name: string): boolean {
  return (
    name.length > 0 &&
    !name.startsWith('/') &&
    !/^[A-Za-z]:/.test(name) &&
    !name.includes('\\') &&
    !name.split('/').includes('..')
  );
}
