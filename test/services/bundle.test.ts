import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyBundle } from '../../src/evidence/bundle-verify.ts';
import type { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { ephemeralSigningKey, type SigningKey } from '../../src/evidence/signing-key.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import { makeBundle } from '../../src/services/bundle.service.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { fileEvidence, getEvidence } from '../../src/services/evidence.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { allText, readZip } from '../support/bundle-zip.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, makePerson, makeSource, openTestServices } from '../support/factories.ts';

async function* bytes(s: string | Buffer): AsyncIterable<Uint8Array> {
  yield Buffer.from(s);
}
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

// Canaries: none of these may appear in a public bundle; the name may appear in no bundle at all.
const NAME = 'Zhanargul Canarybekova-7f3a';
const SUMMARY = 'SUMMARY-CANARY-5521 the victim told her sister';
const ACT = 'ACT-CANARY-9b1e beaten in the semi-basement';
const ORIGINAL = Buffer.from('ORIGINAL-BYTES-CANARY: the photo with its GPS position\n'.repeat(50));
const WORKING = Buffer.from('the same photo, metadata stripped\n'.repeat(40));
const LETTER = Buffer.from('the prosecutor refused to register the complaint\n');

describeEachDialect('evidence bundles', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let dir: string;
  let key: SigningKey;
  let allegationId: string;
  let original: { id: string; sha256: string };
  let letter: { id: string; sha256: string };
  let workingId: string;

  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bundles-'));
    key = ephemeralSigningKey();
    const victim = await makePerson(svc, {
      roles: ['victim'],
      identity: { name: NAME, notes: `${NAME} lives in Almaty` },
    });
    const source = await makeSource(svc, {
      kind: 'testimony',
      title: 'Testimony of a cellmate',
      url: 'https://example.org/private-chat',
    });
    allegationId = await makeAllegation(svc, {
      facilityId: await makeFacility(svc, { name: 'SIZO LA-155/18' }),
      title: 'Beating during interrogation',
      summary: SUMMARY,
      victims: [{ personId: victim }],
      acts: [{ kind: 'beating', victimId: victim, description: ACT }],
      sources: [{ sourceId: source, relation: 'reports' }],
      consent: ['record', 'share', 'publish_anonymised'],
    });
    original = await fileEvidence(svc, SYSTEM, bytes(ORIGINAL), {
      allegationId,
      sourceId: source,
      originalName: 'IMG_0042 (cell).jpg',
      capturedAt: '2022-01-12T10:00:00.000Z',
      purpose: 'intake',
    });
    letter = await fileEvidence(svc, SYSTEM, bytes(LETTER), {
      allegationId,
      originalName: 'reply.txt',
      mediaType: 'text/plain',
    });
    // A working copy as the working-copy service files it: same allegation and source, naming its parent.
    const blob = await svc.blobs.put(bytes(WORKING));
    workingId = await runWrite(svc.store, { actor: 'system', at: svc.clock().toISOString() }, async (w) => {
      const id = svc.newId();
      await w.insert('evidence_item', {
        id,
        external_id: null,
        source_id: source,
        allegation_id: allegationId,
        sha256: blob.sha256,
        size: blob.size,
        media_type: 'image/jpeg',
        original_name: 'IMG_0042 (cell).jpg',
        captured_from: null,
        captured_at: w.ctx.at,
        captured_by: 'system',
        tool: 'sharp',
        copy_kind: 'working',
        parent_sha256: original.sha256,
        transformation: 'metadata stripped: exif, gps, xmp, iptc',
      });
      await w.insert(
        'custody_event',
        {
          id: svc.newId(),
          evidence_item_id: id,
          action: 'derived',
          actor: 'system',
          at: w.ctx.at,
          purpose: null,
          recipient: null,
          detail: JSON.stringify({ parentSha256: original.sha256 }),
        },
        'custody.derived',
      );
      return id;
    });
  });
  afterEach(async () => {
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a court bundle that verifies: originals, copies, manifest, custody, audit entries; logs the export', async () => {
    const out = path.join(dir, 'court.zip');
    const r = await makeBundle(
      svc,
      SYSTEM,
      { allegation: allegationId, out, purpose: 'annex to the complaint', recipient: 'Almaty city court' },
      key,
    );
    expect(r).toMatchObject({ audience: 'court', files: 3, omittedItems: 0, fingerprint: key.publicKey.fingerprint });
    const report = await verifyBundle(out, { expectedKey: key.publicKey.base64 });
    expect(report.problem).toBeNull();

    const zip = await readZip(out);
    expect(zip.get(`files/${original.sha256}/IMG_0042 (cell).jpg`)).toEqual(ORIGINAL);
    expect(zip.get(`files/${letter.sha256}/reply.txt`)).toEqual(LETTER);
    expect(zip.get(`files/${sha(WORKING)}/IMG_0042 (cell).jpg`)).toEqual(WORKING);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({
      format: 'vigil-bundle/2',
      audience: 'court',
      purpose: 'annex to the complaint',
      recipient: 'Almaty city court',
      instance: { algorithm: 'Ed25519', publicKey: key.publicKey.base64, fingerprint: key.publicKey.fingerprint },
      redaction: { identities: expect.stringMatching(/^pseudonymised/), files: expect.stringMatching(/^originals/) },
      allegation: {
        id: allegationId,
        title: 'Beating during interrogation',
        summary: SUMMARY,
        victims: ['V-0001'],
        facility: { name: 'SIZO LA-155/18' },
      },
      audit: { chain: 'subsequence' },
    });
    expect(manifest.files).toContainEqual(
      expect.objectContaining({
        path: `files/${original.sha256}/IMG_0042 (cell).jpg`,
        size: ORIGINAL.length,
        sha256: original.sha256,
        mediaType: 'application/octet-stream',
        copyKind: 'original',
        parentSha256: null,
        capturedAt: '2022-01-12T10:00:00.000Z',
        collector: 'system',
        item: original.id,
        source: expect.objectContaining({ kind: 'testimony', title: 'Testimony of a cellmate' }),
      }),
    );
    expect(manifest.files).toContainEqual(
      expect.objectContaining({ copyKind: 'working', parentSha256: original.sha256, item: workingId }),
    );
    // Exactly the manifest's bytes were signed, and the logs' hashes are in it.
    expect(r.manifestSha256).toBe(sha(zip.get('manifest.json')!));
    expect(manifest.logs.custody).toMatchObject({ sha256: sha(zip.get('custody.jsonl')!), lines: 3 });
    const audit = zip
      .get('audit.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['create', 'custody.collected', 'custody.derived']),
    );
    expect(audit.filter((e) => e.entity_id === allegationId)).toHaveLength(1);
    // No bundle holds a name, not even a court's.
    expect(await allText(out)).not.toContain(NAME);

    for (const id of [original.id, letter.id, workingId]) {
      const { custody } = await getEvidence(svc, SYSTEM, id);
      expect(custody.at(-1)).toMatchObject({
        action: 'exported',
        purpose: 'annex to the complaint',
        recipient: 'Almaty city court',
        detail: { bundleId: r.bundleId, audience: 'court', manifestSha256: r.manifestSha256 },
      });
    }
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('writes a public bundle with working copies only, no names, no victim free text, and says so', async () => {
    const out = path.join(dir, 'public.zip');
    const r = await makeBundle(
      svc,
      SYSTEM,
      { allegation: allegationId, out, audience: 'public', purpose: 'annual report' },
      key,
    );
    expect(r).toMatchObject({ files: 1, omittedItems: 2 });
    expect((await verifyBundle(out)).ok).toBe(true);
    const zip = await readZip(out);
    expect([...zip.keys()].filter((n) => n.startsWith('files/'))).toEqual([
      `files/${sha(WORKING)}/${sha(WORKING).slice(0, 12)}.jpg`,
    ]);
    const everything = await allText(out);
    for (const canary of [
      NAME,
      'Canarybekova',
      'SUMMARY-CANARY',
      'ACT-CANARY',
      'ORIGINAL-BYTES-CANARY',
      'IMG_0042',
      'Testimony of',
      'private-chat',
      'reply.txt',
    ]) {
      expect(everything, canary).not.toContain(canary);
    }
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest.redaction).toMatchObject({
      files: expect.stringMatching(/^working copies only/),
      freeText: expect.stringMatching(/^omitted/),
      omittedItems: 2,
    });
    expect(manifest.allegation).toMatchObject({
      title: null,
      summary: null,
      victims: ['V-0001'],
      acts: [{ kind: 'beating', victim: 'V-0001', description: null }],
    });
    expect(manifest.files[0]).toMatchObject({
      copyKind: 'working',
      originalName: null,
      collector: null,
      source: { kind: 'testimony', title: null, url: null },
    });
    // Only the working copy's custody is in it, and only it is logged as exported.
    expect((await getEvidence(svc, SYSTEM, workingId)).custody.at(-1)).toMatchObject({
      action: 'exported',
      recipient: 'public',
    });
    expect((await getEvidence(svc, SYSTEM, original.id)).custody.map((c) => c.action)).toEqual(['collected']);
  });

  it('carries what each entry changed and still verifies offline; a public bundle withholds changes that carry free text', async () => {
    await updateAllegation(svc, SYSTEM, allegationId, {
      title: 'Beating and threats',
      summary: `${SUMMARY} EDIT-CANARY-31c0`,
      version: 1,
    });
    await updateAllegation(svc, SYSTEM, allegationId, {
      consent: ['record', 'share', 'publish_anonymised', 'photos'],
      version: 2,
    });
    const entries = (zip: Map<string, Buffer>) =>
      zip
        .get('audit.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));

    const court = path.join(dir, 'court-changes.zip');
    await makeBundle(svc, SYSTEM, { allegation: allegationId, out: court }, key);
    expect((await verifyBundle(court)).problem).toBeNull();
    const courtAudit = entries(await readZip(court)).filter(
      (e) => e.entity_id === allegationId && e.action === 'update',
    );
    expect(courtAudit.map((e) => e.changes)).toEqual([
      [
        { field: 'title', from: 'Beating during interrogation', to: 'Beating and threats' },
        { field: 'summary', from: SUMMARY, to: `${SUMMARY} EDIT-CANARY-31c0` },
      ],
      [
        {
          field: 'consent',
          from: ['record', 'share', 'publish_anonymised'],
          to: ['record', 'share', 'publish_anonymised', 'photos'],
        },
      ],
    ]);
    expect(entries(await readZip(court)).find((e) => e.entity_type === 'allegation_act')).toMatchObject({
      changes: [{ field: 'kind', to: 'beating' }, { field: 'victim_id' }, { field: 'description', to: ACT }],
    });

    const pub = path.join(dir, 'public-changes.zip');
    await makeBundle(svc, SYSTEM, { allegation: allegationId, out: pub, audience: 'public' }, key);
    const report = await verifyBundle(pub);
    expect(report.problem).toBeNull();
    expect(report.checks.find((c) => c.name === 'audit entries')!.detail).toMatch(
      /every hash recomputes but 2 entries whose changes were withheld/,
    );
    const zip = await readZip(pub);
    const pubAudit = entries(zip);
    const updates = pubAudit.filter((e) => e.entity_id === allegationId && e.action === 'update');
    expect(updates[0]).toMatchObject({ withheld: ['changes'] });
    expect(updates[0]).not.toHaveProperty('changes');
    expect(updates[1]).toMatchObject({ changes: [{ field: 'consent' }] });
    expect(pubAudit.find((e) => e.entity_type === 'allegation_act')).toMatchObject({ withheld: ['changes'] });
    const everything = await allText(pub);
    for (const canary of ['EDIT-CANARY', 'SUMMARY-CANARY', 'ACT-CANARY', NAME])
      expect(everything, canary).not.toContain(canary);
    expect(JSON.parse(zip.get('manifest.json')!.toString()).audit).toMatchObject({ changesWithheld: 2 });
  });

  it('refuses the export when a stored file was altered: evidence.hash_mismatch, no file written, the mismatch logged', async () => {
    const blob = (svc.blobs as FsBlobStore).pathOf(letter.sha256);
    await chmod(blob, 0o600);
    const altered = Buffer.from(LETTER);
    altered[3] = altered[3]! ^ 0x20;
    await writeFile(blob, altered); // same size: only re-hashing while streaming can tell
    const out = path.join(dir, 'refused.zip');
    await expect(makeBundle(svc, SYSTEM, { allegation: allegationId, out }, key)).rejects.toMatchObject({
      code: 'evidence.hash_mismatch',
      message: expect.stringContaining(letter.id),
    });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await getEvidence(svc, SYSTEM, letter.id)).custody.map((c) => [c.action, c.detail])).toEqual([
      ['collected', expect.anything()],
      ['verified', { result: 'hash_mismatch' }],
    ]);
    expect((await getEvidence(svc, SYSTEM, original.id)).custody.map((c) => c.action)).toEqual(['collected']);

    await writeFile(blob, Buffer.concat([LETTER, Buffer.from('appended')])); // another size: refused before streaming
    await expect(makeBundle(svc, SYSTEM, { allegation: allegationId, out }, key)).rejects.toMatchObject({
      code: 'evidence.hash_mismatch',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('checks consent when the bundle is made: a partner bundle needs "share", a public one a publication scope and no victim in custody', async () => {
    const victim = await makePerson(svc, { roles: ['victim'], custody: 'in_custody' });
    const recordOnly = await makeAllegation(svc, {
      facilityId: await makeFacility(svc),
      consent: ['record'],
      victims: [{ personId: victim }],
    });
    const held = await makeAllegation(svc, {
      facilityId: await makeFacility(svc),
      consent: ['record', 'share', 'publish_anonymised'],
      victims: [{ personId: victim }],
    });
    const out = path.join(dir, 'consent.zip');
    await expect(
      makeBundle(svc, SYSTEM, { allegation: recordOnly, out, audience: 'partner' }, key),
    ).rejects.toMatchObject({ code: 'consent.scope_missing', path: 'audience' });
    await expect(
      makeBundle(svc, SYSTEM, { allegation: recordOnly, out, audience: 'public' }, key),
    ).rejects.toMatchObject({ code: 'consent.scope_missing' });
    await expect(makeBundle(svc, SYSTEM, { allegation: held, out, audience: 'public' }, key)).rejects.toMatchObject({
      code: 'consent.scope_missing',
      message: expect.stringMatching(/in custody/),
    });
    expect(fs.existsSync(out)).toBe(false);
    expect((await makeBundle(svc, SYSTEM, { allegation: held, out, audience: 'partner' }, key)).audience).toBe(
      'partner',
    );
  });

  it('applies roles and need-to-know, and refuses bad requests', async () => {
    const analyst = {
      id: (await addUser(svc, SYSTEM, { username: 'ana', role: 'analyst' })).id,
      role: 'analyst' as const,
    };
    const documenter = {
      id: (await addUser(svc, SYSTEM, { username: 'doc', role: 'documenter' })).id,
      role: 'documenter' as const,
    };
    const restricted = await makeAllegation(svc, { facilityId: await makeFacility(svc), sensitivity: 'restricted' });
    const out = path.join(dir, 'x.zip');
    await expect(makeBundle(svc, documenter, { allegation: allegationId, out }, key)).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    await expect(makeBundle(svc, analyst, { allegation: restricted, out }, key)).rejects.toMatchObject({
      code: 'record.not_found',
      path: 'allegation',
    });
    await expect(
      makeBundle(svc, analyst, { allegation: allegationId, out, audience: 'press' as never }, key),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'audience' });
    expect((await makeBundle(svc, analyst, { allegation: allegationId, out, audience: 'partner' }, key)).files).toBe(1);
    await expect(makeBundle(svc, analyst, { allegation: allegationId, out }, key)).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'out',
    });
  });
});
