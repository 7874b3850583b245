import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { assignToAllegation } from '../../src/services/access.service.ts';
import { fileEvidence, getEvidence, openEvidence, recordCustody } from '../../src/services/evidence.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import type { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, openTestServices } from '../support/factories.ts';

async function* bytes(s: string | Buffer): AsyncIterable<Uint8Array> {
  yield Buffer.from(s);
}
async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c as Buffer);
  return Buffer.concat(out);
}
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
// The first bytes of a PNG file: enough for the type to be recognised from the bytes.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

describeEachDialect('evidence intake and custody', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let allegationId: string;
  let documenter: { id: string; role: 'documenter' };
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    documenter = { id: (await addUser(svc, SYSTEM, { username: 'doc', role: 'documenter' })).id, role: 'documenter' };
    allegationId = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
  });
  afterEach(async () => dispose());

  it('files a file under its SHA-256 with a collected custody event, sniffing the media type from the bytes', async () => {
    const filed = await fileEvidence(svc, documenter, bytes(PNG), {
      allegationId,
      originalName: 'cell.png',
      mediaType: 'text/plain',
      purpose: "intake of a relative's photo",
    });
    expect(filed).toMatchObject({
      sha256: sha(PNG),
      size: PNG.length,
      mediaType: 'image/png',
      duplicate: false,
      linked: false,
    });
    const { item, custody } = await getEvidence(svc, documenter, filed.id);
    expect(item).toMatchObject({
      allegationId: allegationId,
      copyKind: 'original',
      originalName: 'cell.png',
      capturedBy: documenter.id,
    });
    expect(custody).toHaveLength(1);
    expect(custody[0]).toMatchObject({
      action: 'collected',
      actor: documenter.id,
      purpose: "intake of a relative's photo",
    });
    expect(custody[0]!.detail).toMatchObject({
      sha256: sha(PNG),
      declaredMediaType: 'text/plain',
      sniffedMediaType: 'image/png',
    });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('links duplicates: the same bytes under the same allegation are one item; under another, a new item on the same blob', async () => {
    const first = await fileEvidence(svc, documenter, bytes('statement.txt bytes'), { allegationId });
    const again = await fileEvidence(svc, documenter, bytes('statement.txt bytes'), { allegationId });
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    expect((await getEvidence(svc, documenter, first.id)).custody.map((c) => c.action)).toEqual([
      'collected',
      'received',
    ]);
    const other = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
    const elsewhere = await fileEvidence(svc, documenter, bytes('statement.txt bytes'), { allegationId: other });
    expect(elsewhere.id).not.toBe(first.id);
    expect(elsewhere).toMatchObject({ sha256: first.sha256, duplicate: false, linked: true });
    const stored: string[] = [];
    for await (const h of svc.blobs.list()) stored.push(h);
    expect(stored).toEqual([first.sha256]);
  });

  it('refuses bad references and empty files before recording anything', async () => {
    await expect(fileEvidence(svc, documenter, bytes('x'), { allegationId: 'no-such' })).rejects.toMatchObject({
      code: 'reference.missing',
      path: 'allegationId',
    });
    await expect(fileEvidence(svc, documenter, bytes(''), { allegationId })).rejects.toMatchObject({
      code: 'evidence.empty',
      path: 'file',
    });
    await expect(fileEvidence(svc, documenter, bytes('x'), { allegationId, sha256: 'forged' })).rejects.toMatchObject({
      code: 'validation.invalid',
    });
    await expect(
      fileEvidence(svc, documenter, bytes('0123456789'), { allegationId }, { maxBytes: 4 }),
    ).rejects.toMatchObject({ code: 'evidence.too_large' });
    const count = await svc.store.db
      .selectFrom('evidence_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('logs each read with its purpose, and a read of altered bytes fails and is logged', async () => {
    const filed = await fileEvidence(svc, documenter, bytes('the original'), { allegationId });
    const { stream } = await openEvidence(svc, documenter, filed.id, { action: 'downloaded', purpose: 'court filing' });
    expect((await readAll(stream)).toString()).toBe('the original');
    const file = (svc.blobs as FsBlobStore).pathOf(filed.sha256);
    await chmod(file, 0o600);
    await writeFile(file, 'tampered!!!!');
    const opened = await openEvidence(svc, documenter, filed.id, { purpose: 'review' });
    await expect(readAll(opened.stream)).rejects.toMatchObject({ code: 'evidence.hash_mismatch' });
    // The failed read is logged once the stream has been destroyed: wait for the entry.
    await vi.waitFor(async () => {
      const actions = (await getEvidence(svc, documenter, filed.id)).custody.map((c) => [c.action, c.purpose]);
      expect(actions).toEqual([
        ['collected', null],
        ['downloaded', 'court filing'],
        ['viewed', 'review'],
        ['verified', null],
      ]);
    });
  });

  it('records manual custody actions; disposal is not one of them; the log is in the audit chain', async () => {
    const filed = await fileEvidence(svc, documenter, bytes('a photo'), { allegationId });
    await recordCustody(svc, documenter, {
      evidenceItemId: filed.id,
      action: 'transferred',
      recipient: "Prosecutor's Office of Almaty",
      purpose: 'complaint annex',
    });
    await expect(
      recordCustody(svc, documenter, { evidenceItemId: filed.id, action: 'disposed' }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'action' });
    const entries = await svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'entity_type'])
      .where('entity_type', '=', 'custody_event')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['custody.collected', 'custody.transferred']);
    await svc.store.db
      .updateTable('custody_event')
      .set({ purpose: 'rewritten' })
      .where('action', '=', 'transferred')
      .execute();
    expect(await verifyStore(svc.store)).toMatchObject({ ok: false });
  });

  it('hides items of a restricted allegation from users off its team (not found)', async () => {
    const restricted = await makeAllegation(svc, { facilityId: await makeFacility(svc), sensitivity: 'restricted' });
    const filed = await fileEvidence(svc, SYSTEM, bytes('sensitive'), { allegationId: restricted });
    await expect(getEvidence(svc, documenter, filed.id)).rejects.toMatchObject({ code: 'record.not_found' });
    await expect(openEvidence(svc, documenter, filed.id)).rejects.toMatchObject({ code: 'record.not_found' });
    await expect(fileEvidence(svc, documenter, bytes('more'), { allegationId: restricted })).rejects.toMatchObject({
      code: 'reference.missing',
    });
    await assignToAllegation(svc, SYSTEM, restricted, documenter.id);
    expect((await getEvidence(svc, documenter, filed.id)).item.id).toBe(filed.id);
  });
});
