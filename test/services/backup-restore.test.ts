import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeBackup, type BackupKeys } from '../../src/services/backup.service.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { fileEvidence } from '../../src/services/evidence.service.ts';
import { restoreBackup } from '../../src/services/restore.service.ts';
import { readSignedHead } from '../../src/store/audit-signature.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { pgRelations } from '../../src/store/database-copy.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { makeAllegation, openTestServices } from '../support/factories.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEYS: BackupKeys = {
  identity: { file: 'vigil.key', fingerprint: null },
  signing: { file: 'vigil-signing.key', fingerprint: null, publicKey: null },
};

async function* once(b: Buffer): AsyncIterable<Uint8Array> {
  yield b;
}

/** Every entry of a zip, by name. */
async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { autoClose: false });
  const out = new Map<string, Buffer>();
  try {
    for await (const e of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      out.set(e.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return out;
}

/** The archive again, with its manifest changed by `edit` and its sum made to match, as someone who rewrote both would. */
// biome-ignore lint/suspicious/noExplicitAny: someone who rewrites the archive may change any field of the manifest, typed or not
async function rewriteManifest(file: string, out: string, edit: (m: any) => void): Promise<void> {
  const entries = await entriesOf(file);
  const manifest = JSON.parse(entries.get('manifest.json')!.toString());
  edit(manifest);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  entries.set('manifest.json', bytes);
  entries.set('manifest.sha256', Buffer.from(`${sha(bytes)}  manifest.json\n`));
  const zip = new yazl.ZipFile();
  for (const [name, b] of entries) zip.addBuffer(b, name, { compress: false });
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject),
  );
}

describeEachDialect('backup and restore of a signed chain', (dialect) => {
  let svc: Services;
  let store: Store;
  let dispose: () => Promise<void>;
  let dir: string;
  const targets: FreshDatabase[] = [];
  beforeEach(async () => {
    ({ svc, store, dispose } = await openTestServices(dialect));
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-backup-'));
  });
  afterEach(async () => {
    await dispose();
    for (const t of targets.splice(0)) await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries the signed head, takes the evidence list from the copy (a file filed while the archive is written is not in it), and the restore verifies with the key', async () => {
    const allegationId = await makeAllegation(svc);
    const first = randomBytes(200_000);
    await fileEvidence(svc, SYSTEM, once(first), { allegationId });
    const head = await readSignedHead(store.db);
    expect(head).not.toBeNull();

    const late = randomBytes(1000);
    let filing: Promise<unknown> | undefined;
    const out = path.join(dir, 'vigil.backup');
    const r = await writeBackup(svc, out, KEYS, (phase) => {
      if (phase === 'archive') filing ??= fileEvidence(svc, SYSTEM, once(late), { allegationId });
    });
    await filing;
    expect(r.manifest.signedHead).toEqual(head);
    expect(r.manifest.keys.signing).toMatchObject({ fingerprint: head!.instance, publicKey: head!.key });
    expect(r.manifest.evidence).toEqual({ items: 1, files: 1, bytes: first.length });
    expect([...(await entriesOf(out)).keys()].filter((n) => n.startsWith('blobs/'))).toEqual([
      `blobs/${sha(first).slice(0, 2)}/${sha(first).slice(2, 4)}/${sha(first)}`,
    ]);
    expect((await readSignedHead(store.db))!.seq).toBeGreaterThan(head!.seq);

    const fresh = await freshDatabaseConfig(dialect);
    targets.push(fresh);
    const dataDir = path.join(dir, 'restored');
    const restored = await restoreBackup(out, { dataDir, database: fresh.config, mayExist: [] });
    expect(restored).toMatchObject({ files: 2, bytes: r.manifest.files.reduce((n, f) => n + f.size, 0) });
    const back = await openStore(fresh.config);
    try {
      expect(await readSignedHead(back.db)).toEqual(head);
      const v = await verifyStore(back, undefined, { publicKey: store.signer!.publicKey });
      expect(v).toMatchObject({
        ok: true,
        entries: r.manifest.chainHead.seq,
        signatures: { checked: expect.any(Number), key: head!.instance },
      });
      expect(await back.db.selectFrom('evidence_item').select('sha256').execute()).toEqual([{ sha256: sha(first) }]);
    } finally {
      await back.close();
    }
    expect(
      sha(fs.readFileSync(path.join(dataDir, 'blobs', sha(first).slice(0, 2), sha(first).slice(2, 4), sha(first)))),
    ).toBe(sha(first));
  });

  it('writes no archive of a chain whose signed entry was changed without the key', async () => {
    await makeAllegation(svc);
    const head = (await readSignedHead(store.db))!;
    await store.db
      .updateTable('audit_entry')
      .set({ hash: 'f'.repeat(64) })
      .where('seq', '=', head.seq)
      .execute();
    const out = path.join(dir, 'vigil.backup');
    await expect(writeBackup(svc, out, KEYS)).rejects.toMatchObject({
      code: 'audit.chain_broken',
      message: `the chain's entry ${head.seq} has hash ${'f'.repeat(64)}, but its signed head says ${head.hash}: the chain was changed without the key; run vigil verify; no backup was written`,
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a manifest rewritten with its sum: a signed head that does not check, or a chain head the restored database does not have (and leaves the database empty)', async () => {
    const allegationId = await makeAllegation(svc);
    await fileEvidence(svc, SYSTEM, once(randomBytes(5000)), { allegationId });
    const out = path.join(dir, 'vigil.backup');
    await writeBackup(svc, out, KEYS);

    const forged = path.join(dir, 'forged-head.backup');
    await rewriteManifest(out, forged, (m) => {
      m.signedHead.at = '2020-01-01T00:00:00.000Z';
    });
    const fresh = await freshDatabaseConfig(dialect);
    targets.push(fresh);
    const dataDir = path.join(dir, 'restored');
    await expect(restoreBackup(forged, { dataDir, database: fresh.config, mayExist: [] })).rejects.toMatchObject({
      code: 'backup.damaged',
      message: expect.stringMatching(
        /^manifest\.json: the signed head \(entry \d+\) does not check with its key [0-9a-f]{16}: the manifest was altered$/,
      ),
    });
    expect(fs.existsSync(dataDir)).toBe(false);

    const moved = path.join(dir, 'moved-head.backup');
    await rewriteManifest(out, moved, (m) => {
      m.chainHead.seq += 1;
    });
    await expect(restoreBackup(moved, { dataDir, database: fresh.config, mayExist: [] })).rejects.toMatchObject({
      code: 'backup.damaged',
      message: expect.stringMatching(
        /^database\/vigil\.(db|pgdump): the restored database's audit chain head .* is not the manifest's .*; nothing was restored$/,
      ),
    });
    expect(fs.existsSync(dataDir)).toBe(false);
    if (fresh.config.dialect === 'sqlite') expect(fs.existsSync(fresh.config.file)).toBe(false);
    else {
      const s = await openStore(fresh.config, { migrate: false });
      try {
        expect(await pgRelations(s.db)).toEqual([]);
      } finally {
        await s.close();
      }
    }
    // The untouched archive still restores into the same (still empty) target.
    await expect(restoreBackup(out, { dataDir, database: fresh.config, mayExist: [] })).resolves.toMatchObject({
      files: 2,
    });
  });
});
