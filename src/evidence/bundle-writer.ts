import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import yazl from 'yazl';
import { VigilError } from '../domain/errors.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { syncDir } from './fs-blob-store.ts';
import {
  AUDIT_PATH,
  BUNDLE_FORMAT,
  CUSTODY_PATH,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  type SignatureShape,
} from './bundle-format.ts';
import { signBytes, type SigningKey } from './signing-key.ts';

/** A preserved file to put in the bundle: where, what it must be, and how to read it. */
export interface BundleFileSource {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** Opens the bytes; the stream must fail if they no longer match `sha256` (BlobStore.read does). */
  open(): Promise<Readable>;
}

/** What goes into a bundle. `manifest` gets its `logs` section from here. */
export interface BundleContent {
  readonly files: readonly BundleFileSource[];
  readonly custody: Buffer;
  readonly custodyLines: number;
  readonly audit: Buffer;
  readonly auditLines: number;
  readonly manifest: Record<string, unknown>;
  readonly createdAt: Date;
  /** Small files written as they are (the files' timestamp tokens), listed by the manifest itself. */
  readonly extras?: ReadonlyArray<{ readonly path: string; readonly bytes: Buffer }>;
}

/** What was written. */
export interface WrittenBundle {
  readonly out: string;
  readonly size: number;
  readonly manifestSha256: string;
  readonly fileBytes: number;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The exact bytes of manifest.json: RFC 8785 canonical JSON, so `sha256sum manifest.json` is what was signed. */
export function manifestBytes(manifest: Record<string, unknown>): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

/** signature.json for manifest bytes. */
export function signManifest(bytes: Buffer, key: SigningKey): SignatureShape {
  const digest = createHash('sha256').update(bytes).digest();
  return {
    format: BUNDLE_FORMAT,
    algorithm: 'Ed25519',
    signed: 'sha256(manifest.json)',
    manifestSha256: digest.toString('hex'),
    keyFingerprint: key.publicKey.fingerprint,
    signature: signBytes(key, digest).toString('base64'),
  };
}

/**
 * Writes a signed bundle to `out`, streaming: each file is read from the store as the zip asks
 * for it, so no file and never the whole bundle sits in memory. Everything goes to a temporary
 * file beside `out`, flushed to disk, then linked into place: if any file fails its hash check
 * (`evidence.hash_mismatch`) or anything else goes wrong, the temporary file is removed and
 * nothing appears at `out`. An existing `out` is never replaced.
 *
 * Files are stored without compression: evidence (photos, video, PDF) is mostly compressed
 * already, and stored bytes can be carved out of the zip by any tool.
 */
export async function writeBundle(
  out: string,
  content: BundleContent,
  key: SigningKey,
  onBytes?: (done: number) => void,
): Promise<WrittenBundle> {
  const target = path.resolve(out);
  if (fs.existsSync(target))
    throw new VigilError('validation.invalid', `${out} already exists; choose another file name`, { path: 'out' });
  const dir = path.dirname(target);
  if (!fs.existsSync(dir))
    throw new VigilError('validation.invalid', `the directory ${dir} does not exist`, { path: 'out' });
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);

  const manifest = {
    ...content.manifest,
    logs: {
      custody: {
        path: CUSTODY_PATH,
        size: content.custody.length,
        sha256: sha256(content.custody),
        lines: content.custodyLines,
      },
      audit: { path: AUDIT_PATH, size: content.audit.length, sha256: sha256(content.audit), lines: content.auditLines },
    },
  };
  const mBytes = manifestBytes(manifest);
  const signature = signManifest(mBytes, key);
  const mtime = content.createdAt;

  let fileBytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const zip = new yazl.ZipFile();
      const sink = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        zip.outputStream.unpipe(sink);
        sink.destroy();
        reject(err);
      };
      zip.on('error', fail);
      sink.on('error', fail);
      sink.on('close', () => {
        if (!failed) resolve();
      });
      for (const f of content.files) {
        zip.addReadStreamLazy(f.path, { compress: false, size: f.size, mtime }, (cb) => {
          if (failed) return;
          f.open().then((stream) => {
            const counter = new Transform({
              transform(chunk: Buffer, _enc, done) {
                fileBytes += chunk.length;
                onBytes?.(fileBytes);
                done(null, chunk);
              },
            });
            // An error in the store's stream (a hash mismatch at its end) must stop the whole bundle, not just this entry.
            pipeline(stream, counter, (err) => {
              if (err) fail(err);
            });
            cb(null, counter);
          }, fail);
        });
      }
      for (const x of content.extras ?? []) zip.addBuffer(x.bytes, x.path, { mtime, compress: false });
      zip.addBuffer(content.custody, CUSTODY_PATH, { mtime });
      zip.addBuffer(content.audit, AUDIT_PATH, { mtime });
      zip.addBuffer(mBytes, MANIFEST_PATH, { mtime });
      zip.addBuffer(Buffer.from(`${JSON.stringify(signature, null, 2)}\n`), SIGNATURE_PATH, { mtime });
      zip.end();
      zip.outputStream.pipe(sink);
    });
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A link refuses to replace a file that appeared meanwhile; rename would overwrite it.
    await link(tmp, target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST')
        throw new VigilError('validation.invalid', `${out} already exists; choose another file name`, { path: 'out' });
      throw err;
    });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dir);
  return { out: target, size: fs.statSync(target).size, manifestSha256: signature.manifestSha256, fileBytes };
}
