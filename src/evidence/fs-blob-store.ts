import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, lstat, mkdir, open, opendir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { VigilError } from '../domain/errors.ts';
import { SHA256_HEX, type BlobCheck, type BlobStore, type StoredBlob } from './blob-store.ts';

const HEAD_BYTES = 4096;

function assertHash(sha256: string): void {
  if (!SHA256_HEX.test(sha256))
    throw new VigilError('validation.invalid', 'a blob is named by 64 lowercase hex characters', { path: 'sha256' });
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * Blobs as files under `root`, at `ab/cd/abcd…` (two levels keep directories small). A new
 * blob is written to `root/.incoming`, flushed to disk, then hard-linked into place: a link
 * fails rather than replace an existing file, so an original is never overwritten, and a crash
 * leaves at most an orphan in `.incoming`, never a half-written blob under a hash. Stored files
 * are made read-only.
 *
 * @example
 *   const blobs = new FsBlobStore('./data/blobs');
 *   const { sha256 } = await blobs.put(createReadStream('photo.jpg'));
 */
export class FsBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  /** Where the blob with this hash lives (whether or not it exists). */
  pathOf(sha256: string): string {
    assertHash(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const incoming = this.incomingDir();
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    const tmp = path.join(incoming, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    const head: Uint8Array[] = [];
    let headSize = 0;
    let size = 0;
    const file = await open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (opts.maxBytes !== undefined && size > opts.maxBytes) {
          throw new VigilError('evidence.too_large', `the file is larger than the limit of ${opts.maxBytes} bytes`, {
            path: 'file',
          });
        }
        hash.update(chunk);
        if (headSize < HEAD_BYTES) {
          const part = chunk.subarray(0, HEAD_BYTES - headSize);
          head.push(Uint8Array.from(part));
          headSize += part.length;
        }
        await file.write(chunk);
      }
      await file.sync();
    } catch (err) {
      await file.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await file.close();
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    let existed = false;
    try {
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await chmod(tmp, 0o400);
      await link(tmp, target);
      await syncDir(path.dirname(target));
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
      existed = true;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    return { sha256, size, existed, head: concat(head, headSize) };
  }

  async read(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    const handle = await open(file, 'r').catch((err: unknown) => {
      if (isCode(err, 'ENOENT'))
        throw new VigilError('evidence.blob_missing', `no stored file has the hash ${sha256}`, { path: 'sha256' });
      throw err;
    });
    const hash = createHash('sha256');
    const checker = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        const actual = hash.digest('hex');
        done(
          actual === sha256
            ? null
            : new VigilError('evidence.hash_mismatch', `the stored file ${sha256} now hashes to ${actual}`, {
                path: 'sha256',
              }),
        );
      },
    });
    const stream = createReadStream('', { fd: handle, highWaterMark: 1024 * 1024 });
    stream.on('error', (err) => checker.destroy(err));
    return stream.pipe(checker);
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(sha256))).size };
    } catch (err) {
      if (isCode(err, 'ENOENT')) return null;
      throw err;
    }
  }

  async check(sha256: string): Promise<BlobCheck> {
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(this.pathOf(sha256), { highWaterMark: 1024 * 1024 }))
        hash.update(chunk as Buffer);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return 'missing';
      throw err;
    }
    return hash.digest('hex') === sha256 ? 'ok' : 'mismatch';
  }

  async sweepPartial(olderThan: Date): Promise<{ removed: number; bytes: number }> {
    let dir;
    try {
      dir = await opendir(this.incomingDir());
    } catch (err) {
      if (isCode(err, 'ENOENT')) return { removed: 0, bytes: 0 };
      throw err;
    }
    let removed = 0;
    let bytes = 0;
    for await (const entry of dir) {
      if (!entry.isFile() || !entry.name.endsWith('.part')) continue;
      const file = path.join(this.incomingDir(), entry.name);
      const info = await lstat(file).catch(() => undefined);
      if (!info || info.mtimeMs >= olderThan.getTime()) continue;
      try {
        await unlink(file);
      } catch (err) {
        if (isCode(err, 'ENOENT')) continue; // another process swept it first
        throw err;
      }
      removed += 1;
      bytes += info.size;
    }
    return { removed, bytes };
  }

  private incomingDir(): string {
    return path.join(this.root, '.incoming');
  }

  async *list(): AsyncIterable<string> {
    let top;
    try {
      top = await opendir(this.root);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return;
      throw err;
    }
    for await (const a of top) {
      if (!a.isDirectory() || !/^[0-9a-f]{2}$/.test(a.name)) continue;
      for await (const b of await opendir(path.join(this.root, a.name))) {
        if (!b.isDirectory()) continue;
        for await (const f of await opendir(path.join(this.root, a.name, b.name))) {
          if (f.isFile() && SHA256_HEX.test(f.name)) yield f.name;
        }
      }
    }
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Makes a new directory entry durable (a no-op where directories cannot be opened). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* platforms without directory fsync */
  }
}
