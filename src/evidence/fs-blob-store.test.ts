import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, chmod, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.ts';

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c as Buffer);
  return Buffer.concat(out);
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('filesystem blob store', () => {
  let dir: string;
  let blobs: FsBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-blob-test-'));
    blobs = new FsBlobStore(dir);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('stores bytes under the SHA-256 of exactly those bytes, read-only, and reads them back', async () => {
    const stored = await blobs.put(chunks('hello ', 'world'));
    expect(stored).toMatchObject({ sha256: sha('hello world'), size: 11, existed: false });
    expect(Buffer.from(stored.head).toString()).toBe('hello world');
    expect(await readAll(await blobs.read(stored.sha256))).toEqual(Buffer.from('hello world'));
    const mode = (await stat(blobs.pathOf(stored.sha256))).mode & 0o777;
    expect(mode & 0o222).toBe(0);
    expect(await blobs.stat(stored.sha256)).toEqual({ size: 11 });
    expect(await blobs.check(stored.sha256)).toBe('ok');
  });

  it('never overwrites: the same bytes again are recognised and leave one file', async () => {
    await blobs.put(chunks('same'));
    const again = await blobs.put(chunks('sa', 'me'));
    expect(again.existed).toBe(true);
    const listed: string[] = [];
    for await (const h of blobs.list()) listed.push(h);
    expect(listed).toEqual([sha('same')]);
    expect(await readdir(path.join(dir, '.incoming'))).toEqual([]);
  });

  it('refuses a file past the limit and leaves nothing behind', async () => {
    await expect(blobs.put(chunks('12345', '67890'), { maxBytes: 8 })).rejects.toMatchObject({
      code: 'evidence.too_large',
    });
    const listed: string[] = [];
    for await (const h of blobs.list()) listed.push(h);
    expect(listed).toEqual([]);
    expect(await readdir(path.join(dir, '.incoming'))).toEqual([]);
  });

  it('detects altered bytes on read and on check, and a missing blob', async () => {
    const { sha256 } = await blobs.put(chunks('original bytes'));
    const file = blobs.pathOf(sha256);
    await chmod(file, 0o600);
    await writeFile(file, 'altered bytes!');
    expect(await blobs.check(sha256)).toBe('mismatch');
    await expect(readAll(await blobs.read(sha256))).rejects.toMatchObject({ code: 'evidence.hash_mismatch' });
    const absent = sha('never stored');
    expect(await blobs.check(absent)).toBe('missing');
    expect(await blobs.stat(absent)).toBeNull();
    await expect(blobs.read(absent)).rejects.toMatchObject({ code: 'evidence.blob_missing' });
  });

  it('streams a large file through without holding it (64 MiB in 1 MiB chunks)', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const hash = createHash('sha256');
    async function* big() {
      for (let i = 0; i < 64; i++) {
        hash.update(chunk);
        yield chunk;
      }
    }
    const stored = await blobs.put(big());
    expect(stored.sha256).toBe(hash.digest('hex'));
    expect(stored.size).toBe(64 * 1024 * 1024);
    expect(stored.head.length).toBe(4096);
  });

  it('sweeps what a cut-off upload left in .incoming once it is old, never a blob or an upload in progress', async () => {
    const stored = await blobs.put(chunks('kept evidence'));
    const incoming = path.join(dir, '.incoming');
    await mkdir(incoming, { recursive: true });
    const old = path.join(incoming, 'old.part');
    const fresh = path.join(incoming, 'fresh.part');
    await writeFile(old, 'half an upload');
    await writeFile(fresh, 'an upload in progress');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await utimes(old, twoDaysAgo, twoDaysAgo);

    const dayAgo = new Date(Date.now() - 86_400_000);
    expect(await blobs.sweepPartial(dayAgo)).toEqual({ removed: 1, bytes: 'half an upload'.length });
    expect((await readdir(incoming)).sort()).toEqual(['fresh.part']);
    expect(await blobs.check(stored.sha256)).toBe('ok');
    expect(await blobs.sweepPartial(dayAgo)).toEqual({ removed: 0, bytes: 0 });
    expect(await new FsBlobStore(path.join(dir, 'nowhere')).sweepPartial(dayAgo)).toEqual({ removed: 0, bytes: 0 });
  });

  it('rejects a name that is not a hash', async () => {
    await expect(blobs.read('../../etc/passwd')).rejects.toMatchObject({ code: 'validation.invalid' });
  });
});
